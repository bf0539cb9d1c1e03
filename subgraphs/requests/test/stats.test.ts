/**
 * Statistics: `serviceHourStats` (service time grouped by region level,
 * period and category, with reversals counted against what they reverse),
 * `serviceRequestStats` (requests and their waits, median and 90th
 * percentile) and `microWishStats`; who may ask and over which regions;
 * refusals of a malformed question; one statement each.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@lianxin/shared';
import { DEMO_REGIONS, demoBeijing } from '@lianxin/shared/demo';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { cleanup } from '../src/db/demo/activities.js';
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
    // Its category: the spring's gate duty, also activities, is 'other'.
    const data = await run<Stats>(bed, STATS, analyst, { f: { source: 'ACTIVITY', categories: ['cleaning'] }, g: { region: 'COMMUNITY', period: 'MONTH', category: true } });
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

  it('answers in one statement on the analytics connection, however many buckets, and none on the service’s own', async () => {
    const service = await countStatements(bed.requests.database, () =>
      countStatements(bed.requests.analytics, () =>
        bed.requests.execute(STATS.replace('category { code }', ''), { variables: { g: { region: 'STREET', period: 'DAY' } }, viewer: analyst }),
      ),
    );
    expect(service.result.result.errors).toBeUndefined();
    expect(service.result.count).toBe(1);
    expect(service.count).toBe(0);
  });
});

const REQUEST_STATS = `query ($f: ServiceRequestStatsFilter, $g: ServiceRequestGrouping) { serviceRequestStats(filter: $f, groupBy: $g) {
  total { requests accepted completed toAccept { median p90 } toStart { median p90 } toComplete { median p90 } }
  buckets { region { id } status channel category { code } figures { requests } }
} }`;

interface RequestStats {
  serviceRequestStats: {
    total: {
      requests: number;
      accepted: number;
      completed: number;
      toAccept: { median: number | null; p90: number | null };
      toStart: { median: number | null; p90: number | null };
      toComplete: { median: number | null; p90: number | null };
    };
    buckets: { region: { id: string } | null; status: string | null; channel: string | null; category: { code: string } | null; figures: { requests: number } }[];
  };
}

/** The Beijing calendar day of a demo story moment. */
const storyDay = (month: number, dayOfMonth: number, hour: number): string => day(new Date(demoBeijing(month, dayOfMonth, hour).getTime() + 8 * 3_600_000));

describe('serviceRequestStats', () => {
  it('times 郑小红’s ceiling light: filed 19:30, accepted 08:15 the next morning, started and completed the day after', async () => {
    const filed = storyDay(11, 25, 19);
    const data = await run<RequestStats>(bed, REQUEST_STATS, analyst, { f: { from: filed, to: filed, categories: ['home_repair'] } });
    expect(data.serviceRequestStats.total).toEqual({
      requests: 1,
      accepted: 1,
      completed: 1,
      toAccept: { median: 45_900, p90: 45_900 },
      toStart: { median: 92_700, p90: 92_700 },
      toComplete: { median: 96_900, p90: 96_900 },
    });
  });

  it('groups by status and channel, and an admin counts only their scope', async () => {
    const all = await run<RequestStats>(bed, REQUEST_STATS, analyst, { f: { region: DEMO_REGIONS.xingle.id }, g: { status: true, channel: true } });
    const mine = await run<RequestStats>(bed, REQUEST_STATS, viewers.lin, { g: { status: true, channel: true } });
    expect(mine.serviceRequestStats).toEqual(all.serviceRequestStats);
    const buckets = all.serviceRequestStats.buckets;
    expect(buckets.every((bucket) => bucket.status !== null && bucket.channel !== null && bucket.region === null && bucket.category === null)).toBe(true);
    expect(buckets.some((bucket) => bucket.status === 'RATED' && bucket.channel === 'PHONE')).toBe(true);
    expect(buckets.reduce((sum, bucket) => sum + bucket.figures.requests, 0)).toBe(all.serviceRequestStats.total.requests);
    const rated = await run<RequestStats>(bed, REQUEST_STATS, analyst, { f: { region: DEMO_REGIONS.xingle.id, statuses: ['RATED'] } });
    expect(rated.serviceRequestStats.total.requests).toBe(buckets.filter((bucket) => bucket.status === 'RATED').reduce((sum, bucket) => sum + bucket.figures.requests, 0));
  });

  it('refuses a malformed team or region as a bad input, and a volunteer', async () => {
    for (const f of [{ team: 'lexiujiang' }, { region: 42 }]) {
      expect(codeOf(await bed.requests.execute(REQUEST_STATS, { variables: { f }, viewer: analyst }))).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(await bed.requests.execute(REQUEST_STATS, { viewer: viewers.zhang }))).toBe('FORBIDDEN');
    const { count } = await countStatements(bed.requests.analytics, () =>
      bed.requests.execute(REQUEST_STATS, { variables: { g: { region: 'COMMUNITY', period: 'MONTH' } }, viewer: analyst }),
    );
    expect(count).toBe(1);
  });
});

