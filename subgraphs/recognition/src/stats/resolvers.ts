/** GraphQL resolvers for recognition's statistics and leaderboard; thin, they hand over to the service. */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { serviceTallyStatsOf, volunteerLeaderboardOf } from './service.js';

export const statsResolvers: Resolvers = {
  Query: {
    serviceTallyStats: (_parent, args, ctx) => serviceTallyStatsOf(ctx, args),
    volunteerLeaderboard: (_parent, args, ctx) => volunteerLeaderboardOf(ctx, args),
  },
};
