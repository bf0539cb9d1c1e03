/**
 * Database factory. A service gets postgres.js when it has a Postgres URL and
 * the embedded PGlite (kept under DATA_DIR) otherwise; either way it sees one
 * drizzle `Database`, applies its own migrations in its own Postgres schema,
 * and can have its statements counted.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { PGlite, types as pgliteTypes, type ParserOptions } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { StartupError } from './startup.js';
import { outsideTraces, traceStatement, type Tracer } from './tracing.js';

export type Database = PgDatabase<PgQueryResultHKT>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything a store can run a statement on: the database or an open transaction. */
export type Executor = Database | Transaction;

/** Raised when the configured database cannot be reached at start-up. */
export class DatabaseUnavailableError extends StartupError {
  override readonly name = 'DatabaseUnavailableError';
}

/**
 * The first half of every migration lock's key (ASCII "LXmg"): keeps ours
 * apart from other advisory locks taken on the same server, such as the test
 * templates' single-key ones or another application's.
 */
const MIGRATION_LOCK_NAMESPACE = 0x4c586d67;

/**
 * The advisory lock key (two 32-bit halves) that serialises the migrations
 * of the subgraph whose tables live in `schema`: a fixed namespace and the
 * first four bytes of the schema name's SHA-256, the same in every process.
 */
export function migrationLockKey(schema: string): readonly [number, number] {
  return [MIGRATION_LOCK_NAMESPACE, createHash('sha256').update(schema).digest().readInt32BE(0)];
}

export interface DatabaseHandle {
  readonly driver: 'postgres' | 'pglite';
  readonly db: Database;
  /** Applies drizzle-kit migrations from `folder`, bookkept inside `schema` (run it inside `exclusively`). */
  migrate(options: { folder: string; schema: string }): Promise<void>;
  /**
   * Runs `work` while no other instance runs its own `exclusively` work for
   * the same `schema`: on Postgres it holds the session-level advisory lock
   * `migrationLockKey(schema)` on a connection reserved for the purpose, and
   * calls `onWait` once first when another instance holds it.
   */
  exclusively<T>(schema: string, work: () => Promise<T>, options?: { onWait?: () => void }): Promise<T>;
  /** Resolves when the database answers a trivial statement. */
  ping: () => Promise<void>;
  /** Calls `listener` with every statement run through `db` and its parameters; returns an unsubscribe. */
  onStatement(listener: (statement: string, params: readonly unknown[]) => void): () => void;
  /**
   * LISTENs on `channel` (NOTIFY, or `pg_notify` in a trigger, sends at
   * commit): `listener` gets each payload; resolves once listening, to a
   * function that stops. On Postgres one connection of its own carries every
   * channel of the handle; the embedded database delivers in process.
   */
  listen(channel: string, listener: (payload: string) => void): Promise<() => Promise<void>>;
  /** How much of its connection pool this process uses (Postgres only: the embedded database is one connection, no pool). */
  readonly pool?: PoolUse;
  close: () => Promise<void>;
}

/**
 * A postgres.js pool's use, counted here because the driver exposes none:
 * `size` connections at most, and the work holding one right now.
 */
export interface PoolUse {
  readonly size: number;
  /**
   * Transactions open, connections reserved (the migration lock) and
   * statements outside a transaction awaiting their answer. At or above
   * `size` the pool is saturated: further work waits for a connection (or is
   * pipelined behind another's statement on one).
   */
  readonly inFlight: () => number;
}

