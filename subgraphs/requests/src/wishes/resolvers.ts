import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
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

export const wishResolvers: Resolvers = {
  Query: {
    microWish: (_parent, { id }, ctx) => getMicroWish(ctx, id),
    microWishes: (_parent, { filter, first, after }, ctx) => listMicroWishes(ctx, filter, { first, after }),
  },
  Mutation: {
    microWishPost: async (_parent, { input }, ctx) => toPayload('microWish', await postMicroWish(ctx, input)),
    microWishPublish: async (_parent, { input }, ctx) => toPayload('microWish', await publishMicroWish(ctx, input)),
    microWishClaim: async (_parent, { input }, ctx) => toPayload('microWish', await claimMicroWish(ctx, input)),
    microWishRelease: async (_parent, { input }, ctx) => toPayload('microWish', await releaseMicroWish(ctx, input)),
    microWishFulfil: async (_parent, { input }, ctx) => toPayload('microWish', await fulfilMicroWish(ctx, input)),
    microWishThank: async (_parent, { input }, ctx) => toPayload('microWish', await thankMicroWish(ctx, input)),
    microWishWithdraw: async (_parent, { input }, ctx) => toPayload('microWish', await withdrawMicroWish(ctx, input)),
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
