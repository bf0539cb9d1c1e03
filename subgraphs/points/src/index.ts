/** The points subgraph: the public welfare bank's accounts and ledger (DOMAIN.md §3). */
import { defineSubgraph } from '@lianxin/shared';
import { accountResolvers } from './accounts/resolvers.js';
import { createPointsContext, type PointsContext } from './context.js';
import { seedPointsDemo } from './db/demo.js';

const resolvers = {
  Query: { ...accountResolvers.Query },
  Mutation: { ...accountResolvers.Mutation },
  Account: accountResolvers.Account,
  Person: accountResolvers.Person,
};

export const pointsSubgraph = defineSubgraph<PointsContext>({
  name: 'points',
  root: new URL('..', import.meta.url),
  resolvers,
  createContext: createPointsContext,
  seedDemo: seedPointsDemo,
});
