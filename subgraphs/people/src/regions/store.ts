/** SQL for regions: one named query per function, nothing else. */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor, PageRequest } from '@lianxin/shared';
import { regions, type RegionRow } from '../db/schema.js';

export function findRegionsByIds(db: Executor, ids: readonly string[]): Promise<RegionRow[]> {
  return db.select().from(regions).where(inArray(regions.id, [...ids]));
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

/** Region page cursors sort by name, then id. */
export const regionCursor = (row: RegionRow): string[] => [row.name, row.id];
