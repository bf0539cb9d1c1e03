/**
 * Migrations as deployments run them, with real processes on real Postgres:
 * instances starting together on an empty database take turns under the
 * migration lock; `npm run migrate` applies every subgraph's migrations (or
 * the named ones) before a rollout; an instance with MIGRATE_ON_START=false
 * refuses a schema older than its code and starts, warning, on a newer one.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { SUBGRAPH_NAMES, migrationLockKey, shippedMigrations } from '@lianxin/shared';
import { createTestDatabase, type TestDatabase } from '@lianxin/shared/testing';
import { cleanEnv } from './support/processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const POINTS_MAIN = 'subgraphs/points/src/main.ts';

interface Instance {
  child: ChildProcessWithoutNullStreams;
  /** Every log line so far, parsed. */
  lines: Record<string, unknown>[];
  stderr(): string;
  /** Resolves with the first log line `accept` takes; rejects if the process exits first. */
  waitFor(accept: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Runs `script` under Node with tsx as its loader, so a signal reaches the service's own handler. */
function launch(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Instance {
  const child = spawn(process.execPath, ['--conditions=@lianxin/source', '--import', 'tsx', script, ...args], { cwd: root, env: cleanEnv(env) });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const complete = stdout.split('\n');
    stdout = complete.pop() ?? '';
    for (const line of complete) if (line.trim()) lines.push(line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : { text: line });
    for (const waiter of waiters) waiter();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor: (accept) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(accept);
          if (found) {
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
        void exited.then((code) => {
          if (!waiters.has(check)) return;
          check();
          if (waiters.delete(check)) reject(new Error(`exited with ${code} first: ${stderr}`));
        });
      }),
  };
}

const running: Instance[] = [];

function startPoints(env: NodeJS.ProcessEnv): Instance {
  const instance = launch(POINTS_MAIN, [], { POINTS_PORT: '0', DEMO_DATA: 'false', ...env });
  running.push(instance);
  return instance;
}

/** Waits until the instance serves, and asks its `/ready`. */
async function readyStatus(instance: Instance): Promise<number> {
  const line = await instance.waitFor((entry) => entry['msg'] === 'points subgraph ready');
  const response = await fetch(new URL('/ready', String(line['url'])));
  return response.status;
}

/** Stops an instance as an orchestrator would, and waits for it to exit. */
async function stop(instance: Instance): Promise<number | null> {
  if (instance.child.exitCode === null) instance.child.kill('SIGTERM');
  return instance.exited;
}

function runMigrate(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const instance = launch('scripts/migrate.ts', args, env);
  running.push(instance);
  return instance.exited.then((code) => ({
    code,
    stdout: instance.lines.map((line) => (typeof line['text'] === 'string' ? line['text'] : JSON.stringify(line))).join('\n'),
    stderr: instance.stderr(),
  }));
}

afterEach(async () => {
  for (const instance of running.splice(0)) {
    if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGKILL');
    await instance.exited;
  }
});

/** A subgraph's `__migrations` rows as (created_at, hash), oldest first; null when the table is absent. */
async function appliedRows(url: string, schema: string): Promise<{ when: number; hash: string }[] | null> {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [table] = await client<{ present: boolean }[]>`select to_regclass(format('%I.__migrations', ${schema}::text)) is not null as present`;
    if (!table?.present) return null;
    const rows = await client<{ when: string; hash: string }[]>`select created_at::text as when, hash from ${client(schema)}.__migrations order by created_at`;
    return rows.map((row) => ({ when: Number(row.when), hash: row.hash }));
  } finally {
    await client.end();
  }
}

/** What `__migrations` holds once a subgraph's migrations are applied: one row per journal entry, hashed as drizzle hashes the file. */
function journalRows(schema: string): { when: number; hash: string }[] {
  const folder = path.join(root, 'subgraphs', schema, 'drizzle');
  return shippedMigrations(folder).map(({ tag, when }) => ({
    when,
    hash: createHash('sha256')
      .update(readFileSync(path.join(folder, `${tag}.sql`)))
      .digest('hex'),
  }));
}

async function withDatabase(label: string, work: (database: TestDatabase) => Promise<void>): Promise<void> {
  const database = await createTestDatabase(label);
  try {
    await work(database);
  } finally {
    await database.drop();
  }
}

const errorsOf = (instance: Instance) => instance.lines.filter((line) => typeof line['level'] === 'number' && line['level'] >= 50);

