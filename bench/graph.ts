/**
 * `npm run bench`: the benchmark, one run, one report (bench/RESULTS.md).
 *
 * The representative operations (bench/operations.ts) under load through the
 * gateway, in both topologies: the graph in one process on embedded PGlite,
 * as `npm start` runs it, and the gateway and each subgraph a process of its
 * own on PostgreSQL, as deployed. In the second, the same subgraphs are also
 * served by Hive Gateway with its de-duplication of identical in-flight
 * subgraph fetches off and on, in rounds alternating with ours; the region
 * tree, which only the people subgraph answers, is also sent to that
 * subgraph directly; and pgbench's tpcb-like transaction runs on the same
 * server. With the database `npm run bench:seed` fills, the operations run
 * again on a copy of it and on the demo data, side by side. For each
 * measurement: throughput, p50/p99, SQL statements per operation (one
 * process only) and CPU per operation by process.
 *
 * Our gateway runs twice beside Hive's: with its defaults, where the load's
 * identical concurrent requests share subgraph fetches, and with
 * de-duplication off, where every request makes its own, as a load of
 * distinct viewers would; each is compared with Hive in the same setting.
 * Last, `npm start`'s first and warm start (bench/start.ts).
 *
 * BENCH_SECONDS (5) per measurement, BENCH_CONNECTIONS (10), BENCH_ROUNDS (2)
 * of ours and Hive's, BENCH_MERCHANTS (8), BENCH_ACCOUNTS (200), PGBENCH
 * (/usr/bin/pgbench), BENCH_START (true; false leaves the start figures
 * out), BENCH_RESULTS (bench/RESULTS.md). Loopback only.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { ANONYMOUS, SUBGRAPH_NAMES, VIEWER_TOKEN_HEADER, loadSubgraphConfig, signViewerToken } from '@lianxin/shared';
import { createTestDatabase, TEST_DATABASE_URL } from '@lianxin/shared/testing';
import type { MeteredProcess } from './cpu.js';
import { demoFixtures, type BenchFixtures } from './fixtures.js';
import { startHiveGateway, type RunningHiveGateway } from './hive.js';
import { checkOnce, idleStatementRate, measure, type Target } from './load.js';
import { representativeOperations, type Operation } from './operations.js';
import { runPgbench } from './pgbench.js';
import { issuePaymentCodes, setUpRedemptions, type Redemptions } from './redemption.js';
import { DIRECT, HIVE_OFF, HIVE_ON, OURS, OURS_OFF, resultsMarkdown, type Figures, type Machine, type Row } from './report.js';
import { scaleFixtures } from './scale-fixtures.js';
import { databaseUrl, SCALE_DATABASE, scaleDatabaseExists } from './scale.js';
import { measureStart, type StartFigures } from './start.js';
import { startGateway, startOneProcess, startProcesses, stopChild, type BenchGraph, type GatewayProcess } from './topology.js';

const run = promisify(execFile);
const root = new URL('..', import.meta.url);

const settings = {
  seconds: Number(process.env['BENCH_SECONDS'] ?? 5),
  connections: Number(process.env['BENCH_CONNECTIONS'] ?? 10),
  rounds: Number(process.env['BENCH_ROUNDS'] ?? 2),
  merchants: Number(process.env['BENCH_MERCHANTS'] ?? 8),
  accounts: Number(process.env['BENCH_ACCOUNTS'] ?? 200),
  minutes: 0,
};
const pgbench = process.env['PGBENCH'] ?? '/usr/bin/pgbench';
const resultsFile = process.env['BENCH_RESULTS'] ?? new URL('bench/RESULTS.md', root).pathname;
const started = Date.now();
const WARM_UP_SECONDS = 1;
const LOAD_GENERATOR: MeteredProcess = { name: 'load generator', pid: process.pid };

const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'development',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  DEMO_DATA: 'true',
  // The load comes from one address and a few tokens: per-client rate limits would measure themselves.
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
  RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0',
  RATE_LIMIT_MERCHANT_PER_MINUTE: '0',
  // Payment codes are issued before the load that spends them: they must outlive a block of rounds.
  POINTS_PAYMENT_CODE_TTL_SECONDS: '300',
};

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function machine(): Promise<Machine> {
  const client = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await client<{ version: string }[]>`select version()`;
    return {
      cores: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: totalmem() / 1024 ** 3,
      postgres: row?.version.split(' on ')[0] ?? 'PostgreSQL',
      node: process.version,
      date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      loadAverage: loadavg()
        .map((value) => value.toFixed(1))
        .join(', '),
    };
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * The built entries the processes topology runs, built from the sources as
 * they are now: a build left from older sources would measure older code
 * (turbo's cache makes this quick when nothing changed).
 */
