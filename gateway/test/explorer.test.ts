/**
 * The explorer as the gateway serves it: where and when it is served, the
 * headers that keep its page to the gateway's own origin, and how a gateway
 * gets a build of it. (test/browser.test.ts runs it in a real browser.)
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { ConfigError, createLogger } from '@lianxin/shared';
import { EXPLORER_CONTENT_SECURITY_POLICY, builtStamp, explorerRoutes, explorerStamp, loadGatewayConfig, prepareExplorer } from '../src/index.js';
import { startLoneGateway, type LoneGateway } from './support.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
  AUTH_ISSUER: 'https://idp.example',
  VIEWER_TOKEN_SECRET: 'a-production-viewer-secret-of-32-chars!',
};
const silent = createLogger('explorer', 'silent');

let development: LoneGateway;
let production: LoneGateway;
let productionWithExplorer: LoneGateway;
let developmentWithout: LoneGateway;
const scratch: string[] = [];

beforeAll(async () => {
  // The gateways serve the build in gateway/explorer/dist/, made here when missing or outdated.
  await prepareExplorer({ nodeEnv: 'development', explorer: { enabled: true } }, silent);
  development = await startLoneGateway();
  production = await startLoneGateway(PRODUCTION);
  productionWithExplorer = await startLoneGateway({ ...PRODUCTION, EXPLORER_ENABLED: 'true' });
  developmentWithout = await startLoneGateway({ EXPLORER_ENABLED: 'false' });
}, 120_000);
afterAll(async () => {
  for (const gateway of [development, production, productionWithExplorer, developmentWithout]) await gateway?.server.close();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

const at = (gateway: LoneGateway, path: string, init?: RequestInit) => fetch(new URL(path, gateway.server.origin), init);

async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lianxin-explorer-'));
  scratch.push(dir);
  return dir;
}

describe('serving', () => {
  it('serves the page in development, with a policy that forbids other origins', async () => {
    for (const path of ['/explorer', '/explorer/']) {
      const response = await at(development, path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toBe(EXPLORER_CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await response.text();
      const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
      expect(urls).toEqual(['data:,', '/explorer/explorer.css', '/explorer/explorer.js']);
    }
  });

  it('forbids scripts, styles, connections and framing from anywhere but the gateway', () => {
    const directives = Object.fromEntries(
      EXPLORER_CONTENT_SECURITY_POLICY.split('; ')
        .map((directive) => directive.split(' ') as [string, ...string[]])
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('serves the bundle beside the page, under the same policy', async () => {
    const script = await at(development, '/explorer/explorer.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(EXPLORER_CONTENT_SECURITY_POLICY);
    expect((await script.text()).length).toBeGreaterThan(100_000);
    const style = await at(development, '/explorer/explorer.css');
    expect(style.status).toBe(200);
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers anything else under /explorer as any unknown path', async () => {
    const unknown = await at(development, '/nowhere');
    for (const response of [await at(development, '/explorer/nothing.js'), await at(development, '/explorer', { method: 'POST' })]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(await unknown.clone().json());
    }
  });

  it('is not served in production unless EXPLORER_ENABLED=true, nor in development with EXPLORER_ENABLED=false', async () => {
    for (const gateway of [production, developmentWithout]) {
      const response = await at(gateway, '/explorer');
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    }
    const enabled = await at(productionWithExplorer, '/explorer');
    expect(enabled.status).toBe(200);
    expect(enabled.headers.get('content-security-policy')).toBe(EXPLORER_CONTENT_SECURITY_POLICY);
  });

  it('changes nothing about the graph in production: introspection stays for analysts and platform admins', async () => {
    const { status, body } = await productionWithExplorer.post({ query: '{ __schema { queryType { name } } }' });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toBe('Introspection is not available.');
  });

  it('answers 503 naming the command when the explorer has not been built', async () => {
    const app = express();
    app.use('/explorer', explorerRoutes(await scratchDir()));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/explorer`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        errors: [{ message: 'The explorer has not been built: run `npm run build:explorer`.', extensions: { code: 'EXPLORER_NOT_BUILT' } }],
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('configuration', () => {
  it('serves the explorer outside production, and in production only when asked', () => {
    expect(loadGatewayConfig({}).explorer).toEqual({ enabled: true });
    expect(loadGatewayConfig({ EXPLORER_ENABLED: 'false' }).explorer).toEqual({ enabled: false });
    expect(loadGatewayConfig(PRODUCTION).explorer).toEqual({ enabled: false });
    expect(loadGatewayConfig({ ...PRODUCTION, EXPLORER_ENABLED: 'true' }).explorer).toEqual({ enabled: true });
    expect(() => loadGatewayConfig({ EXPLORER_ENABLED: 'sometimes' })).toThrow(/EXPLORER_ENABLED/);
  });
});

describe('prepareExplorer', () => {
  const developmentConfig = { nodeEnv: 'development' as const, explorer: { enabled: true } };
  const productionConfig = { nodeEnv: 'production' as const, explorer: { enabled: true } };

  it('builds a missing explorer outside production, and then finds it current', async () => {
    const dir = join(await scratchDir(), 'dist');
    expect(await prepareExplorer(developmentConfig, silent, { dir })).toBe('built');
    expect((await readdir(dir)).sort()).toEqual(expect.arrayContaining(['build-stamp.txt', 'explorer.css', 'explorer.js', 'index.html']));
    expect(await builtStamp(dir)).toBe(await explorerStamp());
    expect(await prepareExplorer(developmentConfig, silent, { dir })).toBe('current');
  }, 120_000);

  it('builds again outside production when the sources changed since', async () => {
    const dir = await scratchDir();
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'build-stamp.txt'), 'from other sources\n');
    expect(await prepareExplorer(developmentConfig, silent, { dir })).toBe('built');
    expect(await builtStamp(dir)).toBe(await explorerStamp());
  }, 120_000);

  it('refuses to start a production gateway asked to serve an explorer that was not built', async () => {
    const dir = await scratchDir();
    await expect(prepareExplorer(productionConfig, silent, { dir })).rejects.toThrow(ConfigError);
    await expect(prepareExplorer(productionConfig, silent, { dir })).rejects.toThrow(`EXPLORER_ENABLED: the explorer is not built (nothing in ${dir}); run npm run build:explorer`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('serves the release build in production even when the sources here differ, and builds nothing', async () => {
    const dir = await scratchDir();
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'build-stamp.txt'), 'from other sources\n');
    expect(await prepareExplorer(productionConfig, silent, { dir })).toBe('outdated');
    expect((await readdir(dir)).sort()).toEqual(['build-stamp.txt', 'index.html']);
  });

  it('does nothing when the explorer is off', async () => {
    const dir = await scratchDir();
    expect(await prepareExplorer({ nodeEnv: 'production', explorer: { enabled: false } }, silent, { dir })).toBe('disabled');
    expect(await readdir(dir)).toEqual([]);
  });
});
