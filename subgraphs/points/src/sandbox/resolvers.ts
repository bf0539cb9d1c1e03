import type { Resolvers } from '../__generated__/resolvers-types.js';
import { createSandboxAccount, issueSandboxPaymentCode } from './service.js';

export const sandboxResolvers: Resolvers = {
  Mutation: {
    sandboxAccountCreate: async (_parent, { input }, ctx) => {
      const result = await createSandboxAccount(ctx, input);
      return result.ok
        ? { passbookNumber: result.value.passbookNumber, points: result.value.balance, userErrors: [] }
        : { passbookNumber: null, points: null, userErrors: result.errors };
    },
    sandboxPaymentCodeIssue: async (_parent, { input }, ctx) => {
      const result = await issueSandboxPaymentCode(ctx, input);
      return result.ok ? { paymentCode: result.value, userErrors: [] } : { paymentCode: null, userErrors: result.errors };
    },
  },
};
