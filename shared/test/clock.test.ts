import { describe, expect, it } from '@jest/globals';
import { testClock } from '../src/testing/index.js';

describe('testClock', () => {
  it('reads the real time until set, then stands where it is set or advanced, until reset', () => {
    const clock = testClock();
    const before = Date.now();
    const real = clock.now().getTime();
    expect(real).toBeGreaterThanOrEqual(before);
    expect(real).toBeLessThanOrEqual(Date.now());

    clock.set('2026-12-05T04:00:00.000Z');
    expect(clock.now()).toEqual(new Date('2026-12-05T04:00:00.000Z'));
    expect(clock.now()).toEqual(new Date('2026-12-05T04:00:00.000Z'));
    clock.advance(90_000);
    expect(clock.now()).toEqual(new Date('2026-12-05T04:01:30.000Z'));
    // What now() returns is a copy: changing it does not move the clock.
    clock.now().setTime(0);
    expect(clock.now()).toEqual(new Date('2026-12-05T04:01:30.000Z'));

    clock.reset();
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(before);
  });

  it('advances from the real time when it was never set', () => {
    const clock = testClock();
    const before = Date.now();
    clock.advance(24 * 3600_000);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(before + 24 * 3600_000);
    expect(clock.now().getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
  });
});
