/**
 * `npm run bench:points`: redemptions through the gateway against pgbench's
 * TPC-B-like transaction on the same PostgreSQL database, same duration and
 * same number of concurrent clients, and the ratio of the two throughputs.
 *
 * The graph starts on a fresh database (TEST_DATABASE_URL's server). Many
 * funded accounts and several always-open merchants spread the row locks, as
 * pgbench's scale spreads its branches: each request redeems one point from
 * a random account at a random merchant with a fresh idempotency key, the
 * way a till does. pgbench then initialises its own tables (public schema)
 * in that database at a scale equal to the number of merchants and runs its
 * built-in tpcb-like script. A one-row read through the gateway with the
 * same clients is printed for reference: the ceiling the graph itself sets
 * on this machine, whatever the ledger does. On Linux it also prints the CPU
 * each process (and PostgreSQL's backends) spent per redemption during the
 * load. Loopback only; bounded by BENCH_SECONDS.
 *
 * BENCH_SECONDS (10), BENCH_CONNECTIONS (16), BENCH_MERCHANTS (8),
 * BENCH_ACCOUNTS (400), PGBENCH (/usr/bin/pgbench), BENCH_CPU_PROFILE (a
 * file for a CPU profile of the load phase; with `processes`, a directory
 * for one profile per process, written as each exits), BENCH_TOPOLOGY (`one-process`,
 * as `npm start` runs the graph; `processes`, the gateway and each subgraph
 * in a process of its own, as they are deployed, so the gateway and the
 * points subgraph do not share one thread).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import autocannon from 'autocannon';
import { loadGatewayConfig, mintDevToken, type GatewayConfig } from '@lianxin/gateway';
import { auditLedger, insertKnownPersons, insertServiceRecords } from '@lianxin/points';
import { SUBGRAPH_NAMES, openDatabase, rowsOf, type Database } from '@lianxin/shared';
import { createTestDatabase, waitFor } from '@lianxin/shared/testing';
import { startGraph } from '../scripts/graph.js';

const run = promisify(execFile);

const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 16);
const merchantCount = Number(process.env['BENCH_MERCHANTS'] ?? 8);
const accountCount = Number(process.env['BENCH_ACCOUNTS'] ?? 400);
const pgbench = process.env['PGBENCH'] ?? '/usr/bin/pgbench';

/** The demo's head bank (subgraphs/points/src/db/demo/bank.ts). */
const HEAD_BANK = '00000000-0000-7000-8016-000000000001';

const database = await createTestDatabase('benchpoints');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  DEMO_DATA: 'true',
  DATABASE_URL: database.url,
  // The benchmark is one client hammering on purpose: no per-client rate limit.
  RATE_LIMIT_MERCHANT_PER_MINUTE: '0',
  RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
};
const topology = process.env['BENCH_TOPOLOGY'] ?? 'one-process';
if (topology !== 'one-process' && topology !== 'processes') throw new Error('BENCH_TOPOLOGY is one-process or processes');

/** The graph under load, however it runs. */
interface BenchGraph {
  gatewayUrl: string;
  gatewayConfig: GatewayConfig;
  /** The operating-system processes of the graph, by what they run. */
  processes: { name: string; pid: number }[];
  /** The points subgraph's tables, for counting and auditing. */
  pointsDb: Database;
  close(): Promise<void>;
}

/** `npm start`'s way: every service in this process, on one thread. */
async function inProcess(): Promise<BenchGraph> {
  const running = await startGraph(env);
  return {
    gatewayUrl: running.gatewayUrl,
    gatewayConfig: running.gatewayConfig,
    // autocannon's worker thread runs in this process too: its time counts here.
    processes: [{ name: 'graph and load generator (one process)', pid: process.pid }],
    pointsDb: running.subgraphs.points.database.db,
    close: () => running.close(),
  };
}

