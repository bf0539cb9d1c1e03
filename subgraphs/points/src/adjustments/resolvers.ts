import { payloadAsItStands, toPayload, type Result } from '@lianxin/shared';
import type { PointsContext } from '../context.js';
import type { AdjustmentRow } from '../db/schema.js';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { visibleAccount } from '../accounts/service.js';
import { linkedTransfer } from '../ledger/service.js';
import { approveAdjustment, getAdjustment, rejectAdjustment, requestAdjustment } from './service.js';

/** A decision on adjustment `id`: on refusal, the adjustment as `adjustment(id)` would show it (the service reads ids in lower case). */
const decisionPayload = async (ctx: PointsContext, id: string, work: Promise<Result<AdjustmentRow>>) =>
  payloadAsItStands(ctx, 'adjustment', await work, () => getAdjustment(ctx, id.toLowerCase()));

export const adjustmentResolvers: Resolvers = {
  Query: {
    adjustment: (_parent, { id }, ctx) => getAdjustment(ctx, id),
  },
  Mutation: {
    adjustmentRequest: async (_parent, { input }, ctx) => toPayload('adjustment', await requestAdjustment(ctx, input)),
    adjustmentApprove: (_parent, { input }, ctx) => decisionPayload(ctx, input.adjustment, approveAdjustment(ctx, input)),
    adjustmentReject: (_parent, { input }, ctx) => decisionPayload(ctx, input.adjustment, rejectAdjustment(ctx, input)),
  },
  Adjustment: {
    account: (adjustment, _args, ctx) => visibleAccount(ctx, adjustment.accountId),
    points: (adjustment) => adjustment.amount,
    requestedBy: (adjustment) => (adjustment.requestedByPersonId ? { id: adjustment.requestedByPersonId } : null),
    resolvedBy: (adjustment) => (adjustment.resolvedByPersonId ? { id: adjustment.resolvedByPersonId } : null),
    transfer: (adjustment, _args, ctx) => linkedTransfer(ctx, adjustment.transferId),
  },
};
