/**
 * The embedded start's demo database, made once instead of on every fresh
 * start. Loading the demo on PGlite means initdb, every subgraph's
 * migrations, the seeds and the events they announce applied one by one:
 * tens of seconds of WebAssembly on a fresh data folder. The snapshot is that
 * database after all of it (the folder of a closed PGlite), made when the
 * packages are installed (`npm run embedded:snapshot`, the `prepare` script)
 * and used by a start whose data folder is empty.
 *
 * It is used only while it is current. Its stamp covers what the load ran
 * (the sources and migrations of the shared package and the subgraphs, the
 * lock file), the subgraphs' settings as this environment gives them (the
 * people data keys seal the demo's ID numbers) and the demo's day: the
 * stories are dated relative to the day they are loaded, so a snapshot made
 * on another day is not used. Otherwise the start loads the demo itself, as
 * it always did.
 *
 * A data folder loaded either way is marked with the stamp's source part, so
 * a later start on it skips the seeds (idempotent, but a few seconds of
 * statements each time) while the code that seeds is unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { loadSubgraphConfig, pgliteExists } from '@lianxin/shared';
import { DEMO_LAST_YEAR, DEMO_SHIFT_DAYS } from '@lianxin/shared/demo';
import { REPOSITORY_ROOT as ROOT } from './root.js';

/** Where the snapshot and its stamp are kept: an install's cache, gone with node_modules. */
export const EMBEDDED_SNAPSHOT_DIR = path.join(ROOT, 'node_modules', '.cache', 'lianxin');
/** The snapshot: the folder of a closed PGlite database, copied to a start's empty DATA_DIR/pglite. */
export const EMBEDDED_SNAPSHOT = path.join(EMBEDDED_SNAPSHOT_DIR, 'embedded-demo');
const SNAPSHOT_STAMP = path.join(EMBEDDED_SNAPSHOT_DIR, 'embedded-demo.json');
/** The mark a data folder gets once its demo is loaded, beside the database's own folder (DATA_DIR/pglite). */
const LOADED_MARK = 'demo-loaded.json';

/** Folders whose files decide what the demo load writes: code, seeds, consumers and migrations. */
const SOURCE_FOLDERS = ['shared/src', 'subgraphs/people', 'subgraphs/requests', 'subgraphs/points', 'subgraphs/recognition'];
/** Inside those, what never runs in the load. */
const SKIPPED = new Set(['node_modules', 'dist', 'test', '.turbo']);

export const EMBEDDED_MODULES = [peopleSubgraph, requestsSubgraph, pointsSubgraph, recognitionSubgraph] as const;

/** What a demo database was made from: `source` (code and settings) and the demo's `day`. */
export interface EmbeddedDemoStamp {
  source: string;
  day: string;
}

async function filesUnder(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(ROOT, folder), { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await filesUnder(relative)));
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}

/** Settings as JSON for the hash (keys included: only their hash is kept). */
function settingsText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}

/** The stamp a demo database made now, in this environment, from this checkout would carry. */
export async function embeddedDemoStamp(env: NodeJS.ProcessEnv): Promise<EmbeddedDemoStamp> {
  const hash = createHash('sha256');
  const files = (await Promise.all(SOURCE_FOLDERS.map(filesUnder))).flat().sort();
  for (const file of [...files, 'package-lock.json']) hash.update(`${file}\n`).update(await readFile(path.join(ROOT, file)));
  for (const module of EMBEDDED_MODULES) hash.update(`${module.name}\n${settingsText((module.settings as (env: NodeJS.ProcessEnv) => unknown)(env))}\n`);
  return { source: hash.digest('hex'), day: `${DEMO_SHIFT_DAYS}/${DEMO_LAST_YEAR}` };
}

/**
 * The data folder of an embedded start that loads the demo with every
 * subgraph on the one PGlite and events through it: null otherwise (a
 * Postgres, NATS, no demo data, or a start that does not migrate), where
 * neither the snapshot nor the mark applies.
 */
export function embeddedDemoFolder(env: NodeJS.ProcessEnv): string | null {
  const configs = EMBEDDED_MODULES.map((module) => loadSubgraphConfig(module.name, env));
  const [first] = configs;
  const applies = configs.every(
    (config) => !config.databaseUrl && config.demoData && config.migrateOnStart && config.events.transport === 'database' && config.dataDir === first?.dataDir,
  );
  return applies && first ? first.dataDir : null;
}

/** How an embedded start gets its demo: from the snapshot, already in its folder, or by loading it. */
export type EmbeddedDemoPlan = { kind: 'snapshot'; snapshot: string; stamp: EmbeddedDemoStamp } | { kind: 'loaded' } | { kind: 'load'; stamp: EmbeddedDemoStamp };

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

const markFile = (dataDir: string) => path.join(dataDir, LOADED_MARK);

/** Decides how the embedded start in `dataDir` gets its demo (see the top of this file). */
export async function planEmbeddedDemo(dataDir: string, env: NodeJS.ProcessEnv): Promise<EmbeddedDemoPlan> {
  const stamp = await embeddedDemoStamp(env);
  if (pgliteExists(dataDir)) {
    const mark = dataDir.startsWith('memory://') ? null : await readJson<Pick<EmbeddedDemoStamp, 'source'>>(markFile(dataDir));
    return mark?.source === stamp.source ? { kind: 'loaded' } : { kind: 'load', stamp };
  }
  // A database in memory is made afresh by every process: the snapshot is a folder to copy.
  if (dataDir.startsWith('memory://')) return { kind: 'load', stamp };
  const made = await readJson<EmbeddedDemoStamp>(SNAPSHOT_STAMP);
  if (made && made.source === stamp.source && made.day === stamp.day && existsSync(EMBEDDED_SNAPSHOT)) return { kind: 'snapshot', snapshot: EMBEDDED_SNAPSHOT, stamp };
  return { kind: 'load', stamp };
}

/** Marks `dataDir`'s database as holding the demo `stamp` describes (nothing to mark in memory). */
export async function markEmbeddedDemo(dataDir: string, stamp: EmbeddedDemoStamp): Promise<void> {
  if (dataDir.startsWith('memory://')) return;
  await writeFile(markFile(dataDir), `${JSON.stringify({ source: stamp.source })}\n`);
}

/**
 * Moves the closed database folder `folder` into place as the snapshot for
 * `stamp`, replacing any other. The stamp goes first and comes back last, so
 * a start in between finds no current snapshot rather than half of one.
 */
export async function saveEmbeddedSnapshot(folder: string, stamp: EmbeddedDemoStamp): Promise<void> {
  await mkdir(EMBEDDED_SNAPSHOT_DIR, { recursive: true });
  await rm(SNAPSHOT_STAMP, { force: true });
  await rm(EMBEDDED_SNAPSHOT, { recursive: true, force: true });
  await rename(folder, EMBEDDED_SNAPSHOT);
  await writeFile(SNAPSHOT_STAMP, `${JSON.stringify(stamp)}\n`);
}

/** The snapshot's stamp, when there is one. */
export function savedSnapshotStamp(): Promise<EmbeddedDemoStamp | null> {
  return readJson<EmbeddedDemoStamp>(SNAPSHOT_STAMP);
}