export interface OpenDatabaseOptions {
  /** Postgres URL; without it the embedded PGlite under `dataDir` is used. */
  url?: string | undefined;
  /** Folder for the embedded database; `memory://` keeps it in memory. */
  dataDir?: string;
  /**
   * The folder of a closed embedded database that one under `dataDir` starts
   * as a copy of when its folder holds no database yet, instead of an empty
   * one; ignored when the database exists, is already open in this process,
   * or is kept in memory.
   */
  embeddedSnapshot?: string | undefined;
  /** Shown as application_name on Postgres, to tell services apart in pg_stat_activity. */
  applicationName?: string;
  /** Connection pool size on Postgres. */
  poolSize?: number;
  /**
   * Postgres URL of the same database without a transaction pooler in
   * between (DATABASE_DIRECT_URL), for the work that needs a session of its
   * own: LISTEN, the migration lock and the migrations under it. Unset,
   * `url` is direct and serves for them too.
   */
  directUrl?: string | undefined;
  /**
   * Whether statements on `url` are named prepared ones (true by default,
   * see `preparingStatements`). PgBouncer before 1.21 in transaction pooling
   * hands each transaction whichever server connection is free, where a
   * statement prepared on another is unknown: false sends unnamed ones.
   */
  preparedStatements?: boolean;
  /**
   * On Postgres, what every transaction of the handle begins with: read-only
   * when asked, and `statement_timeout` for its statements (cancelled past
   * it, SQLSTATE 57014). Set per transaction, ending with it, rather than
   * per connection: PgBouncer refuses such startup parameters and lends a
   * connection for one transaction only. Statements outside a transaction
   * are not limited (`analyticsQuery` runs every read in one).
   */
  transactionLimits?: { statementTimeoutMs: number; readOnly: boolean };
  /** The service's tracer: each statement run for a traced request becomes a span. */
  tracer?: Tracer | undefined;
}

/**
 * A postgres.js client on which every statement is a named, prepared one.
 * drizzle asks for an unnamed statement unless a query is given a name, and
 * postgres.js first describes an unnamed statement that has parameters,
 * then runs it: two round trips per statement, and a parse and a plan on the
 * server each time. A prepared statement is described once per connection;
 * after that it costs one round trip and Postgres may reuse its plan. Every
 * statement here keeps its values out of its text (drizzle binds them), so a
 * connection prepares only as many statements as the code has shapes, and
 * postgres.js retires connections after 30 to 60 minutes anyway.
 * Transactions and savepoints hand their own client to a callback; those
 * clients are wrapped the same way. DATABASE_PREPARED_STATEMENTS=false goes
 * without it, for PgBouncer before 1.21 (docs/operations.md, PgBouncer).
 * With a tracer, each statement drizzle runs is a span (`traceStatement`),
 * prepared or not.
 */
function preparingStatements<T extends postgres.Sql | postgres.TransactionSql>(
  client: T,
  options: { prepare: boolean; tracer?: Tracer | undefined; track?: ((work: PromiseLike<unknown>) => void) | undefined },
): T {
  const { prepare, tracer, track } = options;
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'unsafe') {
        return (query: string, parameters?: postgres.ParameterOrJSON<never>[], unsafeOptions?: postgres.UnsafeQueryOptions) => {
          const run = () => target.unsafe(query, parameters, prepare ? { ...unsafeOptions, prepare: true } : unsafeOptions);
          const pending = tracer ? traceStatement(tracer, query, run) : run();
          // Observing the answer starts the statement a microtask early; drizzle awaits every statement it asks for at once.
          track?.(pending);
          return pending;
        };
      }
      if ((property === 'begin' || property === 'savepoint') && typeof value === 'function') {
        return (...args: unknown[]) => {
          const work = args.pop() as (sql: postgres.TransactionSql) => unknown;
          // Statements inside a transaction use its connection: only the transaction itself is counted.
          const inside = { prepare, tracer };
          const transaction = (value as (...rest: unknown[]) => PromiseLike<unknown>).apply(target, [
            ...args,
            (sql: postgres.TransactionSql) => work(preparingStatements(sql, inside)),
          ]);
          if (property === 'begin') track?.(transaction);
          return transaction;
        };
      }
      return value;
    },
  });
}

/**
 * The types drizzle asks PGlite to leave as text (its own column mappers read
 * them): timestamp, timestamp with time zone, interval and date, and the
 * arrays of those and of numeric. It asks on every statement, and PGlite
 * then copies its whole table of parsers (about 300 types) to merge them in:
 * `select 1` took 272 µs with them and 132 µs without (docs/performance.md).
 * The embedded instance holds them as text in its own table instead, set
 * once when it opens, and `withTableParsers` leaves them out of each
 * statement.
 */
const TEXT_TYPES: ReadonlySet<number> = new Set([
  pgliteTypes.DATE,
  pgliteTypes.TIMESTAMP,
  pgliteTypes.TIMESTAMPTZ,
  pgliteTypes.INTERVAL,
  // The arrays (PostgreSQL's type oids): timestamp[], date[], timestamptz[], interval[] and numeric[].
  1115,
  1182,
  1185,
  1187,
  1231,
]);
const asText = (value: string): string => value;

