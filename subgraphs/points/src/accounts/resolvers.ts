import { derivedId, isUuid, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { getAccount, getAccountByPassbook, getAccountOfPerson, listAccountRedemptions, listPassbook, officeOf, openAccount, resolveAccountReference } from './service.js';

export const accountResolvers: Resolvers = {
  Query: {
    account: (_parent, { id }, ctx) => getAccount(ctx, id),
    accountByPassbook: (_parent, { passbookNumber }, ctx) => getAccountByPassbook(ctx, passbookNumber),
  },
  Mutation: {
    accountOpen: async (_parent, { input }, ctx) => toPayload('account', await openAccount(ctx, input)),
  },
  Account: {
    __resolveReference: (reference, ctx) => resolveAccountReference(ctx, reference.id),
    heldPoints: (account) => account.held,
    availablePoints: (account) => account.balance - account.held,
    holder: (account) => (account.holderId ? { id: account.holderId } : null),
    office: (account, _args, ctx) => officeOf(ctx, account),
    merchant: (account, _args, ctx) => (account.merchantId ? ctx.loaders.merchantById.load(account.merchantId) : null),
    transfers: (account, { first, after }, ctx) => listPassbook(ctx, account, { first, after }),
    redemptions: (account, { first, after }, ctx) => listAccountRedemptions(ctx, account, { first, after }),
  },
  PassbookLine: {
    id: (line) => derivedId('PassbookLine', line.accountId, line.transferId),
    date: (line) => line.createdAt,
    // A deposit's reference is its service record's id; requests resolves the rest of the record.
    serviceRecord: (line) => (line.cause === 'service_record' && line.reference !== null ? { id: line.reference } : null),
    transfer: async (line, _args, ctx) => required(await ctx.loaders.transferById.load(line.transferId), `transfer ${line.transferId} of a passbook line`),
  },
  Person: {
    // The people subgraph owns persons; a well-formed id is all this one needs.
    __resolveReference: (reference) => (isUuid(reference.id) ? { id: reference.id } : null),
    account: (person, _args, ctx) => getAccountOfPerson(ctx, person.id),
  },
};
