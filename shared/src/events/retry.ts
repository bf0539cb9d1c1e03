/** When a failed event is tried again: exponential backoff with jitter, and a limit after which it is dead-lettered. */

export interface RetryPolicy {
  /** Attempts in all, the first included; the last failure dead-letters the event. */
  maxAttempts: number;
  /** Delay after the first failure, before jitter. */
  baseDelayMs: number;
  /** The delay never grows past this. */
  maxDelayMs: number;
}

/** About two minutes of retries (1 s, 2 s, 4 s … 64 s, halved at random) before an event is dead-lettered. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/** Checks a policy given in code or configuration; throws on nonsense (a programming error). */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new Error('events: retry maxAttempts must be a positive integer');
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) throw new Error('events: retry delays must satisfy 0 <= baseDelayMs <= maxDelayMs');
  return policy;
}

/**
 * The wait after failed attempt number `attempt` (1-based): base · 2^(attempt−1),
 * capped, then "equal jitter" — half fixed, half random — so consumers that
 * failed together do not retry together, yet each still waits.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
