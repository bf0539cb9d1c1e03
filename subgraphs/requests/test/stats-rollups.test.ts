/**
 * The service-hour rollups (migration 0017): for every region and for all
 * records, by month and in all, the figures read from the rollups equal
 * those summed from the records themselves, however much of the queue has
 * been folded (none, part, all, by folds running at once), with services,
 * reversals (in the original's month and place or elsewhere), replacements,
 * a place whose path changed, and Beijing months' edges. The statistic
 * reads the rollups only for the questions they answer exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { MAX_STATS_BUCKETS, newId, rowsOf, type Executor } from '@lianxin/shared';
import { DEMO_REGIONS } from '@lianxin/shared/demo';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { cleanup } from '../src/db/demo/activities.js';
import { serviceRecords, type NewServiceRecordRow } from '../src/db/schema.js';
import { foldQueuedServiceHours } from '../src/stats/service.js';
import { foldServiceHours, rollupRegionOf, serviceHourStatsFromRecords, serviceHourStatsFromRollups, type ServiceHourStatsQuery } from '../src/stats/store.js';
import { run, startRequests, type RequestsTestBed } from './support.js';

let bed: RequestsTestBed;
let db: Executor;

beforeAll(async () => {
  bed = await startRequests();
  db = bed.requests.database.db;
});
afterAll(async () => {
  await bed?.stop();
});

const EVERYWHERE = '00000000-0000-0000-0000-000000000000';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// A region tree of its own: a city, two streets, three communities; one community is found under both streets, as a
// record keeps the path its place had when it was served and the place moved in between.
const city = newId();
const [north, south] = [newId(), newId()];
const [n1, n2, s1] = [newId(), newId(), newId()];
const PATHS: string[][] = [[city, north, n1], [city, north, n2], [city, south, s1], [city, south], [city, north, s1], [city]];
const REGIONS = [city, north, south, n1, n2, s1];

// Instants around Beijing months' edges (UTC+8) and inside them.
const INSTANTS = [
  '2026-01-31T15:59:59.000Z', // 1 Feb 00:00 minus a second in Beijing: January
  '2026-01-31T16:00:00.000Z', // 1 Feb 00:00 in Beijing: February
  '2026-02-14T03:00:00.000Z',
  '2026-02-28T16:30:00.000Z', // 1 March in Beijing, still February in UTC
  '2026-03-20T09:00:00.000Z',
  '2026-05-31T23:00:00.000Z',
];

const question = (within: string[][], byMonth: boolean): ServiceHourStatsQuery => ({
  within,
  from: null,
  before: null,
  grouping: { region: null, period: byMonth ? 'MONTH' : null },
  maxBuckets: MAX_STATS_BUCKETS,
  categories: null,
  source: null,
  category: false,
});

/** Every region's figures (and all records'), by month and in all, from the rollups and from the records: equal. */
async function expectRollupsToMatchRecords(): Promise<void> {
  for (const region of [...REGIONS, DEMO_REGIONS.xingle.id, null]) {
    for (const byMonth of [true, false]) {
      const query = question(region ? [[region]] : [], byMonth);
      const fromRecords = await serviceHourStatsFromRecords(db, query);
      const fromRollups = await serviceHourStatsFromRollups(db, region ?? EVERYWHERE, query);
      expect({ region, byMonth, rows: fromRollups }).toEqual({ region, byMonth, rows: fromRecords });
    }
  }
}

