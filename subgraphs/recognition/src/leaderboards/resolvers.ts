/** GraphQL resolvers for leaderboards; thin, they hand over to the service. */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { leaderboardOf } from './service.js';

export const leaderboardResolvers: Resolvers = {
  Query: {
    leaderboard: (_parent, args, ctx) => leaderboardOf(ctx, args),
  },
};
