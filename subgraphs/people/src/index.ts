/** The people subgraph: regions, persons and teams (DOMAIN.md §1). */
import { defineSubgraph } from '@lianxin/shared';
import { createPeopleContext, type PeopleContext } from './context.js';
import { seedPeopleDemo } from './db/demo.js';
import { personResolvers } from './persons/resolvers.js';
import { regionResolvers } from './regions/resolvers.js';
import { teamResolvers } from './teams/resolvers.js';

const resolvers = {
  Query: { ...regionResolvers.Query, ...personResolvers.Query, ...teamResolvers.Query },
  Region: regionResolvers.Region,
  Person: personResolvers.Person,
  Team: teamResolvers.Team,
  TeamMemberEdge: teamResolvers.TeamMemberEdge,
};

export const peopleSubgraph = defineSubgraph<PeopleContext>({
  name: 'people',
  root: new URL('..', import.meta.url),
  resolvers,
  createContext: createPeopleContext,
  seedDemo: seedPeopleDemo,
});
