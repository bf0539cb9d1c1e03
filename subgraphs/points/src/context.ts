import type { BaseContext, Database, SubgraphContext } from '@lianxin/shared';
import { createLoaders, type PointsLoaders } from './loaders.js';

/** What points resolvers see: the viewer, the database and this request's loaders. */
export type PointsContext = SubgraphContext<PointsLoaders>;

export function createPointsContext(base: BaseContext, db: Database): PointsContext {
  return { ...base, db, loaders: createLoaders(db) };
}
