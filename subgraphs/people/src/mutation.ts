/**
 * What people mutations share beyond the shared toolkit (parseInput, refuse,
 * transact): the role gates, and transactions that forget cached rows.
 */
import { ForbiddenError, UnauthenticatedError, transact, type ConstraintRefusal, type Result, type Role, type Transaction } from '@lianxin/shared';
import { forgetLoadedRows, type PeopleContext } from './context.js';
import { holdsAnyOf } from './scope.js';

export { Refusal, refuse, idInput, textInput, parseInput, type ConstraintRefusal } from '@lianxin/shared';

/** Runs `work` in one transaction (see `transact`); afterwards the request forgets rows its loaders cached. */
export function inTransaction<T>(ctx: PeopleContext, work: (tx: Transaction) => Promise<T>, constraints: readonly ConstraintRefusal[] = []): Promise<Result<T>> {
  return transact(ctx.db, work, constraints, () => forgetLoadedRows(ctx));
}

/** Signed in, and holding one of `roles` (platform admins hold them all); otherwise a top-level error. */
export function requireRoles(ctx: PeopleContext, roles: readonly Role[], what: string): string {
  const subject = ctx.viewer.subject;
  if (subject === null) throw new UnauthenticatedError();
  if (!holdsAnyOf(ctx.viewer, roles)) throw new ForbiddenError(`Your role may not ${what}.`);
  return subject;
}

/** Signed in; returns the subject for the audit columns. */
export function requireSignedIn(ctx: PeopleContext): string {
  if (ctx.viewer.subject === null) throw new UnauthenticatedError();
  return ctx.viewer.subject;
}