const queued = async (): Promise<number> => Number((await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from requests.service_hours_unfolded`))[0]?.n);

describe('service-hour rollups', () => {
  it('answer as the records do, folded or not, with reversals, replacements and a moved place', async () => {
    const random = generator(20261207);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    // Activities to hang records on (a service counts once per activity and volunteer): copies of the demo's cleanup day.
    const activityIds = Array.from({ length: 8 }, () => newId());
    for (const id of activityIds) {
      await db.execute(
        sql`insert into requests.activities select (jsonb_populate_record(a, jsonb_build_object('id', ${id}::uuid))).* from requests.activities a where a.id = ${cleanup}`,
      );
    }
    const volunteers = Array.from({ length: 5 }, () => newId());
    const base = (volunteerId: string, activityId: string): Omit<NewServiceRecordRow, 'minutes' | 'kind'> => {
      const path = pick(PATHS);
      return { volunteerId, activityId, categoryCode: 'cleaning', servedAt: new Date(pick(INSTANTS)), regionId: path.at(-1)!, regionPath: path, description: '测试' };
    };
    const services: (NewServiceRecordRow & { id: string })[] = [];
    const reversed: typeof services = [];
    let replacements = 0;
    for (const [round, activityId] of activityIds.entries()) {
      // Each round: a service for most volunteers, a reversal of some earlier services (mostly where the original lies),
      // a replacement of some reversed ones; then part of the queue folded, a few records at a time.
      for (const volunteerId of volunteers) {
        if (random() < 0.75) services.push({ id: newId(), ...base(volunteerId, activityId), kind: 'service', minutes: 1 + Math.floor(random() * 300) });
      }
      await db.insert(serviceRecords).values(services.filter((record) => record.activityId === activityId));
      for (const original of services.filter((record) => !reversed.includes(record) && random() < 0.3)) {
        const elsewhere = random() < 0.25 ? base(original.volunteerId, original.activityId!) : original;
        await db.insert(serviceRecords).values({
          ...original,
          id: newId(),
          servedAt: elsewhere.servedAt,
          regionId: elsewhere.regionId,
          regionPath: elsewhere.regionPath,
          kind: 'reversal',
          minutes: -original.minutes,
          reversesId: original.id,
          reason: '记录有误',
        });
        reversed.push(original);
        if (random() < 0.5) {
          const replacement = { ...base(original.volunteerId, original.activityId!), id: newId(), kind: 'service' as const, minutes: 1 + Math.floor(random() * 300) };
          await db.insert(serviceRecords).values({ ...replacement, correctsId: original.id, reason: '更正' });
          replacements += 1;
        }
      }
      // Most of what is queued, in batches of a few, so reversals are folded after the services they undo.
      while ((await queued()) > 3 && random() < 0.9) await foldServiceHours(db, 1 + Math.floor(random() * 4));
      if (round % 3 === 1) await expectRollupsToMatchRecords();
    }
    expect(reversed.length).toBeGreaterThan(3);
    expect(replacements).toBeGreaterThan(1);
    expect(await queued()).toBeGreaterThan(0);
    await expectRollupsToMatchRecords();

    // Folds at once, on the pool's connections, each taking its own part of the queue.
    await Promise.all(Array.from({ length: 4 }, () => foldServiceHours(db, 3)));
    await expectRollupsToMatchRecords();

    // The job's fold empties the queue; the answers stay the records' own, now read from the rollups alone.
    expect(await foldQueuedServiceHours(db)).toBeGreaterThan(0);
    expect(await queued()).toBe(0);
    await expectRollupsToMatchRecords();
    const [cityRow] = await rowsOf<{ records: number }>(db, sql`select records from requests.service_hour_months where region_id = ${city} and month = '-infinity'`);
    // Every record here lies in the city: its services and replacements, less the reversals.
    expect(cityRow?.records).toBe(services.length + replacements - reversed.length);
  });

  it('are read only for a region (or none) by month or in all, with no other filter or grouping', () => {
    const region = DEMO_REGIONS.xingle.id;
    expect(rollupRegionOf(question([], true))).toBe(EVERYWHERE);
    expect(rollupRegionOf(question([[region]], false))).toBe(region);
    // An admin whose scope is the region they ask about.
    expect(rollupRegionOf(question([[region], [region]], true))).toBe(region);
    for (const other of [
      question([[region], [DEMO_REGIONS.xiyilu.id]], true),
      question([[region, DEMO_REGIONS.xiyilu.id]], true),
      question([[EVERYWHERE]], true),
      { ...question([[region]], true), from: new Date('2026-01-01T00:00:00+08:00') },
      { ...question([[region]], true), before: new Date('2026-01-01T00:00:00+08:00') },
      { ...question([[region]], true), categories: ['cleaning'] },
      { ...question([[region]], true), source: 'activity' as const },
      { ...question([[region]], true), category: true },
      { ...question([[region]], true), grouping: { region: 'COMMUNITY' as const, period: 'MONTH' as const } },
      { ...question([[region]], true), grouping: { region: null, period: 'QUARTER' as const } },
    ]) {
      expect(rollupRegionOf(other)).toBeNull();
    }
  });

  it('answer the graph’s question of a region by month in one statement that reads the rollups', async () => {
    const query = `query ($f: ServiceHourStatsFilter) { serviceHourStats(filter: $f, groupBy: { period: MONTH }) { total { minutes records volunteers } buckets { period { start } figures { minutes } } } }`;
    const { result, statements } = await countStatements(bed.requests.analytics, () =>
      run<{ serviceHourStats: { total: { minutes: number } } }>(bed, query, viewerOf({ roles: ['analyst'] }), { f: { region: DEMO_REGIONS.xingle.id } }),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('service_hour_months');
    expect(result.serviceHourStats.total.minutes).toBeGreaterThan(0);
  });
});