async function build(): Promise<void> {
  say('building the services (npm run build)…');
  await run('npm', ['run', 'build'], { cwd: root.pathname, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Starts a graph, trying again a few times: on a PostgreSQL server shared
 * with other work, a service may find it at max_connections and exit.
 */
async function startWithRetries<T>(what: string, start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 3) throw error;
      say(`  ${what} did not start (${error instanceof Error ? error.message : String(error)}); trying again…`);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  }
}

/** The variables of an operation's check: for a redemption, one till, one account or one code. */
function checkVariables(operation: Operation, redemptions: Redemptions, codes: string[]): Record<string, unknown> {
  if (!operation.redemption) return operation.variables;
  const till = redemptions.tills[0]!;
  const customer = operation.redemption === 'passbook' ? { passbookNumber: redemptions.accounts[0]!.passbookNumber } : { paymentCode: codes.shift() };
  return { input: { ...customer, merchant: till.merchantId, items: [{ item: till.itemId, quantity: 1 }], idempotencyKey: randomUUID() } };
}

/** A gateway the load can go to, and the processes that serve through it. */
interface Endpoint {
  name: string;
  target: Target;
}

/**
 * Each operation on each endpoint: `rounds` times, the endpoints in turn
 * within a round, every answer checked once per endpoint first. Payment
 * codes for the by-code redemption are issued just before its rounds, as
 * many as the by-passbook rate suggests its rounds will spend.
 */
async function measureOperations(graph: BenchGraph, operations: Operation[], redemptions: Redemptions, endpoints: Endpoint[], rounds: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const operation of operations) {
    let codes: string[] = [];
    if (operation.redemption === 'payment code') {
      const byPassbook = rows.filter((row) => row.key === 'redeem by passbook').map((row) => row.measurement.perSecond);
      // Twice the by-passbook rate: by code a redemption does a little more work, so the codes do not run out.
      const perSecond = Math.max(20, ...byPassbook);
      const count = Math.ceil(perSecond * 2 * settings.seconds * rounds * endpoints.length) + endpoints.length;
      say(`  issuing ${count} payment codes…`);
      codes = await issuePaymentCodes(graph.gatewayUrl, graph.auth, redemptions, count);
    }
    for (const endpoint of endpoints) {
      await checkOnce(endpoint.target, operation, checkVariables(operation, redemptions, codes));
      // A second of load first, not measured: the first requests of a document plan it and warm the code it runs.
      if (operation.redemption !== 'payment code') await measure(endpoint.target, operation, { ...settings, seconds: WARM_UP_SECONDS, redemptions });
    }
    for (let round = 1; round <= rounds; round += 1) {
      for (const endpoint of endpoints) {
        const measurement = await measure(endpoint.target, operation, { ...settings, redemptions, codes });
        if (operation.redemption === 'payment code') codes = codes.slice(measurement.sent);
        rows.push({ key: operation.key, title: operation.title, target: endpoint.name, measurement });
        say(
          `  ${operation.key}, ${endpoint.name}${rounds > 1 ? ` (round ${round})` : ''}: ${measurement.perSecond.toFixed(0)}/s, p50 ${measurement.p50} ms, ${
            measurement.errors
          } errors`,
        );
      }
    }
  }
  return rows;
}

