/**
 * Per-request DataLoaders of the people subgraph: one statement per batch,
 * results in key order, batches in the request's waves. Defined once; a
 * request's set builds a loader when a resolver first reads it
 * (`defineLoaders`).
 */
import {
  byIdLoader,
  byKey,
  defineLoaders,
  groupByKey,
  loaderFamily,
  manyOfLoader,
  onlyUuids,
  oneOfLoader,
  type Database,
  type LoaderFactories,
  type LoaderFactory,
  type PageRequest,
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

/** What every loader of a request's set is built from: the database, and the request's waves to batch in. */
export interface PeopleLoaderSource {
  db: Database;
  /** `waveLoader` of the request's WaveScheduler (people/src/context.ts), which its access log shares. */
  load: LoaderFactory;
}

/** Makes a request's loader set; its loaders are built when first read, and batch in the source's waves. */
export const createLoaders = defineLoaders({
  regionById: ({ db, load }) => byIdLoader(findRegionsByIds, db, load),
  childrenOfRegion: ({ db, load }) => manyOfLoader(findChildrenOf, 'parentId', db, load),
  buildingCaptainOf: ({ db, load }) =>
    load<string, string | null>(async (ids) => byKey(ids, await findBuildingCaptains(db, onlyUuids(ids)), (row) => row.buildingId).map((row) => row?.personId ?? null)),
  gridById: ({ db, load }) => byIdLoader(findGridsByIds, db, load),
  gridsOfCommunity: ({ db, load }) => manyOfLoader(findGridsOfCommunities, 'communityId', db, load),
  coverageOfGrid: ({ db, load }) => manyOfLoader(findCoverageOfGrids, 'gridId', db, load),
  /** The grid a region lies in, keyed by region id. */
  gridOfRegion: ({ db, load }) => oneOfLoader(findGridsCoveringRegions, 'regionId', db, load),
  stationById: ({ db, load }) => byIdLoader(findStationsByIds, db, load),
  stationOfRegion: ({ db, load }) => oneOfLoader(findStationsOfRegions, 'regionId', db, load),
  childrenOfStation: ({ db, load }) => manyOfLoader(findChildrenOfStations, 'parentId', db, load),
  personById: ({ db, load }) => byIdLoader(findPersonsByIds, db, load),
  volunteerProfileOf: ({ db, load }) => oneOfLoader(findVolunteerProfiles, 'personId', db, load),
  /** Ids of the captains of the teams a person serves in, keyed by person id. */
  captainsOfPerson: ({ db, load }) =>
    load<string, string[]>(async (ids) => groupByKey(ids, await findCaptainsOfPersons(db, onlyUuids(ids)), (row) => row.personId).map((rows) => rows.map((row) => row.captainId))),
  householdById: ({ db, load }) => byIdLoader(findHouseholdsByIds, db, load),
  householdOfPerson: ({ db, load }) => oneOfLoader(findHouseholdsOfPersons, 'personId', db, load),
  membersOfHousehold: ({ db, load }) => manyOfLoader(findMembersOfHouseholds, 'householdId', db, load),
  /** The caseload cap that applies in a region (its own, the nearest above, or the default), keyed by region id. */
  caseloadCapOfRegion: ({ db, load }) => oneOfLoader((executor: Database, ids: readonly string[]) => findCaseloadCaps(executor, ids), 'regionId', db, load),
  organizationById: ({ db, load }) => byIdLoader(findOrganizationsByIds, db, load),
  teamsOfOrganization: ({ db, load }) => manyOfLoader(findTeamsOfOrganizations, 'organizationId', db, load),
  teamById: ({ db, load }) => byIdLoader(findTeamsByIds, db, load),
  allianceById: ({ db, load }) => byIdLoader(findAlliancesByIds, db, load),
  consentInForceOf: ({ db, load }) => oneOfLoader(findConsentsInForce, 'minorId', db, load),
  alliancesOfTeam: ({ db, load }) => manyOfLoader(findAlliancesOfTeams, 'teamId', db, load),
  teamsOfPerson: ({ db, load }) => manyOfLoader(findTeamsOfPersons, 'personId', db, load),
  captainOfTeam: ({ db, load }) =>
    load<string, string | null>(async (ids) => byKey(ids, await findCaptainsOfTeams(db, onlyUuids(ids)), (row) => row.teamId).map((row) => row?.personId ?? null)),
  memberCountOfTeam: ({ db, load }) =>
    load<string, number>(async (ids) => byKey(ids, await countMembersOfTeams(db, onlyUuids(ids)), (row) => row.teamId).map((row) => row?.members ?? 0)),
  categoriesOfTeam: ({ db, load }) =>
    load<string, string[]>(async (ids) => groupByKey(ids, await findCategoriesOfTeams(db, onlyUuids(ids)), (row) => row.teamId).map((rows) => rows.map((row) => row.categoryCode))),
  coverageOfTeam: ({ db, load }) => manyOfLoader(findCoverageOfTeams, 'teamId', db, load),
  memberPage: ({ db, load }) =>
    loaderFamily(({ page, includeFormer }: { page: PageRequest; includeFormer: boolean }) =>
      manyOfLoader((executor: Database, teamIds) => findMemberPages(executor, teamIds, page, includeFormer), 'teamId', db, load),
    ),
} satisfies LoaderFactories<PeopleLoaderSource>);

export type PeopleLoaders = ReturnType<typeof createLoaders>;
