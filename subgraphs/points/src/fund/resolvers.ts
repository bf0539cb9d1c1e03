import { payloadAsItStands, toPayload, type Result } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { requireUnit } from '../bank/service.js';
import type { PointsContext } from '../context.js';
import { contribute, createFund, disburse, getFund, listFunds, listStatement, resolveFundReference, type FundMovement } from './service.js';

/**
 * `FundEntryPayload`: the entry and the fund as it now stands. A refused
 * movement made no entry, but the fund named exists: it comes as `fund(id)`
 * shows it, so a screen can redraw its balance.
 */
const movementPayload = async (ctx: PointsContext, fundId: string, work: Promise<Result<FundMovement>>) => {
  const result = await work;
  if (result.ok) return { entry: result.value.entry, fund: result.value.fund, userErrors: [] };
  const { fund, userErrors } = await payloadAsItStands(ctx, 'fund', result, () => getFund(ctx, fundId));
  return { entry: null, fund, userErrors };
};

export const fundResolvers: Resolvers = {
  Query: {
    fund: (_parent, { id }, ctx) => getFund(ctx, id),
    funds: (_parent, { first, after }, ctx) => listFunds(ctx, { first, after }),
  },
  Mutation: {
    fundCreate: async (_parent, { input }, ctx) => toPayload('fund', await createFund(ctx, input)),
    fundContribute: (_parent, { input }, ctx) => movementPayload(ctx, input.fund, contribute(ctx, input)),
    fundDisburse: (_parent, { input }, ctx) => movementPayload(ctx, input.fund, disburse(ctx, input)),
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
