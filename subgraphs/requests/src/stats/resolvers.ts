import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { RequestsContext } from '../context.js';
import { activityStatsOf, alertStatsOf, microWishStatsOf, serviceHourStatsOf, serviceRequestStatsOf } from './service.js';

const categoryOf = (bucket: { categoryCode: string | null }, ctx: RequestsContext) => (bucket.categoryCode ? ctx.loaders.categoryByCode.load(bucket.categoryCode) : null);

export const statsResolvers: Resolvers = {
  Query: {
    serviceHourStats: (_parent, args, ctx) => serviceHourStatsOf(ctx, args),
    serviceRequestStats: (_parent, args, ctx) => serviceRequestStatsOf(ctx, args),
    microWishStats: (_parent, args, ctx) => microWishStatsOf(ctx, args),
    activityStats: (_parent, args, ctx) => activityStatsOf(ctx, args),
    alertStats: (_parent, args, ctx) => alertStatsOf(ctx, args),
  },
  ServiceHourBucket: {
    category: (bucket, _args, ctx) => categoryOf(bucket, ctx),
  },
  ServiceRequestBucket: {
    category: (bucket, _args, ctx) => categoryOf(bucket, ctx),
  },
  ActivityBucket: {
    category: (bucket, _args, ctx) => categoryOf(bucket, ctx),
    series: (bucket, _args, ctx) => (bucket.seriesId ? ctx.loaders.seriesById.load(bucket.seriesId) : null),
  },
};
