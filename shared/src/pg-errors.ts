/**
 * Recognises the Postgres errors services turn into user errors (a unique
 * index hit by a race, a CHECK refusing an overdraft), whichever driver
 * raised them and however drizzle wrapped them.
 */

/** Postgres SQLSTATE codes the service acts on. */
export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';

interface PostgresErrorFields {
  code?: unknown;
  /** postgres.js */
  constraint_name?: unknown;
  /** PGlite */
  constraint?: unknown;
  cause?: unknown;
}

/** Whether `error` (or an error it wraps) is Postgres refusing a row by `constraint` with `code`. */
export function isConstraintViolation(error: unknown, code: string, constraint: string): boolean {
  let current: unknown = error;
  // drizzle wraps driver errors in DrizzleQueryError; a few levels are more than enough.
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const fields = current as PostgresErrorFields;
    if (fields.code === code && (fields.constraint_name ?? fields.constraint) === constraint) return true;
    current = fields.cause;
  }
  return false;
}
