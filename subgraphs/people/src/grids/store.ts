/** SQL for grids and the compounds and buildings they cover. */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { required, type Executor } from '@lianxin/shared';
import { gridRegions, grids, regions, type GridRow, type RegionRow } from '../db/schema.js';

export function findGridsByIds(db: Executor, ids: readonly string[]): Promise<GridRow[]> {
  return db
    .select()
    .from(grids)
    .where(inArray(grids.id, [...ids]));
}

export function findGridsOfCommunities(db: Executor, communityIds: readonly string[]): Promise<GridRow[]> {
  return db
    .select()
    .from(grids)
    .where(inArray(grids.communityId, [...communityIds]))
    .orderBy(asc(grids.name), asc(grids.id));
}

/** The regions each of `gridIds` covers, tagged with the grid, by name. */
export async function findCoverageOfGrids(db: Executor, gridIds: readonly string[]): Promise<(RegionRow & { gridId: string })[]> {
  const rows = await db
    .select({ gridId: gridRegions.gridId, region: regions })
    .from(gridRegions)
    .innerJoin(regions, eq(regions.id, gridRegions.regionId))
    .where(inArray(gridRegions.gridId, [...gridIds]))
    .orderBy(asc(regions.name), asc(regions.id));
  return rows.map(({ gridId, region }) => ({ ...region, gridId }));
}

/**
 * The grid each of `regionIds` lies in: the grid covering the region itself,
 * else the one covering its nearest ancestor (a building in a covered
 * compound). One statement for any number of regions.
 */
export async function findGridsCoveringRegions(db: Executor, regionIds: readonly string[]): Promise<(GridRow & { regionId: string })[]> {
  const rows = await db
    .selectDistinctOn([regions.id], { regionId: regions.id, grid: grids })
    .from(regions)
    .innerJoin(gridRegions, sql`${gridRegions.regionId} = ${regions.id} or ${gridRegions.regionId} = any(${regions.path})`)
    .innerJoin(grids, eq(grids.id, gridRegions.gridId))
    .where(inArray(regions.id, [...regionIds]))
    // The region itself first (no position in its own path), then the deepest ancestor.
    .orderBy(regions.id, sql`array_position(${regions.path}, ${gridRegions.regionId}) desc nulls first`);
  return rows.map(({ regionId, grid }) => ({ ...grid, regionId }));
}

/** Ids of the persons among `personIds` who work a grid. */
export async function findGridWorkersAmong(db: Executor, personIds: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectDistinct({ workerId: grids.workerId })
    .from(grids)
    .where(inArray(grids.workerId, [...personIds]));
  return rows.flatMap((row) => (row.workerId ? [row.workerId] : []));
}

/** The covered regions among `regionIds`, with the grid covering each. */
export function findCoveredAmong(db: Executor, regionIds: readonly string[]): Promise<{ regionId: string; gridId: string }[]> {
  return db
    .select()
    .from(gridRegions)
    .where(inArray(gridRegions.regionId, [...regionIds]));
}

export async function insertGrid(db: Executor, values: { communityId: string; name: string; workerId: string | null }): Promise<GridRow> {
  const [row] = await db.insert(grids).values(values).returning();
  return required(row, 'row inserted into grids');
}

export async function insertGridCoverage(db: Executor, gridId: string, regionIds: readonly string[]): Promise<void> {
  if (regionIds.length === 0) return;
  await db.insert(gridRegions).values(regionIds.map((regionId) => ({ regionId, gridId })));
}

export async function updateGridWorker(db: Executor, gridId: string, workerId: string): Promise<GridRow | null> {
  const [row] = await db.update(grids).set({ workerId }).where(eq(grids.id, gridId)).returning();
  return row ?? null;
}
