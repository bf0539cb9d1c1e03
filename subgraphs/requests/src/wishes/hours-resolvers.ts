import { payloadAsItStands, type Result } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { RequestsContext } from '../context.js';
import type { MicroWishRow } from '../db/schema.js';
import { claimWishHours, confirmWishHours, hoursClaimOf, recordOfWishHours, rejectWishHours } from './hours.js';
import { getMicroWish, resolveMicroWishReference } from './service.js';

/** Refused, the payload still shows the wish as it stands, to a viewer who may see it. */
const wishPayload = async (ctx: RequestsContext, id: string, work: Promise<Result<MicroWishRow>>) => payloadAsItStands(ctx, 'microWish', await work, () => getMicroWish(ctx, id));

export const wishHoursResolvers: Resolvers = {
  Mutation: {
    microWishHoursClaim: (_parent, { input }, ctx) => wishPayload(ctx, input.wish, claimWishHours(ctx, input)),
    microWishHoursReject: (_parent, { input }, ctx) => wishPayload(ctx, input.wish, rejectWishHours(ctx, input)),
    microWishHoursConfirm: async (_parent, { input }, ctx) => {
      const result = await confirmWishHours(ctx, input);
      if (result.ok) return { microWish: result.value.wish, serviceRecord: result.value.record, userErrors: [] };
      const standing = await payloadAsItStands(ctx, 'microWish', { ok: false, errors: result.errors }, () => getMicroWish(ctx, input.wish));
      return { ...standing, serviceRecord: null };
    },
  },
  MicroWish: {
    hoursClaim: (wish, _args, ctx) => hoursClaimOf(ctx, wish),
  },
  WishHoursClaim: {
    decidedBy: (claim) => (claim.decidedById ? { id: claim.decidedById } : null),
    serviceRecord: (claim, _args, ctx) => recordOfWishHours(ctx, claim),
  },
  ServiceRecord: {
    microWish: (record, _args, ctx) => (record.wishId ? resolveMicroWishReference(ctx, record.wishId) : null),
  },
};
