/**
 * One measurement: an operation's load on one endpoint for BENCH_SECONDS
 * with autocannon in a worker thread (so that the benchmark's own thread
 * stays out of the way, as pgbench's clients are a process of their own),
 * with the CPU every process used and, where they can be counted, the SQL
 * statements the subgraphs sent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { cpuBudget, type BackendFinder, type CpuUse, type MeteredProcess } from './cpu.js';
import type { Ledger } from './ledger.js';
import type { Operation } from './operations.js';
import type { Redemptions } from './redemption.js';

/** Where the load goes and what is metered while it runs. */
export interface Target {
  /** The endpoint: a gateway's, or a subgraph's for a direct call. */
  url: string;
  /** Every process whose CPU counts, the load generator (this process) included. */
  processes: MeteredProcess[];
  backends: BackendFinder;
  ledger: Ledger;
  /** Headers every request carries besides the bearer token (a viewer token for a subgraph). */
  headers?: Record<string, string>;
  statements: (() => Promise<number>) | null;
  /** Statements the graph sends a second when idle (event runners' polls, jobs): taken off the load's count. */
  idleStatementsPerSecond?: number | undefined;
}

export interface Measurement {
  /** Operations per second: answered requests, or for a redemption the redemptions written. */
  perSecond: number;
  /** Requests sent: how many of the payment codes it was given a by-code load used. */
  sent: number;
  /** The operations the CPU and statements are divided by. */
  operations: number;
  p50: number;
  p99: number;
  /** Requests that failed at the HTTP level, timed out, or (redemptions) were answered without a redemption. */
  errors: number;
  cpu: CpuUse;
  /** SQL statements per operation during the load, less the graph's idle rate; null when not counted. */
  statements: number | null;
}

/** Statements `statements` counts a second while nothing is asked of the graph, over `seconds`. */
export async function idleStatementRate(statements: () => Promise<number>, seconds = 2): Promise<number> {
  const before = await statements();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return ((await statements()) - before) / seconds;
}

/** Sends `operation` once to `target` and throws unless its answer passes the operation's check. */
export async function checkOnce(target: Target, operation: Operation, variables: Record<string, unknown>): Promise<void> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers, ...(operation.token ? { authorization: `Bearer ${operation.token}` } : {}) },
    body: JSON.stringify({ query: operation.query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors) throw new Error(`${operation.key} at ${target.url}: ${JSON.stringify(body.errors).slice(0, 500)}`);
  const problem = operation.problem(body.data);
  if (problem) throw new Error(`${operation.key} at ${target.url}: ${problem}`);
}

/**
 * The per-request hook for redemptions (autocannon loads it by path in its
 * worker): a random till, and a random passbook or the next unused payment
 * code. One worker, so the module-level counter hands each code out once.
 */
const REDEMPTION_HOOK = `const { randomInt, randomUUID } = require('node:crypto');
let next = 0;
module.exports = (request, context) => {
  const till = context.tills[randomInt(context.tills.length)];
  const customer = context.codes ? { paymentCode: context.codes[next++ % context.codes.length] }
    : { passbookNumber: context.passbooks[randomInt(context.passbooks.length)] };
  request.headers = { ...request.headers, 'content-type': 'application/json', authorization: till.authorization };
  request.body = JSON.stringify({ query: context.query, variables: { input: {
    ...customer, merchant: till.merchantId, items: [{ item: till.itemId, quantity: 1 }], idempotencyKey: randomUUID() } } });
  return request;
};
`;

/** The load: `connections` clients for `seconds` on `target`; `codes` are the payment codes a by-code redemption spends. */
export async function measure(
  target: Target,
  operation: Operation,
  options: { seconds: number; connections: number; redemptions: Redemptions; codes?: string[] | undefined },
): Promise<Measurement> {
  const { seconds, connections, redemptions } = options;
  const merchantIds = redemptions.tills.map((till) => till.merchantId);
  const redeemed = async () => {
    const answer = await target.ledger({ kind: 'redemptions', merchantIds });
    return 'redemptions' in answer ? answer.redemptions : 0;
  };
  let hookDir: string | null = null;
  let requestOptions: Partial<autocannon.Options>;
  if (operation.redemption) {
    hookDir = mkdtempSync(path.join(tmpdir(), 'lianxin-bench-'));
    const hook = path.join(hookDir, 'redeem.cjs');
    writeFileSync(hook, REDEMPTION_HOOK);
    const codes = operation.redemption === 'payment code' ? options.codes : undefined;
    if (operation.redemption === 'payment code' && !codes?.length) throw new Error('a redemption by payment code needs codes');
    requestOptions = {
      initialContext: { tills: redemptions.tills, passbooks: redemptions.accounts.map((account) => account.passbookNumber), codes, query: operation.query },
      requests: [{ setupRequest: hook }],
    };
  } else {
    requestOptions = {
      headers: { ...(operation.token ? { authorization: `Bearer ${operation.token}` } : {}) },
      body: JSON.stringify({ query: operation.query, variables: operation.variables }),
    };
  }
  const redeemedBefore = operation.redemption ? await redeemed() : 0;
  const statementsBefore = (await target.statements?.()) ?? null;
  const budget = await cpuBudget(target.processes, target.backends);
  try {
    const result = await autocannon({
      url: target.url,
      method: 'POST',
      connections,
      duration: seconds,
      workers: 1,
      ...requestOptions,
      headers: { 'content-type': 'application/json', ...target.headers, ...requestOptions.headers },
    });
    const cpu = await budget.stop();
    const statementsAfter = (await target.statements?.()) ?? null;
    const answered = result.requests.total;
    const made = operation.redemption ? (await redeemed()) - redeemedBefore : answered;
    const operations = Math.max(made, 1);
    const failed = result.errors + result.timeouts + result.non2xx + (operation.redemption ? Math.max(0, answered - made) : 0);
    return {
      perSecond: made / seconds,
      sent: result.requests.sent,
      operations,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: failed,
      cpu,
      statements:
        statementsBefore !== null && statementsAfter !== null
          ? Math.max(0, statementsAfter - statementsBefore - (target.idleStatementsPerSecond ?? 0) * seconds) / operations
          : null,
    };
  } finally {
    if (hookDir) rmSync(hookDir, { recursive: true, force: true });
  }
}
