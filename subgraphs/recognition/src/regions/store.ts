/**
 * The regions recognition has heard of from people's `region.created` and
 * `region.moved`: each one's kind (what the statistics group by) and its
 * place in the tree (what the stars' thresholds are inherited along). Paths
 * are the ancestors, root first, as people keeps them; a move rewrites the
 * paths below the moved region, as requests' directory does.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { regionLevels } from '../db/schema.js';

const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** The path a child of `parentId` has, from the parent's row here; null when the parent is unknown here (or has no path). */
const childPathOf = (parentId: string | null) =>
  parentId === null
    ? sql`'{}'::uuid[]`
    : sql`(select parent.path || parent.region_id from ${regionLevels} as parent where parent.region_id = ${parentId}::uuid and parent.path is not null)`;

/**
 * Adds a region, or completes one recorded before places were kept. Its path
 * comes from its parent's row when recognition has the parent (a parent moved
 * since the event was written has its new path here), else from the event.
 */
export async function recordRegion(db: Executor, region: { regionId: string; parentId: string | null; kind: string; path: readonly string[] }): Promise<void> {
  const path = sql`coalesce(${childPathOf(region.parentId)}, ${uuidArray(region.path)})`;
  await db
    .insert(regionLevels)
    .values({ regionId: region.regionId, kind: region.kind, parentId: region.parentId, path })
    .onConflictDoUpdate({ target: regionLevels.regionId, set: { kind: sql`excluded.kind`, parentId: sql`excluded.parent_id`, path: sql`excluded.path` } });
}

/**
 * Re-parents region `regionId` and rewrites the path of every region below
 * it (the part above the moved region is replaced by its new path). Returns
 * false, changing nothing, when recognition does not know the region.
 */
export async function moveRegion(db: Executor, move: { regionId: string; parentId: string; path: readonly string[] }): Promise<boolean> {
  const [moved] = await db
    .update(regionLevels)
    .set({ parentId: move.parentId, path: sql`coalesce(${childPathOf(move.parentId)}, ${uuidArray(move.path)})` })
    .where(eq(regionLevels.regionId, move.regionId))
    .returning({ path: regionLevels.path });
  if (!moved) return false;
  // `path @>` uses the GIN index; the slice keeps what lies between the moved region and each descendant.
  await db
    .update(regionLevels)
    .set({
      path: sql`${uuidArray([...(moved.path ?? []), move.regionId])} || ${regionLevels.path}[array_position(${regionLevels.path}, ${move.regionId}::uuid) + 1:]`,
    })
    .where(sql`${regionLevels.path} @> array[${move.regionId}::uuid]`);
  return true;
}

/** A region as recognition knows it, with the chain from the root down to it (itself last); the chain is only itself when its place is unknown. */
export interface KnownRegion {
  regionId: string;
  chain: string[];
}

export async function findRegions(db: Executor, regionIds: readonly string[]): Promise<KnownRegion[]> {
  if (regionIds.length === 0) return [];
  const rows = await db
    .select({ regionId: regionLevels.regionId, path: regionLevels.path })
    .from(regionLevels)
    .where(inArray(regionLevels.regionId, [...regionIds]));
  return rows.map((row) => ({ regionId: row.regionId, chain: [...(row.path ?? []), row.regionId] }));
}
