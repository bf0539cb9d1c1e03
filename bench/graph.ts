/**
 * `npm run bench`: load on the whole graph through the gateway, on a fresh
 * real-Postgres database (TEST_DATABASE_URL) or, with BENCH_DB=pglite, on the
 * embedded database. Prints requests per second and latency percentiles for
 * each scenario. Bounded in time; loopback only.
 */
import autocannon from 'autocannon';
import { mintDevToken } from '@lianxin/gateway';
import { DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID, DEMO_TEAM } from '@lianxin/shared/demo';
import { createTestDatabase, type TestDatabase } from '@lianxin/shared/testing';
import { startGraph } from '../scripts/graph.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const embedded = process.env['BENCH_DB'] === 'pglite';

let database: TestDatabase | null = null;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  DEMO_DATA: 'true',
  // The load comes from one address and a few tokens: per-client rate limits would measure themselves.
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
  RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0',
  RATE_LIMIT_MERCHANT_PER_MINUTE: '0',
};
if (embedded) {
  env['DATABASE_URL'] = '';
  env['DATA_DIR'] = 'memory://';
} else {
  database = await createTestDatabase('bench');
  env['DATABASE_URL'] = database.url;
}
const graph = await startGraph(env);
const { auth } = graph.gatewayConfig;
if (auth.kind !== 'dev-secret') throw new Error('the benchmark runs with the dev secret');
const volunteer = await mintDevToken({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID }, auth);
const admin = await mintDevToken({ roles: ['platform_admin'] }, auth);

const scenarios: { name: string; token: string | null; query: string }[] = [
  {
    name: 'person across all four subgraphs',
    token: volunteer,
    query: `{ person(id: "${DEMO_SAMPLE_PERSON_ID}") { name homeRegion { name } account { passbookNumber balance } badges { name } requests(first: 5) { edges { node { description status } } } } }`,
  },
  {
    name: 'team with members, their homes and accounts',
    token: admin,
    query: `{ team(id: "${DEMO_TEAM.id}") { name members(first: 20) { edges { role node { name homeRegion { name } account { balance } badges { name } } } } } }`,
  },
  { name: 'region tree, anonymous', token: null, query: `{ region(id: "${DEMO_REGIONS.xingle.id}") { name children { name children { name } } } }` },
];

process.stdout.write(`Lianxin bench: ${seconds} s per scenario, ${connections} connections, ${embedded ? 'embedded PGlite' : 'PostgreSQL'}\n\n`);
process.stdout.write('| scenario | req/s | p50 ms | p97.5 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|\n');
try {
  for (const scenario of scenarios) {
    const result = await autocannon({
      url: graph.gatewayUrl,
      method: 'POST',
      connections,
      duration: seconds,
      headers: { 'content-type': 'application/json', ...(scenario.token ? { authorization: `Bearer ${scenario.token}` } : {}) },
      body: JSON.stringify({ query: scenario.query }),
    });
    const errors = result.errors + result.timeouts + result.non2xx;
    process.stdout.write(`| ${scenario.name} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p97_5} | ${result.latency.p99} | ${errors} |\n`);
  }
} finally {
  await graph.close();
  await database?.drop();
}
