import { payloadAsItStands } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { ownRuleOf, priceRuleAt, setPriceRule } from './service.js';

export const pricingResolvers: Resolvers = {
  Query: {
    priceRule: (_parent, { place }, ctx) => priceRuleAt(ctx, place),
  },
  Mutation: {
    // Setting replaces the region's own rule when it has one: refused, that rule as it stands.
    priceRuleSet: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'priceRule', await setPriceRule(ctx, input), () => ownRuleOf(ctx, input.region)),
  },
  Cost: {
    labour: (quote) => quote.labourFen,
    materials: (quote) => quote.materialsFen,
    total: (quote) => quote.labourFen + quote.materialsFen,
    quotedBy: (quote) => ({ id: quote.quotedById }),
  },
  AgreedPrice: {
    labour: (price) => price.labourFen,
    materials: (price) => price.materialsFen,
    residentPays: (price) => price.residentPaysFen,
    charityFundPays: (price) => price.fundPaysFen,
    agreedBy: (price) => ({ id: price.agreedById }),
  },
  PriceRule: {
    region: (rule) => (rule.regionId ? { id: rule.regionId } : null),
  },
};
