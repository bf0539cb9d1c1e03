/** Per-request DataLoaders of the people subgraph: one statement per batch, results in key order, batches in the request's waves. */
import {
  byIdLoader,
  byKey,
  createWaveScheduler,
  groupByKey,
  loaderFamily,
  manyOfLoader,
  onlyUuids,
  oneOfLoader,
  waveLoader,
  type Database,
  type PageRequest,
  type WaveScheduler,
} from '@lianxin/shared';
import { findAlliancesByIds, findAlliancesOfTeams } from './alliances/store.js';
import { findConsentsInForce } from './guardians/store.js';
import { findCoverageOfGrids, findGridsByIds, findGridsCoveringRegions, findGridsOfCommunities } from './grids/store.js';
import { findCaseloadCaps, findHouseholdsByIds, findHouseholdsOfPersons, findMembersOfHouseholds } from './households/store.js';
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

export function createLoaders(db: Database, waves: WaveScheduler = createWaveScheduler()) {
  const load = waveLoader(waves);
  return {
    regionById: byIdLoader(findRegionsByIds, db, load),
    childrenOfRegion: manyOfLoader(findChildrenOf, 'parentId', db, load),
    buildingCaptainOf: load<string, string | null>(async (ids) =>
      byKey(ids, await findBuildingCaptains(db, onlyUuids(ids)), (row) => row.buildingId).map((row) => row?.personId ?? null),
    ),
    gridById: byIdLoader(findGridsByIds, db, load),
    gridsOfCommunity: manyOfLoader(findGridsOfCommunities, 'communityId', db, load),
    coverageOfGrid: manyOfLoader(findCoverageOfGrids, 'gridId', db, load),
    /** The grid a region lies in, keyed by region id. */
    gridOfRegion: oneOfLoader(findGridsCoveringRegions, 'regionId', db, load),
    stationById: byIdLoader(findStationsByIds, db, load),
    stationOfRegion: oneOfLoader(findStationsOfRegions, 'regionId', db, load),
    childrenOfStation: manyOfLoader(findChildrenOfStations, 'parentId', db, load),
    personById: byIdLoader(findPersonsByIds, db, load),
    volunteerProfileOf: oneOfLoader(findVolunteerProfiles, 'personId', db, load),
    /** Ids of the captains of the teams a person serves in, keyed by person id. */
    captainsOfPerson: load<string, string[]>(async (ids) =>
      groupByKey(ids, await findCaptainsOfPersons(db, onlyUuids(ids)), (row) => row.personId).map((rows) => rows.map((row) => row.captainId)),
    ),
    householdById: byIdLoader(findHouseholdsByIds, db, load),
    householdOfPerson: oneOfLoader(findHouseholdsOfPersons, 'personId', db, load),
    membersOfHousehold: manyOfLoader(findMembersOfHouseholds, 'householdId', db, load),
    /** The caseload cap that applies in a region (its own, the nearest above, or the default), keyed by region id. */
    caseloadCapOfRegion: oneOfLoader((executor: Database, ids: readonly string[]) => findCaseloadCaps(executor, ids), 'regionId', db, load),
    organizationById: byIdLoader(findOrganizationsByIds, db, load),
    teamsOfOrganization: manyOfLoader(findTeamsOfOrganizations, 'organizationId', db, load),
    teamById: byIdLoader(findTeamsByIds, db, load),
    allianceById: byIdLoader(findAlliancesByIds, db, load),
    consentInForceOf: oneOfLoader(findConsentsInForce, 'minorId', db, load),
    alliancesOfTeam: manyOfLoader(findAlliancesOfTeams, 'teamId', db, load),
    teamsOfPerson: manyOfLoader(findTeamsOfPersons, 'personId', db, load),
    captainOfTeam: load<string, string | null>(async (ids) => byKey(ids, await findCaptainsOfTeams(db, onlyUuids(ids)), (row) => row.teamId).map((row) => row?.personId ?? null)),
    memberCountOfTeam: load<string, number>(async (ids) => byKey(ids, await countMembersOfTeams(db, onlyUuids(ids)), (row) => row.teamId).map((row) => row?.members ?? 0)),
    categoriesOfTeam: load<string, string[]>(async (ids) =>
      groupByKey(ids, await findCategoriesOfTeams(db, onlyUuids(ids)), (row) => row.teamId).map((rows) => rows.map((row) => row.categoryCode)),
    ),
    coverageOfTeam: manyOfLoader(findCoverageOfTeams, 'teamId', db, load),
    memberPage: loaderFamily(({ page, includeFormer }: { page: PageRequest; includeFormer: boolean }) =>
      manyOfLoader((executor: Database, teamIds) => findMemberPages(executor, teamIds, page, includeFormer), 'teamId', db, load),
    ),
  };
}

export type PeopleLoaders = ReturnType<typeof createLoaders>;
