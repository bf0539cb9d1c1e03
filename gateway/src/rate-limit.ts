/**
 * Per-client rate limits: a token bucket per partner merchant, per signed-in
 * subject and per anonymous IP address, kept in this process's memory. Each
 * gateway counts alone; several gateways behind a load balancer would each
 * allow the full rate (see docs/gateway.md for when a shared store is due).
 */
import type { RequestHandler } from 'express';
import { hasRole, isAuthenticated, sendError, type Viewer } from '@lianxin/shared';
import type { RateLimits } from './config.js';

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

/**
 * Answers 429 with Retry-After once a client has spent its allowance. Runs
 * after authentication (`res.locals.viewer`), so a merchant is counted as
 * itself wherever its requests come from.
 */
export function rateLimit(limits: RateLimits): RequestHandler {
  const buckets = {
    anonymous: limits.anonymous > 0 ? new TokenBuckets(limits.anonymous) : null,
    merchant: limits.merchant > 0 ? new TokenBuckets(limits.merchant) : null,
    signedIn: limits.signedIn > 0 ? new TokenBuckets(limits.signedIn) : null,
  };
  return (req, res, next) => {
    const { kind, key } = clientKeyOf(res.locals['viewer'] as Viewer, req.ip);
    const result = buckets[kind]?.take(key);
    if (!result || result.allowed) {
      next();
      return;
    }
    res.setHeader('retry-after', String(result.retryAfterSeconds));
    sendError(res, 429, 'RATE_LIMITED', 'Too many requests; try again after the time in the Retry-After header.', {
      retryAfterSeconds: result.retryAfterSeconds,
    });
  };
}
