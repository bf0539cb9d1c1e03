/**
 * Per-client rate limits: an allowance per partner merchant, per signed-in
 * subject and per anonymous IP address. Without Redis they are token buckets
 * in this process's memory (refilled continuously), and each gateway counts
 * alone; with `REDIS_URL` they are counted in Redis per fixed minute
 * (rate-limit-redis.ts), so several gateways share them.
 *
 * The address's bucket is also what pays for checking a token the gateway
 * has not seen pass (see `RateLimiter.admitAddress`), so a bad token is no way
 * around the anonymous limit.
 */
import type { RequestHandler, Response } from 'express';
import { CodedError, hasRole, isAuthenticated, sendError, type Viewer } from '@lianxin/shared';
import type { RateLimits } from './config.js';
import type { SharedCounts } from './rate-limit-redis.js';

/** One client's allowance: `tokens` left at `updatedAt` (ms). */
interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole seconds until the next request would be allowed; 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * Token buckets of `capacity` requests that refill at `perMinute` per minute.
 * At most `maxClients` buckets are kept: the least recently used is dropped
 * first (a dropped client starts again with a full bucket), so a flood of
 * new addresses cannot grow memory without bound.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    readonly perMinute: number,
    private readonly capacity: number = perMinute,
    private readonly maxClients = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  take(key: string): TakeResult {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updatedAt: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
    bucket.updatedAt = now;
    // Re-inserting moves the key to the end: the Map's first key is the least recently used.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** Which class of client a request comes from, and who within it. */
export type ClientKey = { kind: keyof RateLimits; key: string };

export function clientKeyOf(viewer: Viewer, ip: string | undefined): ClientKey {
  if (viewer.merchantId !== null && hasRole(viewer, 'merchant')) return { kind: 'merchant', key: viewer.merchantId };
  if (isAuthenticated(viewer)) return { kind: 'signedIn', key: viewer.subject ?? '' };
  return { kind: 'anonymous', key: ip ?? 'unknown' };
}

/** The client has spent its allowance: a 429 with the whole seconds to wait. */
export class RateLimitedError extends CodedError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many requests; try again after the time in the Retry-After header.', {
      status: 429,
      extensions: { retryAfterSeconds },
    });
  }
}

export function sendRateLimited(res: Response, error: RateLimitedError): void {
  res.setHeader('retry-after', String(error.retryAfterSeconds));
  sendError(res, 429, 'RATE_LIMITED', error.message, { retryAfterSeconds: error.retryAfterSeconds });
}

/** Where one class of clients is counted: this process's token buckets, or Redis. */
interface Allowances {
  take(key: string): TakeResult | Promise<TakeResult>;
}

export interface RateLimiterOptions {
  /** The memory buckets' clock (ms), for tests; Redis keeps its own time. */
  now?: () => number;
  /** Clients each memory class remembers at most. */
  maxClients?: number;
  /** Counts shared through Redis instead of this process's memory. */
  shared?: SharedCounts;
  /** Told of each request refused, with its client class (the metrics count them). */
  onRefusal?: (kind: keyof RateLimits) => void;
}

/** The allowances of every class of client, shared by the steps that count requests. */
export class RateLimiter {
  private readonly allowances: Record<keyof RateLimits, Allowances | null>;
  private readonly onRefusal: ((kind: keyof RateLimits) => void) | undefined;

  constructor(limits: RateLimits, options: RateLimiterOptions = {}) {
    const { now = Date.now, maxClients = 100_000, shared } = options;
    this.onRefusal = options.onRefusal;
    const of = (kind: keyof RateLimits): Allowances | null => {
      const perMinute = limits[kind];
      if (perMinute <= 0) return null;
      return shared ? shared.allowances(kind, perMinute) : new TokenBuckets(perMinute, perMinute, maxClients, now);
    };
    this.allowances = { anonymous: of('anonymous'), merchant: of('merchant'), signedIn: of('signedIn') };
  }

  /** Takes one request from the client's allowance; a class without a limit always allows. */
  async take({ kind, key }: ClientKey): Promise<TakeResult> {
    const result = (await this.allowances[kind]?.take(key)) ?? { allowed: true, retryAfterSeconds: 0 };
    if (!result.allowed) this.onRefusal?.(kind);
    return result;
  }

  /**
   * Takes one request from the anonymous allowance of the client address, or
   * throws RateLimitedError. Called before anything but an already verified
   * token is looked at: a missing token is anonymous anyway, and a junk token
   * must cost its sender at least as much as no token.
   */
  async admitAddress(ip: string | undefined): Promise<void> {
    const result = await this.take({ kind: 'anonymous', key: ip ?? 'unknown' });
    if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
  }
}

/**
 * Answers 429 with Retry-After once a client has spent its allowance. Runs
 * after authentication (`res.locals.viewer`), so a merchant is counted as
 * itself wherever its requests come from; a request without a token is
 * counted here against its address. A request with a token the gateway had
 * not verified before has already paid its address's share in authentication.
 */
export function rateLimit(limiter: RateLimiter): RequestHandler {
  return async (req, res, next) => {
    const result = await limiter.take(clientKeyOf(res.locals['viewer'] as Viewer, req.ip));
    if (result.allowed) {
      next();
      return;
    }
    sendRateLimited(res, new RateLimitedError(result.retryAfterSeconds));
  };
}
