/** Per-request DataLoaders of the recognition subgraph: one statement per batch, results in key order. */
import { DataLoader, byKey, groupByKey, isUuid, type Database } from '@lianxin/shared';
import type { BadgeRow, OfficeIndicatorsRow, PersonTallyRow } from './db/schema.js';
import { findBadgesByIds, findBadgesOfHolders } from './badges/store.js';
import { findOfficeIndicators } from './offices/store.js';
import { findTalliesOfPersons } from './tallies/store.js';

/** Keys that cannot be ids never reach SQL: they resolve to null (or nothing). */
const onlyUuids = (keys: readonly string[]): string[] => keys.filter((key) => isUuid(key));

export function createLoaders(db: Database) {
  return {
    badgeById: new DataLoader<string, BadgeRow | null>(async (ids) => byKey(ids, await findBadgesByIds(db, onlyUuids(ids)), (row) => row.id)),
    badgesOfPerson: new DataLoader<string, BadgeRow[]>(async (ids) => groupByKey(ids, await findBadgesOfHolders(db, onlyUuids(ids)), (row) => row.holderId)),
    /** A person's tally row; null for someone nothing has been counted for yet. */
    tallyOfPerson: new DataLoader<string, PersonTallyRow | null>(async (ids) => byKey(ids, await findTalliesOfPersons(db, onlyUuids(ids)), (row) => row.personId)),
    /** A savings office's indicators row; null for a unit no event has named yet. */
    indicatorsOfOffice: new DataLoader<string, OfficeIndicatorsRow | null>(async (ids) => byKey(ids, await findOfficeIndicators(db, onlyUuids(ids)), (row) => row.officeId)),
  };
}

export type RecognitionLoaders = ReturnType<typeof createLoaders>;
