/**
 * What every points mutation shares: input parsed into user errors, a role
 * gate before anything is looked up, and transactions in which a refusal
 * rolls back everything written before it.
 */
import { z } from 'zod';
import {
  ForbiddenError,
  UnauthenticatedError,
  hasRole,
  isConstraintViolation,
  isUuid,
  ok,
  refused,
  userError,
  type Result,
  type Role,
  type Transaction,
  type UserError,
  type UserErrorCode,
} from '@lianxin/shared';
import type { PointsContext } from './context.js';

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
  ctx: PointsContext,
  work: (tx: Transaction) => Promise<T>,
  constraints: readonly ConstraintRefusal[] = [],
): Promise<Result<T>> {
  try {
    return ok(await ctx.db.transaction(work));
  } catch (error) {
    if (error instanceof Refusal) return refused(...error.errors);
    const known = constraints.find((constraint) => isConstraintViolation(error, constraint.sqlState, constraint.constraint));
    if (known) return refused(known.error);
    throw error;
  }
}

/** Signed in; returns the subject for the audit columns. */
export function requireSubject(ctx: PointsContext): string {
  if (ctx.viewer.subject === null) throw new UnauthenticatedError();
  return ctx.viewer.subject;
}

/** Signed in and holding one of `roles` (platform admins hold them all); otherwise a top-level error, before anything is read. */
export function requireRoles(ctx: PointsContext, roles: readonly Role[], what: string): string {
  const subject = requireSubject(ctx);
  if (!hasRole(ctx.viewer, 'platform_admin', ...roles)) throw new ForbiddenError(`Your role may not ${what}.`);
  return subject;
}

/** An id in a mutation input: a malformed one is a user error (INVALID), never a database error. */
export const idInput = (what: string) => z.string().refine((value) => isUuid(value), `is not ${what} id.`);

/** A required text: trimmed, not empty, at most `max` characters. */
export const textInput = (max: number) => z.string().trim().min(1, 'must not be empty.').max(max, `must be at most ${max} characters.`);

/** A service category code as the requests subgraph writes them, e.g. `home_repair`. */
export const categoryInput = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'is not a category code (lower case letters, digits and _).');

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
