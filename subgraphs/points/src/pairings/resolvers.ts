import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { createPairing, endOfficePairing, pairingsOf, requirePairedOffice, ruralMerchantsOf } from './service.js';

export const pairingResolvers: Resolvers = {
  Mutation: {
    officePairingCreate: async (_parent, { input }, ctx) => toPayload('pairing', await createPairing(ctx, input)),
    officePairingEnd: async (_parent, { input }, ctx) => toPayload('pairing', await endOfficePairing(ctx, input)),
  },
  BankUnit: {
    pairings: (unit, _args, ctx) => (unit.kind === 'savings_office' ? pairingsOf(ctx, unit) : []),
  },
  OfficePairing: {
    cityOffice: (pairing, _args, ctx) => requirePairedOffice(ctx, pairing.cityOfficeId),
    ruralOffice: (pairing, _args, ctx) => requirePairedOffice(ctx, pairing.ruralOfficeId),
    since: (pairing) => pairing.createdAt,
    ruralMerchants: (pairing, _args, ctx) => ruralMerchantsOf(ctx, pairing),
  },
};
