/** `npm run start:gateway`: the gateway alone, in front of subgraphs running elsewhere. */
import { readFile } from 'node:fs/promises';
import { Metrics, createLogger, onShutdown, runMain, startMetricsServer, startTracing } from '@lianxin/shared';
import { loadGatewayConfig } from './config.js';
import { prepareExplorer } from './explorer.js';
import { startGateway } from './gateway.js';

runMain(async () => {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.logLevel);
  const supergraphSdl = await readFile(config.supergraphPath, 'utf8');
  await prepareExplorer(config, logger);
  const tracing = await startTracing({ endpoint: config.tracing.endpoint });
  // The global provider: Apollo Gateway's own spans (validate, plan, execute, fetch) join the gateway's.
  const tracer = tracing.tracer(config.tracing.serviceName, { global: true });
  const metrics = new Metrics();
  // Never on the public port: a listener of its own, for the scraper inside the cluster (docs/operations.md, Metrics).
  const metricsServer = config.metrics ? await startMetricsServer(metrics, { host: config.host, listener: config.metrics, logger }) : null;
  const gateway = await startGateway({ config, supergraphSdl, logger, tracer, metrics });
  // Past the drain's own grace period, connections are cut; give that a moment before exiting regardless.
  onShutdown(
    async () => {
      await gateway.close();
      await metricsServer?.close();
      await tracing.shutdown();
    },
    { deadlineMs: config.shutdownGraceMs + 5_000 },
  );
});
