/** Per-request DataLoaders of the people subgraph: one statement per batch, results in key order. */
import { DataLoader, byKey, groupByKey, isUuid, loaderFamily, type Database, type PageRequest } from '@lianxin/shared';
import type { GridRow, HouseholdMemberRow, HouseholdRow, OrganizationRow, PersonRow, RegionRow, StationRow, TeamMemberRow, TeamRow, VolunteerProfileRow } from './db/schema.js';
import { findCoverageOfGrids, findGridsByIds, findGridsCoveringRegions, findGridsOfCommunities } from './grids/store.js';
import { findHouseholdsByIds, findHouseholdsOfPersons, findMembersOfHouseholds } from './households/store.js';
import { findOrganizationsByIds } from './organizations/store.js';
import { findPersonsByIds, findVolunteerProfiles } from './persons/store.js';
import { findBuildingCaptains, findChildrenOf, findRegionsByIds } from './regions/store.js';
import { findChildrenOfStations, findStationsByIds, findStationsOfRegions } from './stations/store.js';
import {
  countMembersOfTeams,
  findCaptainsOfPersons,
  findCaptainsOfTeams,
  findCategoriesOfTeams,
  findCoverageOfTeams,
  findMemberPages,
  findTeamsByIds,
  findTeamsOfOrganizations,
  findTeamsOfPersons,
} from './teams/store.js';
import { createWaveScheduler, type WaveScheduler } from './waves.js';

/** Keys that cannot be ids never reach SQL: they resolve to null (or nothing). */
const onlyUuids = (keys: readonly string[]): string[] => keys.filter((key) => isUuid(key));

export function createLoaders(db: Database, waves: WaveScheduler = createWaveScheduler()) {
  /** A loader whose batches run in the request's waves. */
  const loader = <K, V>(batch: (keys: readonly K[]) => Promise<V[]>) =>
    new DataLoader<K, V>((keys) => waves.track(batch(keys)), { batchScheduleFn: (dispatch) => waves.schedule(dispatch) });
  /** A loader of one row per id. */
  const rowsById = <V extends { id: string }>(find: (ids: string[]) => Promise<V[]>) =>
    loader<string, V | null>(async (ids) => byKey(ids, await find(onlyUuids(ids)), (row) => row.id));

  return {
    regionById: rowsById<RegionRow>((ids) => findRegionsByIds(db, ids)),
    childrenOfRegion: loader<string, RegionRow[]>(async (ids) => groupByKey(ids, await findChildrenOf(db, onlyUuids(ids)), (row) => row.parentId ?? '')),
    buildingCaptainOf: loader<string, string | null>(async (ids) =>
      byKey(ids, await findBuildingCaptains(db, onlyUuids(ids)), (row) => row.buildingId).map((row) => row?.personId ?? null),
    ),
    gridById: rowsById<GridRow>((ids) => findGridsByIds(db, ids)),
    gridsOfCommunity: loader<string, GridRow[]>(async (ids) => groupByKey(ids, await findGridsOfCommunities(db, onlyUuids(ids)), (row) => row.communityId)),
    coverageOfGrid: loader<string, RegionRow[]>(async (ids) => groupByKey(ids, await findCoverageOfGrids(db, onlyUuids(ids)), (row) => row.gridId)),
    /** The grid a region lies in, keyed by region id. */
    gridOfRegion: loader<string, GridRow | null>(async (ids) => byKey(ids, await findGridsCoveringRegions(db, onlyUuids(ids)), (row) => row.regionId)),
    stationById: rowsById<StationRow>((ids) => findStationsByIds(db, ids)),
    stationOfRegion: loader<string, StationRow | null>(async (ids) => byKey(ids, await findStationsOfRegions(db, onlyUuids(ids)), (row) => row.regionId)),
    childrenOfStation: loader<string, StationRow[]>(async (ids) => groupByKey(ids, await findChildrenOfStations(db, onlyUuids(ids)), (row) => row.parentId ?? '')),
    personById: rowsById<PersonRow>((ids) => findPersonsByIds(db, ids)),
    volunteerProfileOf: loader<string, VolunteerProfileRow | null>(async (ids) => byKey(ids, await findVolunteerProfiles(db, onlyUuids(ids)), (row) => row.personId)),
    /** Ids of the captains of the teams a person serves in, keyed by person id. */
    captainsOfPerson: loader<string, string[]>(async (ids) =>
      groupByKey(ids, await findCaptainsOfPersons(db, onlyUuids(ids)), (row) => row.personId).map((rows) => rows.map((row) => row.captainId)),
    ),
    householdById: rowsById<HouseholdRow>((ids) => findHouseholdsByIds(db, ids)),
    householdOfPerson: loader<string, HouseholdRow | null>(async (ids) => byKey(ids, await findHouseholdsOfPersons(db, onlyUuids(ids)), (row) => row.personId)),
    membersOfHousehold: loader<string, HouseholdMemberRow[]>(async (ids) => groupByKey(ids, await findMembersOfHouseholds(db, onlyUuids(ids)), (row) => row.householdId)),
    organizationById: rowsById<OrganizationRow>((ids) => findOrganizationsByIds(db, ids)),
    teamsOfOrganization: loader<string, TeamRow[]>(async (ids) => groupByKey(ids, await findTeamsOfOrganizations(db, onlyUuids(ids)), (row) => row.organizationId ?? '')),
    teamById: rowsById<TeamRow>((ids) => findTeamsByIds(db, ids)),
    teamsOfPerson: loader<string, TeamRow[]>(async (ids) => groupByKey(ids, await findTeamsOfPersons(db, onlyUuids(ids)), (row) => row.personId)),
    captainOfTeam: loader<string, string | null>(async (ids) => byKey(ids, await findCaptainsOfTeams(db, onlyUuids(ids)), (row) => row.teamId).map((row) => row?.personId ?? null)),
    memberCountOfTeam: loader<string, number>(async (ids) => byKey(ids, await countMembersOfTeams(db, onlyUuids(ids)), (row) => row.teamId).map((row) => row?.members ?? 0)),
    categoriesOfTeam: loader<string, string[]>(async (ids) =>
      groupByKey(ids, await findCategoriesOfTeams(db, onlyUuids(ids)), (row) => row.teamId).map((rows) => rows.map((row) => row.categoryCode)),
    ),
    coverageOfTeam: loader<string, RegionRow[]>(async (ids) => groupByKey(ids, await findCoverageOfTeams(db, onlyUuids(ids)), (row) => row.teamId)),
    memberPage: loaderFamily(({ page, includeFormer }: { page: PageRequest; includeFormer: boolean }) =>
      loader<string, TeamMemberRow[]>(async (teamIds) => groupByKey(teamIds, await findMemberPages(db, onlyUuids(teamIds), page, includeFormer), (row) => row.teamId)),
    ),
  };
}

export type PeopleLoaders = ReturnType<typeof createLoaders>;
