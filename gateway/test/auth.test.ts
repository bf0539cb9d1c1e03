/** Bearer-token verification: dev secret and a real JWKS endpoint, each way a token can be wrong, and what a check costs. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SignJWT } from 'jose';
import { ANONYMOUS } from '@lianxin/shared';
import {
  AuthenticationError,
  CLOCK_TOLERANCE_SECONDS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  MAX_AUTHORIZATION_LENGTH,
  RateLimitedError,
  createAuthenticator,
  mintDevToken,
  loadGatewayConfig,
} from '../src/index.js';
import { startJwksServer, startLoneGateway, type JwksServer, type LoneGateway } from './support.js';

/** Every clock function jest can fake but Date: servers and fetches keep their real timers. */
const EVERYTHING_BUT_DATE: NonNullable<Extract<Parameters<typeof jest.useFakeTimers>[0], { doNotFake?: unknown }>['doNotFake']> = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
];

const DAY = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
const dev = { kind: 'dev-secret' as const, secret: 'a-development-secret-of-32-characters!', issuer: 'lianxin-dev', audience: 'lianxin', maxLifetimeSeconds: DAY };
const authenticate = createAuthenticator(dev);
const personId = '00000000-0000-7000-8002-000000000001';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A clock the test moves by hand. */
function clock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

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
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer(dev.issuer)
      .setAudience(dev.audience)
      .setExpirationTime('5m')
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
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer(dev.issuer)
      .setAudience(dev.audience)
      .setExpirationTime('5m')
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

