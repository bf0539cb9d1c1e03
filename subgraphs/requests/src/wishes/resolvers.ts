import { payloadAsItStands, toPayload, type Result } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { RequestsContext } from '../context.js';
import type { MicroWishRow } from '../db/schema.js';
import {
  claimMicroWish,
  fulfilMicroWish,
  getMicroWish,
  listMicroWishes,
  postMicroWish,
  publishMicroWish,
  releaseMicroWish,
  resolveMicroWishReference,
  thankMicroWish,
  withdrawMicroWish,
} from './service.js';

/** A change of a wish: refused, the payload still shows the wish as it stands, to a viewer who may see it. */
const wishPayload = async (ctx: RequestsContext, id: string, work: Promise<Result<MicroWishRow>>) => payloadAsItStands(ctx, 'microWish', await work, () => getMicroWish(ctx, id));

export const wishResolvers: Resolvers = {
  Query: {
    microWish: (_parent, { id }, ctx) => getMicroWish(ctx, id),
    microWishes: (_parent, { filter, first, after }, ctx) => listMicroWishes(ctx, filter, { first, after }),
  },
  Mutation: {
    microWishPost: async (_parent, { input }, ctx) => toPayload('microWish', await postMicroWish(ctx, input)),
    microWishPublish: (_parent, { input }, ctx) => wishPayload(ctx, input.wish, publishMicroWish(ctx, input)),
    microWishClaim: (_parent, { input }, ctx) => wishPayload(ctx, input.wish, claimMicroWish(ctx, input)),
    microWishRelease: (_parent, { input }, ctx) => wishPayload(ctx, input.wish, releaseMicroWish(ctx, input)),
    microWishFulfil: (_parent, { input }, ctx) => wishPayload(ctx, input.wish, fulfilMicroWish(ctx, input)),
    microWishThank: (_parent, { input }, ctx) => wishPayload(ctx, input.wish, thankMicroWish(ctx, input)),
    microWishWithdraw: (_parent, { input }, ctx) => wishPayload(ctx, input.wish, withdrawMicroWish(ctx, input)),
  },
  MicroWish: {
    __resolveReference: (reference, ctx) => resolveMicroWishReference(ctx, reference.id),
    wisher: (wish) => ({ id: wish.wisherId }),
    postedBy: (wish) => ({ id: wish.postedById }),
    place: (wish) => ({ id: wish.regionId }),
    claimant: (wish) => (wish.claimantId ? { id: wish.claimantId } : null),
    claimantOrganization: (wish) => (wish.claimantOrganizationId ? { id: wish.claimantOrganizationId } : null),
    fulfilment: (wish) => (wish.fulfilledAt && wish.fulfilmentNote !== null ? { note: wish.fulfilmentNote, evidenceUrls: wish.evidenceUrls, fulfilledAt: wish.fulfilledAt } : null),
    history: (wish, _args, ctx) => ctx.loaders.transitionsOfWish.load(wish.id),
  },
  WishTransition: {
    from: (transition) => transition.fromStatus,
    to: (transition) => transition.toStatus,
    actor: (transition) => ({ id: transition.actorId }),
  },
};
