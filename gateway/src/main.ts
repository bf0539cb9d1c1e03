/** `npm run start:gateway`: the gateway alone, in front of subgraphs running elsewhere. */
import { readFile } from 'node:fs/promises';
import { createLogger, onShutdown, runMain } from '@lianxin/shared';
import { loadGatewayConfig } from './config.js';
import { prepareExplorer } from './explorer.js';
import { startGateway } from './gateway.js';

runMain(async () => {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.logLevel);
  const supergraphSdl = await readFile(config.supergraphPath, 'utf8');
  await prepareExplorer(config, logger);
  const gateway = await startGateway({ config, supergraphSdl, logger });
  // Past the drain's own grace period, connections are cut; give that a moment before exiting regardless.
  onShutdown(gateway.close, { deadlineMs: config.shutdownGraceMs + 5_000 });
});