describe('instances starting together', () => {
  it('two points instances on an empty database take turns to migrate and seed, and both serve', async () => {
    await withDatabase('migconcurrent', async (database) => {
      const env = { DATABASE_URL: database.url, DEMO_DATA: 'true' };
      const [first, second] = [startPoints(env), startPoints(env)] as const;
      expect(await Promise.all([readyStatus(first), readyStatus(second)])).toEqual([200, 200]);
      expect(await appliedRows(database.url, 'points')).toEqual(journalRows('points'));
      expect([...errorsOf(first), ...errorsOf(second)]).toEqual([]);
      expect([first.stderr(), second.stderr()]).toEqual(['', '']);
      expect(await Promise.all([stop(first), stop(second)])).toEqual([0, 0]);
    });
  });

  it('an instance waits while the migration lock is held elsewhere, and migrates once it is released', async () => {
    await withDatabase('miglock', async (database) => {
      const holder = postgres(database.url, { max: 1, onnotice: () => undefined });
      const [namespace, object] = migrationLockKey('points');
      try {
        await holder`select pg_advisory_lock(${namespace}::int, ${object}::int)`;
        const instance = startPoints({ DATABASE_URL: database.url });
        // Whichever comes first: an instance that ignored the lock would get ready without ever waiting.
        const first = await instance.waitFor((line) => /waiting for another instance|subgraph ready/.test(String(line['msg'])));
        expect(first['msg']).toMatch(/^points: waiting for another instance's migrations of schema "points"$/);
        // It said it waits; while the lock is ours it has not begun: no schema, no bookkeeping.
        expect(await appliedRows(database.url, 'points')).toBeNull();
        expect(instance.child.exitCode).toBeNull();
        await holder`select pg_advisory_unlock(${namespace}::int, ${object}::int)`;
        expect(await readyStatus(instance)).toBe(200);
        expect(await appliedRows(database.url, 'points')).toEqual(journalRows('points'));
        expect(instance.lines.filter((line) => /waiting for another instance/.test(String(line['msg'])))).toHaveLength(1);
        expect(await stop(instance)).toBe(0);
      } finally {
        await holder.end();
      }
    });
  });
});

describe('npm run migrate', () => {
  it('migrates the named subgraphs, then all; an instance that does not migrate starts on it, refuses an older schema and warns on a newer one', async () => {
    await withDatabase('migcommand', async (database) => {
      const env = { DATABASE_URL: database.url };
      const named = await runMigrate(['points', 'requests'], env);
      expect(named).toMatchObject({ code: 0, stderr: '' });
      expect(await appliedRows(database.url, 'points')).toEqual(journalRows('points'));
      expect(await appliedRows(database.url, 'requests')).toEqual(journalRows('requests'));
      expect(await appliedRows(database.url, 'people')).toBeNull();
      expect(await appliedRows(database.url, 'recognition')).toBeNull();

      const all = await runMigrate([], env);
      expect(all).toMatchObject({ code: 0, stderr: '' });
      expect(all.stdout).toMatch(/^points: up to date/m);
      for (const name of SUBGRAPH_NAMES) expect(await appliedRows(database.url, name)).toEqual(journalRows(name));

      const current = startPoints({ ...env, MIGRATE_ON_START: 'false' });
      expect(await readyStatus(current)).toBe(200);
      expect(current.lines.filter((line) => Number(line['level']) >= 40)).toEqual([]);
      expect(await stop(current)).toBe(0);

      // A later release migrated, then was rolled back: this code starts, and says so.
      const shipped = journalRows('points');
      const future = shipped[shipped.length - 1]!.when + 1000;
      const admin = postgres(database.url, { max: 1, onnotice: () => undefined });
      try {
        await admin`insert into points.__migrations (hash, created_at) values ('from-a-later-release', ${future})`;
        const older = startPoints({ ...env, MIGRATE_ON_START: 'false' });
        expect(await readyStatus(older)).toBe(200);
        expect(older.lines.filter((line) => line['level'] === 40).map((line) => line['msg'])).toEqual([
          expect.stringMatching(/^points: the database has 1 migration newer than this code/),
        ]);
        expect(await stop(older)).toBe(0);

        // The code's last migration is not applied: the instance refuses, in one line.
        await admin`delete from points.__migrations where created_at >= ${shipped[shipped.length - 1]!.when}`;
        const newer = startPoints({ ...env, MIGRATE_ON_START: 'false' });
        expect(await newer.exited).toBe(1);
        expect(newer.stderr().trim().split('\n')).toEqual([
          `lianxin: points: the database lacks 1 migration of the ${shipped.length} this code ships (MIGRATE_ON_START=false): run npm run migrate`,
        ]);
      } finally {
        await admin.end();
      }
    });
  });

  it('an instance that does not migrate refuses an empty database, and leaves it empty', async () => {
    await withDatabase('migempty', async (database) => {
      const instance = startPoints({ DATABASE_URL: database.url, MIGRATE_ON_START: 'false' });
      expect(await instance.exited).toBe(1);
      const lines = instance.stderr().trim().split('\n');
      expect(lines).toEqual([expect.stringMatching(/^lianxin: points: the database lacks \d+ migrations .* run npm run migrate$/)]);
      expect(lines[0]).toContain(`lacks ${journalRows('points').length} migrations`);
      expect(await appliedRows(database.url, 'points')).toBeNull();
    });
  });

  it('migrates the embedded database under DATA_DIR', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lianxin-migrate-'));
    try {
      const result = await runMigrate([], { DATA_DIR: dataDir });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.split('\n').map((line) => line.split(':')[0])).toEqual([...SUBGRAPH_NAMES]);
      expect(result.stdout).toContain(`points: applied ${journalRows('points').length}, `);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops with one line on an unknown subgraph or an unreachable database', async () => {
    const unknown = await runMigrate(['points', 'pionts'], { DATABASE_URL: 'postgres://127.0.0.1:1/lianxin' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toEqual(['lianxin: unknown subgraph "pionts": name any of people, requests, points, recognition']);
    const unreachable = await runMigrate(['points'], { DATABASE_URL: 'postgres://127.0.0.1:1/lianxin' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^lianxin: database unreachable at 127\.0\.0\.1:1\/lianxin: /)]);
  });
});
