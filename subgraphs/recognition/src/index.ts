/** The recognition subgraph: badges, for now (DOMAIN.md §4). */
import { defineSubgraph } from '@lianxin/shared';
import { badgeResolvers } from './badges/resolvers.js';
import { createRecognitionContext, type RecognitionContext } from './context.js';
import { seedRecognitionDemo } from './db/demo.js';

const resolvers = {
  Query: { ...badgeResolvers.Query },
  Badge: badgeResolvers.Badge,
  Person: badgeResolvers.Person,
};

export const recognitionSubgraph = defineSubgraph<RecognitionContext>({
  name: 'recognition',
  root: new URL('..', import.meta.url),
  resolvers,
  createContext: createRecognitionContext,
  seedDemo: seedRecognitionDemo,
});
