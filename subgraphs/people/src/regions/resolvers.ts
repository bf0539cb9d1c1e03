import { toGraphQLEnum } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { getRegion, listRegions } from './service.js';

export const regionResolvers: Resolvers = {
  Query: {
    region: (_parent, { id }, ctx) => getRegion(ctx, id),
    regions: (_parent, { parent, first, after }, ctx) => listRegions(ctx, parent ?? null, { first, after }),
  },
  Region: {
    __resolveReference: (reference, ctx) => ctx.loaders.regionById.load(reference.id),
    kind: (region) => toGraphQLEnum(region.kind),
    parent: (region, _args, ctx) => (region.parentId ? ctx.loaders.regionById.load(region.parentId) : null),
    children: (region, _args, ctx) => ctx.loaders.childrenOfRegion.load(region.id),
  },
};
