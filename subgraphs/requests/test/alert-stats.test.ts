/**
 * `alertStats`: alerts raised by the devices at elders' homes, with their
 * acknowledgements, counted against alerts written here by hand (in 2020,
 * away from the demo's); small cells withheld by the households they count,
 * with their complements and the total; filters; who may ask; one
 * statement; refusals of a malformed or too large question.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { R, placed } from '../src/db/demo/cast.js';
import { alerts, devices } from '../src/db/schema.js';
import { codeOf, run, startRequests, viewers, type RequestsTestBed } from './support.js';

let bed: RequestsTestBed;

const XINGLE = DEMO_REGIONS.xingle.id;
const ZIMING = DEMO_XINCHENG_REGIONS['ziming']!.id;
const XIANGYANG = DEMO_XINCHENG_REGIONS['xiangyang']!.id;
const CHANGLE_ZHONGLU = DEMO_XINCHENG_REGIONS['changleZhonglu']!.id;

type Kind = 'call_button' | 'inactivity';
/** One alert: its household, place, kind, when it was raised (Beijing) and after how many seconds it was acknowledged (null: still open). */
type Raised = [household: string, place: string, kind: Kind, raisedAt: string, acknowledgedAfter: number | null];

const x = Array.from({ length: 6 }, () => newId());
const z = Array.from({ length: 2 }, () => newId());
const y = Array.from({ length: 7 }, () => newId());

/**
 * 兴乐 (a building in it): six households, five alerting in March (x1 twice), x6 in April, still open.
 * 紫铭 (the community itself): two households alerting once a month from March to May.
 * 向阳 (a building in it): seven households, one inactivity alert each in the second half of March.
 */
const RAISED: Raised[] = [
  [x[0]!, 'eastBuilding1', 'inactivity', '2020-03-02T09:00', 60],
  [x[0]!, 'eastBuilding1', 'call_button', '2020-03-05T20:00', 120],
  [x[1]!, 'eastBuilding1', 'inactivity', '2020-03-03T09:00', 180],
  [x[2]!, 'eastBuilding1', 'inactivity', '2020-03-04T09:00', 240],
  [x[3]!, 'eastBuilding1', 'inactivity', '2020-03-10T09:00', 300],
  [x[4]!, 'eastBuilding1', 'inactivity', '2020-03-11T09:00', 600],
  [x[5]!, 'eastBuilding1', 'call_button', '2020-04-01T08:00', null],
  ...(['03', '04', '05'] as const).flatMap((month): Raised[] => [
    [z[0]!, 'ziming', 'inactivity', `2020-${month}-06T10:00`, 90],
    [z[1]!, 'ziming', 'call_button', `2020-${month}-07T10:00`, 30],
  ]),
  ...y.map((household, index): Raised => [household, 'xiangyangBuilding1', 'inactivity', `2020-03-${15 + index}T08:00`, 100 * (index + 1)]),
];

/** A device for `household` at `place`, to raise its alerts. */
async function deviceOf(household: string, place: string): Promise<string> {
  const [device] = await bed.requests.database.db
    .insert(devices)
    .values({
      platform: 'stats-test',
      externalId: newId(),
      householdId: household,
      residentId: newId(),
      notifyPersonId: newId(),
      ...placed(place),
      registeredById: newId(),
    })
    .returning({ id: devices.id });
  return device!.id;
}

async function raise(raised: readonly Raised[]): Promise<void> {
  const deviceIds = new Map<string, string>();
  for (const [household, place] of raised) if (!deviceIds.has(household)) deviceIds.set(household, await deviceOf(household, place));
  await bed.requests.database.db.insert(alerts).values(
    raised.map(([household, place, kind, raisedAt, after]) => {
      const at = new Date(`${raisedAt}:00+08:00`);
      const acknowledgedAt = after === null ? null : new Date(at.getTime() + after * 1000);
      return {
        kind,
        deviceId: deviceIds.get(household)!,
        householdId: household,
        residentId: newId(),
        notifyPersonId: newId(),
        ...placed(place),
        raisedAt: at,
        // A button press opens an urgent request; which one does not matter to the statistic.
        requestId: kind === 'call_button' ? R.callButton : null,
        acknowledgedAt,
        acknowledgedById: acknowledgedAt ? newId() : null,
      };
    }),
  );
}

beforeAll(async () => {
  bed = await startRequests();
  await raise(RAISED);
});
afterAll(async () => {
  await bed?.stop();
});

const ALERTS = `query ($f: AlertStatsFilter, $g: AlertGrouping) { alertStats(filter: $f, groupBy: $g) {
  total { alerts acknowledged households toAcknowledge { median p90 } suppressed }
  buckets { region { id } period { bucket start } kind figures { alerts acknowledged households toAcknowledge { median p90 } suppressed } }
} }`;

interface Figures {
  alerts: number | null;
  acknowledged: number | null;
  households: number | null;
  toAcknowledge: { median: number | null; p90: number | null } | null;
  suppressed: boolean;
}
interface Bucket {
  region: { id: string } | null;
  period: { bucket: string; start: string | Date } | null;
  kind: string | null;
  figures: Figures;
}
interface Answer {
  alertStats: { total: Figures; buckets: Bucket[] };
}

