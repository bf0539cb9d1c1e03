import type { BaseContext, Database } from '@lianxin/shared';
import { createLoaders, type PointsLoaders } from './loaders.js';

/** What points resolvers see: the viewer, the database and this request's loaders. */
export interface PointsContext extends BaseContext {
  db: Database;
  loaders: PointsLoaders;
}

export function createPointsContext(base: BaseContext, db: Database): PointsContext {
  return { ...base, db, loaders: createLoaders(db) };
}
