/** SQL for the practice network's units. */
import { asc, inArray } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { stations, type StationRow } from '../db/schema.js';

export function findStationsByIds(db: Executor, ids: readonly string[]): Promise<StationRow[]> {
  return db
    .select()
    .from(stations)
    .where(inArray(stations.id, [...ids]));
}

/** The unit serving each of `regionIds` (one per region at most). */
export function findStationsOfRegions(db: Executor, regionIds: readonly string[]): Promise<StationRow[]> {
  return db
    .select()
    .from(stations)
    .where(inArray(stations.regionId, [...regionIds]));
}

export function findChildrenOfStations(db: Executor, parentIds: readonly string[]): Promise<StationRow[]> {
  return db
    .select()
    .from(stations)
    .where(inArray(stations.parentId, [...parentIds]))
    .orderBy(asc(stations.name), asc(stations.id));
}
