/** GraphQL resolvers for the BankUnit indicators; thin, they hand over to the service. */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { indicatorsOf } from './service.js';

export const officeResolvers: Resolvers = {
  BankUnit: {
    // The points subgraph owns bank units; any id it hands us is a unit to hang indicators on, no lookup needed.
    __resolveReference: (reference) => ({ __typename: 'BankUnit', id: reference.id }),
    indicators: (unit, _args, ctx) => indicatorsOf(ctx, unit.id),
  },
};
