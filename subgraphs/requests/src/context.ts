import type { SubgraphBaseContext, Database, SubgraphContext } from '@lianxin/shared';
import { createLoaders, type RequestsLoaders } from './loaders.js';
import type { RequestsSettings } from './settings.js';

/** What requests resolvers see: the viewer, the database, this request's loaders and the subgraph's settings. */
export type RequestsContext = SubgraphContext<RequestsLoaders> & { settings: RequestsSettings };

export function createRequestsContext(base: SubgraphBaseContext, db: Database, settings: RequestsSettings): RequestsContext {
  const freshLoaders = () => createLoaders(db);
  return { ...base, db, settings, loaders: freshLoaders(), freshLoaders };
}
