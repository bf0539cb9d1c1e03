/**
 * Per-client rate limits: token buckets, which bucket a caller draws from, the
 * 429 a client sees, and bad tokens counted against their address before they
 * are checked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { ANONYMOUS, type Viewer } from '@lianxin/shared';
import { RateLimitedError, RateLimiter, TokenBuckets, clientKeyOf, mintDevToken, type DevTokenRequest } from '../src/index.js';
import { startJwksServer, startLoneGateway, type JwksServer, type LoneGateway } from './support.js';

describe('token buckets', () => {
  it('allows a full bucket at once, then one request per refill interval', () => {
    let now = 0;
    const buckets = new TokenBuckets(6, 6, 100, () => now);
    for (let n = 0; n < 6; n += 1) expect(buckets.take('a').allowed).toBe(true);
    // Six a minute: the next token arrives in ten seconds.
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now += 4_000;
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    now += 6_000;
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('b').allowed).toBe(true);
  });

  it('never holds more than a full bucket, however long a client was away', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 2, 100, () => now);
    buckets.take('a');
    now += 3_600_000;
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')].map((result) => result.allowed)).toEqual([true, true, false]);
  });

  it('forgets the least recently seen client beyond its capacity', () => {
    const buckets = new TokenBuckets(1, 1, 2, () => 0);
    buckets.take('a');
    buckets.take('b');
    buckets.take('a');
    buckets.take('c');
    expect(buckets.size).toBe(2);
    // "a" was seen after "b", so it was kept and is still empty; "b" was forgotten and starts full.
    expect(buckets.take('a').allowed).toBe(false);
    expect(buckets.take('b').allowed).toBe(true);
  });
});

describe('which bucket a request draws from', () => {
  const person: Viewer = { subject: 's-1', personId: 'p', roles: ['volunteer'], regionIds: [], merchantId: null };
  const merchant: Viewer = { subject: 'client-7', personId: null, roles: ['merchant'], regionIds: [], merchantId: 'm-1' };

  it('counts a merchant by its merchant id, a person by token subject, and an anonymous caller by address', () => {
    expect(clientKeyOf(merchant, '10.0.0.1')).toEqual({ kind: 'merchant', key: 'm-1' });
    expect(clientKeyOf(person, '10.0.0.1')).toEqual({ kind: 'signedIn', key: 's-1' });
    expect(clientKeyOf(ANONYMOUS, '10.0.0.1')).toEqual({ kind: 'anonymous', key: '10.0.0.1' });
  });
});

describe('rate limits at the gateway', () => {
  let gateway: LoneGateway;
  const merchantToken = (merchantId: string) =>
    gateway.config.auth.kind === 'dev-secret' ? mintDevToken({ roles: ['merchant'], merchantId }, gateway.config.auth) : Promise.reject(new Error('dev secret expected'));

  beforeAll(async () => {
    gateway = await startLoneGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2', RATE_LIMIT_MERCHANT_PER_MINUTE: '3', RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0', TRUST_PROXY: 'loopback' });
  });
  afterAll(() => gateway.server.close());

  const ask = (headers: Record<string, string> = {}) => gateway.post({ query: '{ __typename }' }, headers);

  it('answers 429 with Retry-After once an anonymous address has spent its allowance', async () => {
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('gives each partner merchant its own allowance, wherever its requests come from', async () => {
    const first = `Bearer ${await merchantToken('00000000-0000-7000-8009-000000000001')}`;
    const second = `Bearer ${await merchantToken('00000000-0000-7000-8009-000000000002')}`;
    const statuses = [];
    for (let n = 0; n < 4; n += 1) statuses.push((await ask({ authorization: first, 'x-forwarded-for': `192.0.2.${n + 1}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await ask({ authorization: second, 'x-forwarded-for': '192.0.2.1' })).status).toBe(200);
  });

  it('leaves a class without a limit alone', async () => {
    const token =
      gateway.config.auth.kind === 'dev-secret' ? await mintDevToken({ roles: ['resident'], personId: '00000000-0000-7000-8003-000000000001' }, gateway.config.auth) : '';
    for (let n = 0; n < 5; n += 1) expect((await ask({ authorization: `Bearer ${token}`, 'x-forwarded-for': '192.0.2.10' })).status).toBe(200);
  });
});

describe('the limiter shared by authentication and the rate limit step', () => {
  it('charges admissions and anonymous requests of one address to one bucket', async () => {
    let now = 0;
    const limiter = new RateLimiter({ anonymous: 3, merchant: 0, signedIn: 0 }, { now: () => now });
    await limiter.admitAddress('10.0.0.1');
    expect((await limiter.take({ kind: 'anonymous', key: '10.0.0.1' })).allowed).toBe(true);
    await limiter.admitAddress('10.0.0.1');
    await expect(limiter.admitAddress('10.0.0.1')).rejects.toThrow(RateLimitedError);
    expect(await limiter.take({ kind: 'anonymous', key: '10.0.0.1' })).toEqual({ allowed: false, retryAfterSeconds: 20 });
    // Another address has its own allowance.
    await limiter.admitAddress('10.0.0.2');
    now += 20_000;
    await limiter.admitAddress('10.0.0.1');
    const refusal = await limiter.admitAddress('10.0.0.1').then(
      () => new Error('admitted'),
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfterSeconds).toBe(20);
    expect((refusal as RateLimitedError).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 20, http: { status: 429 } });
  });

  it('admits everything when the anonymous class has no limit, and counts signed-in clients apart', async () => {
    const limiter = new RateLimiter({ anonymous: 0, merchant: 0, signedIn: 1 }, { now: () => 0 });
    for (let n = 0; n < 1_000; n += 1) await limiter.admitAddress('10.0.0.1');
    expect((await limiter.take({ kind: 'signedIn', key: 's' })).allowed).toBe(true);
    expect((await limiter.take({ kind: 'signedIn', key: 's' })).allowed).toBe(false);
  });
});

/** Statuses of `count` requests sent one after another. */
async function statuses(gateway: LoneGateway, count: number, headers: (n: number) => Record<string, string>): Promise<number[]> {
  const seen: number[] = [];
  for (let n = 0; n < count; n += 1) seen.push((await gateway.post({ query: '{ __typename }' }, headers(n))).status);
  return seen;
}

