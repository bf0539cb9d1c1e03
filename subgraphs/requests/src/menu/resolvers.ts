import { payloadAsItStands, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { offerTierPrices } from '../pricing/service.js';
import { relatedRequest } from '../requests/reads.js';
import { claimServiceNeed, listNeeds, listOffers, needAsItStands, offerAsItStands, orderFromOffer, publishNeed, publishOffer, withdrawServiceOffer } from './service.js';

export const menuResolvers: Resolvers = {
  Query: {
    serviceOffers: (_parent, { filter, first, after }, ctx) => listOffers(ctx, filter, { first, after }),
    serviceNeeds: (_parent, { filter, first, after }, ctx) => listNeeds(ctx, filter, { first, after }),
  },
  Mutation: {
    serviceOfferPublish: async (_parent, { input }, ctx) => toPayload('offer', await publishOffer(ctx, input)),
    // Refused, the offer as it stands (offers are public).
    serviceOfferWithdraw: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'offer', await withdrawServiceOffer(ctx, input), () => offerAsItStands(ctx, input.offer)),
    serviceRequestFromOffer: async (_parent, { input }, ctx) => toPayload('serviceRequest', await orderFromOffer(ctx, input)),
    serviceNeedPublish: async (_parent, { input }, ctx) => toPayload('need', await publishNeed(ctx, input)),
    serviceNeedClaim: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'need', await claimServiceNeed(ctx, input), () => needAsItStands(ctx, input.need)),
  },
  ServiceOffer: {
    team: (offer) => ({ id: offer.teamId }),
    category: async (offer, _args, ctx) => required(await ctx.loaders.categoryByCode.load(offer.categoryCode), `category of offer ${offer.id}`),
    area: (offer) => offer.areaRegionIds.map((id) => ({ id })),
    price: (offer) =>
      offer.labourFen === null || offer.materialsFen === null ? null : { labour: offer.labourFen, materials: offer.materialsFen, total: offer.labourFen + offer.materialsFen },
    tierPrices: (offer, { place }, ctx) => offerTierPrices(ctx, offer, place),
  },
  ServiceNeed: {
    category: async (need, _args, ctx) => required(await ctx.loaders.categoryByCode.load(need.categoryCode), `category of need ${need.id}`),
    region: (need) => ({ id: need.regionId }),
    claimedBy: (need) => (need.claimedByTeamId ? { id: need.claimedByTeamId } : null),
    request: (need, _args, ctx) => relatedRequest(ctx, need.requestId),
  },
};
