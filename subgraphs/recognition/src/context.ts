/** The per-request context of the recognition subgraph. */
import type { BaseContext, Database } from '@lianxin/shared';
import { createLoaders, type RecognitionLoaders } from './loaders.js';

/** What recognition resolvers see: the viewer, the database and this request's loaders. */
export interface RecognitionContext extends BaseContext {
  db: Database;
  loaders: RecognitionLoaders;
}

export function createRecognitionContext(base: BaseContext, db: Database): RecognitionContext {
  return { ...base, db, loaders: createLoaders(db) };
}
