import { createWaveScheduler, waveLoader, type SubgraphBaseContext, type Database, type SubgraphContext, type WaveScheduler } from '@lianxin/shared';
import { createLoaders, type PeopleLoaders } from './loaders.js';
import { createAccessLogWriter, type AccessLogWriter } from './privacy/access-log.js';
import type { PeopleSettings } from './settings.js';

/**
 * What people resolvers see: the viewer, the database, this request's
 * loaders, the keys that open ID numbers, and the request's access log.
 */
export type PeopleContext = SubgraphContext<PeopleLoaders> & {
  settings: PeopleSettings;
  /** Collects this request's unmasked reads and writes them in one statement per batch. */
  accessLog: AccessLogWriter;
  /** The request's batch scheduler, shared by its loaders and its access log. */
  waves: WaveScheduler;
};

export function createPeopleContext(base: SubgraphBaseContext, db: Database, settings: PeopleSettings): PeopleContext {
  const waves = createWaveScheduler();
  // Fresh loaders after a write share the request's scheduler, as the access log does.
  const source = { db, load: waveLoader(waves) };
  const freshLoaders = () => createLoaders(source);
  return { ...base, db, settings, waves, loaders: freshLoaders(), freshLoaders, accessLog: createAccessLogWriter(db, base, waves) };
}
