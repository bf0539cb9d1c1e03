import { payloadAsItStands, referencedRow, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { requirePersonReader } from '../privacy/policy.js';
import { COMMUNITY_KINDS } from './rank.js';
import { ancestorsOf, assignBuildingCaptain, createRegion, getRegion, getRegionByCode, listRegions, moveRegion, searchRegions, setNoPropertyManagement } from './service.js';

export const regionResolvers: Resolvers = {
  Query: {
    region: (_parent, { id }, ctx) => getRegion(ctx, id),
    regionByCode: (_parent, { code }, ctx) => getRegionByCode(ctx, code),
    regions: (_parent, { parent, first, after }, ctx) => listRegions(ctx, parent ?? null, { first, after }),
    regionSearch: (_parent, { filter, first, after }, ctx) => searchRegions(ctx, filter, { first, after }),
  },
  Mutation: {
    regionCreate: async (_parent, { input }, ctx) => toPayload('region', await createRegion(ctx, input)),
    regionMove: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'region', await moveRegion(ctx, input), () => getRegion(ctx, input.region)),
    regionPropertyManagementSet: async (_parent, { input }, ctx) =>
      payloadAsItStands(ctx, 'region', await setNoPropertyManagement(ctx, input), () => getRegion(ctx, input.compound)),
    buildingCaptainAssign: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'building', await assignBuildingCaptain(ctx, input), () => getRegion(ctx, input.building)),
  },
  Region: {
    __resolveReference: (reference, ctx) => referencedRow('Region', ctx.loaders.regionById.load(reference.id)),
    parent: (region, _args, ctx) => (region.parentId ? ctx.loaders.regionById.load(region.parentId) : null),
    children: (region, _args, ctx) => ctx.loaders.childrenOfRegion.load(region.id),
    ancestors: (region, _args, ctx) => ancestorsOf(ctx, region),
    station: (region, _args, ctx) => ctx.loaders.stationOfRegion.load(region.id),
    grids: (region, _args, ctx) => (COMMUNITY_KINDS.includes(region.kind) ? ctx.loaders.gridsOfCommunity.load(region.id) : []),
    grid: (region, _args, ctx) => ctx.loaders.gridOfRegion.load(region.id),
    buildingCaptain: async (region, _args, ctx) => {
      requirePersonReader(ctx);
      if (region.kind !== 'building') return null;
      const captainId = await ctx.loaders.buildingCaptainOf.load(region.id);
      return captainId ? ctx.loaders.personById.load(captainId) : null;
    },
  },
};
