/** `Query.me`: the signed-in viewer as a root, so a client need not decode its own token to know who it is. */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { viewerOf } from '../notifications/service.js';

export const viewerResolvers: Resolvers = {
  Query: {
    me: (_parent, _args, ctx) => viewerOf(ctx),
  },
  Viewer: {
    id: (viewer) => viewer.id,
    person: (viewer, _args, ctx) => (viewer.personId === null ? null : ctx.loaders.personById.load(viewer.personId)),
  },
};
