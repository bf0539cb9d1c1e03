/**
 * A NATS server with JetStream of a test's own, on a free port with a
 * temporary store, for tests that stop, kill and restart it. It runs
 * /usr/sbin/nats-server (Debian's nats-server package), or NATS_SERVER_BIN.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

const NATS_SERVER_BIN = process.env['NATS_SERVER_BIN'] || '/usr/sbin/nats-server';

export interface TestNatsServer {
  /** `nats://127.0.0.1:<port>`: the same after a restart. */
  url: string;
  storeDir: string;
  /** Whether the server process is running. */
  running(): boolean;
  /** Stops it as an operator would (SIGTERM), waiting for the exit. */
  stop(): Promise<void>;
  /** Kills it (SIGKILL), as a crash would, waiting for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Kills it if running and removes its store. */
  dispose(): Promise<void>;
}

function launch(port: number, storeDir: string, jetstream: boolean): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const args = [...(jetstream ? ['-js', '-sd', storeDir] : []), '-a', '127.0.0.1', '-p', String(port)];
    const child = spawn(NATS_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server did not say it was ready within 20 s:\n${output}`));
    }, 20_000);
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Server is ready')) {
        clearTimeout(timer);
        child.stdout?.off('data', listen);
        child.stderr?.off('data', listen);
        // Keep reading so a full pipe never blocks the server.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', listen);
    child.stderr?.on('data', listen);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited (${code}) before it was ready:\n${output}`));
    });
  });
}

async function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

/**
 * Starts a nats-server with JetStream (unless `jetstream` is false) on a free
 * loopback port and a fresh store; fails saying so when it is not installed.
 */
export async function startTestNatsServer({ jetstream = true }: { jetstream?: boolean } = {}): Promise<TestNatsServer> {
  if (!existsSync(NATS_SERVER_BIN)) throw new Error(`${NATS_SERVER_BIN} is missing: apt-get install nats-server (or set NATS_SERVER_BIN)`);
  const storeDir = await mkdtemp(join(tmpdir(), 'lianxin-nats-'));
  const port = await freePort();
  let child: ChildProcess | null = await launch(port, storeDir, jetstream);
  const stopWith = async (signal: NodeJS.Signals) => {
    const current = child;
    child = null;
    if (current) await ended(current, signal);
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    storeDir,
    running: () => child !== null,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    async restart() {
      await stopWith('SIGTERM');
      child = await launch(port, storeDir, jetstream);
    },
    async dispose() {
      await stopWith('SIGKILL');
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
