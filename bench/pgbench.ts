/**
 * pgbench's built-in TPC-B-like transaction on a database of the same
 * server, same clients and duration as the graph's loads: the yardstick the
 * graph's CPU per operation is read against, taken in the same run because
 * the machine's speed varies between runs. Its CPU is the pgbench client's
 * (read from the shell that waits for it: a reaped child's time is added to
 * its parent's) and its backends' (sampled while they live: they exit with
 * the client, so the last sample, at most `SAMPLE_MS` before the end, is
 * what counts; the figure is low by at most that share of the run).
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { availableParallelism } from 'node:os';
import postgres from 'postgres';
import { cpuSeconds } from './cpu.js';

const run = promisify(execFile);
const SAMPLE_MS = 100;

export interface PgbenchFigures {
  transactionsPerSecond: number;
  latencyMs: number;
  /** CPU milliseconds per transaction: the client, and its backends. */
  clientMs: number;
  backendsMs: number;
  /**
   * The machine's cores' time over the throughput: what a transaction costs
   * at most, idle time included, the figure the work was first measured by.
   */
  boundMs: number;
}

/** Initialises pgbench's tables at `scale` in `databaseUrl` (a database of its own) and runs tpcb-like for `seconds`. */
export async function runPgbench(pgbench: string, databaseUrl: string, options: { scale: number; clients: number; seconds: number }): Promise<PgbenchFigures> {
  await run(pgbench, ['-i', '-q', '-s', String(options.scale), databaseUrl], { timeout: 180_000 });
  // A server shared with other work may be at max_connections for a moment: a few tries before giving up.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await tpcbLike(pgbench, databaseUrl, options);
    } catch (error) {
      if (attempt >= 5 || !(error instanceof Error) || !error.message.includes('too many clients')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}

/** One run of the tpcb-like script on tables `runPgbench` initialised. */
async function tpcbLike(pgbench: string, databaseUrl: string, options: { clients: number; seconds: number }): Promise<PgbenchFigures> {
  const args = ['-n', '-b', 'tpcb-like', '-c', String(options.clients), '-j', '2', '-T', String(options.seconds), databaseUrl];
  // The shell prints its own /proc stat after waiting for pgbench: fields 16 and 17 (cutime, cstime) are then pgbench's CPU.
  const shell = spawn('sh', ['-c', '"$0" "$@"; status=$?; echo; cat /proc/$$/stat; exit $status', pgbench, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => shell.once('exit', (code) => resolve(code)));

  const watcher = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  // Every pgbench backend is new: all its time, from its start, is pgbench's.
  const backendLast = new Map<number, number>();
  let done = false;
  void exited.then(() => (done = true));
  try {
    while (!done) {
      const rows = await watcher<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and application_name = 'pgbench'`;
      for (const { pid } of rows) {
        const seconds = cpuSeconds(pid);
        if (seconds === null) continue;
        backendLast.set(pid, seconds);
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
  } finally {
    await watcher.end({ timeout: 5 });
  }
  const status = await exited;
  if (status !== 0) throw new Error(`pgbench failed (${status}): ${stderr}`);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? NaN);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1] ?? NaN);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? NaN);
  const stat = stdout.trim().split('\n').at(-1) ?? '';
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const clientSeconds = (Number(fields[13]) + Number(fields[14])) / 100;
  const backendSeconds = [...backendLast.values()].reduce((sum, seconds) => sum + seconds, 0);
  return {
    transactionsPerSecond: tps,
    latencyMs,
    clientMs: (clientSeconds * 1000) / transactions,
    backendsMs: (backendSeconds * 1000) / transactions,
    boundMs: (availableParallelism() * 1000) / tps,
  };
}
