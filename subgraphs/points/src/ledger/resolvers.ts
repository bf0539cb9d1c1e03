import { payloadAsItStands } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { visibleAccount } from '../accounts/service.js';
import { adjustmentOfTransfer } from '../adjustments/service.js';
import { earlierReversal, getTransfer, linkedTransfer, resolveTransferReference, reverseTransfer } from './service.js';

export const ledgerResolvers: Resolvers = {
  Query: {
    transfer: (_parent, { id }, ctx) => getTransfer(ctx, id),
  },
  Mutation: {
    transferReverse: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'reversal', await reverseTransfer(ctx, input), () => earlierReversal(ctx, input.transfer)),
  },
  Transfer: {
    __resolveReference: (reference, ctx) => resolveTransferReference(ctx, reference.id),
    debitAccount: (transfer, _args, ctx) => visibleAccount(ctx, transfer.debitAccountId),
    creditAccount: (transfer, _args, ctx) => visibleAccount(ctx, transfer.creditAccountId),
    reverses: (transfer, _args, ctx) => linkedTransfer(ctx, transfer.reversesId),
    reversedBy: (transfer, _args, ctx) => ctx.loaders.reversalOf.load(transfer.id),
    adjustment: (transfer, _args, ctx) => adjustmentOfTransfer(ctx, transfer),
  },
};
