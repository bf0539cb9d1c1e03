import { derivedId, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { linkedTransfer } from '../ledger/service.js';
import { listSettlementRefunds, redemptionOfRefund, refundedPointsOf, refundedQuantityOf, refundRedemption, resolveRefundReference } from './service.js';

export const refundResolvers: Resolvers = {
  Mutation: {
    redemptionRefund: async (_parent, { input }, ctx) => toPayload('refund', await refundRedemption(ctx, input)),
  },
  Redemption: {
    refunds: (redemption, _args, ctx) => ctx.loaders.refundsOfRedemption.load(redemption.id),
    refundedPoints: (redemption, _args, ctx) => refundedPointsOf(ctx, redemption),
  },
  RedemptionLine: {
    refundedQuantity: (line, _args, ctx) => refundedQuantityOf(ctx, line),
  },
  Refund: {
    __resolveReference: (reference, ctx) => resolveRefundReference(ctx, reference.id),
    redemption: (refund, _args, ctx) => redemptionOfRefund(ctx, refund),
    lines: (refund, _args, ctx) => ctx.loaders.linesOfRefund.load(refund.id),
    transfer: (refund, _args, ctx) => linkedTransfer(ctx, refund.transferId),
  },
  RefundLine: {
    id: (line) => derivedId('RefundLine', line.refundId, line.itemId),
    item: async (line, _args, ctx) => {
      const item = await ctx.loaders.itemById.load(line.itemId);
      return required(item, `catalogue item ${line.itemId} of a refund line`);
    },
    points: (line) => line.quantity * line.unitPoints,
  },
  Settlement: {
    netPoints: (settlement) => settlement.points - settlement.refundedPoints,
    refunds: (settlement, { first, after }, ctx) => listSettlementRefunds(ctx, settlement, { first, after }),
  },
};
