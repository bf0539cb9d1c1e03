/**
 * `npm start`: the whole graph in one process. Without DATABASE_URL it runs
 * on the embedded PGlite under DATA_DIR (default `.data/`), loading the demo
 * data on first start; with DATABASE_URL, on that Postgres.
 */
import { EXPLORER_PATH, devTokenTtlSeconds, loadGatewayConfig, mintDevToken, prepareExplorer } from '@lianxin/gateway';
import { ConfigError, createLogger, onShutdown, runMain } from '@lianxin/shared';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';
import { startGraph } from './graph.js';

runMain(async () => {
  const started = Date.now();
  // The explorer page is bundled when it is first asked for, and again after its sources or packages change:
  // a bundler run before the first answer would make every fresh start wait for a page it may never open.
  const config = loadGatewayConfig();
  await prepareExplorer(config, createLogger('lianxin', config.logLevel), { onFirstRequest: true });
  // Every service's metrics on one listener (METRICS_PORT, 9400 by default), as they share this process.
  const graph = await startGraph(process.env, { metricsListener: config.metrics });
  onShutdown(graph.close);

  const { auth } = graph.gatewayConfig;
  if (auth.kind !== 'dev-secret') throw new ConfigError('npm start is the development entry point; run the services separately in production');
  // Within the gateway's longest token lifetime (AUTH_MAX_TOKEN_LIFETIME_SECONDS), which mintDevToken keeps to.
  const ttlSeconds = devTokenTtlSeconds(auth.maxLifetimeSeconds);
  const volunteerToken = await mintDevToken({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID, ttlSeconds }, auth);
  const validity = ttlSeconds % 3600 === 0 ? `${ttlSeconds / 3600} h` : `${Math.floor(ttlSeconds / 60)} min`;
  const sampleQuery = `{ me { id roles person { name homeRegion { name } account { passbookNumber balance } badges { name } openTasks(first: 5) { edges { node { description status } } } } } }`;
  const database = process.env['DATABASE_URL'] ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${process.env['DATA_DIR'] || '.data'}/`;
  const body = JSON.stringify({ query: sampleQuery });
  const explorer = graph.gatewayConfig.explorer.enabled
    ? `\n  Explorer: ${new URL(EXPLORER_PATH, graph.gatewayUrl).href}  (put the token below in its Headers: {"authorization": "Bearer …"})`
    : '';

  process.stdout.write(`
Lianxin (连心) is up in ${((Date.now() - started) / 1000).toFixed(1)} s on ${database}.

  GraphQL:  ${graph.gatewayUrl}${explorer}${graph.metricsUrl ? `\n  Metrics:  ${graph.metricsUrl}` : ''}

A dev token for 王建国, volunteer of the 乐修匠 repair team (valid ${validity}; more with \`npm run token -- --role <role>\`):

  ${volunteerToken}

Try:

  curl -s ${graph.gatewayUrl} -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${volunteerToken}' \\
    -d '${body}'

`);
});