/** The deployed way: `npm run start:<name>` and `start:gateway`, each its own process on its own port. */
async function asProcesses(): Promise<BenchGraph> {
  const base = 4100;
  const ports = Object.fromEntries(SUBGRAPH_NAMES.map((name, index) => [name, base + 1 + index])) as Record<(typeof SUBGRAPH_NAMES)[number], number>;
  const shared: NodeJS.ProcessEnv = { ...env, PORT: String(base) };
  for (const name of SUBGRAPH_NAMES) {
    shared[`${name.toUpperCase()}_PORT`] = String(ports[name]);
    shared[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${ports[name]}/graphql`;
  }
  const children: ChildProcess[] = [];
  const processes: { name: string; pid: number }[] = [{ name: 'load generator', pid: process.pid }];
  const launch = (script: string, name: string) => {
    // Each process's own profile, start-up and shutdown included: the load dominates a run of some seconds.
    const profile = process.env['BENCH_CPU_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROFILE']}`] : [];
    const child = spawn(process.execPath, [...profile, '--conditions=@lianxin/source', '--import', 'tsx', script], { env: shared, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    if (child.pid !== undefined) processes.push({ name, pid: child.pid });
  };
  const ready = (port: number) => async () => (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => null))?.ok === true;
  // One after another: on a fresh database each applies its migrations before the next starts.
  for (const name of SUBGRAPH_NAMES) {
    launch(`subgraphs/${name}/src/main.ts`, `${name} subgraph`);
    await waitFor(`the ${name} subgraph`, ready(ports[name]), { timeoutMs: 120_000, intervalMs: 200 });
  }
  launch('gateway/src/main.ts', 'gateway');
  await waitFor('the gateway', ready(base), { timeoutMs: 60_000, intervalMs: 200 });
  const points = await openDatabase({ url: database.url, applicationName: 'lianxin-bench' });
  return {
    gatewayUrl: `http://127.0.0.1:${base}/graphql`,
    gatewayConfig: loadGatewayConfig(shared),
    processes,
    pointsDb: points.db,
    async close() {
      await points.close();
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

const graph = topology === 'processes' ? await asProcesses() : await inProcess();

/**
 * With BENCH_CPU_PROFILE=<file>, a CPU profile of the graph's thread during
 * the load only (open it in Chrome DevTools); `--cpu-prof` would also take
 * in start-up, set-up and pgbench.
 */
async function startProfiler(): Promise<{ stop(): Promise<void> } | null> {
  const file = process.env['BENCH_CPU_PROFILE'];
  if (!file || topology === 'processes') return null;
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: object };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      out(`CPU profile of the load written to ${file}`);
    },
  };
}

/** CPU seconds (user and system) process `pid` has used so far; null without Linux's /proc. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the parenthesised command name: state is field 3, utime 14 and stime 15, in USER_HZ (100 a second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The server processes serving this database's connections, this one's aside. */
async function backendPids(db: Database): Promise<number[]> {
  const rows = await rowsOf<{ pid: number }>(db, sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  return rows.map((row) => row.pid);
}

/**
 * CPU used by each process of the graph and by PostgreSQL's backends for
 * this database between `start()` and `stop()`: what one redemption costs
 * where. Backends that appear during the load count whole. Empty without /proc.
 */
async function cpuBudget(graph: BenchGraph): Promise<{ stop(): Promise<{ name: string; seconds: number }[]> }> {
  const before = new Map(graph.processes.map((entry) => [entry.pid, cpuSeconds(entry.pid)]));
  const backendsBefore = new Map((await backendPids(graph.pointsDb)).map((pid) => [pid, cpuSeconds(pid) ?? 0]));
  return {
    async stop() {
      if ([...before.values()].some((value) => value === null)) return [];
      const used = graph.processes.map((entry) => ({ name: entry.name, seconds: (cpuSeconds(entry.pid) ?? 0) - (before.get(entry.pid) ?? 0) }));
      let backends = 0;
      for (const pid of await backendPids(graph.pointsDb)) backends += (cpuSeconds(pid) ?? 0) - (backendsBefore.get(pid) ?? 0);
      return [...used, { name: 'PostgreSQL backends', seconds: backends }].sort((a, b) => b.seconds - a.seconds);
    },
  };
}

/** Redemptions the run wrote at the bench's merchants. */
async function selectCount(db: Database, merchantIds: string[]): Promise<number[]> {
  const ids = sql.join(
    merchantIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from points.redemptions where merchant_id in (${ids})`);
  return rows.map((row) => row.n);
}

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

try {
  const { auth } = graph.gatewayConfig;
  if (auth.kind !== 'dev-secret') throw new Error('the benchmark runs with the dev secret');
  const admin = await mintDevToken({ roles: ['platform_admin'] }, auth);

  async function call<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(`setup failed: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  }

  /** Runs `work` over `items`, `width` at a time. */
  async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    for (let start = 0; start < items.length; start += width) results.push(...(await Promise.all(items.slice(start, start + width).map(work))));
    return results;
  }

  out(`Lianxin points bench: ${seconds} s each, ${connections} clients, ${merchantCount} merchants, ${accountCount} accounts, PostgreSQL, ${topology}`);
  out('setting up (accounts and merchants through the gateway)…');

  // A deposit rule that funds an account in one deposit: 24 hours at 10000 points an hour.
  await call(`mutation { depositRuleSet(input: { bank: "${HEAD_BANK}", category: "bench_funding", pointsPerHour: 10000 }) { userErrors { code } } }`, {}, admin);

  const merchants = await inBatches(
    Array.from({ length: merchantCount }, (_, index) => index),
    8,
    async (index) => {
      const made = await call<{ merchantCreate: { merchant: { id: string } } }>(
        `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id } userErrors { code } } }`,
        { input: { bank: HEAD_BANK, organization: randomUUID(), name: `压测商户 ${index}`, alwaysOpen: true } },
        admin,
      );
      const merchantId = made.merchantCreate.merchant.id;
      // The load is the redemption itself: the bench's tills take passbook numbers, so no payment code is issued per request.
      await call(
        `mutation ($input: MerchantPassbookAcceptanceSetInput!) { merchantPassbookAcceptanceSet(input: $input) { userErrors { code } } }`,
        { input: { merchant: merchantId, accepts: true } },
        admin,
      );
      const item = await call<{ catalogItemCreate: { catalogItem: { id: string } } }>(
        `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } userErrors { code } } }`,
        { input: { merchant: merchantId, name: '毛巾', pricePoints: 1, stock: 10_000_000 } },
        admin,
      );
      const token = await mintDevToken({ roles: ['merchant'], merchantId, ttlSeconds: 3600 }, auth);
      return { merchantId, itemId: item.catalogItemCreate.catalogItem.id, authorization: `Bearer ${token}` };
    },
  );

  // The bank acts for persons people registered and deposits service records requests wrote: both are written
  // into its tables here, as those subgraphs' events would, and the accounts are opened and funded through the gateway.
  const passbooks = await inBatches(
    Array.from({ length: accountCount }, () => randomUUID()),
    16,
    async (person) => {
      await insertKnownPersons(graph.pointsDb, [{ personId: person, registeredAt: new Date() }]);
      const opened = await call<{ accountOpen: { account: { passbookNumber: string } } }>(
        `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { passbookNumber } userErrors { code } } }`,
        { input: { holder: person } },
        admin,
      );
      const serviceRecord = randomUUID();
      await insertServiceRecords(graph.pointsDb, [{ id: serviceRecord, volunteerId: person, categoryCode: 'bench_funding', minutes: 1440, place: [] }]);
      await call(`mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { userErrors { code } } }`, { input: { serviceRecord } }, admin);
      return opened.accountOpen.account.passbookNumber;
    },
  );

  const REDEEM = `mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { redemption { id totalPoints } userErrors { code } } }`;

  // The load runs in a worker thread (autocannon loads its per-request hook there by path), so the
  // graph's own thread serves requests instead of also making them, as pgbench's clients are their own process.
  const hook = path.join(mkdtempSync(path.join(tmpdir(), 'lianxin-bench-')), 'redeem.cjs');
  writeFileSync(
    hook,
    `const { randomInt, randomUUID } = require('node:crypto');
module.exports = (request, context) => {
  const merchant = context.merchants[randomInt(context.merchants.length)];
  const passbookNumber = context.passbooks[randomInt(context.passbooks.length)];
  request.headers = { ...request.headers, 'content-type': 'application/json', authorization: merchant.authorization };
  request.body = JSON.stringify({ query: context.query, variables: { input: {
    passbookNumber, merchant: merchant.merchantId, items: [{ item: merchant.itemId, quantity: 1 }], idempotencyKey: randomUUID() } } });
  return request;
};
`,
  );

  out('redemptionCreate through the gateway…');
  const profiler = await startProfiler();
  const budget = await cpuBudget(graph);
  const cannon = await autocannon({
    url: graph.gatewayUrl,
    method: 'POST',
    connections,
    duration: seconds,
    workers: 1,
    headers: { 'content-type': 'application/json' },
    initialContext: { merchants, passbooks, query: REDEEM },
    requests: [{ setupRequest: hook }],
  });
  const cpu = await budget.stop();
  await profiler?.stop();
  rmSync(path.dirname(hook), { recursive: true, force: true });
  const [counted] = await selectCount(
    graph.pointsDb,
    merchants.map((merchant) => merchant.merchantId),
  );
  const redeemed = counted ?? 0;
  const redemptionsPerSecond = redeemed / seconds;
  const outcomes = { redeemed, other: cannon.requests.total - redeemed };

  // The graph's ceiling on this machine: the same clients reading one merchant row through the gateway.
  out('a one-row read through the gateway, for reference…');
  const readBudget = await cpuBudget(graph);
  const reference = await autocannon({
    url: graph.gatewayUrl,
    method: 'POST',
    connections,
    duration: seconds,
    workers: 1,
    headers: { 'content-type': 'application/json', authorization: merchants[0]!.authorization },
    body: JSON.stringify({ query: `{ merchant(id: "${merchants[0]!.merchantId}") { name alwaysOpen } }` }),
  });
  const readCpu = await readBudget.stop();

  const books = await auditLedger(graph.pointsDb);
  if (books.length > 0) throw new Error(`the books do not balance after the run: ${books.slice(0, 5).join('; ')}`);

  out(`pgbench -i -s ${merchantCount}, then tpcb-like, -c ${connections} -T ${seconds}…`);
  await run(pgbench, ['-i', '-q', '-s', String(merchantCount), database.url], { timeout: 120_000 });
  const { stdout } = await run(pgbench, ['-n', '-b', 'tpcb-like', '-c', String(connections), '-j', '2', '-T', String(seconds), database.url], {
    timeout: (seconds + 60) * 1000,
  });
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? NaN);
  const pgLatency = /latency average = ([\d.]+) ms/.exec(stdout)?.[1] ?? '?';

  out();
  out('| workload | transactions/s | latency | errors |');
  out('|---|---:|---:|---:|');
  out(
    `| redemptionCreate via gateway (${connections} clients) | ${redemptionsPerSecond.toFixed(0)} | p50 ${cannon.latency.p50} ms, p99 ${cannon.latency.p99} ms | ${
      cannon.non2xx + cannon.errors + cannon.timeouts
    } |`,
  );
  out(`| pgbench tpcb-like (${connections} clients, scale ${merchantCount}) | ${tps.toFixed(0)} | avg ${pgLatency} ms | 0 |`);
  out(
    `| reference: one-row read via gateway (${connections} clients) | ${reference.requests.average.toFixed(0)} | p50 ${reference.latency.p50} ms, p99 ${reference.latency.p99} ms | ${
      reference.non2xx + reference.errors + reference.timeouts
    } |`,
  );
  out();
  out(`ratio redemptions / pgbench: ${(redemptionsPerSecond / tps).toFixed(2)} (goal ≥ 0.5)`);
  out(`redemptions / the graph's one-row read: ${(redemptionsPerSecond / reference.requests.average).toFixed(2)}`);
  out(`(${outcomes.redeemed} redemptions written for ${cannon.requests.total} requests answered; the books balance)`);
  if (cpu.length > 0 && redeemed > 0 && reference.requests.total > 0) {
    const reads = reference.requests.total;
    const perRead = new Map(readCpu.map((entry) => [entry.name, entry.seconds]));
    const ms = (secondsUsed: number, count: number) => ((secondsUsed * 1000) / count).toFixed(1);
    out();
    out('| CPU during the load, ms | per redemption | per one-row read |');
    out('|---|---:|---:|');
    for (const entry of cpu) out(`| ${entry.name} | ${ms(entry.seconds, redeemed)} | ${ms(perRead.get(entry.name) ?? 0, reads)} |`);
    const sum = (entries: { seconds: number }[]) => entries.reduce((total, entry) => total + entry.seconds, 0);
    out(`| total | ${ms(sum(cpu), redeemed)} | ${ms(sum(readCpu), reads)} |`);
    out(`(pgbench: at most ${((availableParallelism() * 1000) / tps).toFixed(1)} ms of this machine's ${availableParallelism()} cores per transaction, its client included)`);
  }
} finally {
  await graph.close();
  await database.drop();
}
