import { payloadAsItStands, referencedRow, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { requirePersonReader } from '../privacy/policy.js';
import { assignGridWorker, createGrid, getGrid } from './service.js';

export const gridResolvers: Resolvers = {
  Query: {
    grid: (_parent, { id }, ctx) => getGrid(ctx, id),
  },
  Mutation: {
    gridCreate: async (_parent, { input }, ctx) => toPayload('grid', await createGrid(ctx, input)),
    gridWorkerAssign: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'grid', await assignGridWorker(ctx, input), () => getGrid(ctx, input.grid)),
  },
  Grid: {
    __resolveReference: (reference, ctx) => referencedRow('Grid', ctx.loaders.gridById.load(reference.id)),
    community: async (grid, _args, ctx) => {
      const community = await ctx.loaders.regionById.load(grid.communityId);
      // The foreign key guarantees the row; a miss means the database is broken.
      return required(community, `community of grid ${grid.id}`);
    },
    worker: (grid, _args, ctx) => {
      requirePersonReader(ctx);
      return grid.workerId ? ctx.loaders.personById.load(grid.workerId) : null;
    },
    coverage: (grid, _args, ctx) => ctx.loaders.coverageOfGrid.load(grid.id),
  },
};
