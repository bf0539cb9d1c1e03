/**
 * Recognition's role gates, beyond the shared ones (`requireRoles`,
 * `requireSignedIn`, `isPlatformAdmin` in `@lianxin/shared`). Badges and
 * service tallies are public recognition: anyone, signed in or not, sees who
 * served how much and what they earned (the honour roll), so they have no
 * gate. Savings-office indicators are aggregates that name no one, yet the
 * figures are for the people working with the bank: signed-in viewers only.
 * Dead letters are the shared library's (platform admins).
 */
import { requireSignedIn, type Viewer } from '@lianxin/shared';

/** Signed in, or UNAUTHENTICATED: who may read a savings office's indicators. */
export function requireIndicatorReader(viewer: Viewer): void {
  requireSignedIn(viewer, 'see savings-office indicators');
}
