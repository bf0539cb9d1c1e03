/** Bearer-token verification: dev secret and a real JWKS endpoint, each way a token can be wrong. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { ANONYMOUS } from '@lianxin/shared';
import { AuthenticationError, createAuthenticator, mintDevToken, loadGatewayConfig } from '../src/index.js';

const dev = { kind: 'dev-secret' as const, secret: 'a-development-secret-of-32-characters!', issuer: 'lianxin-dev', audience: 'lianxin' };
const authenticate = createAuthenticator(dev);
const personId = '00000000-0000-7000-8002-000000000001';

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    const extensions = (error as AuthenticationError).extensions;
    expect(extensions['http']).toEqual({ status: 401 });
    return extensions['reason'] as string;
  }
}

describe('dev-secret tokens', () => {
  it('treats a missing header as the anonymous viewer', async () => {
    expect(await authenticate(undefined)).toEqual(ANONYMOUS);
  });

  it('maps the claims of a valid token to the viewer, dropping roles it does not know', async () => {
    const token = await mintDevToken({ roles: ['volunteer', 'team_captain'], personId }, dev);
    const viewer = await authenticate(`Bearer ${token}`);
    expect(viewer).toEqual({ subject: personId, personId, roles: ['volunteer', 'team_captain'], regionIds: [], merchantId: null });
    const withForeignRole = await new SignJWT({ roles: ['volunteer', 'wiki_editor'] })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('s').setIssuer(dev.issuer).setAudience(dev.audience).setExpirationTime('5m')
      .sign(new TextEncoder().encode(dev.secret));
    expect((await authenticate(`Bearer ${withForeignRole}`)).roles).toEqual(['volunteer']);
  });

  it('accepts a token a little early for clock skew, and refuses an expired one', async () => {
    const slightlyExpired = await mintDevToken({ roles: ['resident'], ttlSeconds: -10 }, dev);
    await expect(authenticate(`Bearer ${slightlyExpired}`)).resolves.toMatchObject({ roles: ['resident'] });
    const expired = await mintDevToken({ roles: ['resident'], ttlSeconds: -3600 }, dev);
    expect(await reasonOf(authenticate(`Bearer ${expired}`))).toBe('TOKEN_EXPIRED');
  });

  it.each([
    ['another issuer', { ...dev, issuer: 'someone' }, 'TOKEN_CLAIMS_INVALID'],
    ['another audience', { ...dev, audience: 'someone' }, 'TOKEN_CLAIMS_INVALID'],
    ['another secret', { ...dev, secret: 'another-secret-that-is-long-enough!!' }, 'TOKEN_SIGNATURE_INVALID'],
  ])('refuses a token from %s', async (_name, signer, reason) => {
    const token = await mintDevToken({ roles: ['platform_admin'] }, signer);
    expect(await reasonOf(authenticate(`Bearer ${token}`))).toBe(reason);
  });

  it('refuses malformed headers and claims', async () => {
    expect(await reasonOf(authenticate('Basic dXNlcjpwYXNz'))).toBe('TOKEN_MALFORMED');
    expect(await reasonOf(authenticate('Bearer a.b.c'))).toBe('TOKEN_MALFORMED');
    const badPerson = await new SignJWT({ roles: ['resident'], person_id: "1' or '1'='1" })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('s').setIssuer(dev.issuer).setAudience(dev.audience).setExpirationTime('5m')
      .sign(new TextEncoder().encode(dev.secret));
    expect(await reasonOf(authenticate(`Bearer ${badPerson}`))).toBe('TOKEN_CLAIMS_INVALID');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","roles":["platform_admin"]}').toString('base64url')}.`;
    expect(await reasonOf(authenticate(`Bearer ${unsigned}`))).toBeDefined();
  });
});

describe('partner merchant client-credential tokens', () => {
  const merchantId = '00000000-0000-7000-8009-000000000001';
  const sign = (claims: Record<string, unknown>, subject?: string) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(dev.issuer).setAudience(dev.audience).setExpirationTime('5m');
    if (subject) jwt.setSubject(subject);
    return jwt.sign(new TextEncoder().encode(dev.secret));
  };

  it('speak for the merchant they carry, with no person behind them', async () => {
    const token = await sign({ roles: ['merchant'], merchant_id: merchantId, client_id: 'supermarket-pos' }, 'supermarket-pos');
    expect(await authenticate(`Bearer ${token}`)).toEqual({ subject: 'supermarket-pos', personId: null, roles: ['merchant'], regionIds: [], merchantId });
  });

  it('take the client id as subject when the provider leaves sub out', async () => {
    const token = await sign({ roles: ['merchant'], merchant_id: merchantId, client_id: 'supermarket-pos' });
    expect((await authenticate(`Bearer ${token}`)).subject).toBe('supermarket-pos');
    expect(await reasonOf(authenticate(`Bearer ${await sign({ roles: ['merchant'], merchant_id: merchantId })}`))).toBe('TOKEN_CLAIMS_INVALID');
  });

  it('are refused without the merchant they speak for', async () => {
    const token = await sign({ roles: ['merchant'] }, 'supermarket-pos');
    expect(await reasonOf(authenticate(`Bearer ${token}`))).toBe('TOKEN_CLAIMS_INVALID');
  });

  it('count a merchant id only together with the merchant role', async () => {
    const token = await mintDevToken({ roles: ['volunteer'], personId, merchantId }, dev);
    expect((await authenticate(`Bearer ${token}`)).merchantId).toBeNull();
  });
});

describe('identity-provider tokens checked against a JWKS URL', () => {
  let server: http.Server;
  let privateKey: CryptoKey;
  let jwksUrl: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts a token signed by the provider and refuses an HMAC token', async () => {
    const idp = createAuthenticator({ kind: 'jwks', jwksUrl, issuer: 'https://idp.example', audience: 'lianxin' });
    const token = await new SignJWT({ roles: ['bank_clerk'], region_ids: ['00000000-0000-7000-8001-000000000005'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('clerk-1').setIssuer('https://idp.example').setAudience('lianxin').setExpirationTime('5m')
      .sign(privateKey);
    expect(await idp(`Bearer ${token}`)).toMatchObject({ subject: 'clerk-1', roles: ['bank_clerk'], regionIds: ['00000000-0000-7000-8001-000000000005'] });
    const hmac = await mintDevToken({ roles: ['platform_admin'] }, { ...dev, issuer: 'https://idp.example' });
    expect(await reasonOf(idp(`Bearer ${hmac}`))).toBe('TOKEN_SIGNATURE_INVALID');
  });
});

describe('gateway configuration', () => {
  it('refuses the dev secret in production and wants an issuer with a JWKS URL', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production', VIEWER_TOKEN_SECRET: 'x'.repeat(32) })).toThrow(/AUTH_JWKS_URL: required when NODE_ENV=production/);
    expect(() => loadGatewayConfig({ AUTH_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/AUTH_ISSUER/);
    expect(() => loadGatewayConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'i' })).toThrow(/VIEWER_TOKEN_SECRET/);
  });

  it('reads limits, rate limits and proxies, and names a bad value', () => {
    const config = loadGatewayConfig({ QUERY_MAX_DEPTH: '12', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0', TRUST_PROXY: 'loopback, 10.0.0.0/8', SUBGRAPH_TIMEOUT_MS: '2500' });
    expect(config.limits.depth).toBe(12);
    expect(config.rateLimits.anonymous).toBe(0);
    expect(config.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(config.subgraphTimeoutMs).toBe(2500);
    expect(loadGatewayConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadGatewayConfig({}).trustProxy).toBe(false);
    expect(() => loadGatewayConfig({ QUERY_MAX_DEPTH: '0' })).toThrow(/QUERY_MAX_DEPTH/);
    expect(() => loadGatewayConfig({ RATE_LIMIT_MERCHANT_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_MERCHANT_PER_MINUTE/);
    expect(() => loadGatewayConfig({ TRUST_PROXY: 'a b' })).toThrow(/TRUST_PROXY/);
  });

  it('routes to configured subgraph URLs and defaults to local ports', () => {
    const config = loadGatewayConfig({ POINTS_URL: 'http://points.internal:8080/graphql' });
    expect(config.subgraphUrls).toEqual({
      people: 'http://127.0.0.1:4001/graphql',
      requests: 'http://127.0.0.1:4002/graphql',
      points: 'http://points.internal:8080/graphql',
      recognition: 'http://127.0.0.1:4004/graphql',
    });
  });
});