describe('junk tokens against the default anonymous limit', () => {
  let gateway: LoneGateway;
  const token = (request: DevTokenRequest) =>
    gateway.config.auth.kind === 'dev-secret' ? mintDevToken(request, gateway.config.auth) : Promise.reject(new Error('dev secret expected'));

  beforeAll(async () => {
    // Default limits; each test is its own client address, named by the loopback proxy. The limiter's clock stands
    // still: at 300 a minute a bucket refills one request every 200 ms, which a slow machine would spend mid-flood.
    const frozen = Date.now();
    gateway = await startLoneGateway({ TRUST_PROXY: 'loopback' }, undefined, () => frozen);
  });
  afterAll(() => gateway.server.close());

  it('meets 429s within 400 junk-token requests from one address, after the 401s, while a verified token keeps working', async () => {
    expect(gateway.config.rateLimits.anonymous).toBe(300);
    const from = { 'x-forwarded-for': '203.0.113.10' };
    const volunteer = `Bearer ${await token({ roles: ['volunteer'], personId: '00000000-0000-7000-8002-000000000001' })}`;
    expect((await gateway.post({ query: '{ __typename }' }, { ...from, authorization: volunteer })).status).toBe(200);

    const seen = await statuses(gateway, 400, (n) => ({ ...from, authorization: `Bearer junk.${n}.token` }));
    expect(seen.slice(0, 299)).toEqual(Array(299).fill(401));
    const firstRefusal = seen.indexOf(429);
    expect(firstRefusal).toBeGreaterThanOrEqual(299);
    expect(seen.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([401, 429]));

    const refused = await gateway.post({ query: '{ __typename }' }, { ...from, authorization: 'Bearer junk.again.token' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await gateway.post({ query: '{ __typename }' }, from)).status).toBe(429);

    // The token verified before the flood is still answered from the same address; a token never seen there waits.
    expect((await gateway.post({ query: '{ __typename }' }, { ...from, authorization: volunteer })).status).toBe(200);
    const newcomer = `Bearer ${await token({ roles: ['resident'], personId: '00000000-0000-7000-8003-000000000001' })}`;
    expect((await gateway.post({ query: '{ __typename }' }, { ...from, authorization: newcomer })).status).toBe(429);
    // Other addresses are not affected.
    expect((await gateway.post({ query: '{ __typename }' }, { 'x-forwarded-for': '203.0.113.11', authorization: newcomer })).status).toBe(200);
  });
});

