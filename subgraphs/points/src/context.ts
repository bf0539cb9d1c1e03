import type { SubgraphBaseContext, Database, SubgraphContext } from '@lianxin/shared';
import { createLoaders, type PointsLoaders } from './loaders.js';
import type { PointsSettings } from './settings.js';

/** What points resolvers see: the viewer, the database, the subgraph's settings and this request's loaders. */
export type PointsContext = SubgraphContext<PointsLoaders> & { settings: PointsSettings };

export function createPointsContext(base: SubgraphBaseContext, db: Database, settings: PointsSettings): PointsContext {
  const freshLoaders = () => createLoaders(db);
  return { ...base, db, settings, loaders: freshLoaders(), freshLoaders };
}
