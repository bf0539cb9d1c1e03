/** GraphQL resolvers for a Person's service tally; thin, they hand over to the service. */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { serviceTallyOf } from './service.js';

export const tallyResolvers: Resolvers = {
  Person: {
    serviceTally: (person, _args, ctx) => serviceTallyOf(ctx, person.id),
  },
};
