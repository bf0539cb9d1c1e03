/** Per-request DataLoaders of the people subgraph: one statement per batch, results in key order. */
import { DataLoader, byKey, groupByKey, isUuid, loaderFamily, type Database, type PageRequest } from '@lianxin/shared';
import type { PersonRow, RegionRow, TeamMemberRow, TeamRow } from './db/schema.js';
import { findPersonsByIds } from './persons/store.js';
import { findChildrenOf, findRegionsByIds } from './regions/store.js';
import { findMemberPages, findTeamsByIds, findTeamsOfPersons } from './teams/store.js';

/** Keys that cannot be ids never reach SQL: they resolve to null (or nothing). */
const onlyUuids = (keys: readonly string[]): string[] => keys.filter((key) => isUuid(key));

export function createLoaders(db: Database) {
  return {
    regionById: new DataLoader<string, RegionRow | null>(async (ids) =>
      byKey(ids, await findRegionsByIds(db, onlyUuids(ids)), (row) => row.id),
    ),
    childrenOfRegion: new DataLoader<string, RegionRow[]>(async (ids) =>
      groupByKey(ids, await findChildrenOf(db, onlyUuids(ids)), (row) => row.parentId ?? ''),
    ),
    personById: new DataLoader<string, PersonRow | null>(async (ids) =>
      byKey(ids, await findPersonsByIds(db, onlyUuids(ids)), (row) => row.id),
    ),
    teamById: new DataLoader<string, TeamRow | null>(async (ids) =>
      byKey(ids, await findTeamsByIds(db, onlyUuids(ids)), (row) => row.id),
    ),
    teamsOfPerson: new DataLoader<string, TeamRow[]>(async (ids) =>
      groupByKey(ids, await findTeamsOfPersons(db, onlyUuids(ids)), (row) => row.personId),
    ),
    memberPage: loaderFamily(
      (page: PageRequest) =>
        new DataLoader<string, TeamMemberRow[]>(async (teamIds) =>
          groupByKey(teamIds, await findMemberPages(db, onlyUuids(teamIds), page), (row) => row.teamId),
        ),
    ),
  };
}

export type PeopleLoaders = ReturnType<typeof createLoaders>;
