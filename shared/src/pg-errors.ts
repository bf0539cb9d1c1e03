/**
 * Recognises the Postgres errors services turn into user errors (a unique
 * index hit by a race, a CHECK refusing an overdraft), whichever driver
 * raised them and however drizzle wrapped them.
 */

/** Postgres SQLSTATE codes the service acts on. */
export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';
/** A table (or view) that does not exist (yet). */
export const UNDEFINED_TABLE = '42P01';
/** A schema that does not exist (yet). */
export const INVALID_SCHEMA_NAME = '3F000';

interface PostgresErrorFields {
  code?: unknown;
  message?: unknown;
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

/** The Postgres error inside `error` (which drizzle may have wrapped), with its SQLSTATE and the driver's own message. */
export function postgresErrorOf(error: unknown): { code: string; message: string } | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const fields = current as PostgresErrorFields;
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) {
      return { code: fields.code, message: typeof fields.message === 'string' ? fields.message : '' };
    }
    current = fields.cause;
  }
  return null;
}
