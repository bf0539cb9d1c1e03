import { referencedRow, required } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { getStation } from './service.js';

export const stationResolvers: Resolvers = {
  Query: {
    station: (_parent, { id }, ctx) => getStation(ctx, id),
  },
  Station: {
    __resolveReference: (reference, ctx) => referencedRow('Station', ctx.loaders.stationById.load(reference.id)),
    region: async (station, _args, ctx) => {
      const region = await ctx.loaders.regionById.load(station.regionId);
      return required(region, `region of station ${station.id}`);
    },
    parent: (station, _args, ctx) => (station.parentId ? ctx.loaders.stationById.load(station.parentId) : null),
    children: (station, _args, ctx) => ctx.loaders.childrenOfStation.load(station.id),
  },
};