/** Waits until every operation's answer passes its check (events from the demo's seeds may still be applied). */
async function checkedOperations(graph: BenchGraph, fixtures: BenchFixtures): Promise<{ operations: Operation[]; redemptions: Redemptions }> {
  say('  setting up tills and funded accounts…');
  const redemptions = await setUpRedemptions(graph.gatewayUrl, graph.auth, graph.ledger, { merchantCount: settings.merchants, accountCount: settings.accounts });
  const operations = await representativeOperations(fixtures, graph.auth, redemptions);
  const target = ourTarget(graph);
  const deadline = Date.now() + 60_000;
  for (const operation of operations.filter((candidate) => !candidate.redemption)) {
    for (;;) {
      try {
        await checkOnce(target, operation, operation.variables);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
  return { operations, redemptions };
}

function ourTarget(graph: BenchGraph, idleStatementsPerSecond?: number): Target {
  return {
    url: graph.gatewayUrl,
    processes: [...graph.processes, LOAD_GENERATOR],
    backends: graph.backends,
    ledger: graph.ledger,
    statements: graph.statements,
    idleStatementsPerSecond,
  };
}

/** The books must balance after every load. */
async function audit(graph: BenchGraph): Promise<void> {
  const answer = await graph.ledger({ kind: 'audit' });
  if ('findings' in answer && answer.findings.length > 0) throw new Error(`the books do not balance after the run: ${answer.findings.slice(0, 5).join('; ')}`);
}

/** The operations in one process, with statements counted. */
async function oneProcessRun(
  env: NodeJS.ProcessEnv,
  topology: string,
  fixtures: (graph: BenchGraph) => Promise<BenchFixtures>,
  { countStatements }: { countStatements: boolean },
): Promise<Row[]> {
  const graph = await startWithRetries(topology, () => startOneProcess(env, topology));
  try {
    const { operations, redemptions } = await checkedOperations(graph, await fixtures(graph));
    const target = ourTarget(graph, graph.statements && countStatements ? await idleStatementRate(graph.statements) : undefined);
    if (!countStatements) target.statements = null;
    const rows = await measureOperations(graph, operations, redemptions, [{ name: OURS, target }], 1);
    await audit(graph);
    return rows;
  } finally {
    await graph.close();
  }
}

/** The processes topology: ours against Hive, and the direct call. */
async function processesRun(databaseUrl: string): Promise<Pick<Figures, 'processes' | 'direct'>> {
  const env = { ...baseEnv, DATABASE_URL: databaseUrl };
  const graph = await startWithRetries('processes', () => startProcesses(env, 'processes'));
  const hives: RunningHiveGateway[] = [];
  let unshared: GatewayProcess | null = null;
  try {
    const { operations, redemptions } = await checkedOperations(graph, demoFixtures());
    say('  starting our gateway with de-duplication off, and Hive Gateway (de-duplication off, on)…');
    const routes = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, graph.subgraphUrls[name]]));
    unshared = await startGateway({ ...env, ...routes, SUBGRAPH_FETCH_DEDUPE: 'false' }, 'gateway');
    for (const dedupe of [false, true]) hives.push(await startHiveGateway({ subgraphUrls: graph.subgraphUrls, auth: graph.auth, dedupe, env }));
    const subgraphProcesses = graph.processes.filter((entry) => entry.name.endsWith(' subgraph'));
    const hiveTarget = (hive: RunningHiveGateway): Target => ({
      ...ourTarget(graph),
      url: hive.url,
      processes: [...subgraphProcesses, { name: 'Hive Gateway', pid: hive.pid }, LOAD_GENERATOR],
    });
    const oursUnshared: Target = { ...ourTarget(graph), url: unshared.url, processes: [...subgraphProcesses, unshared.process, LOAD_GENERATOR] };
    const endpoints: Endpoint[] = [
      { name: OURS, target: ourTarget(graph) },
      { name: OURS_OFF, target: oursUnshared },
      { name: HIVE_OFF, target: hiveTarget(hives[0]!) },
      { name: HIVE_ON, target: hiveTarget(hives[1]!) },
    ];
    const processes = await measureOperations(graph, operations, redemptions, endpoints, settings.rounds);

    say('  the region tree, directly to the people subgraph…');
    const regionTree = operations.find((operation) => operation.key === 'region tree')!;
    // Signed now: a viewer token lives a minute, as the gateway's do.
    const viewerToken = await signViewerToken(ANONYMOUS, loadSubgraphConfig('people', env).viewerTokenSecret);
    const direct = await measureOperations(
      graph,
      [regionTree],
      redemptions,
      [
        { name: OURS_OFF, target: oursUnshared },
        { name: OURS, target: ourTarget(graph) },
        {
          name: DIRECT,
          target: {
            ...ourTarget(graph),
            url: graph.subgraphUrls.people,
            processes: [...subgraphProcesses, LOAD_GENERATOR],
            headers: { [VIEWER_TOKEN_HEADER]: viewerToken },
          },
        },
      ],
      settings.rounds,
    );
    await audit(graph);

    return { processes, direct };
  } finally {
    for (const hive of hives) await hive.close();
    if (unshared) await stopChild(unshared.child);
    await graph.close();
  }
}

