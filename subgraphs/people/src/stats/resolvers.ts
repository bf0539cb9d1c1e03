import type { Resolvers } from '../__generated__/resolvers-types.js';
import { householdStatsOf, volunteerStatsOf } from './service.js';

export const statsResolvers: Resolvers = {
  Query: {
    volunteerStats: (_parent, args, ctx) => volunteerStatsOf(ctx, args),
    householdStats: (_parent, args, ctx) => householdStatsOf(ctx, args),
  },
  VolunteerBucket: {
    region: (bucket, _args, ctx) => (bucket.regionId ? ctx.loaders.regionById.load(bucket.regionId) : null),
  },
  HouseholdBucket: {
    region: (bucket, _args, ctx) => (bucket.regionId ? ctx.loaders.regionById.load(bucket.regionId) : null),
  },
};
