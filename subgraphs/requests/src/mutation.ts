/**
 * What every requests mutation shares: input parsed into user errors, a role
 * gate before anything is looked up, and one transaction per mutation in
 * which a refusal rolls back everything written before it.
 */
import { z } from 'zod';
import {
  ForbiddenError,
  UnauthenticatedError,
  isConstraintViolation,
  isUuid,
  ok,
  refused,
  userError,
  type Result,
  type Transaction,
  type UserError,
  type UserErrorCode,
} from '@lianxin/shared';
import { forgetLoadedRows, type RequestsContext } from './context.js';

/** A business refusal raised inside a transaction, so that it rolls back; returned as user errors. */
export class Refusal extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((error) => error.message).join(' '));
    this.name = 'Refusal';
  }
}

/** Stops the mutation with one user error. */
export function refuse(field: string[] | null, code: UserErrorCode, message: string): never {
  throw new Refusal([userError(field, code, message)]);
}

/** A refusal of one field of the input. */
export const inputField = (name: string): string[] => ['input', name];

/** A database constraint that, when it refuses a row, means a user error (a race the checks could not see). */
export interface ConstraintRefusal {
  sqlState: string;
  constraint: string;
  error: UserError;
}

/**
 * Runs `work` in one transaction. A Refusal or a listed constraint violation
 * rolls it back and becomes user errors; anything else is a failure.
 */
export async function inTransaction<T>(
  ctx: RequestsContext,
  work: (tx: Transaction) => Promise<T>,
  constraints: readonly ConstraintRefusal[] = [],
): Promise<Result<T>> {
  try {
    const value = await ctx.db.transaction(work);
    forgetLoadedRows(ctx);
    return ok(value);
  } catch (error) {
    if (error instanceof Refusal) return refused(...error.errors);
    const known = constraints.find((constraint) => isConstraintViolation(error, constraint.sqlState, constraint.constraint));
    if (known) return refused(known.error);
    throw error;
  }
}

/** Signed in as a person: mutations here always record who acted. */
export function requirePerson(ctx: RequestsContext, what: string): string {
  if (ctx.viewer.subject === null) throw new UnauthenticatedError();
  if (ctx.viewer.personId === null) throw new ForbiddenError(`This account is not a person: sign in as yourself to ${what}, so the record names who did it.`);
  return ctx.viewer.personId;
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

/** An http(s) URL of evidence, at most 2000 characters. */
export const urlInput = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters.')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL.');

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
