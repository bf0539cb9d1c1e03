/** The people subgraph: regions, grids, stations, persons, households, organisations and teams (docs/domain.md#places-and-people). */
import { defineSubgraph } from '@lianxin/shared';
import { createPeopleContext, type PeopleContext } from './context.js';
import { seedPeopleDemo } from './db/demo.js';
import { gridResolvers } from './grids/resolvers.js';
import { householdResolvers } from './households/resolvers.js';
import { organizationResolvers } from './organizations/resolvers.js';
import { personResolvers } from './persons/resolvers.js';
import { privacyResolvers } from './privacy/resolvers.js';
import { regionResolvers } from './regions/resolvers.js';
import { readPeopleSettings, type PeopleSettings } from './settings.js';
import { stationResolvers } from './stations/resolvers.js';
import { teamResolvers } from './teams/resolvers.js';

const resolvers = {
  Query: {
    ...regionResolvers.Query,
    ...gridResolvers.Query,
    ...stationResolvers.Query,
    ...personResolvers.Query,
    ...householdResolvers.Query,
    ...organizationResolvers.Query,
    ...teamResolvers.Query,
    ...privacyResolvers.Query,
  },
  Mutation: {
    ...regionResolvers.Mutation,
    ...gridResolvers.Mutation,
    ...personResolvers.Mutation,
    ...householdResolvers.Mutation,
    ...organizationResolvers.Mutation,
    ...teamResolvers.Mutation,
  },
  Region: regionResolvers.Region,
  Grid: gridResolvers.Grid,
  Station: stationResolvers.Station,
  Person: personResolvers.Person,
  VolunteerProfile: personResolvers.VolunteerProfile,
  Household: householdResolvers.Household,
  HouseholdMember: householdResolvers.HouseholdMember,
  Organization: organizationResolvers.Organization,
  Team: teamResolvers.Team,
  TeamMemberEdge: teamResolvers.TeamMemberEdge,
  PersonalDataAccess: privacyResolvers.PersonalDataAccess,
};

export const peopleSubgraph = defineSubgraph<PeopleContext, PeopleSettings>({
  name: 'people',
  root: new URL('..', import.meta.url),
  resolvers,
  settings: readPeopleSettings,
  createContext: createPeopleContext,
  seedDemo: seedPeopleDemo,
});

export type { PeopleSettings };
