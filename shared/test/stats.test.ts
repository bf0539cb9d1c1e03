import { describe, expect, it } from '@jest/globals';
import { MAX_STATS_BUCKETS, hoursOf, periodOf, requireFewBuckets, statsDays } from '../src/index.js';

describe('statistics periods', () => {
  it('ends each period on its last Beijing day: February of a leap year, a quarter, a week from Monday, a year', () => {
    expect(periodOf('MONTH', '2028-02-01')).toEqual({ bucket: 'MONTH', start: '2028-02-01', end: '2028-02-29' });
    expect(periodOf('QUARTER', '2026-10-01')).toEqual({ bucket: 'QUARTER', start: '2026-10-01', end: '2026-12-31' });
    expect(periodOf('WEEK', '2026-11-30')).toEqual({ bucket: 'WEEK', start: '2026-11-30', end: '2026-12-06' });
    expect(periodOf('YEAR', '2026-01-01').end).toBe('2026-12-31');
    expect(periodOf('DAY', '2026-12-31').end).toBe('2026-12-31');
  });

  it('covers Beijing days from the start of `from` to the end of `to`, and refuses `from` after `to`', () => {
    expect(statsDays('2026-11-01', '2026-11-30')).toEqual({ from: new Date('2026-10-31T16:00:00Z'), before: new Date('2026-11-30T16:00:00Z') });
    expect(statsDays(null, undefined)).toEqual({ from: null, before: null });
    expect(() => statsDays('2026-12-02', '2026-12-01')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });

  it('refuses more buckets than the bound, and rounds hours to two decimals', () => {
    expect(requireFewBuckets(Array.from({ length: MAX_STATS_BUCKETS }, (_, n) => n))).toHaveLength(MAX_STATS_BUCKETS);
    expect(() => requireFewBuckets(Array.from({ length: MAX_STATS_BUCKETS + 1 }, (_, n) => n))).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'STATISTICS_TOO_LARGE' }) }),
    );
    expect(hoursOf(285)).toBe(4.75);
    expect(hoursOf(70)).toBe(1.17);
  });
});
