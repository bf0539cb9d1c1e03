/** SQL for regions and building captains: one named query per function, nothing else. */
import { and, asc, eq, ilike, inArray, isNull, sql } from 'drizzle-orm';
import { inUuids, preparedOnce, required, type Executor, type PageRequest } from '@lianxin/shared';
import { buildingCaptains, regions, type RegionKind, type RegionRow } from '../db/schema.js';

// Homes, scopes and region trees all read regions by id: built once, run with the ids.
const regionsByIds = preparedOnce((db) => db.select().from(regions).where(inUuids(regions.id, 'ids')).prepare('find_regions_by_ids'));

export function findRegionsByIds(db: Executor, ids: readonly string[]): Promise<RegionRow[]> {
  return regionsByIds(db, { ids });
}

export async function findRegionByCode(db: Executor, code: string): Promise<RegionRow | null> {
  const [row] = await db.select().from(regions).where(eq(regions.code, code));
  return row ?? null;
}

export function findChildrenOf(db: Executor, parentIds: readonly string[]): Promise<RegionRow[]> {
  return db
    .select()
    .from(regions)
    .where(inArray(regions.parentId, [...parentIds]))
    .orderBy(asc(regions.name), asc(regions.id));
}

/** A page of the regions directly under `parentId` (the roots when null), by name. */
export function findRegionPage(db: Executor, parentId: string | null, page: PageRequest): Promise<RegionRow[]> {
  const under = parentId === null ? isNull(regions.parentId) : eq(regions.parentId, parentId);
  const after = page.after ? sql`(${regions.name}, ${regions.id}) > (${page.after[0]}, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(regions)
    .where(and(under, after))
    .orderBy(asc(regions.name), asc(regions.id))
    .limit(page.limit + 1);
}

export interface RegionSearch {
  within: string | null;
  nameContains: string | null;
  kind: RegionKind | null;
  noPropertyManagement: boolean | null;
}

/** Escapes LIKE wildcards so a searched text matches itself only. */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** A page of the regions inside a subtree (its root included) matching a name and kind, by name. */
export function findRegionSearchPage(db: Executor, search: RegionSearch, page: PageRequest): Promise<RegionRow[]> {
  const after = page.after ? sql`(${regions.name}, ${regions.id}) > (${page.after[0]}, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(regions)
    .where(
      and(
        search.within ? sql`(${regions.id} = ${search.within}::uuid or ${regions.path} @> array[${search.within}::uuid])` : undefined,
        search.nameContains ? ilike(regions.name, `%${likeLiteral(search.nameContains)}%`) : undefined,
        search.kind ? eq(regions.kind, search.kind) : undefined,
        search.noPropertyManagement === null ? undefined : and(eq(regions.kind, 'compound'), eq(regions.noPropertyManagement, search.noPropertyManagement)),
        after,
      ),
    )
    .orderBy(asc(regions.name), asc(regions.id))
    .limit(page.limit + 1);
}

/** Locks regions (in id order, so concurrent moves cannot deadlock) and returns them. */
export function lockRegions(db: Executor, ids: readonly string[]): Promise<RegionRow[]> {
  return db
    .select()
    .from(regions)
    .where(inArray(regions.id, [...ids]))
    .orderBy(asc(regions.id))
    .for('update');
}

export async function insertRegion(db: Executor, values: { parentId: string | null; kind: RegionKind; name: string; code: string | null }): Promise<RegionRow> {
  const [row] = await db.insert(regions).values(values).returning();
  return required(row, 'row inserted into regions');
}

/** Re-parents a region; the trigger rewrites its and its subtree's paths, or refuses a cycle. */
export async function updateRegionParent(db: Executor, id: string, parentId: string): Promise<RegionRow> {
  const [row] = await db.update(regions).set({ parentId }).where(eq(regions.id, id)).returning();
  return required(row, `region ${id}, locked by this transaction`);
}

/** The building captain of each of `buildingIds` that has one. */
export function findBuildingCaptains(db: Executor, buildingIds: readonly string[]): Promise<{ buildingId: string; personId: string }[]> {
  return db
    .select({ buildingId: buildingCaptains.buildingId, personId: buildingCaptains.personId })
    .from(buildingCaptains)
    .where(inArray(buildingCaptains.buildingId, [...buildingIds]));
}

/** Makes `personId` the building's captain, replacing any other. */
export async function upsertBuildingCaptain(db: Executor, values: { buildingId: string; personId: string; assignedBy: string }): Promise<void> {
  await db
    .insert(buildingCaptains)
    .values(values)
    .onConflictDoUpdate({
      target: buildingCaptains.buildingId,
      set: { personId: values.personId, assignedBy: values.assignedBy, assignedAt: sql`now()` },
    });
}

/** Region page cursors sort by name, then id. */
export const regionCursor = (row: RegionRow): string[] => [row.name, row.id];

/** Flags a compound as having no property management, or clears the flag. */
export async function updateNoPropertyManagement(db: Executor, id: string, noPropertyManagement: boolean): Promise<RegionRow> {
  const [row] = await db.update(regions).set({ noPropertyManagement }).where(eq(regions.id, id)).returning();
  return required(row, `region ${id} updated`);
}
