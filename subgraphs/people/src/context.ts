import type { BaseContext, Database, SubgraphContext } from '@lianxin/shared';
import { createLoaders, type PeopleLoaders } from './loaders.js';

/** What people resolvers see: the viewer, the database and this request's loaders. */
export type PeopleContext = SubgraphContext<PeopleLoaders>;

export function createPeopleContext(base: BaseContext, db: Database): PeopleContext {
  return { ...base, db, loaders: createLoaders(db) };
}
