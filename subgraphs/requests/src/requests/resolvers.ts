import { fromGraphQLEnum, toGraphQLEnum, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import {
  createServiceRequest,
  getServiceRequest,
  listRequestsOfPerson,
  resolvePersonReference,
  resolveServiceRequestReference,
} from './service.js';

export const requestResolvers: Resolvers = {
  Query: {
    serviceRequest: (_parent, { id }, ctx) => getServiceRequest(ctx, id),
  },
  Mutation: {
    serviceRequestCreate: async (_parent, { input }, ctx) =>
      toPayload(
        'serviceRequest',
        await createServiceRequest(ctx, {
          requester: input.requester,
          category: input.category,
          description: input.description,
          channel: input.channel ? fromGraphQLEnum(input.channel) : null,
        }),
      ),
  },
  ServiceRequest: {
    __resolveReference: (reference, ctx) => resolveServiceRequestReference(ctx, reference.id),
    requester: (request) => ({ id: request.requesterId }),
    category: async (request, _args, ctx) => {
      const category = await ctx.loaders.categoryByCode.load(request.categoryCode);
      // The foreign key guarantees the row; a miss means the database is broken.
      if (!category) throw new Error(`service request ${request.id} has no category row`);
      return category;
    },
    status: (request) => toGraphQLEnum(request.status),
    channel: (request) => toGraphQLEnum(request.channel),
    filedBy: (request) => (request.filedById ? { id: request.filedById } : null),
  },
  Person: {
    __resolveReference: (reference) => resolvePersonReference(reference.id),
    requests: (person, { first, after }, ctx) => listRequestsOfPerson(ctx, person.id, { first, after }),
  },
};
