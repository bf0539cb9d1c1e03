/** Per-client rate limits: token buckets, which bucket a caller draws from, and the 429 a client sees. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANONYMOUS, type Viewer } from '@lianxin/shared';
import { TokenBuckets, clientKeyOf, mintDevToken } from '../src/index.js';
import { startLoneGateway, type LoneGateway } from './support.js';

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
    gateway = await startLoneGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2', RATE_LIMIT_MERCHANT_PER_MINUTE: '3', RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0' });
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
    for (let n = 0; n < 4; n += 1) statuses.push((await ask({ authorization: first })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await ask({ authorization: second })).status).toBe(200);
  });

  it('leaves a class without a limit alone', async () => {
    const token = gateway.config.auth.kind === 'dev-secret' ? await mintDevToken({ roles: ['resident'], personId: '00000000-0000-7000-8003-000000000001' }, gateway.config.auth) : '';
    for (let n = 0; n < 5; n += 1) expect((await ask({ authorization: `Bearer ${token}` })).status).toBe(200);
  });
});
