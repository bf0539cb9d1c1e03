import type { BaseContext, Database, SubgraphContext } from '@lianxin/shared';
import { createLoaders, type RequestsLoaders } from './loaders.js';

/** What requests resolvers see: the viewer, the database and this request's loaders. */
export type RequestsContext = SubgraphContext<RequestsLoaders>;

export function createRequestsContext(base: BaseContext, db: Database): RequestsContext {
  return { ...base, db, loaders: createLoaders(db) };
}
