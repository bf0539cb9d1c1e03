/** The requests subgraph: service categories and requests (DOMAIN.md §2). */
import { defineSubgraph } from '@lianxin/shared';
import { categoryResolvers } from './categories/resolvers.js';
import { createRequestsContext, type RequestsContext } from './context.js';
import { seedRequestsDemo } from './db/demo.js';
import { requestResolvers } from './requests/resolvers.js';

const resolvers = {
  Query: { ...categoryResolvers.Query, ...requestResolvers.Query },
  Mutation: requestResolvers.Mutation,
  ServiceRequest: requestResolvers.ServiceRequest,
  Person: requestResolvers.Person,
};

export const requestsSubgraph = defineSubgraph<RequestsContext>({
  name: 'requests',
  root: new URL('..', import.meta.url),
  resolvers,
  createContext: createRequestsContext,
  seedDemo: seedRequestsDemo,
});
