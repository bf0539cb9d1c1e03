import { required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { donate, donationAccount, donationOfTransfer, donorOf } from './service.js';

export const donationResolvers: Resolvers = {
  Mutation: {
    pointsDonate: async (_parent, { input }, ctx) => toPayload('donation', await donate(ctx, input)),
  },
  Donation: {
    points: (donation) => donation.amount,
    donor: (donation, _args, ctx) => donorOf(ctx, donation),
    donorAccount: (donation, _args, ctx) => donationAccount(ctx, donation.donorAccountId),
    recipientAccount: (donation, _args, ctx) => donationAccount(ctx, donation.recipientAccountId),
    fund: (donation, _args, ctx) => (donation.fundId ? ctx.loaders.fundById.load(donation.fundId) : null),
    transfer: async (donation, _args, ctx) => required(await ctx.loaders.transferById.load(donation.transferId), `transfer of donation ${donation.id}`),
  },
  Transfer: {
    donation: (transfer, _args, ctx) => donationOfTransfer(ctx, { cause: transfer.cause, transferId: transfer.id }),
  },
  PassbookLine: {
    donation: (line, _args, ctx) => donationOfTransfer(ctx, line),
  },
};
