/**
 * The graph under load, started either way it runs: in one process, as
 * `npm start` runs it (bench/one-process.ts, a child of the benchmark so the
 * load generator's CPU stays apart), or as deployed, the gateway and each
 * subgraph a process of its own on the built entries (deploy/entries.json),
 * each on a free loopback port.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadGatewayConfig, type GatewayConfig } from '@lianxin/gateway';
import { SUBGRAPH_NAMES, openDatabase, type SubgraphName } from '@lianxin/shared';
import { freePort, waitFor } from '@lianxin/shared/testing';
import { backendFinder, type BackendFinder, type MeteredProcess } from './cpu.js';
import { onLedger, type Ledger } from './ledger.js';
import type { OneProcessAnswer, OneProcessAsk, OneProcessReady, OneProcessRequest } from './one-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A running graph, however it was started. */
export interface BenchGraph {
  /** How it runs, for the report. */
  topology: string;
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  auth: GatewayConfig['auth'];
  /** Its processes, by what they run; the benchmark's own (the load generator) is added by the caller. */
  processes: MeteredProcess[];
  /** PostgreSQL's backends for its database; none on PGlite. */
  backends: BackendFinder;
  ledger: Ledger;
  /** SQL statements the subgraphs have sent so far, when they can be counted (one process only). */
  statements: (() => Promise<number>) | null;
  close(): Promise<void>;
}

/** Resolves once `child` exits. */
function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/** The graph in one process: on PGlite without DATABASE_URL in `env` (`npm start`), on PostgreSQL with it. */
export async function startOneProcess(env: NodeJS.ProcessEnv, topology: string): Promise<BenchGraph> {
  const child = fork(fileURLToPath(new URL('./one-process.ts', import.meta.url)), [], {
    cwd: root,
    env,
    execArgv: ['--conditions=@lianxin/source', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const gone = exited(child);
  const ready = await new Promise<OneProcessReady>((resolve, reject) => {
    child.once('message', (message: OneProcessReady) => resolve(message));
    void gone.then(() => reject(new Error(`the one-process graph exited before it was ready (${child.exitCode ?? child.signalCode})`)));
  });
  let nextId = 0;
  const ask = <T>(request: OneProcessAsk): Promise<T> => {
    const id = (nextId += 1);
    return new Promise<T>((resolve, reject) => {
      const onMessage = (message: OneProcessAnswer) => {
        if (message.kind !== 'answer' || message.id !== id) return;
        child.off('message', onMessage);
        if (message.error !== undefined) reject(new Error(message.error));
        else resolve(message.value as T);
      };
      child.on('message', onMessage);
      const message: OneProcessRequest = { ...request, id };
      child.send(message);
    });
  };
  const databaseUrl = env['DATABASE_URL'] || null;
  const backends = backendFinder(databaseUrl);
  return {
    topology,
    gatewayUrl: ready.gatewayUrl,
    subgraphUrls: ready.subgraphUrls,
    auth: loadGatewayConfig(env).auth,
    processes: [{ name: databaseUrl ? 'graph (one process)' : 'graph and PGlite (one process)', pid: child.pid! }],
    backends,
    ledger: (request) => ask({ kind: 'ledger', request }),
    statements: () => ask<number>({ kind: 'statements' }),
    async close() {
      await ask({ kind: 'close' }).catch(() => undefined);
      await gone;
      await backends.close();
    },
  };
}

/** Each service's built entry, as a container runs it. */
function builtEntry(service: SubgraphName | 'gateway'): string {
  const entries = JSON.parse(readFileSync(new URL('../deploy/entries.json', import.meta.url), 'utf8')) as Record<string, { built: string }>;
  const entry = entries[service]?.built;
  if (!entry) throw new Error(`deploy/entries.json names no built entry for ${service}`);
  if (!existsSync(new URL(`../${entry}`, import.meta.url))) throw new Error(`${entry} is missing: run npm run build first`);
  return entry;
}

/** Resolves once `url`'s /ready answers 200; rejects if `child` exits first. */
async function readyAt(what: string, port: number, child: ChildProcess): Promise<void> {
  await waitFor(
    what,
    async () => {
      if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
      return (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => null))?.ok === true;
    },
    { timeoutMs: 120_000, intervalMs: 200 },
  );
}

/** Starts `node <entry>` for one service with `env`; its log goes nowhere (LOG_LEVEL in `env` decides), its errors to ours. */
export function launchService(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [entry], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Stops a child with SIGTERM (it drains) and waits for it. */
export async function stopChild(child: ChildProcess): Promise<void> {
  const done = exited(child);
  child.kill('SIGTERM');
  await done;
}

/** A gateway in a process of its own, on the built entry. */
export interface GatewayProcess {
  url: string;
  process: MeteredProcess;
  child: ChildProcess;
  /** The environment it runs with. */
  env: NodeJS.ProcessEnv;
}

/**
 * Starts the built gateway with `env` (which routes it to the subgraphs) on a
 * free port, named `name` in the CPU tables: the processes topology's, or a
 * second one beside it with other settings.
 */
export async function startGateway(env: NodeJS.ProcessEnv, name: string): Promise<GatewayProcess> {
  const port = await freePort();
  const gatewayEnv = { ...env, PORT: String(port) };
  const child = launchService(builtEntry('gateway'), gatewayEnv);
  try {
    await readyAt(`the ${name}`, port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url: `http://127.0.0.1:${port}/graphql`, process: { name, pid: child.pid! }, child, env: gatewayEnv };
}

/** The gateway and each subgraph in a process of its own, on the PostgreSQL database at `env.DATABASE_URL`. */
export async function startProcesses(env: NodeJS.ProcessEnv, topology: string): Promise<BenchGraph> {
  const databaseUrl = env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('the processes topology runs on PostgreSQL: DATABASE_URL');
  const children: ChildProcess[] = [];
  const processes: MeteredProcess[] = [];
  const subgraphUrls = {} as Record<SubgraphName, string>;
  const routes: NodeJS.ProcessEnv = {};
  try {
    // One after another: on a fresh database each applies its migrations before the next starts.
    for (const name of SUBGRAPH_NAMES) {
      const port = await freePort();
      const child = launchService(builtEntry(name), { ...env, [`${name.toUpperCase()}_PORT`]: String(port) });
      children.push(child);
      processes.push({ name: `${name} subgraph`, pid: child.pid! });
      await readyAt(`the ${name} subgraph`, port, child);
      subgraphUrls[name] = `http://127.0.0.1:${port}/graphql`;
      routes[`${name.toUpperCase()}_URL`] = subgraphUrls[name];
    }
    const gateway = await startGateway({ ...env, ...routes }, 'gateway');
    children.push(gateway.child);
    processes.push(gateway.process);
    const points = await openDatabase({ url: databaseUrl, applicationName: 'lianxin-bench', poolSize: 2 });
    const backends = backendFinder(databaseUrl);
    return {
      topology,
      gatewayUrl: gateway.url,
      subgraphUrls,
      auth: loadGatewayConfig(gateway.env).auth,
      processes,
      backends,
      ledger: (request) => onLedger(points.db, request),
      statements: null,
      async close() {
        await backends.close();
        await points.close();
        // The gateway first, then the subgraphs it calls.
        for (const child of children.reverse()) await stopChild(child);
      },
    };
  } catch (error) {
    for (const child of children) child.kill('SIGKILL');
    throw error;
  }
}
