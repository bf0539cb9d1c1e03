import { ok, payloadAsItStands, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { assignCaseload, caseloadOf, currentEntryOf, endCaseload, lastVisitOf, logVisit, requestsOfVisit, visitsOf } from './service.js';

export const caseloadResolvers: Resolvers = {
  Mutation: {
    // Both act on the household's current assignment (assigning ends it): refused, that one as it stands.
    caseloadAssign: (_parent, { input }, ctx) => payloadAsItStands(ctx, 'entry', assignCaseload(ctx), () => currentEntryOf(ctx, input.household)),
    caseloadEnd: (_parent, { input }, ctx) => payloadAsItStands(ctx, 'entry', endCaseload(ctx), () => currentEntryOf(ctx, input.household)),
    caseloadVisitLog: async (_parent, { input }, ctx) => {
      const logged = await logVisit(ctx, input);
      return { ...toPayload('visit', logged.ok ? ok(logged.value.visit) : logged), requests: logged.ok ? logged.value.requests : null };
    },
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
    requests: (visit, _args, ctx) => requestsOfVisit(ctx, visit),
  },
  Person: {
    caseload: (parent, _args, ctx) => caseloadOf(ctx, parent.id),
  },
};
