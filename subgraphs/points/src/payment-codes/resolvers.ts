import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { visibleAccount } from '../accounts/service.js';
import { clerkAssistanceOf, issuePaymentCode } from './service.js';

export const paymentCodeResolvers: Resolvers = {
  Mutation: {
    paymentCodeIssue: async (_parent, { input }, ctx) => toPayload('paymentCode', await issuePaymentCode(ctx, input)),
  },
  PaymentCode: {
    account: (code, _args, ctx) => visibleAccount(ctx, code.accountId),
  },
  Redemption: {
    clerkAssistance: (redemption, _args, ctx) => clerkAssistanceOf(ctx, redemption),
  },
  ClerkAssistance: {
    clerk: (assistance) => (assistance.clerkPersonId ? { id: assistance.clerkPersonId } : null),
    account: (assistance, _args, ctx) => visibleAccount(ctx, assistance.accountId),
  },
};