/** A copy of the scale database, dropped by `drop()`; the template must have no connections while it is copied. */
async function copyOfScale(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lianxin_bench_scale_${process.pid}`;
  const admin = postgres(databaseUrl('postgres'), { max: 1, onnotice: () => undefined });
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.unsafe(`create database "${name}" template "${SCALE_DATABASE}"`);
        break;
      } catch (error) {
        // "source database is being accessed by other users": someone reads it (npm run bench:stats); try again shortly.
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    url: databaseUrl(name),
    async drop() {
      const client = postgres(databaseUrl('postgres'), { max: 1, onnotice: () => undefined });
      try {
        await client.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end({ timeout: 5 });
      }
    },
  };
}

/**
 * Statements must be the operations' own: in the graphs that count them the
 * event runners and the scheduler are off, so nothing else sends any (the
 * events the operations publish wait in the outboxes, as they would for a
 * consumer that is down), and every request makes its own subgraph fetches
 * (the load's identical concurrent requests would otherwise share them).
 */
const QUIET: NodeJS.ProcessEnv = { EVENT_RUNNERS: 'false', SCHEDULER: 'false', SUBGRAPH_FETCH_DEDUPE: 'false' };

/**
 * One process on PostgreSQL, statements counted: the demo data (the
 * processes run's database), then, when the database `npm run bench:seed`
 * fills exists, a copy of it.
 */
async function countedRun(demoDatabaseUrl: string): Promise<Figures['counted']> {
  say('one process on PostgreSQL, demo data, statements counted…');
  const demo = await oneProcessRun({ ...baseEnv, ...QUIET, DATABASE_URL: demoDatabaseUrl, DEMO_DATA: 'false' }, 'one process, PostgreSQL, demo', async () => demoFixtures(), {
    countStatements: true,
  });
  if (!(await scaleDatabaseExists())) {
    return {
      demo,
      scale: `The database \`${SCALE_DATABASE}\` does not exist on the server of TEST_DATABASE_URL: run \`npm run bench:seed\` (minutes; the database is kept), then \`npm run bench\` again for the figures at scale.`,
    };
  }
  say(`a copy of ${SCALE_DATABASE}…`);
  // While the seed (or anyone) holds a connection to it, it cannot be copied: the report says so instead.
  const copy = await copyOfScale().catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  if (typeof copy === 'string') return { demo, scale: `\`${SCALE_DATABASE}\` could not be copied (${copy}); run \`npm run bench\` again when nothing else uses it.` };
  try {
    say('one process on PostgreSQL, at scale, statements counted…');
    const scale = await oneProcessRun({ ...baseEnv, ...QUIET, DATABASE_URL: copy.url, DEMO_DATA: 'false' }, 'one process, PostgreSQL, scale', () => scaleFixtures(copy.url), {
      countStatements: true,
    });
    return { demo, scale };
  } finally {
    await copy.drop();
  }
}

await build();
const figuresOf: Partial<Figures> = { machine: await machine() };
say(`Lianxin bench: ${settings.seconds} s per measurement, ${settings.connections} connections, ${settings.rounds} rounds against Hive Gateway`);

say('one process on embedded PGlite…');
// As `npm start` runs it, event runners and all: its statements are counted in the quiet graphs below.
figuresOf.oneProcess = await oneProcessRun({ ...baseEnv, DATABASE_URL: '', DATA_DIR: 'memory://' }, 'one process, PGlite', async () => demoFixtures(), {
  countStatements: false,
});

say('processes on PostgreSQL…');
const database = await createTestDatabase('bench');
try {
  Object.assign(figuresOf, await processesRun(database.url));
  // Once the graph has stopped: its pools would otherwise hold connections pgbench's clients need.
  say(`pgbench tpcb-like, scale ${settings.merchants}…`);
  figuresOf.pgbench = await runPgbench(pgbench, database.url, { scale: settings.merchants, clients: settings.connections, seconds: settings.seconds });
  say(`  ${figuresOf.pgbench.transactionsPerSecond.toFixed(0)} transactions/s`);
  figuresOf.counted = await countedRun(database.url);
} finally {
  await database.drop();
}

let start: StartFigures | null = null;
if (process.env['BENCH_START'] !== 'false') {
  say('npm start, first on a fresh copy of the checkout, then warm…');
  start = await measureStart();
  say(`  first answer in ${start.firstAnswerSeconds.toFixed(1)} s, warm in ${start.warmAnswerSeconds.toFixed(1)} s`);
}

settings.minutes = (Date.now() - started) / 60_000;
const figures = { ...figuresOf, settings } as Figures;
writeFileSync(resultsFile, resultsMarkdown(figures, start));
say(`written to ${resultsFile} (${settings.minutes.toFixed(1)} minutes)`);
