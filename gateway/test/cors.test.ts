/**
 * Browsers on other origins, over real HTTP: preflights and actual requests
 * from allowed and refused origins, in development and production, and CSRF
 * prevention unchanged behind CORS. (test/browser.test.ts does the same from
 * a real browser.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '@lianxin/shared';
import { CORS_EXPOSED_HEADERS, CORS_REQUEST_HEADERS, DEFAULT_CORS_MAX_AGE_SECONDS, loadGatewayConfig, mintDevToken } from '../src/index.js';
import { startLoneGateway, type LoneGateway } from './support.js';

const ADMIN_WEB = 'https://admin.lianxin.example';
const DEV_SERVER = 'http://localhost:5173';
const STRANGER = 'https://evil.example';
const PRODUCTION = {
  NODE_ENV: 'production',
  AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
  AUTH_ISSUER: 'https://idp.example',
  VIEWER_TOKEN_SECRET: 'a-production-viewer-secret-of-32-chars!',
};

let development: LoneGateway;
let production: LoneGateway;
let productionListed: LoneGateway;

beforeAll(async () => {
  development = await startLoneGateway({ CORS_ORIGINS: ADMIN_WEB, RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
  production = await startLoneGateway({ ...PRODUCTION, RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
  productionListed = await startLoneGateway({
    ...PRODUCTION,
    CORS_ORIGINS: `${ADMIN_WEB}, http://localhost:8080`,
    CORS_MAX_AGE_SECONDS: '120',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
  });
});
afterAll(async () => {
  await development?.server.close();
  await production?.server.close();
  await productionListed?.server.close();
});

/** What a browser sends before a cross-origin POST with JSON and a bearer token. */
async function preflight(gateway: LoneGateway, origin?: string): Promise<Response> {
  return fetch(gateway.server.url, {
    method: 'OPTIONS',
    headers: {
      ...(origin ? { origin } : {}),
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-max-age',
  'access-control-expose-headers',
];

function corsHeadersOf(response: Response): Record<string, string> {
  return Object.fromEntries(CORS_HEADERS.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name) ?? '']] : [])));
}

const list = (value: string | null) => (value ?? '').split(',').map((part) => part.trim().toLowerCase());

describe('preflights in development', () => {
  it.each([DEV_SERVER, 'http://127.0.0.1:3000', 'http://[::1]:8080', 'https://localhost', ADMIN_WEB])('are answered for %s', async (origin) => {
    const response = await preflight(development, origin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(list(response.headers.get('access-control-allow-methods'))).toEqual(['get', 'post']);
    expect(list(response.headers.get('access-control-allow-headers'))).toEqual([...CORS_REQUEST_HEADERS]);
    expect(response.headers.get('access-control-max-age')).toBe(String(DEFAULT_CORS_MAX_AGE_SECONDS));
    expect(list(response.headers.get('vary'))).toContain('origin');
    // Bearer tokens travel in a header the page sets itself: no cookies, so no credentials.
    expect(response.headers.has('access-control-allow-credentials')).toBe(false);
  });

  it.each([STRANGER, 'http://localhost.evil.example:5173', 'http://127.0.0.2:3000', 'null', 'http://localhost:5173/'])(
    'get no CORS headers from %s, and the answer a request without an Origin gets',
    async (origin) => {
      const refused = await preflight(development, origin);
      const withoutOrigin = await preflight(development);
      expect(corsHeadersOf(refused)).toEqual({});
      expect(refused.status).toBe(withoutOrigin.status);
      expect(refused.status).not.toBe(204);
      expect(await refused.text()).toBe(await withoutOrigin.text());
      expect(list(refused.headers.get('vary'))).toContain('origin');
    },
  );
});

describe('actual requests', () => {
  const typename = { query: '{ __typename }' };

  it('from an allowed origin get their answer with the origin allowed and the trace id exposed', async () => {
    const { status, headers, body } = await development.post(typename, { origin: DEV_SERVER });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { __typename: 'Query' } });
    expect(headers.get('access-control-allow-origin')).toBe(DEV_SERVER);
    expect(list(headers.get('access-control-expose-headers'))).toEqual([...CORS_EXPOSED_HEADERS]);
    expect(headers.get('x-trace-id')).toBeTruthy();
    expect(list(headers.get('vary'))).toContain('origin');
    expect(headers.has('access-control-allow-credentials')).toBe(false);
  });

  it('from an allowed origin with a bad token get the 401 in a form the page can read', async () => {
    const { status, headers, body } = await development.post(typename, { origin: DEV_SERVER, authorization: 'Bearer not-a-token' });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MALFORMED' });
    expect(headers.get('access-control-allow-origin')).toBe(DEV_SERVER);
    expect(list(headers.get('access-control-expose-headers'))).toContain('www-authenticate');
  });

  it('from an allowed origin carry a bearer token as any client does', async () => {
    const { auth } = development.config;
    if (auth.kind !== 'dev-secret') throw new Error('the development gateway checks dev tokens');
    const token = await mintDevToken({ roles: ['volunteer'] }, auth);
    const { status, headers } = await development.post(typename, { origin: ADMIN_WEB, authorization: `Bearer ${token}` });
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe(ADMIN_WEB);
  });

  it('from another origin are served as without an Origin, with no CORS headers', async () => {
    const refused = await development.post(typename, { origin: STRANGER });
    const plain = await development.post(typename);
    expect(refused.status).toBe(plain.status);
    expect(refused.body).toEqual(plain.body);
    expect(corsHeadersOf(new Response(null, { headers: refused.headers }))).toEqual({});
    expect(list(refused.headers.get('vary'))).toContain('origin');
  });
});

