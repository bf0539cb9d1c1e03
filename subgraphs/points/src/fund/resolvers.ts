import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { requireUnit } from '../bank/service.js';
import { contribute, createFund, disburse, getFund, listFunds, listStatement, resolveFundReference, type FundMovement } from './service.js';
import type { Result } from '@lianxin/shared';

/** `FundEntryPayload`: the entry and the fund as it now stands, or the refusals. */
const movementPayload = (result: Result<FundMovement>) =>
  result.ok ? { entry: result.value.entry, fund: result.value.fund, userErrors: [] } : { entry: null, fund: null, userErrors: result.errors };

export const fundResolvers: Resolvers = {
  Query: {
    fund: (_parent, { id }, ctx) => getFund(ctx, id),
    funds: (_parent, { first, after }, ctx) => listFunds(ctx, { first, after }),
  },
  Mutation: {
    fundCreate: async (_parent, { input }, ctx) => toPayload('fund', await createFund(ctx, input)),
    fundContribute: async (_parent, { input }, ctx) => movementPayload(await contribute(ctx, input)),
    fundDisburse: async (_parent, { input }, ctx) => movementPayload(await disburse(ctx, input)),
  },
  Fund: {
    __resolveReference: (reference, ctx) => resolveFundReference(ctx, reference.id),
    bank: (fund, _args, ctx) => requireUnit(ctx, fund.bankId),
    statement: (fund, { kind, first, after }, ctx) => listStatement(ctx, fund, { kind, first, after }),
  },
  FundEntry: {
    serviceRequest: (entry) => (entry.serviceRequestId ? { id: entry.serviceRequestId } : null),
  },
};
