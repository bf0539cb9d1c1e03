/**
 * Test helpers: an isolated database per test file on a real Postgres, and a
 * counter of the SQL statements an operation costs.
 *
 * A test file's database is usually a copy of a template: the first file of
 * a jest run that asks for a shape ("the requests subgraph with demo data",
 * "the whole graph") builds it once, migrations and seeds, into a template
 * database; every file after copies it with `CREATE DATABASE … TEMPLATE`,
 * which costs about what creating an empty database does. The templates of a
 * run carry its prefix (set by jest's global setup, `TEMPLATE_PREFIX_VARIABLE`)
 * so that runs from several checkouts at once never share one, and are
 * dropped by the global teardown. Outside jest (the benchmarks) no prefix is
 * set and each database is built in place, as a template would have been.
 */
import { createHash, randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { DatabaseHandle } from '../db.js';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || 'postgres://127.0.0.1:5432/test';

/** Names the current jest run's templates; set by its global setup, read by every test worker. */
export const TEMPLATE_PREFIX_VARIABLE = 'LIANXIN_TEST_TEMPLATE_PREFIX';

/** Every template database's name starts so; then the run's start (base-36 seconds) and a random part. */
const TEMPLATE_NAME_START = 'lianxin_tpl_';

/** Templates older than this are left from a run that never reached its teardown (it was killed), and are dropped. */
const STALE_TEMPLATE_AGE_MS = 24 * 3600_000;

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** What a test database holds before its tests start, and how to make that from an empty database. */
export interface DatabaseShape {
  /**
   * Names what `build` writes, in up to 32 lower-case letters, digits and `_`: every
   * database of one name in a run is a copy of the first one built, so the
   * name must tell apart anything that makes the contents differ.
   */
  name: string;
  /** Writes the contents (migrations, demo data) into the empty database at `url`, closing every connection it opened. */
  build: (url: string) => Promise<void>;
}

const adminClient = () => postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined, connect_timeout: 5 });

function urlOf(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const SHAPE_NAME = /^[a-z0-9_]{1,32}$/;

/**
 * A short digest of the settings a build seeds with (a subgraph's keys), for
 * a shape's name: copies are shared only by tests whose demo data would be
 * written alike. Functions (clocks) do not take part.
 */
export function settingsDigest(settings: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(settings) ?? '')
    .digest('hex')
    .slice(0, 8);
}

/**
 * Creates a fresh database beside TEST_DATABASE_URL's; `drop` removes it.
 * Without a shape it is empty; with one it holds what the shape's `build`
 * writes, copied from the run's template of that shape.
 */
export async function createTestDatabase(label = 'test', shape?: DatabaseShape): Promise<TestDatabase> {
  const name = `lianxin_${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${randomBytes(5).toString('hex')}`;
  if (shape && !SHAPE_NAME.test(shape.name)) throw new Error(`test database shape "${shape.name}" must be 1 to 32 lower-case letters, digits or _`);
  const prefix = process.env[TEMPLATE_PREFIX_VARIABLE];
  const template = shape && prefix ? await ensureTemplate(`${prefix}_${shape.name}`, shape.build) : null;
  const admin = adminClient();
  try {
    await admin.unsafe(template ? `create database "${name}" template "${template}"` : `create database "${name}"`);
  } finally {
    await admin.end();
  }
  const database: TestDatabase = {
    url: urlOf(name),
    name,
    async drop() {
      const dropper = adminClient();
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
  if (shape && !template) {
    try {
      await shape.build(database.url);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }
  return database;
}

/**
 * Builds the template `name` unless this run has it already, and returns its
 * name. Test files run in parallel workers, so the first to ask builds while
 * the others wait on an advisory lock named after the template; a template
 * is marked as one (and closed to connections) only once complete, so a
 * build that died half-way is dropped and made again.
 */
async function ensureTemplate(name: string, build: (url: string) => Promise<void>): Promise<string> {
  const lock = adminClient();
  try {
    // Session-level: released when this connection ends, even if the worker dies.
    await lock`select pg_advisory_lock(hashtext(${name}))`;
    const [found] = await lock<{ complete: boolean }[]>`select datistemplate as complete from pg_database where datname = ${name}`;
    if (found?.complete) return name;
    if (found) await lock.unsafe(`drop database "${name}" with (force)`);
    await lock.unsafe(`create database "${name}"`);
    try {
      await build(urlOf(name));
      await lock.unsafe(`alter database "${name}" with is_template true allow_connections false`);
    } catch (error) {
      await lock.unsafe(`drop database if exists "${name}" with (force)`);
      throw error;
    }
    return name;
  } finally {
    await lock.end();
  }
}

/**
 * Starts a jest run's templates (its global setup): picks the run's prefix,
 * publishes it to the test workers through the environment, and drops
 * templates that runs killed before their teardown left more than a day ago.
 */
export async function beginTemplateRun(): Promise<string> {
  const prefix = `${TEMPLATE_NAME_START}${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(3).toString('hex')}`;
  process.env[TEMPLATE_PREFIX_VARIABLE] = prefix;
  const admin = adminClient();
  try {
    const templates = await admin<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${TEMPLATE_NAME_START})`;
    for (const { datname } of templates) {
      const started = Number.parseInt(datname.slice(TEMPLATE_NAME_START.length).split('_')[0] ?? '', 36) * 1000;
      if (Number.isFinite(started) && Date.now() - started > STALE_TEMPLATE_AGE_MS) await dropTemplate(admin, datname);
    }
  } finally {
    await admin.end();
  }
  return prefix;
}

/** Ends a jest run's templates (its global teardown): drops every template the run built. */
export async function endTemplateRun(): Promise<void> {
  const prefix = process.env[TEMPLATE_PREFIX_VARIABLE];
  if (!prefix) return;
  const admin = adminClient();
  try {
    const templates = await admin<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${`${prefix}_`})`;
    for (const { datname } of templates) await dropTemplate(admin, datname);
  } finally {
    await admin.end();
  }
}

/** Drops a template database (Postgres refuses to drop one still marked as a template). */
async function dropTemplate(admin: postgres.Sql, name: string): Promise<void> {
  await admin.unsafe(`alter database "${name}" with is_template false`);
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
}

/** Runs `work` and returns its result with the statements it sent through `database`. */
export async function countStatements<T>(database: DatabaseHandle, work: () => Promise<T>): Promise<{ result: T; count: number; statements: string[] }> {
  const statements: string[] = [];
  const stop = database.onStatement((statement) => statements.push(statement));
  try {
    const result = await work();
    return { result, count: statements.length, statements };
  } finally {
    stop();
  }
}
