/**
 * The role gates every subgraph opens its services with, so a viewer who may
 * never do something is refused the same way in each: anonymous viewers are
 * UNAUTHENTICATED, signed-in viewers without the role FORBIDDEN, both before
 * anything is read. What depends on the object (scope, relations) lives in
 * each subgraph's own `src/access.ts`.
 */
import { hasRole, type Role, type Viewer } from './auth.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';

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
