import { isUuid, payloadAsItStands } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { visibleAccount } from '../accounts/service.js';
import { depositOfServiceRecord, depositOutcomeOf, depositPoints, transferOfDeposit } from './service.js';

export const depositResolvers: Resolvers = {
  Mutation: {
    // Refused (the record was reversed, or its deposit is not the clerk's to make), the deposit already made, if any,
    // to a viewer who may read its account.
    pointsDeposit: async (_parent, { input }, ctx) =>
      payloadAsItStands(ctx, 'deposit', await depositPoints(ctx, input), async () =>
        isUuid(input.serviceRecord) ? depositOfServiceRecord(ctx, input.serviceRecord.toLowerCase()) : null,
      ),
  },
  Deposit: {
    serviceRecord: (deposit) => ({ id: deposit.serviceRecordId }),
    account: (deposit, _args, ctx) => visibleAccount(ctx, deposit.accountId),
    category: (deposit) => deposit.categoryCode,
    points: (deposit) => deposit.amount,
    transfer: (deposit, _args, ctx) => transferOfDeposit(ctx, deposit),
  },
  ServiceRecord: {
    // The requests subgraph owns service records; a well-formed id is all this one needs, and the volunteer requests
    // shows for the record when the gateway added it for depositOutcome (null: requests shows none).
    __resolveReference: (reference) => {
      if (!isUuid(reference.id)) return null;
      if (!('volunteer' in reference) || reference.volunteer === undefined) return { id: reference.id };
      const volunteerId = reference.volunteer?.id;
      return { id: reference.id, reportedVolunteerId: typeof volunteerId === 'string' && isUuid(volunteerId) ? volunteerId.toLowerCase() : null };
    },
    deposit: (record, _args, ctx) => depositOfServiceRecord(ctx, record.id),
    depositOutcome: (record, _args, ctx) => depositOutcomeOf(ctx, record),
    transfer: async (record, _args, ctx) => {
      const deposit = await depositOfServiceRecord(ctx, record.id);
      return deposit ? transferOfDeposit(ctx, deposit) : null;
    },
  },
};
