/** The recognition subgraph: badges, for now (DOMAIN.md §4). */
import { fileURLToPath } from 'node:url';
import { scalarResolvers, subgraphSdl, type GraphQLResolverMap, type SubgraphModule } from '@lianxin/shared';
import { badgeResolvers } from './badges/resolvers.js';
import { createRecognitionContext, type RecognitionContext } from './context.js';
import { seedRecognitionDemo } from './db/demo.js';

const resolvers = {
  ...scalarResolvers,
  Query: { ...badgeResolvers.Query },
  Badge: badgeResolvers.Badge,
  Person: badgeResolvers.Person,
};

export const recognitionSubgraph: SubgraphModule<RecognitionContext> = {
  name: 'recognition',
  dbSchema: 'recognition',
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  sdl: subgraphSdl(new URL('../schema.graphql', import.meta.url)),
  // Generated resolver types are stricter than @apollo/subgraph's map; the shapes agree.
  resolvers: resolvers as GraphQLResolverMap<RecognitionContext>,
  createContext: createRecognitionContext,
  seedDemo: seedRecognitionDemo,
};
