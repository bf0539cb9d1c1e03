/**
 * Who acts for a project's owner and who organises a competition. An owner's
 * leaders are the captain of the owner team (for an organisation, of any of
 * its teams: an organisation acts through its teams, as recognition knows it
 * only from them) and the station and community admins whose scope holds the
 * community of such a team. A competition's organisers are the admins whose
 * scope holds its region. Platform admins are both everywhere.
 */
import { hasRole, isPlatformAdmin, type Role, type Viewer } from '@lianxin/shared';
import type { KnownTeamRow } from '../db/schema.js';

/** Roles that may act for a project's owner: the checks below then look at the owner itself. */
export const PROJECT_ROLES: readonly Role[] = ['team_captain', 'station_admin', 'community_admin'];
/** Roles that may organise a competition in their scope. */
export const ORGANISER_ROLES: readonly Role[] = ['station_admin', 'community_admin'];

/** Whether one of `chain` (a region and its ancestors) is in the viewer's admin scope. */
const inScope = (viewer: Viewer, chain: readonly string[]): boolean => hasRole(viewer, ...ORGANISER_ROLES) && chain.some((region) => viewer.regionIds.includes(region));

/** Whether the viewer leads the owner whose teams are `teams`, each community's chain given by `chains`. */
export function leadsOwner(viewer: Viewer, teams: readonly KnownTeamRow[], chains: ReadonlyMap<string, readonly string[]>): boolean {
  if (isPlatformAdmin(viewer)) return true;
  return teams.some((team) => (viewer.personId !== null && team.captainId === viewer.personId) || inScope(viewer, chains.get(team.communityId) ?? [team.communityId]));
}

/** Whether the viewer organises a competition of the region whose chain (root first, itself last) is `chain`. */
export function organises(viewer: Viewer, chain: readonly string[]): boolean {
  return isPlatformAdmin(viewer) || inScope(viewer, chain);
}
