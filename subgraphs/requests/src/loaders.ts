/** Per-request DataLoaders of the requests subgraph: one statement per batch, results in key order. */
import { DataLoader, byKey, groupByKey, isUuid, loaderFamily, type Database, type PageRequest } from '@lianxin/shared';
import { findCategoriesByCodes } from './categories/store.js';
import type { CategoryRow, ServiceRequestRow } from './db/schema.js';
import { countRequestsOfRequesters, findRequestPagesOfRequesters, findServiceRequestsByIds } from './requests/store.js';

/** Keys that cannot be ids never reach SQL: they resolve to null (or nothing). */
const onlyUuids = (keys: readonly string[]): string[] => keys.filter((key) => isUuid(key));

export function createLoaders(db: Database) {
  return {
    categoryByCode: new DataLoader<string, CategoryRow | null>(async (codes) =>
      byKey(codes, await findCategoriesByCodes(db, codes), (row) => row.code),
    ),
    serviceRequestById: new DataLoader<string, ServiceRequestRow | null>(async (ids) =>
      byKey(ids, await findServiceRequestsByIds(db, onlyUuids(ids)), (row) => row.id),
    ),
    requestPage: loaderFamily(
      (page: PageRequest) =>
        new DataLoader<string, ServiceRequestRow[]>(async (personIds) =>
          groupByKey(personIds, await findRequestPagesOfRequesters(db, onlyUuids(personIds), page), (row) => row.requesterId),
        ),
    ),
    requestCountOfPerson: new DataLoader<string, number>(async (personIds) =>
      byKey(personIds, await countRequestsOfRequesters(db, onlyUuids(personIds)), (row) => row.requesterId).map((row) => row?.total ?? 0),
    ),
  };
}

export type RequestsLoaders = ReturnType<typeof createLoaders>;
