/**
 * When the embedded start takes its demo ready-made (scripts/embedded-demo.ts):
 * a snapshot or a marked data folder is used only while it matches the code
 * and the settings that would load the demo now, and never off PGlite.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { embeddedDemoFolder, embeddedDemoStamp, markEmbeddedDemo, planEmbeddedDemo } from '../scripts/embedded-demo.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A data folder holding (the marker file of) an embedded database. */
function folderWithDatabase(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'lianxin-embedded-demo-'));
  folders.push(folder);
  mkdirSync(path.join(folder, 'pglite'));
  writeFileSync(path.join(folder, 'pglite', 'PG_VERSION'), '18\n');
  return folder;
}

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ NODE_ENV: 'development', DATA_DIR: '.data', ...extra });

describe('the embedded demo', () => {
  it('applies only to an embedded start that loads the demo with events through the one database', () => {
    expect(embeddedDemoFolder(env())).toBe('.data');
    expect(embeddedDemoFolder(env({ DATABASE_URL: 'postgres://127.0.0.1:5432/lianxin' }))).toBeNull();
    expect(embeddedDemoFolder(env({ POINTS_DATABASE_URL: 'postgres://127.0.0.1:5432/points' }))).toBeNull();
    expect(embeddedDemoFolder(env({ DEMO_DATA: 'false' }))).toBeNull();
    expect(embeddedDemoFolder(env({ MIGRATE_ON_START: 'false' }))).toBeNull();
  });

  it('is stamped with the settings that seal its data: another people data key makes another demo', async () => {
    const plain = await embeddedDemoStamp(env());
    expect(await embeddedDemoStamp(env())).toEqual(plain);
    const otherKey = await embeddedDemoStamp(env({ PEOPLE_DATA_KEY: Buffer.alloc(32, 7).toString('base64') }));
    expect(otherKey.source).not.toBe(plain.source);
    expect(otherKey.day).toBe(plain.day);
  });

  it('is not seeded again in a folder marked with the current stamp, and is in one marked with another', async () => {
    const marked = folderWithDatabase();
    await markEmbeddedDemo(marked, await embeddedDemoStamp(env()));
    expect(await planEmbeddedDemo(marked, env())).toEqual({ kind: 'loaded' });
    expect((await planEmbeddedDemo(marked, env({ ANALYTICS_MIN_CELL: '20' }))).kind).toBe('load');

    const unmarked = folderWithDatabase();
    expect((await planEmbeddedDemo(unmarked, env())).kind).toBe('load');
  });

  it('is loaded statement by statement in memory, where there is no folder to copy a snapshot into', async () => {
    expect((await planEmbeddedDemo('memory://embedded-demo-test', env())).kind).toBe('load');
  });
});