type PgliteQuery = PGlite['query'];
type QueryOptions = Parameters<PgliteQuery>[2];

/** Probed with to tell a per-statement parser that returns its input unchanged. */
const PROBE = '\u0000lianxin-parser-probe';

/**
 * Whether a statement's own parsers change nothing the instance's table does
 * not: each is for a type the table keeps as text, and returns its input.
 */
function redundantParsers(parsers: ParserOptions): boolean {
  for (const key of Object.keys(parsers)) {
    const type = Number(key);
    const parse: ((value: string) => unknown) | undefined = parsers[type];
    if (!TEXT_TYPES.has(type) || !parse) return false;
    try {
      if (parse(PROBE) !== PROBE) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** How drizzle calls the embedded client's `query`. */
type Query = (query: string, params?: unknown[], options?: QueryOptions) => Promise<unknown>;
type EmbeddedClient = Pick<PGlite, 'query'> & Partial<Pick<PGlite, 'transaction'>>;

/** The embedded client with its `query` wrapped by `wrap`, and each transaction's too. */
function wrappingQueries<T extends EmbeddedClient>(client: T, wrap: (query: Query) => Query): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'query') return wrap((value as Query).bind(target));
      if (property === 'transaction' && typeof value === 'function') {
        return (work: (tx: EmbeddedClient) => unknown) => (value as (callback: unknown) => unknown).call(target, (tx: EmbeddedClient) => work(wrappingQueries(tx, wrap)));
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The embedded client, or a transaction's, sending each statement without
 * per-statement parsers that `redundantParsers` finds change nothing, so that
 * PGlite parses its rows with its own table (`TEXT_TYPES`). Any other
 * options pass through unchanged.
 */
export function withTableParsers<T extends EmbeddedClient>(client: T): T {
  return wrappingQueries(
    client,
    (query) => (text, params, options) => query(text, params, options?.parsers && redundantParsers(options.parsers) ? { ...options, parsers: undefined } : options),
  );
}

/** The embedded client, or a transaction's, with each statement drizzle runs as a span. */
function tracingPglite<T extends EmbeddedClient>(client: T, tracer: Tracer): T {
  return wrappingQueries(client, (query) => (text, params, options) => traceStatement(tracer, text, () => query(text, params, options)));
}

/**
 * A postgres.js client whose transactions begin with `limits`: `begin read
 * only` and a `SET LOCAL statement_timeout`, sent beneath drizzle, so the
 * statements a caller counts (`onStatement`) are only its own.
 */
function limitingTransactions(client: postgres.Sql, limits: NonNullable<OpenDatabaseOptions['transactionLimits']>): postgres.Sql {
  const timeout = Math.trunc(limits.statementTimeoutMs);
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'begin' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const work = args.pop() as (sql: postgres.TransactionSql) => unknown;
        const mode = [typeof args[0] === 'string' ? args[0] : '', limits.readOnly ? 'read only' : ''].filter(Boolean).join(' ');
        return (value as (...rest: unknown[]) => unknown).apply(target, [
          ...(mode ? [mode] : []),
          async (sql: postgres.TransactionSql) => {
            await sql.unsafe(`set local statement_timeout = ${timeout}`);
            return work(sql);
          },
        ]);
      };
    },
  });
}

/** Counts the work in flight on a pool: each piece from when it is asked for until it settles. */
function poolCounter(size: number): PoolUse & { track: (work: PromiseLike<unknown>) => void; hold: () => () => void } {
  let inFlight = 0;
  const hold = () => {
    inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight -= 1;
    };
  };
  return {
    size,
    inFlight: () => inFlight,
    hold,
    track(work) {
      const release = hold();
      work.then(release, release);
    },
  };
}

