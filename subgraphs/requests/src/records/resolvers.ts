import { payloadAsItStands, required } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { relatedRequest } from '../requests/reads.js';
import { correctServiceRecord, correctionOf, getServiceRecord, listRecordsOfPerson, resolveServiceRecord, resolveServiceRecordReference, serviceHoursOf } from './service.js';

export const recordResolvers: Resolvers = {
  Query: {
    serviceRecord: (_parent, { id }, ctx) => getServiceRecord(ctx, id),
  },
  Mutation: {
    serviceRecordCorrect: async (_parent, { input }, ctx) => {
      // Refused, the record's earlier correction as it stands, if it has one: the reversal exists only once.
      const { correction, userErrors } = await payloadAsItStands(ctx, 'correction', await correctServiceRecord(ctx, input), () => correctionOf(ctx, input.record));
      return { reversal: correction?.reversal ?? null, replacement: correction?.replacement ?? null, userErrors };
    },
  },
  ServiceRecord: {
    __resolveReference: (reference, ctx) => resolveServiceRecordReference(ctx, reference.id),
    volunteer: (record) => ({ id: record.volunteerId }),
    category: async (record, _args, ctx) => {
      const category = await ctx.loaders.categoryByCode.load(record.categoryCode);
      return required(category, `category of service record ${record.id}`);
    },
    place: (record) => (record.regionId ? { id: record.regionId } : null),
    serviceRequest: (record, _args, ctx) => relatedRequest(ctx, record.requestId),
    activity: (record, _args, ctx) => (record.activityId ? ctx.loaders.activityById.load(record.activityId) : null),
    verifiedBy: (record) => (record.verifiedById ? { id: record.verifiedById } : null),
    reverses: (record, _args, ctx) => resolveServiceRecord(ctx, record.reversesId),
    corrects: (record, _args, ctx) => resolveServiceRecord(ctx, record.correctsId),
    reversedBy: async (record, _args, ctx) => {
      const reversal = await ctx.loaders.reversalOfRecord.load(record.id);
      return resolveServiceRecord(ctx, reversal?.id ?? null);
    },
  },
  Person: {
    serviceHours: (parent, { from, to }, ctx) => serviceHoursOf(ctx, parent.id, from, to),
    serviceRecords: (parent, { first, after }, ctx) => listRecordsOfPerson(ctx, parent.id, { first, after }),
  },
};