describe('junk tokens of every shape', () => {
  let idp: JwksServer;
  let jwksGateway: LoneGateway;
  let devGateway: LoneGateway;
  const LIMIT = 5;
  let address = 0;

  beforeAll(async () => {
    idp = await startJwksServer();
    const limits = { TRUST_PROXY: 'loopback', RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(LIMIT) };
    // The limiters' clocks stand still, so no refill lands mid-test however slow the machine.
    const frozen = Date.now();
    jwksGateway = await startLoneGateway({ ...limits, AUTH_JWKS_URL: idp.url, AUTH_ISSUER: idp.issuer }, undefined, () => frozen);
    devGateway = await startLoneGateway(limits, undefined, () => frozen);
  });
  afterAll(async () => {
    await jwksGateway.server.close();
    await devGateway.server.close();
    await idp.close();
  });

  const claims = { roles: ['volunteer'] };
  const devToken = (request: DevTokenRequest) =>
    devGateway.config.auth.kind === 'dev-secret' ? mintDevToken(request, devGateway.config.auth) : Promise.reject(new Error('dev secret expected'));
  const enormous = () => `Bearer ${'e'.repeat(12_000)}`;
  const enormousJwt = async () => `Bearer ${await idp.sign({ ...claims, padding: 'p'.repeat(9_000) })}`;

  it.each<[string, 'jwks' | 'dev', (n: number) => Promise<string>, string]>([
    ['not a JWT', 'jwks', async (n) => `Bearer not-a-jwt-${n}`, 'TOKEN_MALFORMED'],
    ['not a bearer token', 'dev', async (n) => `Basic ${Buffer.from(`user:${n}`).toString('base64')}`, 'TOKEN_MALFORMED'],
    ['a JWT with a bad signature (JWKS)', 'jwks', (n) => idp.sign({ ...claims, n }, { signWith: 'k-forger' }).then((t) => `Bearer ${t}`), 'TOKEN_SIGNATURE_INVALID'],
    [
      'a JWT with a bad signature (dev secret)',
      'dev',
      (n) =>
        new SignJWT({ ...claims, n })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer('lianxin-dev')
          .setAudience('lianxin')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('an-attacker-secret-of-at-least-32-chars'))
          .then((t) => `Bearer ${t}`),
      'TOKEN_SIGNATURE_INVALID',
    ],
    ['an enormous token', 'dev', async () => enormous(), 'TOKEN_MALFORMED'],
    ['an enormous signed JWT', 'jwks', enormousJwt, 'TOKEN_MALFORMED'],
    ['a token with an unknown kid', 'jwks', (n) => idp.sign({ ...claims, n }, { kid: `unknown-${n}`, signWith: 'k1' }).then((t) => `Bearer ${t}`), 'TOKEN_SIGNATURE_INVALID'],
    ['a token without exp', 'dev', async () => `Bearer ${await devToken({ roles: ['volunteer'], expiresAt: null })}`, 'TOKEN_CLAIMS_INVALID'],
    ['a token living a year', 'dev', async () => `Bearer ${await devToken({ roles: ['volunteer'], ttlSeconds: 365 * 86_400 })}`, 'TOKEN_CLAIMS_INVALID'],
  ])('counts %s against the address (%s gateway): 401s, then 429s', async (_name, kind, authorization, reason) => {
    const gateway = kind === 'jwks' ? jwksGateway : devGateway;
    address += 1;
    const from = { 'x-forwarded-for': `198.51.100.${address}` };
    const seen: number[] = [];
    for (let n = 0; n < LIMIT + 3; n += 1) {
      const response = await gateway.post({ query: '{ __typename }' }, { ...from, authorization: await authorization(n) });
      seen.push(response.status);
      if (response.status === 401) expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
      if (response.status === 429) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    expect(seen).toEqual([...Array<number>(LIMIT).fill(401), 429, 429, 429]);
    // However many key ids the tokens name, the key set is fetched once (jose's cooldown keeps unknown ids from refetching it).
    expect(idp.fetches).toBeLessThanOrEqual(1);
  });

  it('does not let junk tokens and no token be alternated around the anonymous limit', async () => {
    const from = { 'x-forwarded-for': '198.51.100.200' };
    const seen = await statuses(devGateway, 2 * LIMIT, (n) => (n % 2 === 0 ? { ...from, authorization: `Bearer junk-${n}` } : from));
    expect(seen).toEqual([401, 200, 401, 200, 401, ...Array<number>(LIMIT).fill(429)]);
  });

  it('still answers a valid token on a flooded address, checked once before the flood', async () => {
    const from = { 'x-forwarded-for': '198.51.100.201' };
    const valid = `Bearer ${await idp.sign({ roles: ['bank_clerk'] })}`;
    expect((await jwksGateway.post({ query: '{ __typename }' }, { ...from, authorization: valid })).status).toBe(200);
    await statuses(jwksGateway, 2 * LIMIT, (n) => ({ ...from, authorization: `Bearer junk-${n}` }));
    const answered = await jwksGateway.post({ query: '{ __typename }' }, { ...from, authorization: valid });
    expect(answered.status).toBe(200);
    expect(answered.body.data).toEqual({ __typename: 'Query' });
  });
});
