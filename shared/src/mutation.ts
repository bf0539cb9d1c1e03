/**
 * What every mutation shares, whatever the subgraph: input parsed into user
 * errors, and one transaction in which a refusal rolls back everything
 * written before it, after which the request's loaders are fresh.
 */
import { z } from 'zod';
import type { Database, Transaction } from './db.js';
import { CodedError, ok, refused, toPayload, userError, type Result, type UserError, type UserErrorCode } from './errors.js';
import { isUuid } from './ids.js';
import { isConstraintViolation } from './pg-errors.js';
import type { SubgraphContext } from './subgraph.js';

/** A business refusal raised inside a transaction, so that it rolls back; returned as user errors. */
export class Refusal extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((error) => error.message).join(' '));
    this.name = 'Refusal';
  }
}

/** Stops the mutation with one user error (a common code, or one of `DomainCode`: see `userError`). */
export function refuse<DomainCode extends string = never>(field: string[] | null, code: UserErrorCode | NoInfer<DomainCode>, message: string): never {
  throw new Refusal([userError<DomainCode>(field, code, message)]);
}

/** A database constraint that, when it refuses a row, means a user error (a race the checks could not see). */
export interface ConstraintRefusal {
  sqlState: string;
  constraint: string;
  error: UserError;
}

/**
 * Runs `work` in one transaction. A Refusal or a listed constraint violation
 * rolls it back and becomes user errors; anything else is a failure.
 * `afterCommit` runs once the transaction has committed (e.g. to drop rows a
 * request's loaders cached before the change).
 */
export async function transact<T>(
  db: Database,
  work: (tx: Transaction) => Promise<T>,
  constraints: readonly ConstraintRefusal[] = [],
  afterCommit?: () => void,
): Promise<Result<T>> {
  try {
    const value = await db.transaction(work);
    afterCommit?.();
    return ok(value);
  } catch (error) {
    if (error instanceof Refusal) return refused(...error.errors);
    const known = constraints.find((constraint) => isConstraintViolation(error, constraint.sqlState, constraint.constraint));
    if (known) return refused(known.error);
    throw error;
  }
}

/**
 * Replaces the request's loaders with fresh ones, so that what is read next
 * comes from the database as it now is, not from rows cached before a write.
 */
export function forgetLoadedRows<TLoaders>(ctx: Pick<SubgraphContext<TLoaders>, 'loaders' | 'freshLoaders'>): void {
  ctx.loaders = ctx.freshLoaders();
}

/**
 * A mutation's transaction in every subgraph: `work` runs in one transaction
 * (see `transact`: a Refusal or a listed constraint violation rolls it back
 * and comes back as user errors), and once it has committed the request's
 * loaders are replaced. Loaders live for the whole request, so without that
 * the payload, and each later mutation of the same document (two aliased
 * deposits, say), would read rows cached before the write: a balance as it
 * was. A refused or failed write changed nothing, and the cache stays.
 */
export function inTransaction<T, TLoaders>(
  ctx: Pick<SubgraphContext<TLoaders>, 'db' | 'loaders' | 'freshLoaders'>,
  work: (tx: Transaction) => Promise<T>,
  constraints: readonly ConstraintRefusal[] = [],
): Promise<Result<T>> {
  return transact(ctx.db, work, constraints, () => forgetLoadedRows(ctx));
}

/** The read refusals that mean "not for you" or "no such thing": the payload then shows nothing. */
const CONCEALING_CODES: ReadonlySet<string> = new Set(['FORBIDDEN', 'UNAUTHENTICATED', 'BAD_USER_INPUT']);

/**
 * A mutation's payload that saves a client a round trip. On success it is the
 * changed object. On a refusal it is the object as it now stands, beside the
 * user errors, so a screen can redraw from the answer (the request another
 * volunteer accepted a moment ago, with its new status). `asItStands` reads
 * the object the way a query would, under the same visibility rule: an object
 * the caller may not see, or one that does not exist, comes back null, so a
 * refusal reveals nothing a query would not. The request's loaders are
 * replaced first: the refusal may be due to a change committed by someone
 * else after this request cached the row.
 */
export async function payloadAsItStands<K extends string, T, TLoaders>(
  ctx: Pick<SubgraphContext<TLoaders>, 'loaders' | 'freshLoaders'>,
  key: K,
  result: Result<T>,
  asItStands: () => Promise<T | null | undefined>,
): Promise<Record<K, T | null> & { userErrors: UserError[] }> {
  const payload = toPayload(key, result);
  if (result.ok) return payload;
  forgetLoadedRows(ctx);
  try {
    return { ...payload, [key]: (await asItStands()) ?? null };
  } catch (error) {
    if (error instanceof CodedError && CONCEALING_CODES.has(String(error.extensions.code))) return payload;
    throw error;
  }
}

/** An id in a mutation input: a malformed one is a user error (INVALID), never a database error. */
export const idInput = (what: string) => z.string().refine((value) => isUuid(value), `is not ${what} id.`);

/** Counts characters as Postgres' char_length does (code points), not UTF-16 units. */
export const characterCount = (text: string): number => Array.from(text).length;

/** A required text: trimmed, not empty, at most `max` characters (code points, as the database counts). */
export const textInput = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty.')
    .refine((text) => characterCount(text) <= max, `must be at most ${max} characters.`);

/** Parses a mutation input; every problem becomes a user error under `input`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return refused(
    ...parsed.error.issues.map((issue) => {
      const field = ['input', ...issue.path.map(String)];
      const code: UserErrorCode = issue.code === 'too_small' && issue.message === 'must not be empty.' ? 'REQUIRED' : 'INVALID';
      return userError(field, code, `${field.slice(1).join('.')} ${issue.message}`);
    }),
  );
}
