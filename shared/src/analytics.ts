/**
 * Statistics must not hurt the service: they read through a database handle
 * of their own (`ctx.analytics`), on a read replica when
 * ANALYTICS_DATABASE_URL names one, with a small pool and a statement
 * timeout, and a statement the timeout cancels reaches the caller as a coded
 * error asking for a narrower filter.
 */
import type { AnalyticsConfig } from './config.js';
import { openDatabase, type Database, type DatabaseHandle } from './db.js';
import { CodedError } from './errors.js';
import { postgresErrorOf } from './pg-errors.js';

/** SQLSTATE of a statement cancelled, here by `statement_timeout`. */
export const QUERY_CANCELED = '57014';

/** A statistics statement ran past ANALYTICS_STATEMENT_TIMEOUT_MS and Postgres cancelled it. */
export class StatisticsTimeoutError extends CodedError {
  constructor() {
    super('STATISTICS_TIMEOUT', 'These statistics took too long to compute. Narrow the filter (a shorter period, fewer regions) and ask again.');
  }
}

/**
 * Opens the statistics handle of a subgraph whose own database is `main`
 * (opened on `mainUrl`): a pool of `poolSize` read-only connections, each
 * with `statement_timeout`, on the replica's URL or else on `mainUrl`. The
 * embedded PGlite has a single connection, so there the main handle serves
 * statistics too, without a timeout, and closing this one leaves it open.
 */
export async function openAnalyticsDatabase(
  main: DatabaseHandle,
  options: { mainUrl: string | undefined; config: AnalyticsConfig; applicationName?: string },
): Promise<DatabaseHandle> {
  const url = options.config.databaseUrl ?? options.mainUrl;
  if (!url) return { ...main, close: async () => undefined };
  return openDatabase({
    url,
    poolSize: options.config.poolSize,
    statementTimeoutMs: options.config.statementTimeoutMs,
    readOnly: true,
    ...(options.applicationName ? { applicationName: `${options.applicationName}-analytics` } : {}),
  });
}

/**
 * Runs `read` on the request's statistics handle; a statement cancelled by
 * the timeout becomes a STATISTICS_TIMEOUT error instead of a masked 500.
 */
export async function analyticsQuery<T>(ctx: { analytics: Database }, read: (db: Database) => Promise<T>): Promise<T> {
  try {
    return await read(ctx.analytics);
  } catch (error) {
    if (postgresErrorOf(error)?.code === QUERY_CANCELED) throw new StatisticsTimeoutError();
    throw error;
  }
}