describe('microWishStats', () => {
  it('counts wishes by how far they got, with the fulfilment rate, cut to an admin’s scope', async () => {
    const QUERY = `query ($g: MicroWishGrouping) { microWishStats(groupBy: $g) { total { posted claimed fulfilled withdrawn fulfilmentRate } buckets { region { id } figures { posted fulfilled } } } }`;
    const all = await run<{ microWishStats: { total: { posted: number; claimed: number; fulfilled: number; withdrawn: number; fulfilmentRate: number | null } } }>(
      bed,
      QUERY,
      analyst,
    );
    const { posted, claimed, fulfilled, fulfilmentRate } = all.microWishStats.total;
    expect(posted).toBeGreaterThan(0);
    expect(claimed).toBeGreaterThanOrEqual(fulfilled);
    expect(fulfilmentRate).toBe(Math.round((fulfilled / posted) * 10_000) / 10_000);
    const ziming = await run<{ microWishStats: { total: { posted: number } } }>(bed, QUERY, viewers.zimingStation);
    expect(ziming.microWishStats.total.posted).toBeLessThan(posted);
  });
});

describe('activityStats', () => {
  it('counts the cleanup day in Xingle with its places, check-ins and the 285 minutes approved (a correction netted)', async () => {
    const QUERY = `query ($f: ActivityStatsFilter, $g: ActivityGrouping) { activityStats(filter: $f, groupBy: $g) {
      total { activities signups checkIns minutes hours } buckets { region { id } figures { activities } } } }`;
    // Up to the day before the spring's gate duty (its days are activities in Xingle too).
    const beforeDuty = storyDay(3, 31, 0);
    const data = await run<{ activityStats: { total: Record<string, number>; buckets: { region: { id: string } | null; figures: { activities: number } }[] } }>(
      bed,
      QUERY,
      analyst,
      { f: { region: DEMO_REGIONS.xingle.id, to: beforeDuty }, g: { region: 'COMMUNITY' } },
    );
    const db = bed.requests.database.db;
    const [held] = await rowsOf<{ signups: number; check_ins: number }>(
      db,
      sql`select (select count(*)::int from requests.activity_signups s where s.activity_id = ${cleanup} and s.status = 'confirmed') as signups,
                 (select count(*)::int from requests.activity_attendances t where t.activity_id = ${cleanup}) as check_ins`,
    );
    expect(data.activityStats.total).toEqual({ activities: 1, signups: held!.signups, checkIns: held!.check_ins, minutes: 285, hours: 4.75 });
    expect(data.activityStats.buckets).toEqual([{ region: { id: DEMO_REGIONS.xingle.id }, figures: { activities: 1 } }]);
    expect(codeOf(await bed.requests.execute(QUERY, { viewer: viewers.zhang }))).toBe('FORBIDDEN');
  });
});
