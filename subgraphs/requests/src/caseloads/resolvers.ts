import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { assignCaseload, caseloadOf, endCaseload, lastVisitOf, logVisit, visitsOf } from './service.js';

export const caseloadResolvers: Resolvers = {
  Mutation: {
    caseloadAssign: async (_parent, { input }, ctx) => toPayload('entry', await assignCaseload(ctx, input)),
    caseloadEnd: async (_parent, { input }, ctx) => toPayload('entry', await endCaseload(ctx, input)),
    caseloadVisitLog: async (_parent, { input }, ctx) => toPayload('visit', await logVisit(ctx, input)),
  },
  CaseloadEntry: {
    household: (entry) => ({ id: entry.householdId }),
    volunteer: (entry) => ({ id: entry.volunteerId }),
    place: (entry) => ({ id: entry.regionId }),
    lastVisitAt: (entry, _args, ctx) => lastVisitOf(ctx, entry),
    visits: (entry, { first, after }, ctx) => visitsOf(ctx, entry, { first, after }),
  },
  CaseloadVisit: {
    volunteer: (visit) => ({ id: visit.volunteerId }),
  },
  Person: {
    caseload: (parent, _args, ctx) => caseloadOf(ctx, parent.id),
  },
};
