import { describe, expect, it } from '@jest/globals';
import {
  ANONYMOUS,
  MAX_STATS_BUCKETS,
  hoursOf,
  periodOf,
  regionStatsScope,
  requireFewBuckets,
  statsDays,
  statsFilterId,
  suppressSmallCells,
  type Role,
  type StatsCell,
  type Viewer,
} from '../src/index.js';

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

describe('small-cell suppression', () => {
  const cell = (count: number, ...key: (string | null)[]): StatsCell => ({ key, count });
  const withheldKeys = (cells: StatsCell[], minCell = 5): string[] =>
    suppressSmallCells(cells, minCell).cells.flatMap((withheld, index) => (withheld ? [cells[index]!.key.join('/')] : []));

  it('withholds the demo’s small hardship cells, then the smallest cell of each line left with one alone, until no line gives one away', () => {
    // The demo's 50 households by community and hardship level (no special hardship in 向荣 or 紫铭).
    const table = [
      cell(5, 'xingle', 'special_hardship'),
      cell(4, 'xingle', 'low_income'),
      cell(6, 'xingle', 'ordinary'),
      cell(4, 'xiangrong', 'low_income'),
      cell(8, 'xiangrong', 'ordinary'),
      cell(5, 'ziming', 'low_income'),
      cell(7, 'ziming', 'ordinary'),
      cell(5, 'xiangyang', 'special_hardship'),
      cell(2, 'xiangyang', 'low_income'),
      cell(4, 'xiangyang', 'ordinary'),
    ];
    // xiangyang/ordinary is alone among the ordinary ones: xingle's 6 goes with it; xiangrong/low_income alone in its row: its 8 goes.
    expect(withheldKeys(table)).toEqual(['xingle/low_income', 'xingle/ordinary', 'xiangrong/low_income', 'xiangrong/ordinary', 'xiangyang/low_income', 'xiangyang/ordinary']);
    expect(suppressSmallCells(table, 5).total).toBe(false);
    // At 3 only xiangyang/low_income is small: xingle's 4 beside it among the low-income ones, then in xingle's row its 5, whose
    // column takes xiangyang's 5, which closes xiangyang's row: a rectangle of four, each line withholding two.
    expect(withheldKeys(table, 3)).toEqual(['xingle/special_hardship', 'xingle/low_income', 'xiangyang/special_hardship', 'xiangyang/low_income']);
  });

  it('in one dimension, withholds the next smallest beside a lone small cell, and leaves a table without small cells alone', () => {
    expect(withheldKeys([cell(12, 'a'), cell(3, 'b'), cell(9, 'c'), cell(9, 'd')])).toEqual(['b', 'c']);
    expect(withheldKeys([cell(12, 'a'), cell(3, 'b'), cell(2, 'c')])).toEqual(['b', 'c']);
    expect(suppressSmallCells([cell(5, 'a'), cell(6, 'b')], 5)).toEqual({ cells: [false, false], total: false });
    expect(suppressSmallCells([], 5)).toEqual({ cells: [], total: false });
  });

  it('withholds more when the withheld cells of a line sum to fewer than the threshold, or are all ones', () => {
    // 1 + 2 = 3 < 5: the next smallest (6) joins them.
    expect(withheldKeys([cell(1, 'a'), cell(2, 'b'), cell(6, 'c'), cell(20, 'd')])).toEqual(['a', 'b', 'c']);
    // Five ones sum to 5, but each bucket counts at least one: the sum gives each away, so 7 joins them.
    expect(withheldKeys([cell(1, 'a'), cell(1, 'b'), cell(1, 'c'), cell(1, 'd'), cell(1, 'e'), cell(7, 'f')])).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('withholds the total when it is small, or when everything is withheld and the total would give the cells away; never a zero total', () => {
    expect(suppressSmallCells([cell(3, 'a'), cell(1, 'b')], 5)).toEqual({ cells: [true, true], total: true });
    expect(suppressSmallCells([cell(1, 'a'), cell(1, 'b'), cell(1, 'c'), cell(1, 'd'), cell(1, 'e')], 5)).toEqual({ cells: [true, true, true, true, true], total: true });
    expect(suppressSmallCells([cell(3, 'a'), cell(4, 'b')], 5)).toEqual({ cells: [true, true], total: false });
    expect(suppressSmallCells([cell(3, null)], 5)).toEqual({ cells: [true], total: true });
    expect(suppressSmallCells([cell(30, null)], 5)).toEqual({ cells: [false], total: false });
  });

  it('leaves no withheld cell alone in any row or column, nor derivable from the total, in a larger table', () => {
    const counts = [
      [1, 9, 14, 30],
      [6, 2, 8, 11],
      [20, 15, 3, 7],
    ];
    const cells = counts.flatMap((row, r) => row.map((count, c) => cell(count, `r${r}`, `c${c}`)));
    const { cells: withheld, total } = suppressSmallCells(cells, 5);
    expect(total).toBe(false);
    const rows = counts.map((row, r) => row.map((_, c) => r * 4 + c));
    const columns = counts[0]!.map((_, c) => counts.map((_, r) => r * 4 + c));
    for (const line of [...rows, ...columns, cells.map((_, index) => index)]) {
      const hidden = line.filter((index) => withheld[index]);
      if (hidden.length === 0) continue;
      expect(hidden.length).toBeGreaterThanOrEqual(2);
      expect(hidden.reduce((sum, index) => sum + cells[index]!.count, 0)).toBeGreaterThanOrEqual(5);
    }
    expect(cells.filter((_, index) => withheld[index]).map((withheldCell) => `${withheldCell.key.join('/')}:${withheldCell.count}`)).toEqual([
      'r0/c0:1',
      'r0/c1:9',
      'r1/c0:6',
      'r1/c1:2',
      'r1/c2:8',
      'r2/c1:15',
      'r2/c2:3',
    ]);
  });
});

describe('who reads statistics, over which regions', () => {
  const viewer = (roles: Role[], regionIds: string[] = []): Viewer => ({ ...ANONYMOUS, subject: 'someone', roles, regionIds });
  const code = (work: () => unknown): unknown => {
    try {
      work();
      return null;
    } catch (error) {
      return (error as { extensions?: { code?: unknown } }).extensions?.code;
    }
  };

  it('gives analysts and platform admins every region, the admins of a region its regions, and refuses everyone else', () => {
    const xingle = '00000000-0000-7000-8001-000000000005';
    expect(regionStatsScope(viewer(['analyst']))).toBeNull();
    expect(regionStatsScope(viewer(['platform_admin']))).toBeNull();
    expect(regionStatsScope(viewer(['community_admin'], [xingle]))).toEqual([xingle]);
    expect(code(() => regionStatsScope(viewer(['community_admin'])))).toBe('FORBIDDEN');
    for (const roles of [['volunteer'], ['grid_worker'], ['merchant'], ['resident']] as Role[][]) expect(code(() => regionStatsScope(viewer(roles, [xingle])))).toBe('FORBIDDEN');
    expect(code(() => regionStatsScope(ANONYMOUS))).toBe('UNAUTHENTICATED');
  });

  it('lower-cases a filter id and refuses a malformed one as a bad input', () => {
    expect(statsFilterId('00000000-0000-7000-8001-00000000000A')).toBe('00000000-0000-7000-8001-00000000000a');
    expect(statsFilterId(undefined)).toBeNull();
    expect(code(() => statsFilterId('xingle', 'team'))).toBe('BAD_USER_INPUT');
  });
});
