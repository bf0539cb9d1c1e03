import type { Resolvers } from '../__generated__/resolvers-types.js';
import { fundStatsOf, pointsFlowStatsOf, redemptionStatsOf } from './service.js';

export const statsResolvers: Resolvers = {
  Query: {
    pointsFlowStats: (_parent, args, ctx) => pointsFlowStatsOf(ctx, args),
    redemptionStats: (_parent, args, ctx) => redemptionStatsOf(ctx, args),
    fundStats: (_parent, args, ctx) => fundStatsOf(ctx, args),
  },
  PointsFlowBucket: {
    unit: (bucket, _args, ctx) => (bucket.unitId ? ctx.loaders.bankUnitById.load(bucket.unitId) : null),
  },
  RedemptionBucket: {
    merchant: (bucket, _args, ctx) => (bucket.merchantId ? ctx.loaders.merchantById.load(bucket.merchantId) : null),
  },
  FundBucket: {
    fund: (bucket, _args, ctx) => (bucket.fundId ? ctx.loaders.fundById.load(bucket.fundId) : null),
  },
};
