/** SQL helpers every store shares: uuid arrays, and raw rows and timestamps read the same from either driver. */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from './db.js';

/** A `uuid[]` of bound parameters (drizzle would spread a JS array into a list). */
export function uuidArray(ids: readonly string[]): SQL {
  if (ids.length === 0) return sql`'{}'::uuid[]`;
  return sql`array[${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}]`;
}

/**
 * Runs a raw statement and returns its rows. postgres.js answers with an
 * array, PGlite with `{ rows }`; raw rows carry column names as written in
 * the SQL, so callers alias them and cast bigints to text.
 */
export async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}

/** A timestamp from a raw row: postgres.js (as drizzle configures it) gives text, PGlite a Date. */
export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
