import type { BaseContext, Database } from '@lianxin/shared';
import { createLoaders, type RequestsLoaders } from './loaders.js';

/** What requests resolvers see: the viewer, the database and this request's loaders. */
export interface RequestsContext extends BaseContext {
  db: Database;
  loaders: RequestsLoaders;
}

export function createRequestsContext(base: BaseContext, db: Database): RequestsContext {
  return { ...base, db, loaders: createLoaders(db) };
}
