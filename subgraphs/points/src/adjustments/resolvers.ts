import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { visibleAccount } from '../accounts/service.js';
import { linkedTransfer } from '../ledger/service.js';
import { approveAdjustment, getAdjustment, rejectAdjustment, requestAdjustment } from './service.js';

export const adjustmentResolvers: Resolvers = {
  Query: {
    adjustment: (_parent, { id }, ctx) => getAdjustment(ctx, id),
  },
  Mutation: {
    adjustmentRequest: async (_parent, { input }, ctx) => toPayload('adjustment', await requestAdjustment(ctx, input)),
    adjustmentApprove: async (_parent, { input }, ctx) => toPayload('adjustment', await approveAdjustment(ctx, input)),
    adjustmentReject: async (_parent, { input }, ctx) => toPayload('adjustment', await rejectAdjustment(ctx, input)),
  },
  Adjustment: {
    account: (adjustment, _args, ctx) => visibleAccount(ctx, adjustment.accountId),
    points: (adjustment) => adjustment.amount,
    requestedBy: (adjustment) => (adjustment.requestedByPersonId ? { id: adjustment.requestedByPersonId } : null),
    resolvedBy: (adjustment) => (adjustment.resolvedByPersonId ? { id: adjustment.resolvedByPersonId } : null),
    transfer: (adjustment, _args, ctx) => linkedTransfer(ctx, adjustment.transferId),
  },
};
