/**
 * Requests' role and scope gates, beyond the shared ones (`requireRoles`,
 * `requireSignedIn`, `isPlatformAdmin`, `holdsAnyOf` in `@lianxin/shared`):
 * who may read here at all, acting as a person, and region scope. Admin roles
 * act inside the region subtrees their token names (`viewer.regionIds`);
 * platform admins act everywhere. Everything placed here carries its region
 * path (the place and every region above it), so "inside the scope" is a set
 * intersection, never a walk. A module's own rules (who sees a request, who
 * may act on it) are in its folder, e.g. requests/access.ts.
 */
import { ForbiddenError, hasRole, isAuthenticated, isMerchantClient, isPlatformAdmin, requireSignedIn, type Role, type Viewer } from '@lianxin/shared';

/** Admins who review and dispatch requests, publish wishes and watch alerts in their region. */
export const REGION_ADMIN_ROLES: readonly Role[] = ['station_admin', 'community_admin'];
/** Staff who may read what is placed in their region: the admins and the grid workers who collect needs. */
export const REGION_STAFF_ROLES: readonly Role[] = ['grid_worker', 'station_admin', 'community_admin'];

/** Whether `regionPath` lies inside one of the viewer's subtrees. An unplaced object (empty path) lies in none. */
export function withinScope(viewer: Viewer, regionPath: readonly string[]): boolean {
  if (viewer.regionIds.length === 0 || regionPath.length === 0) return false;
  const scope = new Set(viewer.regionIds);
  return regionPath.some((region) => scope.has(region));
}

/** Whether the viewer acts with one of `roles` over what is placed at `regionPath`: platform admins always, others inside their scope. */
export function administers(viewer: Viewer, regionPath: readonly string[], roles: readonly Role[] = REGION_ADMIN_ROLES): boolean {
  if (isPlatformAdmin(viewer)) return true;
  return hasRole(viewer, ...roles) && withinScope(viewer, regionPath);
}

/**
 * The region subtrees a staff viewer's lists are cut to: null for platform
 * admins (everything), the token's regions for region staff, nothing for
 * anyone else.
 */
export function staffScope(viewer: Viewer, roles: readonly Role[] = REGION_STAFF_ROLES): string[] | null {
  if (isPlatformAdmin(viewer)) return null;
  return hasRole(viewer, ...roles) ? viewer.regionIds : [];
}

/**
 * Who may read anything here: a signed-in person. Anonymous viewers are asked
 * to sign in; a merchant's till is refused, since requests, wishes, activities,
 * records and alerts are about persons, whom a till never sees.
 */
export function requireReader(viewer: Viewer): void {
  requireSignedIn(viewer);
  if (isMerchantClient(viewer)) throw new ForbiddenError('A merchant’s till reads nothing of residents’ requests, wishes, activities or service records.');
}

/** Whether the viewer may read here at all (for references that answer null rather than an error). */
export const mayRead = (viewer: Viewer): boolean => isAuthenticated(viewer) && !isMerchantClient(viewer);

/** Signed in as a person: mutations here always record who acted. Returns the person's id. */
export function requirePerson(viewer: Viewer, what: string): string {
  requireSignedIn(viewer, what);
  if (viewer.personId === null) throw new ForbiddenError(`This account is not a person: sign in as yourself to ${what}, so the record names who did it.`);
  return viewer.personId;
}
