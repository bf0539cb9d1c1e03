import { derivedId, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { createCategory, listCategories, renameCategory, retireCategory, setCategoryForMinors } from './service.js';

export const categoryResolvers: Resolvers = {
  Query: {
    categories: (_parent, _args, ctx) => listCategories(ctx),
  },
  Mutation: {
    serviceCategoryCreate: async (_parent, { input }, ctx) => toPayload('category', await createCategory(ctx, input)),
    serviceCategoryRename: async (_parent, { input }, ctx) => toPayload('category', await renameCategory(ctx, input)),
    serviceCategoryRetire: async (_parent, { input }, ctx) => toPayload('category', await retireCategory(ctx, input)),
    serviceCategoryMinorsSet: async (_parent, { input }, ctx) => toPayload('category', await setCategoryForMinors(ctx, input)),
  },
  Category: {
    id: (category) => derivedId('Category', category.code),
  },
};
