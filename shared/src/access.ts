/**
 * The role gates every subgraph opens its services with, so a viewer who may
 * never do something is refused the same way in each: anonymous viewers are
 * UNAUTHENTICATED, signed-in viewers without the role FORBIDDEN, both before
 * anything is read. What depends on the object (scope, relations) lives in
 * each subgraph's own `src/access.ts`; how a mutation refuses an object out
 * of the viewer's reach is the same everywhere (`unseenObject`).
 */
import { hasRole, type Role, type Viewer } from './auth.js';
import { ForbiddenError, UnauthenticatedError, refused, userError, type Result, type UserError } from './errors.js';
import { Refusal } from './mutation.js';

/** Platform admins act everywhere and hold every role's authority. */
export const isPlatformAdmin = (viewer: Viewer): boolean => hasRole(viewer, 'platform_admin');

/** Whether the viewer holds one of `roles` or is a platform admin: the first gate before any object is looked at. */
export const holdsAnyOf = (viewer: Viewer, roles: readonly Role[]): boolean => isPlatformAdmin(viewer) || hasRole(viewer, ...roles);

/**
 * Signed in, or UNAUTHENTICATED asking to sign in to do `what` (by default
 * "see this"); returns the subject, for the audit columns.
 */
export function requireSignedIn(viewer: Viewer, what?: string): string {
  if (viewer.subject === null) throw new UnauthenticatedError(what === undefined ? undefined : `Sign in to ${what}.`);
  return viewer.subject;
}

/**
 * Signed in and holding one of `roles` (platform admins hold them all):
 * UNAUTHENTICATED when anonymous, FORBIDDEN otherwise, each naming `what`
 * ("register persons", "deposit points"). Returns the subject, for the audit
 * columns.
 */
export function requireRoles(viewer: Viewer, roles: readonly Role[], what: string): string {
  const subject = requireSignedIn(viewer, what);
  if (!holdsAnyOf(viewer, roles)) throw new ForbiddenError(`Your role may not ${what}.`);
  return subject;
}

/** The answer for an object the viewer may not see or that does not exist: FORBIDDEN, unless the viewer sees everything. */
function unseenAnswer(viewer: Viewer, field: string[], what: string): UserError {
  if (!isPlatformAdmin(viewer)) throw new ForbiddenError(`There is no such ${what}, or you may not see it.`);
  return userError(field, 'NOT_FOUND', `There is no such ${what}.`);
}

/**
 * The out-of-scope policy (docs/design.md, "Objects out of reach") for an
 * object a mutation names, such as a household, a request or a redemption,
 * when the viewer may not see it or the id names none: a top-level FORBIDDEN
 * in the same words for both, so the answer tells nothing about objects the
 * viewer may not see. Only a platform admin, who sees everything, hears
 * that the id names nothing: a NOT_FOUND user error on `field`, returned
 * here for the service to return. An object the viewer sees but may not
 * change this way is the service's own NOT_ALLOWED user error instead.
 */
export function unseenObject(viewer: Viewer, field: string[], what: string): Result<never> {
  return refused(unseenAnswer(viewer, field, what));
}

/** `unseenObject` inside `inTransaction`: the platform admin's NOT_FOUND is thrown as a Refusal, which rolls back and becomes the user error. */
export function refuseUnseen(viewer: Viewer, field: string[], what: string): never {
  throw new Refusal([unseenAnswer(viewer, field, what)]);
}
