/** What the bank adds to the signed-in viewer (`me`): the merchant a till's credential speaks for. */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { merchantOfViewer, referencedViewer } from './service.js';

export const viewerResolvers: Resolvers = {
  Viewer: {
    __resolveReference: (reference, ctx) => referencedViewer(ctx, reference.id),
    merchant: (viewer, _args, ctx) => merchantOfViewer(ctx, viewer.id),
  },
};