/** Fans drizzle's per-statement callback out to whoever is listening. */
class StatementListeners implements DrizzleLogger {
  private readonly listeners = new Set<(statement: string, params: readonly unknown[]) => void>();
  logQuery(query: string, params: unknown[]): void {
    for (const listener of this.listeners) listener(query, params);
  }
  add(listener: (statement: string, params: readonly unknown[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** PGlite is single-connection, so services in one process share one instance per folder. */
const embedded = new Map<string, { client: Promise<PGlite>; users: number }>();

/** The embedded database's folder under DATA_DIR, or the `memory://` name itself. */
export function pgliteLocation(dataDir: string): string {
  return dataDir.startsWith('memory://') ? dataDir : path.resolve(dataDir, 'pglite');
}

/** Whether `dataDir` holds an embedded database already (one in memory never outlives its process). */
export function pgliteExists(dataDir: string): boolean {
  const location = pgliteLocation(dataDir);
  return embedded.has(location) || (!location.startsWith('memory://') && existsSync(path.join(location, 'PG_VERSION')));
}

/**
 * PGlite's own start parameters, with a smaller buffer pool than Postgres's
 * 128 MB: the embedded database holds the demo (tens of MB) in one process
 * beside the whole graph, and the pool's pages become that process's resident
 * memory as they are used (about 100 MB less at 32 MB, measured opening the
 * demo, and 15–20 MB less again at 16 MB, measured at `npm start`'s first
 * answer, with the dashboard's throughput on the embedded graph unchanged).
 * What misses the pool is read from the folder's files, which the operating
 * system caches.
 */
const PGLITE_START = { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] };

/** Opens the embedded database, its parsers' table keeping `TEXT_TYPES` as text (see `withTableParsers`). */
async function createPglite(location: string): Promise<PGlite> {
  const client = await PGlite.create(location, PGLITE_START);
  for (const type of TEXT_TYPES) client.parsers[type] = asText;
  return client;
}

async function openPglite(location: string, snapshot: string | undefined): Promise<PGlite> {
  if (location.startsWith('memory://')) return createPglite(location);
  // A copy of a ready database spares initdb (a second WebAssembly module, and most of a fresh start's memory) and
  // whatever its maker ran, and opens as any existing database does. Copied file by file on disk, not unpacked from
  // an archive by PGlite, which would hold the whole of it in this process's memory; copied aside and renamed, so
  // that a start interrupted while copying leaves no half of a database behind.
  if (snapshot && !existsSync(path.join(location, 'PG_VERSION'))) {
    const copy = `${location}.copy`;
    await rm(copy, { recursive: true, force: true });
    await cp(snapshot, copy, { recursive: true });
    await rm(location, { recursive: true, force: true });
    await rename(copy, location);
  }
  mkdirSync(location, { recursive: true });
  return createPglite(location);
}

async function acquirePglite(dataDir: string, snapshot?: string): Promise<PGlite> {
  const location = pgliteLocation(dataDir);
  let entry = embedded.get(location);
  if (!entry) {
    entry = { client: openPglite(location, snapshot), users: 0 };
    embedded.set(location, entry);
  }
  entry.users += 1;
  const client = await entry.client;
  return client;
}

async function releasePglite(client: PGlite): Promise<void> {
  for (const [location, entry] of embedded) {
    if ((await entry.client) !== client) continue;
    entry.users -= 1;
    if (entry.users === 0) {
      embedded.delete(location);
      await client.close();
    }
    return;
  }
}

/**
 * Runs `work` holding the advisory lock `key`. The lock is session-level, on
 * a connection reserved from the pool for as long as it is held, so `work`
 * may run its statements and transactions on the pool's other connections;
 * should this process die, Postgres releases it with the session.
 */
async function withAdvisoryLock<T>(client: postgres.Sql, key: readonly [number, number], work: () => Promise<T>, onWait?: () => void, hold?: () => () => void): Promise<T> {
  const [namespace, object] = key;
  const release = hold?.();
  const connection = await client.reserve().catch((error: unknown) => {
    release?.();
    throw error;
  });
  try {
    const [attempt] = await connection<{ locked: boolean }[]>`select pg_try_advisory_lock(${namespace}::int, ${object}::int) as locked`;
    if (!attempt?.locked) {
      onWait?.();
      await connection`select pg_advisory_lock(${namespace}::int, ${object}::int)`;
    }
    try {
      return await work();
    } finally {
      await connection`select pg_advisory_unlock(${namespace}::int, ${object}::int)`;
    }
  } finally {
    connection.release();
    release?.();
  }
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

/**
 * What every postgres.js client here shares. The only startup parameter is
 * application_name, which PgBouncer passes on; it refuses others (such as
 * statement_timeout) unless told to ignore them, which would drop them
 * silently, so limits are set per transaction instead (`transactionLimits`).
 */
function postgresClient(url: string, options: { max: number; prepare: boolean; applicationName: string | undefined }): postgres.Sql {
  return postgres(url, {
    max: options.max,
    prepare: options.prepare,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => undefined,
    connection: { application_name: options.applicationName ?? 'lianxin' },
  });
}

/**
 * The handle on Postgres. Statements go through `client` (on `url`, perhaps
 * a transaction pooler); LISTEN, the migration lock and migrations through
 * `session` (on `directUrl`), which is `client` itself when there is no
 * direct URL: they need one server connection for as long as they last,
 * which a transaction pooler does not give.
 */
async function openPostgres(url: string, options: OpenDatabaseOptions, listeners: StatementListeners): Promise<DatabaseHandle> {
  const prepared = options.preparedStatements ?? true;
  const pool = poolCounter(options.poolSize ?? 10);
  const client = postgresClient(url, { max: pool.size, prepare: prepared, applicationName: options.applicationName });
  // Two connections: one holds the migration lock while the other migrates (LISTEN opens one of its own).
  const session = options.directUrl ? postgresClient(options.directUrl, { max: 2, prepare: true, applicationName: options.applicationName }) : client;
  const limited = options.transactionLimits ? limitingTransactions(client, options.transactionLimits) : client;
  const db = drizzlePostgres({ client: preparingStatements(limited, { prepare: prepared, tracer: options.tracer, track: pool.track }), logger: listeners });
  const sessionDb = session === client ? db : drizzlePostgres({ client: preparingStatements(session, { prepare: true, tracer: options.tracer }), logger: listeners });
  const close = async () => {
    await client.end({ timeout: 5 });
    if (session !== client) await session.end({ timeout: 5 });
  };
  const handle: DatabaseHandle = {
    driver: 'postgres',
    db,
    migrate: ({ folder, schema }) => migratePostgres(sessionDb, { migrationsFolder: folder, migrationsSchema: schema, migrationsTable: '__migrations' }),
    // The lock's reserved connection counts against the pool only when it is taken from it (no direct URL).
    exclusively: (schema, work, { onWait } = {}) => withAdvisoryLock(session, migrationLockKey(schema), work, onWait, session === client ? pool.hold : undefined),
    ping: async () => {
      await client`select 1`;
      if (session !== client) await session`select 1`;
    },
    onStatement: (listener) => listeners.add(listener),
    listen: async (channel, listener) => {
      // The one LISTEN connection serves every channel: its notifications belong to no one request's trace.
      const subscription = await outsideTraces(() => session.listen(channel, listener));
      return () => subscription.unlisten();
    },
    pool: { size: pool.size, inFlight: pool.inFlight },
    close,
  };
  try {
    await handle.ping();
  } catch (error) {
    await Promise.all([client, session].map((sql) => sql.end({ timeout: 0 }).catch(() => undefined)));
    const reason = error instanceof Error ? error.message : String(error);
    const target = options.directUrl ? `${describeUrl(url)} (direct: ${describeUrl(options.directUrl)})` : describeUrl(url);
    throw new DatabaseUnavailableError(`database unreachable at ${target}: ${reason}`);
  }
  return handle;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const listeners = new StatementListeners();
  if (options.url) return openPostgres(options.url, options, listeners);

  const client = await acquirePglite(options.dataDir ?? '.data', options.embeddedSnapshot);
  const lean = withTableParsers(client);
  const db = drizzlePglite({ client: options.tracer ? tracingPglite(lean, options.tracer) : lean, logger: listeners });
  return {
    driver: 'pglite',
    db,
    migrate: ({ folder, schema }) => migratePglite(db, { migrationsFolder: folder, migrationsSchema: schema, migrationsTable: '__migrations' }),
    // The embedded database is one connection in one process (services in a process share it, see acquirePglite):
    // nothing else can migrate it at the same time, so there is no lock to take.
    exclusively: (_schema, work) => work(),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    onStatement: (listener) => listeners.add(listener),
    listen: (channel, listener) => client.listen(channel, listener),
    close: () => releasePglite(client),
  };
}
