/**
 * Recognition's role gates, beyond the shared ones (`requireRoles`,
 * `requireSignedIn`, `isPlatformAdmin` in `@lianxin/shared`). Badges and
 * service tallies are public recognition: anyone, signed in or not, sees who
 * served how much and what they earned (the honour roll), so they have no
 * gate. Savings-office indicators are aggregates that name no one, yet the
 * figures are for the people working with the bank: signed-in viewers only.
 * Dead letters are the shared library's (platform admins). Star thresholds
 * are set by platform admins and by the admins of a region containing the
 * one they set (its chain, root first, meets the token's regions).
 */
import { hasRole, isPlatformAdmin, requireRoles, requireSignedIn, type Role, type Viewer } from '@lianxin/shared';

/** Admins who may set the star thresholds of the regions in their scope, as they administer the region's volunteers elsewhere. */
export const STAR_ADMIN_ROLES: readonly Role[] = ['station_admin', 'community_admin'];

/** A star admin or a platform admin, or UNAUTHENTICATED / FORBIDDEN naming `what`; returns the subject, for the audit column. */
export function requireStarAdmin(viewer: Viewer, what: string): string {
  return requireRoles(viewer, STAR_ADMIN_ROLES, what);
}

/** Whether the viewer may set the thresholds of the region whose chain (root first, itself last) is `chain`: platform admins always. */
export function administersRegion(viewer: Viewer, chain: readonly string[]): boolean {
  if (isPlatformAdmin(viewer)) return true;
  const scope = new Set(viewer.regionIds);
  return hasRole(viewer, ...STAR_ADMIN_ROLES) && chain.some((region) => scope.has(region));
}

/** Signed in, or UNAUTHENTICATED: who may read a savings office's indicators. */
export function requireIndicatorReader(viewer: Viewer): void {
  requireSignedIn(viewer, 'see savings-office indicators');
}

/** The roles that manage badges: platform admins anywhere, station and community admins within their regions. */
export const BADGE_ADMIN_ROLES: readonly Role[] = ['station_admin', 'community_admin'];

/**
 * Whether the viewer administers badges of a rule scoped to `regionId`:
 * platform admins every rule; a station or community admin a rule scoped to
 * one of their regions or below it (its ancestors, as `region.created`
 * announced them, hold one of theirs). A rule with no region scope, or a
 * bank's, is the platform admins' alone.
 */
export function administersScope(viewer: Viewer, regionId: string | null, regionPath: readonly string[] | null): boolean {
  if (isPlatformAdmin(viewer)) return true;
  if (regionId === null || !hasRole(viewer, ...BADGE_ADMIN_ROLES)) return false;
  return viewer.regionIds.includes(regionId) || (regionPath ?? []).some((ancestor) => viewer.regionIds.includes(ancestor));
}

/**
 * Who closes a head bank's reviews and sets how it rates its offices: platform
 * admins, and station and community admins (the bank's area is checked
 * against their scope with `administersRegion`). UNAUTHENTICATED / FORBIDDEN
 * naming `what` otherwise; returns the subject, for the audit column.
 */
export function requireReviewAdmin(viewer: Viewer, what: string): string {
  return requireRoles(viewer, STAR_ADMIN_ROLES, what);
}
