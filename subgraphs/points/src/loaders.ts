/** Per-request DataLoaders of the points subgraph: one statement per batch, results in key order. */
import { DataLoader, byKey, isUuid, type Database } from '@lianxin/shared';
import type { AccountRow } from './db/schema.js';
import { findAccountsByIds, findCustomerAccountsOfHolders } from './accounts/store.js';

/** Keys that cannot be ids never reach SQL: they resolve to null. */
const onlyUuids = (keys: readonly string[]): string[] => keys.filter((key) => isUuid(key));

export function createLoaders(db: Database) {
  return {
    accountById: new DataLoader<string, AccountRow | null>(async (ids) =>
      byKey(ids, await findAccountsByIds(db, onlyUuids(ids)), (row) => row.id),
    ),
    /** A person's customer account, keyed by the people Person id. */
    accountByHolder: new DataLoader<string, AccountRow | null>(async (holderIds) =>
      byKey(holderIds, await findCustomerAccountsOfHolders(db, onlyUuids(holderIds)), (row) => row.holderId ?? ''),
    ),
  };
}

export type PointsLoaders = ReturnType<typeof createLoaders>;
