/**
 * The gateway in production: tokens only from the identity provider,
 * introspection for analysts and platform admins only, no field suggestions,
 * no landing page, CSRF prevention, and identity failures a client can act on.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { Role } from '@lianxin/shared';
import { INTROSPECTION_ROLES, mintDevToken } from '../src/index.js';
import { startLoneGateway, type LoneGateway } from './support.js';

const ISSUER = 'https://idp.example';
let keyServer: http.Server;
let privateKey: CryptoKey;
let jwksUrl: string;
let production: LoneGateway;
let development: LoneGateway;

function idpToken(roles: Role[], extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ roles, ...extra })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('user-1')
    .setIssuer(ISSUER)
    .setAudience('lianxin')
    .setExpirationTime('5m')
    .sign(privateKey);
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  keyServer = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/jwks`;
  production = await startLoneGateway({
    NODE_ENV: 'production',
    AUTH_JWKS_URL: jwksUrl,
    AUTH_ISSUER: ISSUER,
    VIEWER_TOKEN_SECRET: 'a-production-viewer-secret-of-32-chars!',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
    RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0',
  });
  development = await startLoneGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
});
afterAll(async () => {
  await production?.server.close();
  await development?.server.close();
  await new Promise<void>((resolve) => keyServer.close(() => resolve()));
});

const introspection = { query: '{ __schema { queryType { name } } }' };

describe('introspection in production', () => {
  it('is refused to anonymous callers and to roles without the need, in the same words', async () => {
    const anonymous = await production.post(introspection);
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.errors).toEqual([{ message: 'Introspection is not available.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    const resident = await production.post(introspection, { authorization: `Bearer ${await idpToken(['resident', 'bank_clerk'])}` });
    expect(resident.body.errors).toEqual(anonymous.body.errors);
    const byType = await production.post({ query: '{ ...T } fragment T on Query { __type(name: "Person") { name } }' });
    expect(byType.body.errors?.[0]?.message).toBe('Introspection is not available.');
  });

  it.each(INTROSPECTION_ROLES)('is open to %s tokens', async (role) => {
    const response = await production.post(introspection, { authorization: `Bearer ${await idpToken([role])}` });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('leaves __typename to everyone', async () => {
    expect((await production.post({ query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('is open to everyone in development', async () => {
    expect((await development.post(introspection)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('error messages in production', () => {
  it('suggest no field names, where development does', async () => {
    const typo = { query: '{ categorie { code } }' };
    const quiet = await production.post(typo);
    expect(quiet.status).toBe(400);
    expect(quiet.body.errors?.[0]?.message).toBe('Cannot query field "categorie" on type "Query".');
    expect((await development.post(typo)).body.errors?.[0]?.message).toContain('Did you mean "categories"?');
  });

  /** Each way graphql-js hints at names: literals, variables, input-object fields, enum values, arguments, types. */
  const hinting: [string, Record<string, unknown>][] = [
    ['an enum value in a literal', { query: '{ serviceRequests(filter: { status: [SUBMITED] }) { totalCount } }' }],
    ['an enum value in a variable', { query: 'query ($f: ServiceRequestFilter) { serviceRequests(filter: $f) { totalCount } }', variables: { f: { status: ['SUBMITED'] } } }],
    ['an input field in a variable', { query: 'query ($f: PersonFilter) { persons(filter: $f) { totalCount } }', variables: { f: { regio: null } } }],
    ['an input field in a literal', { query: '{ persons(filter: { regio: "x" }) { totalCount } }' }],
    ['an argument', { query: '{ persons(frist: 1) { totalCount } }' }],
    ['a type of a variable', { query: 'query ($f: PersonFiltr) { persons(filter: $f) { totalCount } }' }],
    ['a fragment’s type condition', { query: '{ ...F } fragment F on Querry { __typename }' }],
  ];

  it.each(hinting)('suggest nothing for %s, where development does', async (_name, operation) => {
    const quiet = await production.post(operation);
    expect(quiet.status).toBe(400);
    expect(quiet.body.errors?.length).toBeGreaterThan(0);
    for (const error of quiet.body.errors ?? []) expect(error.message).not.toMatch(/Did you mean/);
    const helpful = await development.post(operation);
    expect(helpful.body.errors?.map((error) => error.message).join(' ')).toMatch(/Did you mean/);
  });
});

describe('the HTTP surface', () => {
  it('serves no landing page', async () => {
    for (const path of ['/', '/graphql']) {
      const response = await fetch(new URL(path, production.server.origin), { headers: { accept: 'text/html' } });
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.text()).not.toMatch(/<html|cdn\./i);
    }
  });

  it('blocks a GET that a browser could send cross-site, and a mutation over GET', async () => {
    const mutation = encodeURIComponent('mutation { accountOpen(input: {}) { userErrors { code } } }');
    const simple = await fetch(`${production.server.url}?query=${mutation}`);
    expect(simple.status).toBe(400);
    expect(((await simple.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/Cross-Site Request Forgery/);
    const preflighted = await fetch(`${production.server.url}?query=${mutation}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(405);
    expect(preflighted.headers.get('allow')).toBe('POST');
  });
});

describe('identity in production', () => {
  it('refuses a token signed with the development secret', async () => {
    const devToken = await mintDevToken({ roles: ['platform_admin'] }, { secret: 'lianxin-dev-auth-secret-do-not-use-in-production', issuer: ISSUER, audience: 'lianxin' });
    const response = await production.post({ query: '{ __typename }' }, { authorization: `Bearer ${devToken}` });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_SIGNATURE_INVALID' });
  });

  it('answers 503, not 401, while the identity provider cannot be reached', async () => {
    const stranded = await startLoneGateway({ NODE_ENV: 'production', AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks', AUTH_ISSUER: ISSUER, VIEWER_TOKEN_SECRET: 'x'.repeat(32) });
    try {
      const response = await stranded.post({ query: '{ __typename }' }, { authorization: `Bearer ${await idpToken(['resident'])}` });
      expect(response.status).toBe(503);
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'IDENTITY_PROVIDER_UNAVAILABLE' });
      // Without a token there is nothing to check: anonymous callers are still served.
      expect((await stranded.post({ query: '{ __typename }' })).status).toBe(200);
    } finally {
      await stranded.server.close();
    }
  });
});

describe('third parties', () => {
  it("are sent nothing: Apollo Gateway's usage exporter is switched off whatever the environment said", async () => {
    const before = process.env['APOLLO_TELEMETRY_DISABLED'];
    delete process.env['APOLLO_TELEMETRY_DISABLED'];
    const gateway = await startLoneGateway();
    try {
      expect(process.env['APOLLO_TELEMETRY_DISABLED']).toBe('true');
    } finally {
      await gateway.server.close();
      if (before === undefined) delete process.env['APOLLO_TELEMETRY_DISABLED'];
      else process.env['APOLLO_TELEMETRY_DISABLED'] = before;
    }
  });
});
