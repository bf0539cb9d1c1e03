import { derivedId } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { listCategories } from './service.js';

export const categoryResolvers: Resolvers = {
  Query: {
    categories: (_parent, _args, ctx) => listCategories(ctx),
  },
  Category: {
    id: (category) => derivedId('Category', category.code),
  },
};
