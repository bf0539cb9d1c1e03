/**
 * A streaming replica of the test server, for tests of what reads from a
 * replica: `pg_basebackup -R` copies the whole cluster into a temporary
 * folder and `pg_ctl` starts it on a free port, in recovery, streaming the
 * primary's WAL. The server must accept replication connections from this
 * machine (`.ci/run` allows them); run as root, the PostgreSQL programs run
 * as the `postgres` user, since the server refuses to run as root.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { TEST_DATABASE_URL } from './database.js';
import { freePort } from './ports.js';

const run = promisify(execFile);

/** Settings a hot standby must have at least as high as its primary, or it refuses to start. */
const AT_LEAST_PRIMARY = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction'];

export interface StreamingReplica {
  port: number;
  /** Bytes pg_basebackup copied (every database of the test server) and how long it took. */
  backup: { bytes: number; ms: number };
  /** The URL of `database` on the replica. */
  urlOf(database: string): string;
  /** Waits until `database`, created on the primary, accepts connections on the replica; returns its URL there. */
  waitForDatabase(database: string, timeoutMs?: number): Promise<string>;
  /** Stops the replica and removes its folder. */
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program, as `postgres` when this process is root. */
async function runProgram(program: string, args: string[], cwd: string): Promise<string> {
  const [file, fullArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  try {
    const { stdout } = await run(file, fullArgs, { cwd, timeout: 120_000 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${path.basename(program)} failed: ${stderr || (error instanceof Error ? error.message : String(error))}`, { cause: error });
  }
}

async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== null) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The primary's major version, and the settings a standby must match. */
async function primaryFacts(): Promise<{ major: string; settings: { name: string; setting: string }[] }> {
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  try {
    const [version] = await admin<{ major: string }[]>`select (current_setting('server_version_num')::int / 10000)::text as major`;
    const settings = await admin<{ name: string; setting: string }[]>`select name, setting from pg_settings where name = any(${AT_LEAST_PRIMARY})`;
    return { major: version?.major ?? '', settings };
  } finally {
    await admin.end();
  }
}

/** Debian keeps postgresql.conf and pg_hba.conf outside the data folder, so the copy has none: a standby's own. */
async function writeStandbyConfiguration(data: string, settings: { name: string; setting: string }[], extra: Readonly<Record<string, string>>): Promise<void> {
  const conf = path.join(data, 'postgresql.conf');
  const hba = path.join(data, 'pg_hba.conf');
  const ident = path.join(data, 'pg_ident.conf');
  await writeFile(
    conf,
    [
      "listen_addresses = '127.0.0.1'",
      'shared_buffers = 16MB',
      'hot_standby = on',
      ...settings.map(({ name, setting }) => `${name} = ${setting}`),
      ...Object.entries(extra).map(([name, setting]) => `${name} = '${setting}'`),
      '',
    ].join('\n'),
  );
  await writeFile(hba, 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  await writeFile(ident, '');
  for (const file of [conf, hba, ident]) await chmod(file, 0o600);
  if (asRoot) await run('chown', ['postgres:', conf, hba, ident]);
}

/**
 * Copies the test server (TEST_DATABASE_URL's) into a streaming replica and
 * starts it, with `settings` added to its configuration (e.g.
 * `max_standby_streaming_delay`).
 */
export async function startStreamingReplica(settings: Readonly<Record<string, string>> = {}): Promise<StreamingReplica> {
  const primary = new URL(TEST_DATABASE_URL);
  const { major, settings: primarySettings } = await primaryFacts();
  // The server's own major version: a cluster runs only under the binaries of its version.
  const debianBin = `/usr/lib/postgresql/${major}/bin`;
  const bin = (program: string) => (existsSync(path.join(debianBin, program)) ? path.join(debianBin, program) : program);

  const folder = await mkdtemp(path.join(tmpdir(), 'lianxin-replica-'));
  const data = path.join(folder, 'data');
  const port = await freePort();
  let started = false;
  const stop = async () => {
    if (started) await runProgram(bin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], folder).catch(() => undefined);
    started = false;
    await rm(folder, { recursive: true, force: true });
  };
  try {
    if (asRoot) await run('chown', ['postgres:', folder]);
    const began = Date.now();
    try {
      // -c fast: a checkpoint now, not one spread over minutes; -R writes standby.signal and primary_conninfo.
      await runProgram(bin('pg_basebackup'), ['-h', primary.hostname, '-p', primary.port || '5432', '-D', data, '-R', '-X', 'stream', '-c', 'fast'], folder);
    } catch (error) {
      throw new Error(
        `${(error as Error).message} (the test server must accept replication connections from this machine: .ci/run adds "host replication all 127.0.0.1/32 trust" to its pg_hba.conf)`,
        { cause: error },
      );
    }
    const ms = Date.now() - began;
    const { stdout } = await run('du', ['-sb', data]);
    const bytes = Number.parseInt(stdout, 10);
    await writeStandbyConfiguration(data, primarySettings, settings);
    const log = path.join(folder, 'log');
    try {
      await runProgram(bin('pg_ctl'), ['-D', data, '-o', `-p ${port} -k ${folder}`, '-l', log, '-w', '-t', '60', 'start'], folder);
    } catch (error) {
      // The folder, and the server's log with it, goes when this fails: its last lines say why.
      const tail = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join('\n');
      throw new Error(`${(error as Error).message}\n${tail}`, { cause: error });
    }
    started = true;

    const urlOf = (database: string) => {
      const url = new URL(TEST_DATABASE_URL);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      url.pathname = `/${database}`;
      return url.toString();
    };
    const replica = postgres(urlOf(primary.pathname.slice(1) || 'postgres'), { max: 1, onnotice: () => undefined, connect_timeout: 5 });
    try {
      await poll('the replica did not enter recovery', 30_000, async () => {
        const [row] = await replica<{ recovering: boolean }[]>`select pg_is_in_recovery() as recovering`;
        return row?.recovering ? true : null;
      });
    } finally {
      await replica.end();
    }
    return {
      port,
      backup: { bytes, ms },
      urlOf,
      async waitForDatabase(database, timeoutMs = 10_000) {
        const url = urlOf(database);
        await poll(`database ${database} did not reach the replica`, timeoutMs, async () => {
          const client = postgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 2 });
          try {
            await client`select 1`;
            return true;
          } finally {
            await client.end();
          }
        });
        return url;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
