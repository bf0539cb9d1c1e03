import { payloadAsItStands, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { assignCaseload, caseloadOf, currentEntryOf, endCaseload, lastVisitOf, logVisit, visitsOf } from './service.js';

export const caseloadResolvers: Resolvers = {
  Mutation: {
    // Both act on the household's current assignment (assigning ends it): refused, that one as it stands.
    caseloadAssign: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'entry', await assignCaseload(ctx, input), () => currentEntryOf(ctx, input.household)),
    caseloadEnd: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'entry', await endCaseload(ctx, input), () => currentEntryOf(ctx, input.household)),
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
