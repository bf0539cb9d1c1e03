import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { attachToSeries, createSeries, getSeries, listActivitiesOfSeries, resolveSeriesReference, totalsOfSeries } from './service.js';

export const seriesResolvers: Resolvers = {
  Query: {
    activitySeries: (_parent, { id }, ctx) => getSeries(ctx, id),
  },
  Mutation: {
    activitySeriesCreate: async (_parent, { input }, ctx) => toPayload('series', await createSeries(ctx, input)),
    activitySeriesAttach: async (_parent, { input }, ctx) => toPayload('activity', await attachToSeries(ctx, input)),
  },
  ActivitySeries: {
    __resolveReference: (reference, ctx) => resolveSeriesReference(ctx, reference.id),
    place: (series) => ({ id: series.regionId }),
    organiser: (series) => ({ id: series.organiserId }),
    activities: (series, { first, after }, ctx) => listActivitiesOfSeries(ctx, series, { first, after }),
    totals: (series, _args, ctx) => totalsOfSeries(ctx, series),
  },
  Activity: {
    series: (activity, _args, ctx) => resolveSeriesReference(ctx, activity.seriesId),
  },
};
