/**
 * A clock tests move by hand, for rules that depend on the time (redemption
 * windows, hold expiry, door codes, forgotten check-outs): a service reads
 * `now()` from its settings, and the test sets or advances it instead of
 * waiting for real time to pass; timers the test fires, for periodic jobs.
 */
import type { JobTimers } from '../scheduler.js';

/** A clock tests move by hand; it reads the real time until set. */
export interface TestClock {
  now: () => Date;
  /** Stops the clock at `at`. */
  set(at: Date | string): void;
  /** Moves the clock on from where it stands (from the real time, when it was never set). */
  advance(milliseconds: number): void;
  /** Lets the clock read the real time again. */
  reset(): void;
}

export function testClock(): TestClock {
  let fixed: Date | null = null;
  return {
    now: () => (fixed ? new Date(fixed) : new Date()),
    set: (at) => {
      fixed = new Date(at);
    },
    advance: (milliseconds) => {
      fixed = new Date((fixed ?? new Date()).getTime() + milliseconds);
    },
    reset: () => {
      fixed = null;
    },
  };
}

/** Timers that fire only when the test says so: scheduled jobs run without waiting (`startScheduler(db, jobs, { timers })`). */
export interface ManualTimers extends JobTimers {
  /** The delays of the timers set and not yet fired or cleared, in the order they were set. */
  pending(): number[];
  /** Fires every pending timer now. */
  fire(): void;
}

export function manualTimers(): ManualTimers {
  const timers = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  return {
    setTimeout(callback, ms) {
      next += 1;
      timers.set(next, { callback, ms });
      return next;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    pending: () => [...timers.values()].map((timer) => timer.ms),
    fire() {
      const due = [...timers.values()];
      timers.clear();
      for (const timer of due) timer.callback();
    },
  };
}
