/** The points subgraph: the public welfare bank's accounts and ledger (DOMAIN.md §3). */
import { fileURLToPath } from 'node:url';
import { scalarResolvers, subgraphSdl, type GraphQLResolverMap, type SubgraphModule } from '@lianxin/shared';
import { accountResolvers } from './accounts/resolvers.js';
import { createPointsContext, type PointsContext } from './context.js';
import { seedPointsDemo } from './db/demo.js';

const resolvers = {
  ...scalarResolvers,
  Query: { ...accountResolvers.Query },
  Mutation: { ...accountResolvers.Mutation },
  Account: accountResolvers.Account,
  Person: accountResolvers.Person,
};

export const pointsSubgraph: SubgraphModule<PointsContext> = {
  name: 'points',
  dbSchema: 'points',
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  sdl: subgraphSdl(new URL('../schema.graphql', import.meta.url)),
  // Generated resolver types are stricter than @apollo/subgraph's map; the shapes agree.
  resolvers: resolvers as GraphQLResolverMap<PointsContext>,
  createContext: createPointsContext,
  seedDemo: seedPointsDemo,
};