const analyst = viewerOf({ roles: ['analyst'] });
const YEAR = { from: '2020-01-01', to: '2020-12-31' };

const shown = (alerts: number, acknowledged: number, households: number, median: number | null, p90: number | null): Figures => ({
  alerts,
  acknowledged,
  households,
  toAcknowledge: { median, p90 },
  suppressed: false,
});
const withheld: Figures = { alerts: null, acknowledged: null, households: null, toAcknowledge: null, suppressed: true };

const ask = async (variables: Record<string, unknown>, viewer = analyst) => (await run<Answer>(bed, ALERTS, viewer, variables)).alertStats;
/** Buckets as [region, period start, kind, figures], the period's start as its day. */
const rowsOf = (buckets: readonly Bucket[]) =>
  buckets.map((bucket) => [
    bucket.region?.id ?? null,
    bucket.period ? (bucket.period.start instanceof Date ? bucket.period.start.toISOString() : bucket.period.start).slice(0, 10) : null,
    bucket.kind,
    bucket.figures,
  ]);

describe('alertStats figures', () => {
  it('counts 兴乐’s March by hand: six alerts from five households, all acknowledged, 210 s median and 450 s at the 90th percentile', async () => {
    const answer = await ask({ f: { region: XINGLE, from: '2020-03-01', to: '2020-03-31' } });
    // Seconds to acknowledge: 60, 120, 180, 240, 300, 600; the median between 180 and 240, the 90th percentile between 300 and 600.
    const figures = shown(6, 6, 5, 210, 450);
    expect(answer).toEqual({ total: figures, buckets: [{ region: null, period: null, kind: null, figures }] });
  });

  it('answers nothing counted with zeros, not withheld: no one is revealed', async () => {
    const answer = await ask({ f: { region: XINGLE, from: '2019-01-01', to: '2019-12-31' }, g: { region: 'COMMUNITY' } });
    expect(answer).toEqual({ total: shown(0, 0, 0, null, null), buckets: [] });
  });

  it('narrows by kinds, region and days', async () => {
    // Inactivity in 长乐中路 (紫铭 and 向阳): z1's three and 向阳's seven, from eight households.
    const street = await ask({ f: { ...YEAR, region: CHANGLE_ZHONGLU, kinds: ['INACTIVITY'] } });
    expect(street.total).toEqual(shown(10, 10, 8, 250, 610));
    // 向阳 from the 15th to the 19th of March: y1 to y5, 100 to 500 seconds.
    const days = await ask({ f: { region: XIANGYANG, from: '2020-03-15', to: '2020-03-19' } });
    expect(days.total).toEqual(shown(5, 5, 5, 300, 460));
    // An empty list of kinds is every kind.
    expect(await ask({ f: { ...YEAR, region: XIANGYANG, kinds: [] } })).toEqual(await ask({ f: { ...YEAR, region: XIANGYANG } }));
  });
});

describe('alertStats suppression', () => {
  it('by community: withholds 紫铭’s two households and, as its complement, 兴乐’s six (the smaller neighbour), and shows 向阳 and the total', async () => {
    const answer = await ask({ f: YEAR, g: { region: 'COMMUNITY' } });
    expect(rowsOf(answer.buckets)).toEqual([
      [XINGLE, null, null, withheld],
      [ZIMING, null, null, withheld],
      // 100 to 700 seconds: the median 400, the 90th percentile between 600 and 700.
      [XIANGYANG, null, null, shown(7, 7, 7, 400, 640)],
    ]);
    // 20 alerts, 19 acknowledged (x6's is open), 15 households; the 19 waits sorted give 180 s in the middle and 600 s at nine tenths.
    expect(answer.total).toEqual(shown(20, 19, 15, 180, 600));
  });

  it('by community and kind: withholds every bucket under five, and beside them 兴乐’s five inactive households, the lone small one left in their line', async () => {
    const answer = await ask({ f: YEAR, g: { region: 'COMMUNITY', kind: true } });
    expect(rowsOf(answer.buckets)).toEqual([
      [XINGLE, null, 'CALL_BUTTON', withheld],
      [XINGLE, null, 'INACTIVITY', withheld],
      [ZIMING, null, 'CALL_BUTTON', withheld],
      [ZIMING, null, 'INACTIVITY', withheld],
      [XIANGYANG, null, 'INACTIVITY', shown(7, 7, 7, 400, 640)],
    ]);
    expect(answer.total.suppressed).toBe(false);
  });

  it('by month in 兴乐: x6’s April is withheld and March with it, while the total of six households stands', async () => {
    const answer = await ask({ f: { ...YEAR, region: XINGLE }, g: { period: 'MONTH' } });
    expect(rowsOf(answer.buckets)).toEqual([
      [null, '2020-03-01', null, withheld],
      [null, '2020-04-01', null, withheld],
    ]);
    expect(answer.total).toEqual(shown(7, 6, 6, 210, 450));
  });

  it('withholds a total under five households, even when its buckets would add up to more: a household alerting in three months is one', async () => {
    const answer = await ask({ f: { ...YEAR, region: ZIMING }, g: { period: 'MONTH' } });
    // Two households in each of three months: the buckets sum to six, but the total counts two.
    expect(rowsOf(answer.buckets)).toEqual([
      [null, '2020-03-01', null, withheld],
      [null, '2020-04-01', null, withheld],
      [null, '2020-05-01', null, withheld],
    ]);
    expect(answer.total).toEqual(withheld);
  });

  it('withholds only under the minimum: at the default five, a bucket of exactly five households is shown', async () => {
    const answer = await ask({ f: { ...YEAR, region: XINGLE, kinds: ['INACTIVITY'] }, g: { region: 'COMMUNITY' } });
    expect(rowsOf(answer.buckets)).toEqual([[XINGLE, null, null, shown(5, 5, 5, 240, 480)]]);
  });
});

