import type { SubgraphBaseContext, Database, SubgraphContext } from '@lianxin/shared';
import { createLoaders, type RecognitionLoaders } from './loaders.js';

/** What recognition resolvers see: the viewer, the database and this request's loaders. */
export type RecognitionContext = SubgraphContext<RecognitionLoaders>;

export function createRecognitionContext(base: SubgraphBaseContext, db: Database): RecognitionContext {
  const freshLoaders = () => createLoaders(db);
  return { ...base, db, loaders: freshLoaders(), freshLoaders };
}
