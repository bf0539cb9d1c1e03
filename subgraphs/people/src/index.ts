/** The people subgraph: regions, persons and teams (DOMAIN.md §1). */
import { fileURLToPath } from 'node:url';
import { scalarResolvers, subgraphSdl, type GraphQLResolverMap, type SubgraphModule } from '@lianxin/shared';
import { createPeopleContext, type PeopleContext } from './context.js';
import { seedPeopleDemo } from './db/demo.js';
import { personResolvers } from './persons/resolvers.js';
import { regionResolvers } from './regions/resolvers.js';
import { teamResolvers } from './teams/resolvers.js';

const resolvers = {
  ...scalarResolvers,
  Query: { ...regionResolvers.Query, ...personResolvers.Query, ...teamResolvers.Query },
  Region: regionResolvers.Region,
  Person: personResolvers.Person,
  Team: teamResolvers.Team,
  TeamMemberEdge: teamResolvers.TeamMemberEdge,
};

export const peopleSubgraph: SubgraphModule<PeopleContext> = {
  name: 'people',
  dbSchema: 'people',
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  sdl: subgraphSdl(new URL('../schema.graphql', import.meta.url)),
  // Generated resolver types are stricter than @apollo/subgraph's map; the shapes agree.
  resolvers: resolvers as GraphQLResolverMap<PeopleContext>,
  createContext: createPeopleContext,
  seedDemo: seedPeopleDemo,
};
