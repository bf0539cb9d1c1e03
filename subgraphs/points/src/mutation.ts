/**
 * What points mutations share beyond the shared toolkit (parseInput, refuse,
 * transact): the role gates and the category code form.
 */
import { z } from 'zod';
import { ForbiddenError, UnauthenticatedError, hasRole, transact, type ConstraintRefusal, type Result, type Role, type Transaction } from '@lianxin/shared';
import type { PointsContext } from './context.js';

export { Refusal, refuse, idInput, textInput, parseInput, type ConstraintRefusal } from '@lianxin/shared';

/** Runs `work` in one transaction (see `transact`). */
export function inTransaction<T>(ctx: PointsContext, work: (tx: Transaction) => Promise<T>, constraints: readonly ConstraintRefusal[] = []): Promise<Result<T>> {
  return transact(ctx.db, work, constraints);
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

/** A service category code as the requests subgraph writes them, e.g. `home_repair`. */
export const categoryInput = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'is not a category code (lower case letters, digits and _).');
