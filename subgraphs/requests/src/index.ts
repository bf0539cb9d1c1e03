/** The requests subgraph: service categories and requests (DOMAIN.md §2). */
import { fileURLToPath } from 'node:url';
import { scalarResolvers, subgraphSdl, type GraphQLResolverMap, type SubgraphModule } from '@lianxin/shared';
import { categoryResolvers } from './categories/resolvers.js';
import { createRequestsContext, type RequestsContext } from './context.js';
import { seedRequestsDemo } from './db/demo.js';
import { requestResolvers } from './requests/resolvers.js';

const resolvers = {
  ...scalarResolvers,
  Query: { ...categoryResolvers.Query, ...requestResolvers.Query },
  Mutation: requestResolvers.Mutation,
  ServiceRequest: requestResolvers.ServiceRequest,
  Person: requestResolvers.Person,
};

export const requestsSubgraph: SubgraphModule<RequestsContext> = {
  name: 'requests',
  dbSchema: 'requests',
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  sdl: subgraphSdl(new URL('../schema.graphql', import.meta.url)),
  // Generated resolver types are stricter than @apollo/subgraph's map; the shapes agree.
  resolvers: resolvers as GraphQLResolverMap<RequestsContext>,
  createContext: createRequestsContext,
  seedDemo: seedRequestsDemo,
};
