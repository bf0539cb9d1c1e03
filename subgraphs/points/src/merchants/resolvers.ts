import { payloadAsItStands, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { requireUnit } from '../bank/service.js';
import {
  createCatalogItem,
  createMerchant,
  getCatalogItem,
  getMerchant,
  isOpenNow,
  listCatalog,
  listMerchantRedemptions,
  listMerchants,
  listSettlementRedemptions,
  merchantAccount,
  setMerchantPassbookAcceptance,
  settlementOf,
  updateItem,
} from './service.js';

export const merchantResolvers: Resolvers = {
  Query: {
    merchant: (_parent, { id }, ctx) => getMerchant(ctx, id),
    merchants: (_parent, { filter, first, after }, ctx) => listMerchants(ctx, filter, { first, after }),
    catalogItem: (_parent, { id }, ctx) => getCatalogItem(ctx, id),
  },
  Mutation: {
    merchantCreate: async (_parent, { input }, ctx) => toPayload('merchant', await createMerchant(ctx, input)),
    catalogItemCreate: async (_parent, { input }, ctx) => toPayload('catalogItem', await createCatalogItem(ctx, input)),
    merchantPassbookAcceptanceSet: async (_parent, { input }, ctx) => toPayload('merchant', await setMerchantPassbookAcceptance(ctx, input)),
    catalogItemUpdate: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'catalogItem', await updateItem(ctx, input), () => getCatalogItem(ctx, input.item)),
  },
  Merchant: {
    // Merchants are public: a reference needs no more than the loader.
    __resolveReference: (reference, ctx) => ctx.loaders.merchantById.load(reference.id),
    organization: (merchant) => (merchant.organizationId ? { id: merchant.organizationId } : null),
    bank: (merchant, _args, ctx) => requireUnit(ctx, merchant.bankId),
    office: (merchant, _args, ctx) => (merchant.officeId ? requireUnit(ctx, merchant.officeId) : null),
    openNow: (merchant, _args, ctx) => isOpenNow(ctx, merchant),
    catalog: (merchant, { includeInactive, first, after }, ctx) => listCatalog(ctx, merchant, { includeInactive, first, after }),
    account: (merchant, _args, ctx) => merchantAccount(ctx, merchant),
    redemptions: (merchant, { status, first, after }, ctx) => listMerchantRedemptions(ctx, merchant, { status, first, after }),
    settlement: (merchant, { period }, ctx) => settlementOf(ctx, merchant, period),
  },
  CatalogItem: {
    __resolveReference: (reference, ctx) => ctx.loaders.itemById.load(reference.id),
    merchant: async (item, _args, ctx) => {
      const merchant = await ctx.loaders.merchantById.load(item.merchantId);
      return required(merchant, `merchant of catalogue item ${item.id}`);
    },
  },
  Settlement: {
    redemptions: (settlement, { first, after }, ctx) => listSettlementRedemptions(ctx, settlement, { first, after }),
  },
};
