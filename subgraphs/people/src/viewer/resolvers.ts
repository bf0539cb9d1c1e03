import type { Resolvers } from '../__generated__/resolvers-types.js';
import { currentViewer, personOf, referencedViewer, regionScopeOf } from './service.js';

export const viewerResolvers: Resolvers = {
  Query: {
    me: (_parent, _args, ctx) => currentViewer(ctx),
  },
  Viewer: {
    // Authority before state: only the caller's own subject resolves, whatever is asked.
    __resolveReference: (reference, ctx) => referencedViewer(ctx, reference.id),
    id: (viewer) => viewer.subject,
    roles: (viewer) => viewer.roles,
    regionScope: (viewer, _args, ctx) => regionScopeOf(ctx, viewer),
    person: (viewer, _args, ctx) => personOf(ctx, viewer),
  },
};
