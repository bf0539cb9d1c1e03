import { isUuid, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { getAccount, getAccountOfPerson, openAccount, resolveAccountReference } from './service.js';

export const accountResolvers: Resolvers = {
  Query: {
    account: (_parent, { id }, ctx) => getAccount(ctx, id),
  },
  Mutation: {
    accountOpen: async (_parent, { input }, ctx) => toPayload('account', await openAccount(ctx, input)),
  },
  Account: {
    __resolveReference: (reference, ctx) => resolveAccountReference(ctx, reference.id),
    holder: (account) => (account.holderId ? { id: account.holderId } : null),
  },
  Person: {
    // The people subgraph owns persons; a well-formed id is all this one needs.
    __resolveReference: (reference) => (isUuid(reference.id) ? { id: reference.id } : null),
    account: (person, _args, ctx) => getAccountOfPerson(ctx, person.id),
  },
};