describe('CSRF prevention behind CORS', () => {
  const get = (gateway: LoneGateway, headers: Record<string, string>) => fetch(`${gateway.server.url}?query=${encodeURIComponent('{ __typename }')}`, { headers });

  it('still refuses a GET from an allowed origin whose content type a browser sends without a preflight', async () => {
    const response = await get(development, { origin: DEV_SERVER, 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0]?.message).toMatch(/Cross-Site Request Forgery/);
  });

  it('still refuses a GET without any content type or preflight header', async () => {
    const response = await get(development, { origin: DEV_SERVER });
    expect(response.status).toBe(400);
  });

  it('serves a GET carrying apollo-require-preflight, a header only a preflight lets through', async () => {
    const response = await get(development, { origin: DEV_SERVER, 'apollo-require-preflight': 'true' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(DEV_SERVER);
  });

  it('still refuses a form POST, before GraphQL', async () => {
    const response = await fetch(development.server.url, {
      method: 'POST',
      headers: { origin: DEV_SERVER, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    });
    expect(response.status).toBe(415);
  });
});

describe('in production', () => {
  it('no origin is allowed by default, localhost included', async () => {
    for (const origin of [DEV_SERVER, 'http://127.0.0.1:3000', ADMIN_WEB]) {
      const response = await preflight(production, origin);
      expect(corsHeadersOf(response)).toEqual({});
    }
    const { status, headers } = await production.post({ query: '{ __typename }' }, { origin: DEV_SERVER });
    expect(status).toBe(200);
    expect(headers.has('access-control-allow-origin')).toBe(false);
  });

  it('the origins in CORS_ORIGINS are allowed, with the configured preflight lifetime, and no other localhost port', async () => {
    for (const origin of [ADMIN_WEB, 'http://localhost:8080']) {
      const response = await preflight(productionListed, origin);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-max-age')).toBe('120');
    }
    expect(corsHeadersOf(await preflight(productionListed, DEV_SERVER))).toEqual({});
    const { status, headers } = await productionListed.post({ query: '{ __typename }' }, { origin: ADMIN_WEB });
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe(ADMIN_WEB);
  });
});

describe('configuration', () => {
  const load = (env: Record<string, string>) => () => loadGatewayConfig(env);

  it('reads a comma-separated list of exact origins', () => {
    expect(loadGatewayConfig({ CORS_ORIGINS: ` ${ADMIN_WEB} ,http://localhost:8080,,${ADMIN_WEB}` }).cors).toEqual({
      origins: [ADMIN_WEB, 'http://localhost:8080'],
      allowLocalhost: true,
      maxAgeSeconds: DEFAULT_CORS_MAX_AGE_SECONDS,
    });
    expect(loadGatewayConfig({ ...PRODUCTION }).cors).toEqual({ origins: [], allowLocalhost: false, maxAgeSeconds: DEFAULT_CORS_MAX_AGE_SECONDS });
  });

  it.each([
    ['https://admin.lianxin.example/', /CORS_ORIGINS: "https:\/\/admin\.lianxin\.example\/" is not an origin as browsers send it: write https:\/\/admin\.lianxin\.example /],
    ['https://admin.lianxin.example/app', /CORS_ORIGINS: .* write https:\/\/admin\.lianxin\.example /],
    ['https://Admin.Lianxin.example', /write https:\/\/admin\.lianxin\.example /],
    ['https://admin.lianxin.example:443', /write https:\/\/admin\.lianxin\.example /],
    ['admin.lianxin.example', /CORS_ORIGINS: "admin\.lianxin\.example" is not a URL/],
    ['ftp://files.example', /CORS_ORIGINS: "ftp:\/\/files\.example" is not an http or https origin/],
    ['*', /CORS_ORIGINS: a wildcard is not accepted/],
    [`${ADMIN_WEB},nope`, /CORS_ORIGINS: "nope" is not a URL/],
  ])('refuses to start with CORS_ORIGINS=%s, naming it', (value, message) => {
    expect(load({ CORS_ORIGINS: value })).toThrow(ConfigError);
    expect(load({ CORS_ORIGINS: value })).toThrow(message);
  });

  it('bounds the preflight lifetime', () => {
    expect(loadGatewayConfig({ CORS_MAX_AGE_SECONDS: '0' }).cors.maxAgeSeconds).toBe(0);
    expect(load({ CORS_MAX_AGE_SECONDS: '-1' })).toThrow(/CORS_MAX_AGE_SECONDS/);
    expect(load({ CORS_MAX_AGE_SECONDS: '86401' })).toThrow(/CORS_MAX_AGE_SECONDS/);
  });
});
