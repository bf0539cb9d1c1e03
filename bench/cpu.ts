/**
 * CPU each process of a measurement used, from Linux's /proc: the graph's
 * processes by name, and PostgreSQL's backends for one database. CPU per
 * operation is the figure that holds on a shared machine, where throughput
 * depends on what else runs; a process's time is read before and after the
 * load and divided by the operations made.
 */
import { readFileSync } from 'node:fs';
import postgres from 'postgres';

/** A process whose CPU a measurement splits out. */
export interface MeteredProcess {
  /** What it runs, as the report names it: `gateway`, `people subgraph`, `load generator`. */
  name: string;
  pid: number;
}

/** CPU seconds a process used, by its name in the report; PostgreSQL's backends under `PostgreSQL backends`. */
export type CpuUse = Map<string, number>;

export const BACKENDS = 'PostgreSQL backends';

/** CPU seconds (user and system) process `pid` has used so far; null without Linux's /proc. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the parenthesised command name: state is field 3, utime 14 and stime 15, in USER_HZ (100 a second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Finds the server processes serving one database's connections (the finder's own aside). */
export interface BackendFinder {
  /** Whether there are backends to find: false on PGlite, which runs inside the graph's process. */
  present: boolean;
  pids(): Promise<number[]>;
  close(): Promise<void>;
}

/** The backends of the database at `databaseUrl`, found through a connection of its own; none for PGlite (no URL). */
export function backendFinder(databaseUrl: string | null): BackendFinder {
  if (!databaseUrl) return { present: false, pids: async () => [], close: async () => undefined };
  const client = postgres(databaseUrl, { max: 1, onnotice: () => undefined, connection: { application_name: 'lianxin-bench-cpu' } });
  return {
    present: true,
    async pids() {
      const rows = await client<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
      return rows.map((row) => row.pid);
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Starts counting: `stop()` gives the CPU seconds each process and the
 * database's backends used since. Backends that appear during the load
 * count whole. Empty where /proc is missing.
 */
export async function cpuBudget(processes: readonly MeteredProcess[], backends: BackendFinder): Promise<{ stop(): Promise<CpuUse> }> {
  const before = new Map(processes.map((entry) => [entry.pid, cpuSeconds(entry.pid)]));
  const backendsBefore = new Map((await backends.pids()).map((pid) => [pid, cpuSeconds(pid) ?? 0]));
  return {
    async stop() {
      const used: CpuUse = new Map();
      if ([...before.values()].some((value) => value === null)) return used;
      for (const entry of processes) used.set(entry.name, (used.get(entry.name) ?? 0) + (cpuSeconds(entry.pid) ?? 0) - (before.get(entry.pid) ?? 0));
      let backendSeconds = 0;
      for (const pid of await backends.pids()) backendSeconds += (cpuSeconds(pid) ?? 0) - (backendsBefore.get(pid) ?? 0);
      if (backends.present) used.set(BACKENDS, backendSeconds);
      return used;
    },
  };
}
