import { derivedId, payloadAsItStands, required, toPayload, type Result } from '@lianxin/shared';
import type { PointsContext } from '../context.js';
import type { RedemptionRow } from '../db/schema.js';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { visibleAccount } from '../accounts/service.js';
import { linkedTransfer } from '../ledger/service.js';
import { createRedemption, getRedemption, memberIdOfRedemption, resolveRedemption, resolveRedemptionReference, runHoldSweep, statusOf } from './service.js';

/** A capture or void of hold `id`: on refusal, the redemption as `redemption(id)` would show it (the service reads ids in lower case). */
const resolutionPayload = async (ctx: PointsContext, id: string, work: Promise<Result<RedemptionRow>>) =>
  payloadAsItStands(ctx, 'redemption', await work, () => getRedemption(ctx, id.toLowerCase()));

export const redemptionResolvers: Resolvers = {
  Query: {
    redemption: (_parent, { id }, ctx) => getRedemption(ctx, id),
  },
  Mutation: {
    redemptionCreate: async (_parent, { input }, ctx) => toPayload('redemption', await createRedemption(ctx, input, 'capture')),
    redemptionHold: async (_parent, { input }, ctx) => toPayload('redemption', await createRedemption(ctx, input, 'hold')),
    redemptionCapture: (_parent, { input }, ctx) => resolutionPayload(ctx, input.redemption, resolveRedemption(ctx, input, 'capture')),
    redemptionVoid: (_parent, { input }, ctx) => resolutionPayload(ctx, input.redemption, resolveRedemption(ctx, input, 'void')),
    redemptionHoldsExpire: async (_parent, _args, ctx) => ({ ...(await runHoldSweep(ctx)), userErrors: [] }),
  },
  Redemption: {
    __resolveReference: (reference, ctx) => resolveRedemptionReference(ctx, reference.id),
    merchant: async (redemption, _args, ctx) => {
      const merchant = await ctx.loaders.merchantById.load(redemption.merchantId);
      return required(merchant, `merchant of redemption ${redemption.id}`);
    },
    memberId: (redemption, _args, ctx) => memberIdOfRedemption(ctx, redemption),
    status: (redemption, _args, ctx) => statusOf(ctx, redemption),
    lines: (redemption, _args, ctx) => ctx.loaders.linesOfRedemption.load(redemption.id),
    account: (redemption, _args, ctx) => visibleAccount(ctx, redemption.accountId),
    transfer: (redemption, _args, ctx) => linkedTransfer(ctx, redemption.transferId),
  },
  RedemptionLine: {
    id: (line) => derivedId('RedemptionLine', line.redemptionId, line.itemId),
    item: async (line, _args, ctx) => {
      const item = await ctx.loaders.itemById.load(line.itemId);
      return required(item, `catalogue item ${line.itemId} of a redemption line`);
    },
    points: (line) => line.quantity * line.unitPoints,
  },
};
