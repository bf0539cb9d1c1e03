import { isUuid, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { visibleAccount } from '../accounts/service.js';
import { depositOfServiceRecord, depositPoints, transferOfDeposit } from './service.js';

export const depositResolvers: Resolvers = {
  Mutation: {
    pointsDeposit: async (_parent, { input }, ctx) => toPayload('deposit', await depositPoints(ctx, input)),
  },
  Deposit: {
    serviceRecord: (deposit) => ({ id: deposit.serviceRecordId }),
    account: (deposit, _args, ctx) => visibleAccount(ctx, deposit.accountId),
    category: (deposit) => deposit.categoryCode,
    points: (deposit) => deposit.amount,
    transfer: (deposit, _args, ctx) => transferOfDeposit(ctx, deposit),
  },
  ServiceRecord: {
    // The requests subgraph owns service records; a well-formed id is all this one needs.
    __resolveReference: (reference) => (isUuid(reference.id) ? { id: reference.id } : null),
    deposit: (record, _args, ctx) => depositOfServiceRecord(ctx, record.id),
    transfer: async (record, _args, ctx) => {
      const deposit = await depositOfServiceRecord(ctx, record.id);
      return deposit ? transferOfDeposit(ctx, deposit) : null;
    },
  },
};
