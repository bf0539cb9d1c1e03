/**
 * `serviceHourStats`: service time grouped by region level, period and
 * category, with reversals counted against what they reverse; who may ask and
 * over which regions; refusals of a malformed question; one statement.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_REGIONS, demoBeijing } from '@lianxin/shared/demo';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { codeOf, run, startRequests, viewers, type RequestsTestBed } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

const STATS = `query ($f: ServiceHourStatsFilter, $g: ServiceHourGrouping) { serviceHourStats(filter: $f, groupBy: $g) {
  total { minutes hours records volunteers }
  buckets { region { id } period { bucket start end } category { code } figures { minutes hours records volunteers } }
} }`;

interface Figures {
  minutes: number;
  hours: number;
  records: number;
  volunteers: number;
}
interface Stats {
  serviceHourStats: {
    total: Figures;
    buckets: { region: { id: string } | null; period: { bucket: string; start: string | Date; end: string | Date } | null; category: { code: string } | null; figures: Figures }[];
  };
}

const analyst = viewerOf({ roles: ['analyst'] });
const day = (value: string | Date): string => (value instanceof Date ? value.toISOString() : value).slice(0, 10);

describe('serviceHourStats', () => {
  it('counts the cleanup day as it stands: 张秀英’s hours corrected (reversed and replaced), two volunteers, in its month, community and category', async () => {
    const data = await run<Stats>(bed, STATS, analyst, { f: { source: 'ACTIVITY' }, g: { region: 'COMMUNITY', period: 'MONTH', category: true } });
    // 王建国 150 min; 张秀英 150 min, reversed (−150) and replaced by 135 min.
    const figures = { minutes: 285, hours: 4.75, records: 2, volunteers: 2 };
    expect(data.serviceHourStats.total).toEqual(figures);
    expect(data.serviceHourStats.buckets).toHaveLength(1);
    const [bucket] = data.serviceHourStats.buckets;
    const held = demoBeijing(3, 5, 9);
    const beijing = new Date(held.getTime() + 8 * 3_600_000);
    const first = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), 1));
    const last = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() + 1, 0));
    expect({ ...bucket!, period: { ...bucket!.period!, start: day(bucket!.period!.start), end: day(bucket!.period!.end) } }).toEqual({
      region: { id: DEMO_REGIONS.xingle.id },
      period: { bucket: 'MONTH', start: day(first), end: day(last) },
      category: { code: 'cleaning' },
      figures,
    });
  });

  it('groups by week (Monday to Sunday) and quarter, and a day’s bucket is that day', async () => {
    for (const [bucket, days] of [
      ['DAY', 1],
      ['WEEK', 7],
    ] as const) {
      const data = await run<Stats>(bed, STATS, analyst, { g: { period: bucket } });
      for (const { period } of data.serviceHourStats.buckets) {
        const start = new Date(`${day(period!.start)}T00:00:00Z`);
        expect((new Date(`${day(period!.end)}T00:00:00Z`).getTime() - start.getTime()) / 86_400_000).toBe(days - 1);
        if (bucket === 'WEEK') expect(start.getUTCDay()).toBe(1);
      }
    }
    const quarters = await run<Stats>(bed, STATS, analyst, { g: { period: 'QUARTER' } });
    for (const { period } of quarters.serviceHourStats.buckets) expect([1, 4, 7, 10]).toContain(Number(day(period!.start).slice(5, 7)));
    const total = quarters.serviceHourStats.buckets.reduce((sum, bucket) => sum + bucket.figures.minutes, 0);
    expect(total).toBe(quarters.serviceHourStats.total.minutes);
  });

  it('narrows by region, days and category, and cuts an admin’s figures to their scope', async () => {
    const all = await run<Stats>(bed, STATS, analyst, { f: { region: DEMO_REGIONS.xingle.id, categories: ['home_repair'] } });
    const mine = await run<Stats>(bed, STATS, viewers.lin, { f: { categories: ['home_repair'] } });
    expect(mine.serviceHourStats.total).toEqual(all.serviceHourStats.total);
    expect(all.serviceHourStats.total.minutes).toBeGreaterThan(0);
    const ziming = await run<Stats>(bed, STATS, viewers.zimingStation, { f: { region: DEMO_REGIONS.xingle.id } });
    expect(ziming.serviceHourStats).toEqual({ total: { minutes: 0, hours: 0, records: 0, volunteers: 0 }, buckets: [] });
    // The day of 刘桂芳's leaking tap only: 90 minutes.
    const tap = day(new Date(demoBeijing(3, 2, 15).getTime() + 8 * 3_600_000));
    const oneDay = await run<Stats>(bed, STATS, analyst, { f: { from: tap, to: tap, categories: ['home_repair'] } });
    expect(oneDay.serviceHourStats.total).toEqual({ minutes: 90, hours: 1.5, records: 1, volunteers: 1 });
  });

  it('is refused to volunteers, residents and tills, asks anonymous callers to sign in, and refuses a malformed question', async () => {
    for (const viewer of [viewers.wang, viewers.liu, viewers.gridWorker]) expect(codeOf(await bed.requests.execute(STATS, { viewer }))).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(STATS, {}))).toBe('UNAUTHENTICATED');
    for (const f of [{ region: 'xingle' }, { from: '2026-12-05', to: '2026-12-01' }, { from: 'yesterday' }]) {
      expect(codeOf(await bed.requests.execute(STATS, { variables: { f }, viewer: analyst }))).toBe('BAD_USER_INPUT');
    }
  });

  it('answers in one statement, however many buckets', async () => {
    const { result, count } = await countStatements(bed.requests.database, () =>
      bed.requests.execute(STATS.replace('category { code }', ''), { variables: { g: { region: 'STREET', period: 'DAY' } }, viewer: analyst }),
    );
    expect(result.errors).toBeUndefined();
    expect(count).toBe(1);
  });
});
