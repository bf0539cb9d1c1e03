/**
 * The explorer's build left to its first request (`npm start`): nothing is
 * built at start, the first request of the page waits for the build and gets
 * the page, and a production gateway still decides at start.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { ConfigError, createLogger } from '@lianxin/shared';
import { builtStamp, explorerRoutes, explorerStamp, prepareExplorer } from '../src/index.js';

const silent = createLogger('explorer', 'silent');
const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lianxin-explorer-deferred-'));
  scratch.push(dir);
  return dir;
}

describe('prepareExplorer on first request', () => {
  it('builds nothing at start, and builds the page when it is first asked for', async () => {
    const dir = join(await scratchDir(), 'dist');
    expect(await prepareExplorer({ nodeEnv: 'development', explorer: { enabled: true } }, silent, { dir, onFirstRequest: true })).toBe('deferred');
    expect(await builtStamp(dir)).toBeNull();

    const app = express();
    app.use('/explorer', explorerRoutes(dir));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const [page, again] = await Promise.all([fetch(`${origin}/explorer`), fetch(`${origin}/explorer/`)]);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(again.status).toBe(200);
      expect(await builtStamp(dir)).toBe(await explorerStamp());
      expect((await fetch(`${origin}/explorer/explorer.js`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 120_000);

  it('still refuses at start in production when there is no build', async () => {
    const dir = await scratchDir();
    await expect(prepareExplorer({ nodeEnv: 'production', explorer: { enabled: true } }, silent, { dir, onFirstRequest: true })).rejects.toThrow(ConfigError);
    expect(await readdir(dir)).toEqual([]);
  });
});
