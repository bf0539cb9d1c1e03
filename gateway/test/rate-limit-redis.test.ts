/**
 * Rate limits shared through Redis: two gateways on one Redis allow together
 * what one would; when Redis dies each gateway keeps serving and limits alone
 * (the insurance limiter), and they share again once it is back.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { ConfigError, createLogger, memoryLog } from '@lianxin/shared';
import { waitFor } from '@lianxin/shared/testing';
import { loadGatewayConfig } from '../src/index.js';
import { startLoneGateway, startOwnRedis, type LoneGateway, type OwnRedis } from './support.js';

const SHARED_REDIS = 'redis://127.0.0.1:6379';
const LIMIT = 6;

/** A gateway on `url` counting anonymous callers (named by the loopback proxy) `LIMIT` a minute, and what it logs. */
async function gatewayOn(url: string, prefix: string) {
  const log = memoryLog();
  const gateway = await startLoneGateway(
    { REDIS_URL: url, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'loopback' },
    createLogger('gateway', 'info', log.stream),
  );
  return { gateway, lines: log.lines };
}

/** Waits until `count` gateways with this prefix are connected to the Redis `probe` talks to. */
async function connectedGateways(probe: Redis, prefix: string, count: number): Promise<void> {
  await waitFor(`${count} gateways connected to Redis`, async () => {
    const clients = await probe.client('LIST').catch(() => '');
    return (
      String(clients)
        .split('\n')
        .filter((line) => line.includes(`name=${prefix}gateway `)).length === count
    );
  });
}

/** Statuses of `count` requests from `address`, sent in turn to each gateway of `gateways`. */
async function alternate(gateways: LoneGateway[], count: number, address: string, authorization?: (n: number) => string): Promise<number[]> {
  const seen: number[] = [];
  for (let n = 0; n < count; n += 1) {
    const headers: Record<string, string> = { 'x-forwarded-for': address, ...(authorization ? { authorization: authorization(n) } : {}) };
    const response = await gateways[n % gateways.length]!.post({ query: '{ __typename }' }, headers);
    if (response.status === 429) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    }
    seen.push(response.status);
  }
  return seen;
}

describe('the Redis settings', () => {
  it('stop start-up with one line naming a URL that is not Redis’s, or a prefix with spaces', () => {
    expect(() => loadGatewayConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadGatewayConfig({ REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: 'two words' })).toThrow(/REDIS_KEY_PREFIX/);
    expect(loadGatewayConfig({}).rateLimitStore).toBeNull();
    expect(loadGatewayConfig({ REDIS_URL: SHARED_REDIS }).rateLimitStore).toEqual({ url: SHARED_REDIS, keyPrefix: 'lianxin:' });
  });
});

describe('two gateways on one Redis', () => {
  const prefix = `lianxin-test-${randomUUID()}:`;
  let first: LoneGateway;
  let second: LoneGateway;
  let probe: Redis;

  beforeAll(async () => {
    probe = new Redis(SHARED_REDIS);
    first = (await gatewayOn(SHARED_REDIS, prefix)).gateway;
    second = (await gatewayOn(SHARED_REDIS, prefix)).gateway;
    await connectedGateways(probe, prefix, 2);
  });
  afterAll(async () => {
    await first.server.close();
    await second.server.close();
    const keys = await probe.keys(`${prefix}*`);
    if (keys.length > 0) await probe.del(...keys);
    probe.disconnect();
  });

  it('allows together exactly the per-minute limit of one, then both answer 429 with Retry-After', async () => {
    const seen = await alternate([first, second], LIMIT + 4, '203.0.113.1');
    expect(seen).toEqual([...Array<number>(LIMIT).fill(200), 429, 429, 429, 429]);
    // One key per client and minute, under the prefix, expiring with the minute.
    const key = `${prefix}ratelimit:anonymous:203.0.113.1`;
    expect(await probe.get(key)).toBe(String(LIMIT + 4));
    const ttl = await probe.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // Another address has its own allowance.
    expect(await alternate([second, first], 2, '203.0.113.2')).toEqual([200, 200]);
  });

  it('counts junk tokens against the address on both gateways alike', async () => {
    const seen = await alternate([first, second], LIMIT + 2, '203.0.113.3', (n) => `Bearer junk-${n}`);
    expect(seen).toEqual([...Array<number>(LIMIT).fill(401), 429, 429]);
  });
});

describe('two gateways when Redis dies and comes back', () => {
  const prefix = `lianxin-test-${randomUUID()}:`;
  let redis: OwnRedis;
  let probe: Redis;
  const gateways: { gateway: LoneGateway; lines: Record<string, unknown>[] }[] = [];
  const logged = (message: string) => gateways.every(({ lines }) => lines.some((line) => line['msg'] === message));

  beforeAll(async () => {
    redis = await startOwnRedis();
    // The probe reconnects by itself after the restart.
    probe = new Redis(redis.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 100 });
    probe.on('error', () => undefined);
    gateways.push(await gatewayOn(redis.url, prefix), await gatewayOn(redis.url, prefix));
    await connectedGateways(probe, prefix, 2);
  });
  afterAll(async () => {
    for (const { gateway } of gateways) await gateway.server.close();
    probe.disconnect();
    await redis.kill();
  });

  it('serves and limits per gateway without Redis, and shares the limit again once it is back', async () => {
    const [first, second] = gateways.map(({ gateway }) => gateway) as [LoneGateway, LoneGateway];
    expect(await alternate([first, second], LIMIT + 2, '198.51.100.1')).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);

    await redis.kill();
    await waitFor('both gateways to log that Redis is gone', async () => logged('Redis unreachable: rate limits counted by this gateway alone until it is back'));
    // Each gateway counts alone: a client gets the limit from each, then 429s, and nobody waits on Redis.
    expect(await alternate([first], LIMIT + 2, '198.51.100.2')).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);
    expect(await alternate([second], LIMIT + 2, '198.51.100.2')).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);

    await redis.restart();
    await connectedGateways(probe, prefix, 2);
    await waitFor('both gateways to log that limits are shared again', async () => logged('rate limits shared through Redis again'));
    expect(await alternate([first, second], LIMIT + 2, '198.51.100.3')).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);
  });

  it('does not hang on a Redis that stops answering with its connections open', async () => {
    const [first, second] = gateways.map(({ gateway }) => gateway) as [LoneGateway, LoneGateway];
    for (const { lines } of gateways) lines.length = 0;
    redis.freeze(true);
    try {
      // Each command times out and the insurance limiter answers: served, and limited per gateway.
      expect(await alternate([first], LIMIT + 1, '198.51.100.4')).toEqual([...Array<number>(LIMIT).fill(200), 429]);
      expect(await alternate([second], LIMIT + 1, '198.51.100.4')).toEqual([...Array<number>(LIMIT).fill(200), 429]);
      expect(logged('Redis unreachable: rate limits counted by this gateway alone until it is back')).toBe(true);
    } finally {
      redis.freeze(false);
    }
    await waitFor('both gateways to hear from Redis again', async () => logged('rate limits shared through Redis again'));
    expect(await alternate([first, second], LIMIT + 2, '198.51.100.5')).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);
  });
});
