import type { Resolvers } from '../__generated__/resolvers-types.js';
import { serviceHourStatsOf } from './service.js';

export const statsResolvers: Resolvers = {
  Query: {
    serviceHourStats: (_parent, args, ctx) => serviceHourStatsOf(ctx, args),
  },
  ServiceHourBucket: {
    category: (bucket, _args, ctx) => (bucket.categoryCode ? ctx.loaders.categoryByCode.load(bucket.categoryCode) : null),
  },
};
