/**
 * Values remembered by key until they lapse, in a bounded LRU; here, tokens.
 * Verified tokens are remembered by their exact text: a till or
 * an app sends the same bearer token with every request, and the gateway
 * hands every subgraph the same viewer token for a while; checking each
 * signature once instead of on every request takes an HMAC (or RSA) and a
 * claims parse off the path of each request. Only successes are kept: a
 * token that fails is checked again next time, so nothing is learnt from a
 * forgery. The key is the whole signed text, so only the very token that
 * passed can hit.
 */
import { LRUCache } from 'lru-cache';

/** What a successful check (or signature) yields, and until when (epoch ms) it stays good. */
export interface Expiring<V> {
  value: V;
  validUntil: number;
}

export interface ExpiringCacheOptions {
  /** Entries kept at most; the least recently used go first. */
  max?: number;
  /**
   * The longest any entry is kept (ms), however late it would lapse: for a
   * verified token, how long it keeps passing after the key that signed it
   * is withdrawn.
   */
  maxAgeMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export class ExpiringCache<V extends object> {
  private readonly entries: LRUCache<string, Expiring<V>>;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: ExpiringCacheOptions = {}) {
    this.entries = new LRUCache({ max: options.max ?? 10_000 });
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The remembered value for `key`, or `compute(key)`'s, remembered when it succeeds. */
  async get(key: string, compute: (key: string) => Promise<Expiring<V>>): Promise<V> {
    const hit = this.peek(key);
    if (hit !== undefined) return hit;
    const now = this.now();
    const computed = await compute(key);
    this.remember(key, computed, now);
    return computed.value;
  }

  /** The remembered value for `key` if it has not lapsed; never computes one. */
  peek(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit && this.now() < hit.validUntil) return hit.value;
    if (hit) this.entries.delete(key);
    return undefined;
  }

  /** Remembers `value` until its `validUntil`, but never beyond the maximum age from `now`. */
  set(key: string, value: Expiring<V>): void {
    this.remember(key, value, this.now());
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  private remember(key: string, { value, validUntil }: Expiring<V>, now: number): void {
    const until = Math.min(validUntil, now + this.maxAgeMs);
    if (until > now) this.entries.set(key, { value, validUntil: until });
  }

  /** How many entries are remembered. */
  get size(): number {
    return this.entries.size;
  }
}

/**
 * Until when jose accepts a token: `exp` plus the clock tolerance, or, for
 * a token without `exp`, only `fallbackMs` from now.
 */
export function acceptedUntil(exp: number | undefined, toleranceSeconds: number, now: number, fallbackMs: number): number {
  return exp === undefined ? now + fallbackMs : (exp + toleranceSeconds) * 1000;
}
