/**
 * People's role and scope gates, beyond the shared ones (`requireRoles`,
 * `requireSignedIn`, `isPlatformAdmin`, `holdsAnyOf` in `@lianxin/shared`).
 * Region scope: admin roles act inside the region subtrees their token names
 * (`viewer.regionIds`); platform admins act everywhere. Regions carry their
 * ancestors, so "inside the scope" is a membership test, never a walk. Who
 * sees a person's or a household's data is privacy/policy.ts.
 */
import { hasRole, isPlatformAdmin, type Role, type Viewer } from '@lianxin/shared';

/** Admin roles bounded by region scope. */
export const REGION_ADMIN_ROLES: readonly Role[] = ['community_admin', 'station_admin'];
/** Staff who register residents and households in their scope. */
export const REGISTRAR_ROLES: readonly Role[] = ['grid_worker', 'community_admin', 'station_admin'];

/** A region as far as scope is concerned: itself and its ancestors. */
export interface Placed {
  id: string;
  path: string[];
}

/** Whether `region` lies inside one of the viewer's subtrees. */
export function withinScope(viewer: Viewer, region: Placed): boolean {
  if (viewer.regionIds.length === 0) return false;
  const scope = new Set(viewer.regionIds);
  return scope.has(region.id) || region.path.some((ancestor) => scope.has(ancestor));
}

/** Whether the viewer administers `region` with one of `roles`: platform admins always, others inside their scope. */
export function administers(viewer: Viewer, region: Placed, roles: readonly Role[] = REGION_ADMIN_ROLES): boolean {
  if (isPlatformAdmin(viewer)) return true;
  return hasRole(viewer, ...roles) && withinScope(viewer, region);
}
