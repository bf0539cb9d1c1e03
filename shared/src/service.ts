/** Runs one subgraph as its own process (`npm run start:<name>`). */
import { ConfigError, loadSubgraphConfig } from './config.js';
import { openDatabase } from './db.js';
import { openAnalyticsDatabase } from './analytics.js';
import { createLogger } from './logger.js';
import { Metrics, startMetricsServer } from './metrics.js';
import { onShutdown } from './runtime.js';
import {
  connectSubgraphEvents,
  prepareSubgraph,
  startSubgraph,
  startSubgraphConsumer,
  startSubgraphJobs,
  startSubgraphRelay,
  subgraphHasOutbox,
  type SubgraphModule,
} from './subgraph.js';
import { startTracing } from './tracing.js';
import type { BaseContext } from './context.js';

export async function runSubgraphProcess<TContext extends BaseContext, TSettings>(module: SubgraphModule<TContext, TSettings>): Promise<void> {
  const config = loadSubgraphConfig(module.name);
  const settings = module.settings(process.env);
  if (!config.databaseUrl) {
    // PGlite serves a single process; separate services need a real Postgres.
    throw new ConfigError(`invalid configuration: DATABASE_URL: required to run ${module.name} as its own process (npm start runs all services on the embedded database)`);
  }
  const logger = createLogger(module.name, config.logLevel);
  const tracing = await startTracing({ endpoint: config.tracing.endpoint });
  const tracer = tracing.tracer(config.tracing.serviceName, { global: true });
  const database = await openDatabase({
    url: config.databaseUrl,
    directUrl: config.databaseDirectUrl,
    preparedStatements: config.preparedStatements,
    applicationName: `lianxin-${module.name}`,
    tracer,
  });
  await prepareSubgraph(module, database, { demoData: config.demoData, settings, migrate: config.migrateOnStart, logger });
  const analytics = await openAnalyticsDatabase(database, {
    mainUrl: config.databaseUrl,
    config: config.analytics,
    applicationName: `lianxin-${module.name}`,
    preparedStatements: config.preparedStatements,
    tracer,
  });
  const metrics = new Metrics();
  // Apart from the service's port (shared/src/metrics.ts); before serving, so a port that cannot be had stops start-up before the service takes requests.
  const metricsServer = config.metrics ? await startMetricsServer(metrics, { host: config.host, listener: config.metrics, logger }) : null;
  const server = await startSubgraph(module, {
    metrics,
    database,
    analytics,
    analyticsMinCell: config.analytics.minCell,
    settings,
    viewerTokenSecret: config.viewerTokenSecret,
    logger,
    host: config.host,
    port: config.port,
    tracer,
  });
  // EVENT_TRANSPORT=nats: its outbox is relayed to JetStream and its consumer pulls from there (docs/events.md).
  const nats = await connectSubgraphEvents(module.name, config.events, logger);
  const relaying = nats !== null && config.eventRunners && (await subgraphHasOutbox(database, module.dbSchema));
  const relay = relaying ? startSubgraphRelay(module, { database, nats, logger, pollIntervalMs: config.eventPollIntervalMs }) : null;
  const consumer = config.eventRunners
    ? startSubgraphConsumer(module, { database, logger, pollIntervalMs: config.eventPollIntervalMs, ...(nats ? { transport: nats.transport } : {}) })
    : null;
  const jobs = config.scheduler ? startSubgraphJobs(module, { database, settings, logger, metrics }) : null;
  onShutdown(async () => {
    await server.close();
    await metricsServer?.close();
    // Between transactions: the pass in flight finishes, then the database closes, and NATS last.
    await consumer?.stop();
    await relay?.stop();
    await jobs?.stop();
    await analytics.close();
    await database.close();
    await nats?.close();
    // Last: the spans of the requests that drained are sent.
    await tracing.shutdown();
  });
}
