/**
 * Rate limits shared through Redis: every gateway counts a client's requests
 * in one Redis key per client and fixed minute, so two gateways together allow
 * what one would. rate-limiter-flexible does the counting (one Lua script per
 * request: increment, and start the minute on the first); when Redis does not
 * answer, its insurance limiter (in this process's memory) counts instead, so
 * each gateway limits alone until Redis is back rather than hanging or
 * refusing everyone.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '@lianxin/shared';
import type { TakeResult } from './rate-limit.js';

/** How long one Redis command may take before the insurance limiter answers instead. */
const COMMAND_TIMEOUT_MS = 500;
/** How long connecting to Redis may take before the attempt counts as failed (and is retried). */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * The Redis connection every class of client shares, and whether it is
 * answering: the gateway logs when the limits stop being shared and when
 * they are shared again.
 */
export class SharedCounts {
  readonly client: Redis;
  private announcedAlone = false;
  private closing = false;
  private probing = false;

  constructor(
    url: string,
    readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {
    this.client = new Redis(url, {
      // While Redis is away, a command fails at once (the insurance limiter answers) instead of waiting in a queue.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Reconnects for ever, at most two seconds apart: limits are shared again soon after Redis is back.
      retryStrategy: (times) => Math.min(times * 100, 2_000),
      // CLIENT LIST names the gateways connected.
      connectionName: `${keyPrefix}gateway`,
    });
    this.client.on('ready', () => this.answered());
    this.client.on('error', (error: Error) => this.alone(error.message));
    this.client.on('close', () => this.alone('connection closed'));
  }

  /** Called whenever Redis fails or the insurance limiter answers: logs once per outage. */
  alone(reason: string): void {
    // The gateway closing its own connection is no outage.
    if (this.announcedAlone || this.closing) return;
    this.announcedAlone = true;
    this.logger.warn({ reason }, 'Redis unreachable: rate limits counted by this gateway alone until it is back');
    // A connection that stays open while Redis stalls sends no 'ready' when it answers again: ask it.
    if (this.client.status === 'ready') this.probe();
  }

  private answered(): void {
    if (this.announcedAlone && !this.closing) this.logger.info('rate limits shared through Redis again');
    this.announcedAlone = false;
  }

  /** PINGs every two seconds until Redis answers (or the connection drops, after which 'ready' tells). */
  private probe(): void {
    if (this.probing) return;
    this.probing = true;
    const attempt = () => {
      if (this.closing || !this.announcedAlone) {
        this.probing = false;
        return;
      }
      this.client.ping().then(
        () => {
          this.probing = false;
          this.answered();
        },
        () => setTimeout(attempt, 2_000).unref(),
      );
    };
    attempt();
  }

  /** One class of clients' counts: `<prefix>ratelimit:<kind>:<client>`. */
  allowances(kind: string, perMinute: number): RedisAllowances {
    const insurance = new InsuranceLimiter({ points: perMinute, duration: 60 }, (reason) => this.alone(reason));
    const limiter = new RateLimiterRedis({
      storeClient: this.client,
      keyPrefix: `${this.keyPrefix}ratelimit:${kind}`,
      points: perMinute,
      duration: 60,
      rejectIfRedisNotReady: true,
      insuranceLimiter: insurance,
    });
    return new RedisAllowances(limiter);
  }

  close(): void {
    this.closing = true;
    this.client.disconnect();
  }
}

/** The in-memory limiter that answers while Redis does not, and says so. */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    options: { points: number; duration: number },
    private readonly onUse: (reason: string) => void,
  ) {
    super(options);
  }

  override consume(key: string | number, pointsToConsume?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    this.onUse('a request was counted without Redis');
    return super.consume(key, pointsToConsume, options);
  }
}

/** One class of clients counted in Redis: a fixed window of a minute per client, started by its first request. */
export class RedisAllowances {
  constructor(private readonly limiter: RateLimiterRedis) {}

  async take(key: string): Promise<TakeResult> {
    try {
      await this.limiter.consume(key);
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (refusal) {
      // A refusal is a RateLimiterRes; anything else would be a failure the insurance limiter did not absorb.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }
}
