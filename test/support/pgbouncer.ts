/**
 * A PgBouncer of the test's own (Debian's package, /usr/sbin/pgbouncer) in
 * transaction pooling, in front of the test server: a temporary ini and
 * userlist, a free port, stopped with the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { TEST_DATABASE_URL, freePort } from '@lianxin/shared/testing';

export const PGBOUNCER = process.env['PGBOUNCER'] ?? '/usr/sbin/pgbouncer';

export interface TestPgBouncer {
  /** `url` (a database on the test server) as reached through this PgBouncer. */
  through(url: string): string;
  /** What PgBouncer logged so far (its connections, and why it closed any). */
  log(): string;
  stop(): Promise<void>;
}

/** Resolves once something accepts connections on `port`, or rejects when `child` exits first. */
async function accepting(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen on ${port}: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts PgBouncer with pool_mode=transaction and trust authentication
 * (every user name the tests connect as is in its userlist), forwarding any
 * database name to the test server. PgBouncer refuses to run as root: as
 * root it is started as root and told to become `postgres` (its `user`
 * setting), so its files are made readable to that user.
 */
export async function startPgBouncer(options: { poolSize?: number } = {}): Promise<TestPgBouncer> {
  const server = new URL(TEST_DATABASE_URL);
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'lianxin-pgbouncer-'));
  await chmod(dir, 0o755);
  const users = new Set([decodeURIComponent(server.username), process.env['PGUSER'] ?? '', process.env['USER'] ?? '', userInfo().username].filter(Boolean));
  await writeFile(path.join(dir, 'userlist.txt'), [...users].map((user) => `"${user}" ""`).join('\n') + '\n', { mode: 0o644 });
  const ini = [
    '[databases]',
    `* = host=${server.hostname} port=${server.port || '5432'}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    'pool_mode = transaction',
    `default_pool_size = ${options.poolSize ?? 10}`,
    'max_client_conn = 500',
    ...(process.getuid?.() === 0 ? ['user = postgres'] : []),
  ];
  await writeFile(path.join(dir, 'pgbouncer.ini'), ini.join('\n') + '\n', { mode: 0o644 });
  const child = spawn(PGBOUNCER, [path.join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await accepting(port, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    through(url) {
      const target = new URL(url);
      target.hostname = '127.0.0.1';
      target.port = String(port);
      return target.toString();
    },
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
