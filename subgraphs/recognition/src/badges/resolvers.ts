/** GraphQL resolvers for badges, badge kinds and the badges of a Person; thin, they hand over to the service. */
import { derivedId } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { badgesOf, getBadge, listBadgeKinds } from './service.js';

export const badgeResolvers: Resolvers = {
  Query: {
    badgeKinds: (_parent, _args, ctx) => listBadgeKinds(ctx),
    badge: (_parent, { id }, ctx) => getBadge(ctx, id),
  },
  BadgeKind: {
    id: (kind) => derivedId('BadgeKind', kind.code),
  },
  Badge: {
    __resolveReference: (reference, ctx) => ctx.loaders.badgeById.load(reference.id),
    code: (badge) => badge.badgeCode,
    holder: (badge) => ({ id: badge.holderId }),
  },
  Person: {
    // The people subgraph owns persons; any id it hands us is a person to hang badges on.
    __resolveReference: (reference) => ({ id: reference.id }),
    badges: (person, _args, ctx) => badgesOf(ctx, person.id),
  },
};
