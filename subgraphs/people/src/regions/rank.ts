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
