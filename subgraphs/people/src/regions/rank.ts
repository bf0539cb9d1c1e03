/** Depth of each region kind, as the database's `people.region_rank` has it: a child lies strictly deeper than its parent. */
import type { RegionKind } from '../db/schema.js';

export const REGION_RANK: Record<RegionKind, number> = {
  province: 1,
  city: 2,
  district: 3,
  street: 4,
  town: 4,
  community: 5,
  village: 5,
  compound: 6,
  building: 7,
};

/** Kinds a home or a household address may be. */
export const DWELLING_KINDS: readonly RegionKind[] = ['compound', 'building'];
/** Kinds that teams and grids belong to. */
export const COMMUNITY_KINDS: readonly RegionKind[] = ['community', 'village'];
/** Kinds a team may belong to: a community or village, or a district, town or street for teams at those levels. */
export const TEAM_REGION_KINDS: readonly RegionKind[] = ['district', 'street', 'town', 'community', 'village'];

/** The level of a team belonging to a region of `kind` (one of TEAM_REGION_KINDS). */
export function teamLevelOf(kind: RegionKind): 'district' | 'town' | 'community' {
  if (REGION_RANK[kind] <= REGION_RANK.district) return 'district';
  return REGION_RANK[kind] === REGION_RANK.town ? 'town' : 'community';
}