describe('who may ask alertStats, and what', () => {
  it('cuts an admin’s figures to their scope, and lets platform admins in', async () => {
    expect(await ask({ f: YEAR }, viewers.lin)).toEqual(await ask({ f: { ...YEAR, region: XINGLE } }));
    expect(await ask({ f: { ...YEAR, region: XINGLE } }, viewers.zimingStation)).toEqual({ total: shown(0, 0, 0, null, null), buckets: [] });
    expect(await ask({ f: YEAR }, viewers.platform)).toEqual(await ask({ f: YEAR }));
  });

  it('is refused to volunteers, residents and grid workers, asks anonymous callers to sign in, and refuses a forbidden caller before looking at the filter', async () => {
    for (const viewer of [viewers.wang, viewers.liu, viewers.gridWorker]) expect(codeOf(await bed.requests.execute(ALERTS, { viewer }))).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(ALERTS, {}))).toBe('UNAUTHENTICATED');
    expect(codeOf(await bed.requests.execute(ALERTS, { variables: { f: { region: DEMO_REGIONS.eastBuilding1.id } }, viewer: viewers.zhang }))).toBe('FORBIDDEN');
  });

  it('refuses days out of order, an unknown kind, a malformed or unknown region, and a region below a community, as the caller’s mistake', async () => {
    for (const f of [
      { from: '2020-03-05', to: '2020-03-01' },
      { kinds: ['FIRE'] },
      { region: 'xingle' },
      { region: newId() },
      { region: DEMO_REGIONS.eastBuilding1.id },
      { region: DEMO_XINCHENG_REGIONS['xiangyangCompound']!.id },
    ]) {
      expect(codeOf(await bed.requests.execute(ALERTS, { variables: { f }, viewer: analyst }))).toBe('BAD_USER_INPUT');
    }
  });

  it('answers in one statement on the analytics connection, however many buckets, and none on the service’s own', async () => {
    const service = await countStatements(bed.requests.database, () =>
      countStatements(bed.requests.analytics, () =>
        bed.requests.execute(ALERTS.replace('region { id } ', ''), { variables: { g: { region: 'STREET', period: 'DAY', kind: true } }, viewer: analyst }),
      ),
    );
    expect(service.result.result.errors).toBeUndefined();
    expect((service.result.result.data as unknown as Answer).alertStats.buckets.length).toBeGreaterThan(10);
    expect(service.result.count).toBe(1);
    expect(service.count).toBe(0);
  });

  it('refuses a question of more than 5,000 buckets (STATISTICS_TOO_LARGE)', async () => {
    const household = newId();
    const device = await deviceOf(household, 'xiangyangBuilding1');
    // One acknowledged inactivity alert a day for 5,001 days from 2000.
    await bed.requests.database.db.execute(sql`
      insert into requests.alerts (id, kind, device_id, household_id, resident_id, notify_person_id, region_id, region_path, raised_at, acknowledged_at, acknowledged_by)
      select gen_random_uuid(), 'inactivity', ${device}, ${household}, ${household}, ${household}, d.id, d.path || d.id,
             timestamptz '2000-01-01 12:00+08' + n * interval '1 day', timestamptz '2000-01-01 12:05+08' + n * interval '1 day', ${household}
        from requests.directory_regions d, generate_series(0, 5000) as n
       where d.id = ${DEMO_XINCHENG_REGIONS['xiangyangBuilding1']!.id}`);
    try {
      const result = await bed.requests.execute(ALERTS, { variables: { f: { from: '2000-01-01', to: '2019-12-31' }, g: { period: 'DAY' } }, viewer: analyst });
      expect(codeOf(result)).toBe('STATISTICS_TOO_LARGE');
      // By year it is answered, and one household's alerts are withheld everywhere, the total too.
      const years = await ask({ f: { from: '2000-01-01', to: '2019-12-31' }, g: { period: 'YEAR' } });
      expect(years.buckets).toHaveLength(14);
      expect(years.buckets.every((bucket) => bucket.figures.suppressed)).toBe(true);
      expect(years.total).toEqual(withheld);
    } finally {
      await bed.requests.database.db.execute(sql`delete from requests.alerts where household_id = ${household}`);
    }
  });
});
