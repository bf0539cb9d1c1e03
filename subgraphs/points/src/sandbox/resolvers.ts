import type { Resolvers } from '../__generated__/resolvers-types.js';
import { createSandboxAccount } from './service.js';

export const sandboxResolvers: Resolvers = {
  Mutation: {
    sandboxAccountCreate: async (_parent, { input }, ctx) => {
      const result = await createSandboxAccount(ctx, input);
      return result.ok
        ? { passbookNumber: result.value.passbookNumber, points: result.value.balance, userErrors: [] }
        : { passbookNumber: null, points: null, userErrors: result.errors };
    },
  },
};