describe('time claims of dev-secret tokens', () => {
  const now = nowSeconds();
  const refused: [string, Parameters<typeof mintDevToken>[0], string][] = [
    ['without exp', { roles: ['resident'], expiresAt: null }, 'TOKEN_CLAIMS_INVALID'],
    ['without exp or iat', { roles: ['resident'], expiresAt: null, issuedAt: null }, 'TOKEN_CLAIMS_INVALID'],
    ['issued an hour in the future', { roles: ['resident'], issuedAt: now + 3600 }, 'TOKEN_CLAIMS_INVALID'],
    ['issued a minute in the future, beyond the clock tolerance', { roles: ['resident'], issuedAt: now + 2 * CLOCK_TOLERANCE_SECONDS }, 'TOKEN_CLAIMS_INVALID'],
    ['not valid before an hour from now', { roles: ['resident'], notBefore: now + 3600 }, 'TOKEN_CLAIMS_INVALID'],
    ['not valid before a minute from now', { roles: ['resident'], notBefore: now + 2 * CLOCK_TOLERANCE_SECONDS }, 'TOKEN_CLAIMS_INVALID'],
    ['living a second longer than a day', { roles: ['resident'], issuedAt: now, expiresAt: now + DAY + 1 }, 'TOKEN_CLAIMS_INVALID'],
    ['living a year', { roles: ['resident'], ttlSeconds: 365 * DAY }, 'TOKEN_CLAIMS_INVALID'],
    ['without iat and expiring in two days', { roles: ['resident'], issuedAt: null, expiresAt: now + 2 * DAY }, 'TOKEN_CLAIMS_INVALID'],
    ['issued 25 hours ago and good for another hour', { roles: ['resident'], issuedAt: now - DAY - 3600, expiresAt: now + 3600 }, 'TOKEN_CLAIMS_INVALID'],
    ['expired an hour ago', { roles: ['resident'], issuedAt: now - 7200, expiresAt: now - 3600 }, 'TOKEN_EXPIRED'],
  ];

  it.each(refused)('refuses a token %s', async (_name, request, reason) => {
    const token = await mintDevToken(request, dev);
    expect(await reasonOf(authenticate(`Bearer ${token}`))).toBe(reason);
  });

  it('refuses time claims that are not numbers', async () => {
    for (const claim of ['exp', 'iat', 'nbf']) {
      const token = await new SignJWT({ roles: ['resident'], exp: now + 60, [claim]: 'tomorrow' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('s')
        .setIssuer(dev.issuer)
        .setAudience(dev.audience)
        .sign(new TextEncoder().encode(dev.secret));
      expect(await reasonOf(authenticate(`Bearer ${token}`))).toBe('TOKEN_CLAIMS_INVALID');
    }
  });

  it.each([
    ['issued 10 s in the future (clock skew)', { issuedAt: now + 10 }],
    ['not valid before 10 s from now (clock skew)', { notBefore: now + 10 }],
    ['living exactly a day', { issuedAt: now, expiresAt: now + DAY }],
    ['without iat, expiring in a day', { issuedAt: null, expiresAt: now + DAY }],
    ['issued 23 hours ago and good for another half hour', { issuedAt: now - DAY + 3600, expiresAt: now + 1800 }],
  ])('accepts a token %s', async (_name, times) => {
    const token = await mintDevToken({ roles: ['resident'], ...times }, dev);
    await expect(authenticate(`Bearer ${token}`)).resolves.toMatchObject({ roles: ['resident'] });
  });

  it('keeps the longest lifetime configured, and dev tokens stay within it by default', async () => {
    const hourly = { ...dev, maxLifetimeSeconds: 3600 };
    const strict = createAuthenticator(hourly);
    const workingDay = await mintDevToken({ roles: ['resident'] }, dev);
    expect(await reasonOf(strict(`Bearer ${workingDay}`))).toBe('TOKEN_CLAIMS_INVALID');
    const withinTheHour = await mintDevToken({ roles: ['resident'] }, hourly);
    await expect(strict(`Bearer ${withinTheHour}`)).resolves.toMatchObject({ roles: ['resident'] });
  });

  it('says which claim to fix', async () => {
    const error = await authenticate(`Bearer ${await mintDevToken({ roles: ['resident'], expiresAt: null }, dev)}`).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/no exp claim/);
    const early = await authenticate(`Bearer ${await mintDevToken({ roles: ['resident'], notBefore: now + 3600 }, dev)}`).catch((caught: unknown) => caught);
    expect((early as Error).message).toMatch(/not valid yet/);
    const long = await authenticate(`Bearer ${await mintDevToken({ roles: ['resident'], ttlSeconds: 2 * DAY }, dev)}`).catch((caught: unknown) => caught);
    expect((long as Error).message).toMatch(/lives longer than the 86400 seconds/);
  });
});

describe('what checking a token costs', () => {
  const counter = () => {
    const calls = { count: 0 };
    return { calls, admit: async () => void (calls.count += 1) };
  };
  const refuse = () => {
    throw new RateLimitedError(7);
  };

  it('asks for admission before anything but a token already verified', async () => {
    const time = clock();
    const auth = createAuthenticator(dev, { now: time.now });
    const { calls, admit } = counter();
    expect(await auth(undefined, admit)).toEqual(ANONYMOUS);
    expect(calls.count).toBe(0);
    const token = await mintDevToken({ roles: ['volunteer'], personId }, dev);
    await auth(`Bearer ${token}`, admit);
    expect(calls.count).toBe(1);
    await auth(`Bearer ${token}`, admit);
    expect(calls.count).toBe(1);
    // Failures are never remembered: a bad token asks every time.
    const forged = await mintDevToken({ roles: ['platform_admin'] }, { ...dev, secret: 'another-secret-that-is-long-enough!!' });
    expect(await reasonOf(auth(`Bearer ${forged}`, admit))).toBe('TOKEN_SIGNATURE_INVALID');
    expect(await reasonOf(auth(`Bearer ${forged}`, admit))).toBe('TOKEN_SIGNATURE_INVALID');
    expect(await reasonOf(auth('Basic dXNlcjpwYXNz', admit))).toBe('TOKEN_MALFORMED');
    expect(await reasonOf(auth(`Bearer ${'a'.repeat(MAX_AUTHORIZATION_LENGTH)}`, admit))).toBe('TOKEN_MALFORMED');
    expect(calls.count).toBe(5);
  });

  it('checks a token that passed before again when its minute is up, without asking for admission', async () => {
    const time = clock();
    const auth = createAuthenticator(dev, { now: time.now });
    const { calls, admit } = counter();
    const token = await mintDevToken({ roles: ['volunteer'], personId, ttlSeconds: 600 }, dev);
    await auth(`Bearer ${token}`, admit);
    time.advance(61_000);
    await expect(auth(`Bearer ${token}`, refuse)).resolves.toMatchObject({ personId });
    // Once it has expired it is a stranger again: admission first, then the refusal.
    time.advance(600_000);
    await expect(auth(`Bearer ${token}`, refuse)).rejects.toBeInstanceOf(RateLimitedError);
    expect(await reasonOf(auth(`Bearer ${token}`, admit))).toBe('TOKEN_EXPIRED');
    expect(calls.count).toBe(2);
  });

  it('stops before reading the token when admission is refused', async () => {
    const auth = createAuthenticator(dev);
    await expect(auth('Bearer not-a-jwt', refuse)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(auth(`Bearer ${'a'.repeat(100_000)}`, refuse)).rejects.toMatchObject({ retryAfterSeconds: 7 });
    const token = await mintDevToken({ roles: ['volunteer'], personId }, dev);
    await expect(auth(`Bearer ${token}`, refuse)).rejects.toBeInstanceOf(RateLimitedError);
    await auth(`Bearer ${token}`);
    await expect(auth(`Bearer ${token}`, refuse)).resolves.toMatchObject({ personId });
  });

  it('refuses an overlong header as malformed, saying so', async () => {
    const error = await authenticate(`Bearer ${'a'.repeat(MAX_AUTHORIZATION_LENGTH)}`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).reason).toBe('TOKEN_MALFORMED');
    expect((error as Error).message).toMatch(/longer than 8192 characters/);
  });

  it('remembers a bounded number of tokens', async () => {
    const auth = createAuthenticator(dev, { maxTokens: 2 });
    const { calls, admit } = counter();
    const tokens = await Promise.all(['a', 'b', 'c'].map((n) => mintDevToken({ roles: ['volunteer'], regionIds: [], personId: `00000000-0000-7000-8002-00000000000${n}` }, dev)));
    for (const token of tokens) await auth(`Bearer ${token}`, admit);
    expect(calls.count).toBe(3);
    await auth(`Bearer ${tokens[2]}`, admit);
    expect(calls.count).toBe(3);
    // The least recently used was forgotten by both memories: it is checked, and admitted, afresh.
    await auth(`Bearer ${tokens[0]}`, admit);
    expect(calls.count).toBe(4);
  });
});

describe('identity-provider tokens checked against a JWKS URL', () => {
  let idp: JwksServer;
  let gateway: LoneGateway;
  const now = nowSeconds();
  const roles = { roles: ['bank_clerk'], region_ids: ['00000000-0000-7000-8001-000000000005'] };
  const verification = () => ({ kind: 'jwks' as const, jwksUrl: idp.url, issuer: idp.issuer, audience: 'lianxin', maxLifetimeSeconds: DAY });

  beforeAll(async () => {
    idp = await startJwksServer();
    gateway = await startLoneGateway({ AUTH_JWKS_URL: idp.url, AUTH_ISSUER: idp.issuer, RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
  });
  afterAll(async () => {
    await gateway.server.close();
    await idp.close();
  });

  const ask = (token: string) => gateway.post({ query: '{ __typename }' }, { authorization: `Bearer ${token}` });

  it('maps a token signed by the provider to the viewer', async () => {
    const auth = createAuthenticator(verification());
    const token = await idp.sign({ ...roles, sub: 'clerk-1' });
    expect(await auth(`Bearer ${token}`)).toMatchObject({ subject: 'clerk-1', roles: ['bank_clerk'], regionIds: roles.region_ids });
  });

  it('answers a valid token at the gateway', async () => {
    const response = await ask(await idp.sign(roles));
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ __typename: 'Query' });
  });

  const unsigned = (claims: Record<string, unknown>) =>
    `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

  it.each<[string, () => Promise<string>, string]>([
    ['something that is not a JWT', async () => 'not-a-jwt', 'TOKEN_MALFORMED'],
    ['a token without exp', () => idp.sign(roles, { expiresAt: null }), 'TOKEN_CLAIMS_INVALID'],
    ['iat in the future', () => idp.sign(roles, { issuedAt: now + 3600 }), 'TOKEN_CLAIMS_INVALID'],
    ['nbf in the future', () => idp.sign(roles, { notBefore: now + 3600 }), 'TOKEN_CLAIMS_INVALID'],
    ['a lifetime over the maximum', () => idp.sign(roles, { issuedAt: now, expiresAt: now + DAY + 3600 }), 'TOKEN_CLAIMS_INVALID'],
    ['a lifetime over the maximum without iat', () => idp.sign(roles, { issuedAt: null, expiresAt: now + 2 * DAY }), 'TOKEN_CLAIMS_INVALID'],
    ['an expired token', () => idp.sign(roles, { issuedAt: now - 7200, expiresAt: now - 3600 }), 'TOKEN_EXPIRED'],
    ['a wrong audience', () => idp.sign(roles, { audience: 'someone-else' }), 'TOKEN_CLAIMS_INVALID'],
    ['a wrong issuer', () => idp.sign(roles, { issuer: 'https://idp.example.evil' }), 'TOKEN_CLAIMS_INVALID'],
    ['an unknown kid', () => idp.sign(roles, { kid: 'k-unknown' }), 'TOKEN_SIGNATURE_INVALID'],
    ['a known kid and another key', () => idp.sign(roles, { kid: 'k1', signWith: 'k-stranger' }), 'TOKEN_SIGNATURE_INVALID'],
    ['alg: none', async () => unsigned({ ...roles, sub: 'x', iss: idp.issuer, aud: 'lianxin', exp: now + 300 }), 'TOKEN_SIGNATURE_INVALID'],
    ['an HS256 token', () => mintDevToken({ roles: ['platform_admin'] }, { ...dev, issuer: idp.issuer }), 'TOKEN_SIGNATURE_INVALID'],
  ])('answers 401 to %s', async (_name, token, reason) => {
    const response = await ask(await token());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
  });

  it('fetches the key set once for a flood of tokens naming unknown key ids', async () => {
    const own = await startJwksServer();
    try {
      const auth = createAuthenticator({ ...verification(), jwksUrl: own.url, issuer: own.issuer });
      await auth(`Bearer ${await own.sign(roles)}`);
      expect(own.fetches).toBe(1);
      const floods = await Promise.all(Array.from({ length: 40 }, (_, n) => own.sign(roles, { kid: `unknown-${n}`, signWith: 'k1' })));
      const reasons = await Promise.all(floods.map((token) => reasonOf(auth(`Bearer ${token}`))));
      expect(new Set(reasons)).toEqual(new Set(['TOKEN_SIGNATURE_INVALID']));
      for (const token of floods.slice(0, 10)) expect(await reasonOf(auth(`Bearer ${token}`))).toBe('TOKEN_SIGNATURE_INVALID');
      expect(own.fetches).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('picks up a rotated key once the cooldown has passed, one fetch for many tokens, and remembers no failure', async () => {
    // jose times its cooldown with Date.now(): the test moves the date instead of waiting (timers stay real, for HTTP).
    jest.useFakeTimers({ doNotFake: EVERYTHING_BUT_DATE, now: Date.now() });
    const own = await startJwksServer();
    try {
      const auth = createAuthenticator({ ...verification(), jwksUrl: own.url, issuer: own.issuer }, { jwksCooldownMs: 300 });
      await auth(`Bearer ${await own.sign(roles)}`);
      const rotated = await own.sign(roles, { kid: 'k2' });
      expect(await reasonOf(auth(`Bearer ${rotated}`))).toBe('TOKEN_SIGNATURE_INVALID');
      await own.publish('k2');
      // Within the cooldown the key set is not fetched again, whatever the token names.
      expect(await reasonOf(auth(`Bearer ${rotated}`))).toBe('TOKEN_SIGNATURE_INVALID');
      expect(own.fetches).toBe(1);
      jest.setSystemTime(Date.now() + 299);
      expect(await reasonOf(auth(`Bearer ${rotated}`))).toBe('TOKEN_SIGNATURE_INVALID');
      expect(own.fetches).toBe(1);
      jest.setSystemTime(Date.now() + 1);
      const strangers = await Promise.all(Array.from({ length: 20 }, (_, n) => own.sign(roles, { kid: `unknown-${n}`, signWith: 'k1' })));
      const results = await Promise.allSettled([auth(`Bearer ${rotated}`), ...strangers.map((token) => auth(`Bearer ${token}`))]);
      expect(results[0]).toMatchObject({ status: 'fulfilled', value: { roles: ['bank_clerk'] } });
      expect(results.slice(1).every((result) => result.status === 'rejected')).toBe(true);
      expect(own.fetches).toBe(2);
    } finally {
      jest.useRealTimers();
      await own.close();
    }
  });

  it('checks no signature and fetches no key set for a token refused admission', async () => {
    const own = await startJwksServer();
    try {
      const auth = createAuthenticator({ ...verification(), jwksUrl: own.url, issuer: own.issuer });
      const token = await own.sign(roles);
      const refuse = () => {
        throw new RateLimitedError(1);
      };
      await expect(auth(`Bearer ${token}`, refuse)).rejects.toBeInstanceOf(RateLimitedError);
      await expect(auth(`Bearer ${await own.sign(roles, { kid: 'unknown' })}`, refuse)).rejects.toBeInstanceOf(RateLimitedError);
      expect(own.fetches).toBe(0);
      await auth(`Bearer ${token}`);
      expect(own.fetches).toBe(1);
    } finally {
      await own.close();
    }
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

  it('reads the longest token lifetime, and names a bad one', () => {
    expect(loadGatewayConfig({}).auth.maxLifetimeSeconds).toBe(86_400);
    expect(loadGatewayConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' }).auth.maxLifetimeSeconds).toBe(3600);
    expect(loadGatewayConfig({ AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'i', AUTH_MAX_TOKEN_LIFETIME_SECONDS: '600' }).auth.maxLifetimeSeconds).toBe(600);
    for (const bad of ['30', '2592001', 'a day', '1.5']) {
      expect(() => loadGatewayConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: bad })).toThrow(/AUTH_MAX_TOKEN_LIFETIME_SECONDS/);
    }
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
