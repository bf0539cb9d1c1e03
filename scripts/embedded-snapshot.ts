/**
 * `npm run embedded:snapshot` (run by `npm ci` and `npm install` as the
 * `prepare` script): makes the embedded start's demo database once, so that
 * `npm start` on an empty data folder opens it instead of loading the demo
 * statement by statement (scripts/embedded-demo.ts). Nothing to do when the
 * snapshot is current or this environment starts on Postgres; a failure only
 * warns, as the start loads the demo itself without a snapshot.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { drainSubgraphEvents, openDatabase, prepareSubgraph, type BaseContext, type SubgraphModule } from '@lianxin/shared';
import { EMBEDDED_MODULES, EMBEDDED_SNAPSHOT, embeddedDemoFolder, embeddedDemoStamp, saveEmbeddedSnapshot, savedSnapshotStamp } from './embedded-demo.js';

const started = performance.now();
const say = (line: string) => process.stdout.write(`lianxin: ${line}\n`);
// Made in a folder of its own, moved into place once whole and closed.
const dataDir = `${EMBEDDED_SNAPSHOT}.${process.pid}`;
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };

try {
  const stamp = await embeddedDemoStamp(env);
  const saved = await savedSnapshotStamp();
  if (embeddedDemoFolder(env) === null) {
    say('no embedded demo snapshot: this environment starts on Postgres, NATS or without demo data');
  } else if (saved?.source === stamp.source && saved.day === stamp.day) {
    say('the embedded demo snapshot is current');
  } else {
    await rm(dataDir, { recursive: true, force: true });
    const database = await openDatabase({ dataDir });
    let closed = false;
    try {
      // In the order the start prepares them: each subgraph's migrations and seeds before the next's.
      const prepare = <TContext extends BaseContext, TSettings>(module: SubgraphModule<TContext, TSettings>) =>
        prepareSubgraph(module, database, { demoData: true, settings: module.settings(env), migrate: true });
      await prepare(peopleSubgraph);
      await prepare(requestsSubgraph);
      await prepare(pointsSubgraph);
      await prepare(recognitionSubgraph);
      await drainSubgraphEvents(EMBEDDED_MODULES.map((module) => ({ database, ...(module.consumer ? { consumer: module.consumer } : {}) })));
      // Closed, the database has written everything to its folder and shut down cleanly: a copy opens without recovery.
      await database.close();
      closed = true;
      await saveEmbeddedSnapshot(path.join(dataDir, 'pglite'), stamp);
      say(`embedded demo snapshot made in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      if (!closed) await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
} catch (error) {
  // npm start loads the demo itself when there is no snapshot: an install does not fail for the want of one.
  say(`no embedded demo snapshot (npm start will load the demo itself): ${error instanceof Error ? error.message : String(error)}`);
}
