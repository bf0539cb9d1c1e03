/**
 * Statistics must not hurt the service: they read through a database handle
 * of their own (`ctx.analytics`), on a read replica when
 * ANALYTICS_DATABASE_URL names one, with a small pool and a statement
 * timeout, and a statement the timeout cancels reaches the caller as a coded
 * error asking for a narrower filter. On a replica, a statement can also be
 * cancelled because replaying the primary's changes could not wait for it (a
 * recovery conflict, past `max_standby_streaming_delay`): such a read is asked
 * again once, since the next attempt sees the replayed state.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnalyticsConfig } from './config.js';
import type { Tracer } from './tracing.js';
import { openDatabase, type Database, type DatabaseHandle } from './db.js';
import { CodedError } from './errors.js';
import { postgresErrorOf } from './pg-errors.js';

/** SQLSTATE of a statement cancelled, here by `statement_timeout`. */
export const QUERY_CANCELED = '57014';

/**
 * SQLSTATE of a statement a hot standby cancelled in a recovery conflict
 * (Postgres reports every kind but a dropped database as a serialization
 * failure). The statistics handle is read-only at READ COMMITTED, where no
 * other cause raises it.
 */
export const RECOVERY_CONFLICT = '40001';

/** How many times a statistics read is tried when the replica cancels it in a recovery conflict. */
const CONFLICT_ATTEMPTS = 2;

/**
 * How long to wait before reading again: replay takes the lock the read was
 * cancelled for only after the read's transaction has ended, and a read asked
 * again at once can take its own lock first and be cancelled in turn.
 */
const CONFLICT_PAUSE_MS = 200;

/** A statistics statement ran past ANALYTICS_STATEMENT_TIMEOUT_MS and Postgres cancelled it. */
export class StatisticsTimeoutError extends CodedError {
  constructor() {
    super('STATISTICS_TIMEOUT', 'These statistics took too long to compute. Narrow the filter (a shorter period, fewer regions) and ask again.');
  }
}

/**
 * The statistics handles on Postgres, by their `db`: their limits hold in a
 * transaction (`transactionLimits`), so `analyticsQuery` runs each read in one.
 */
const limitedHandles = new WeakSet<Database>();

/**
 * Opens the statistics handle of a subgraph whose own database is `main`
 * (opened on `mainUrl`): a pool of `poolSize` connections on the replica's
 * URL or else on `mainUrl`, whose transactions are read-only with
 * `statement_timeout`, set per transaction so that they hold behind
 * PgBouncer too. The embedded PGlite has a single connection, so there the
 * main handle serves statistics too, without a timeout, and closing this
 * one leaves it open.
 */
export async function openAnalyticsDatabase(
  main: DatabaseHandle,
  options: { mainUrl: string | undefined; config: AnalyticsConfig; applicationName?: string; preparedStatements?: boolean; tracer?: Tracer | undefined },
): Promise<DatabaseHandle> {
  const url = options.config.databaseUrl ?? options.mainUrl;
  if (!url) return { ...main, close: async () => undefined };
  const handle = await openDatabase({
    url,
    poolSize: options.config.poolSize,
    transactionLimits: { statementTimeoutMs: options.config.statementTimeoutMs, readOnly: true },
    ...(options.preparedStatements !== undefined ? { preparedStatements: options.preparedStatements } : {}),
    tracer: options.tracer,
    ...(options.applicationName ? { applicationName: `${options.applicationName}-analytics` } : {}),
  });
  limitedHandles.add(handle.db);
  return handle;
}

/**
 * Runs `read` on `db`, in a transaction when `db` is a statistics handle
 * with limits: begin, the timeout and commit are three short statements
 * more per read, small beside a statistic's own, and go to the server
 * beneath drizzle (a read's statements, as counted, are its own). A read
 * opens no transaction of its own inside (a savepoint): on a replica, a
 * lock conflict ends the whole session when it strikes inside one, where
 * outside it cancels the statement (40001), which is read again.
 */
async function limited<T>(db: Database, read: (db: Database) => Promise<T>): Promise<T> {
  if (!limitedHandles.has(db)) return read(db);
  return db.transaction((tx) => read(tx));
}

/**
 * Runs `read` on the request's statistics handle. A statement cancelled by
 * the timeout becomes a STATISTICS_TIMEOUT error instead of a masked 500; one
 * cancelled by a recovery conflict is read again, and becomes the same error
 * when the replica cancels it again (the replica is busy replaying changes
 * that long reads hold up: a narrower filter finishes sooner).
 */
export async function analyticsQuery<T>(ctx: { analytics: Database }, read: (db: Database) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await limited(ctx.analytics, read);
    } catch (error) {
      const code = postgresErrorOf(error)?.code;
      if (code === RECOVERY_CONFLICT && attempt < CONFLICT_ATTEMPTS) {
        await sleep(CONFLICT_PAUSE_MS);
        continue;
      }
      if (code === QUERY_CANCELED || code === RECOVERY_CONFLICT) throw new StatisticsTimeoutError();
      throw error;
    }
  }
}
