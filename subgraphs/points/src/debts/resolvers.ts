import { required } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { debtsOf, outstandingDebtOf } from './service.js';

export const debtResolvers: Resolvers = {
  Account: {
    debt: (account, _args, ctx) => outstandingDebtOf(ctx, account),
    debts: (account, _args, ctx) => debtsOf(ctx, account),
  },
  // A debt is read only through its account, whose rule has let the viewer see it and the transfers between it and the bank.
  Debt: {
    outstanding: (debt) => debt.amount - debt.repaid,
    serviceRecord: (debt) => ({ id: debt.serviceRecordId }),
    correctedBy: (debt) => ({ id: debt.reversalRecordId }),
    reversedTransfer: async (debt, _args, ctx) => required(await ctx.loaders.transferById.load(debt.reversedTransferId), `transfer ${debt.reversedTransferId} of debt ${debt.id}`),
    reversal: (debt, _args, ctx) => ctx.loaders.reversalOf.load(debt.reversedTransferId),
  },
};
