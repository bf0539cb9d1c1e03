import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { consentOf, recordGuardianConsent, revokeGuardianConsent } from './service.js';

export const guardianResolvers: Resolvers = {
  Mutation: {
    guardianConsentRecord: async (_parent, { input }, ctx) => toPayload('guardianConsent', await recordGuardianConsent(ctx, input)),
    guardianConsentRevoke: async (_parent, { input }, ctx) => toPayload('guardianConsent', await revokeGuardianConsent(ctx, input)),
  },
  Person: {
    guardianConsent: (person, _args, ctx) => consentOf(ctx, person),
  },
  GuardianConsent: {
    guardian: (consent, _args, ctx) => (consent.guardianId ? ctx.loaders.personById.load(consent.guardianId) : null),
  },
};
