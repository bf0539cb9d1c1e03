import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { outputsOf, rateActivity, ratingOf, reviewsOf, setActivityOutputs, viewerRatingOf } from './service.js';

export const outcomeResolvers: Resolvers = {
  Mutation: {
    activityRate: async (_parent, { input }, ctx) => toPayload('activity', await rateActivity(ctx, input)),
    activityOutputsSet: async (_parent, { input }, ctx) => toPayload('activity', await setActivityOutputs(ctx, input)),
  },
  Activity: {
    rating: (activity, _args, ctx) => ratingOf(ctx, activity),
    viewerRating: (activity, _args, ctx) => viewerRatingOf(ctx, activity),
    reviews: (activity, _args, ctx) => reviewsOf(ctx, activity),
    outputs: (activity, _args, ctx) => outputsOf(ctx, activity),
  },
};
