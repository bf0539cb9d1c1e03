import { payloadAsItStands } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { requireUnit } from '../bank/service.js';
import { decideRecommendation, listRecommendations, recommendationAsItStands, recommendedAccount } from './service.js';

export const recommendationResolvers: Resolvers = {
  Mutation: {
    centralExchangeRecommendationDecide: async (_parent, { input }, ctx) =>
      payloadAsItStands(ctx, 'recommendation', await decideRecommendation(ctx, input), () => recommendationAsItStands(ctx, input.recommendation)),
  },
  BankUnit: {
    centralExchangeRecommendations: (unit, { year, status, first, after }, ctx) => listRecommendations(ctx, unit, { year, status, first, after }),
  },
  CentralExchangeRecommendation: {
    bank: (recommendation, _args, ctx) => requireUnit(ctx, recommendation.bankId),
    customer: (recommendation) => ({ id: recommendation.holderId }),
    account: (recommendation, _args, ctx) => recommendedAccount(ctx, recommendation),
    proposedAt: (recommendation) => recommendation.createdAt,
    decidedBy: (recommendation) => (recommendation.decidedByPersonId ? { id: recommendation.decidedByPersonId } : null),
  },
};
