import { required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { carePlanOfRequest, createCarePlan, endCarePlan, getCarePlan, listCarePlans, moveOccurrence, occurrencesOf, skipOccurrence, weekdayOf } from './service.js';

export const planResolvers: Resolvers = {
  Query: {
    carePlan: (_parent, { id }, ctx) => getCarePlan(ctx, id),
    carePlans: (_parent, { filter, first, after }, ctx) => listCarePlans(ctx, filter, { first, after }),
  },
  Mutation: {
    carePlanCreate: async (_parent, { input }, ctx) => toPayload('plan', await createCarePlan(ctx, input)),
    carePlanEnd: async (_parent, { input }, ctx) => toPayload('plan', await endCarePlan(ctx, input)),
    carePlanOccurrenceSkip: async (_parent, { input }, ctx) => toPayload('serviceRequest', await skipOccurrence(ctx, input)),
    carePlanOccurrenceMove: async (_parent, { input }, ctx) => toPayload('serviceRequest', await moveOccurrence(ctx, input)),
  },
  CarePlan: {
    __resolveReference: (reference, ctx) => getCarePlan(ctx, reference.id),
    beneficiary: (plan) => ({ id: plan.beneficiaryId }),
    household: (plan) => (plan.householdId === null ? null : { id: plan.householdId }),
    place: (plan) => ({ id: plan.regionId }),
    category: async (plan, _args, ctx) => required(await ctx.loaders.categoryByCode.load(plan.categoryCode), `category of care plan ${plan.id}`),
    volunteer: (plan) => (plan.volunteerId === null ? null : { id: plan.volunteerId }),
    team: (plan) => (plan.teamId === null ? null : { id: plan.teamId }),
    weekday: (plan) => weekdayOf(plan),
    startTime: (plan) => `${String(Math.floor(plan.startMinute / 60)).padStart(2, '0')}:${String(plan.startMinute % 60).padStart(2, '0')}`,
    createdBy: (plan) => ({ id: plan.createdById }),
    occurrences: (plan, { first, after }, ctx) => occurrencesOf(ctx, plan, { first, after }),
  },
  ServiceRequest: {
    carePlan: (request, _args, ctx) => carePlanOfRequest(ctx, request.id),
  },
};
