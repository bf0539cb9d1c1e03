/**
 * The shared grouped statement (`groupedStats`) and region lookup
 * (`regionAtLevel`) on a small table of their own, for what the subgraphs'
 * statistics do not reach: no dimensions at all, dimensions not grouped by,
 * keys sorted by their own type and returned as text, places above the level
 * asked, distinct counts over the total, and the bound on the rows read.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { groupedStats, openDatabase, periodStartOf, regionAtLevel, rowsOf, type DatabaseHandle, type GroupedStatsRow, type RegionDirectory } from '../src/index.js';
import { countStatements, createTestDatabase, type TestDatabase } from '../src/testing/index.js';

let testDatabase: TestDatabase;
let handle: DatabaseHandle;

const DISTRICT = '00000000-0000-7000-8000-000000000001';
const EAST = '00000000-0000-7000-8000-000000000002';
const WEST = '00000000-0000-7000-8000-000000000003';
const UNKNOWN = '00000000-0000-7000-8000-000000000009';

beforeAll(async () => {
  testDatabase = await createTestDatabase('stats_sql');
  handle = await openDatabase({ url: testDatabase.url, poolSize: 1 });
  await handle.db.execute(sql`create type mood as enum ('sunny', 'cloudy', 'awful')`);
  await handle.db.execute(sql`create table places (id uuid primary key, kind text not null)`);
  await handle.db.execute(
    sql`create table visits (id int primary key, place_path uuid[] not null, at timestamptz not null, mood mood not null, visitor int not null, minutes int not null)`,
  );
  await handle.db.execute(sql`insert into places values (${DISTRICT}, 'district'), (${EAST}, 'community'), (${WEST}, 'community')`);
  // Visitor 1 visits both communities; one visit is placed at the district only; one under a region the directory does not know.
  await handle.db.execute(sql`insert into visits values
    (1, array[${DISTRICT}, ${EAST}]::uuid[], '2026-03-01T02:00:00Z', 'awful', 1, 30),
    (2, array[${DISTRICT}, ${EAST}]::uuid[], '2026-03-01T17:00:00Z', 'sunny', 2, 20),
    (3, array[${DISTRICT}, ${WEST}]::uuid[], '2026-03-02T02:00:00Z', 'cloudy', 1, 10),
    (4, array[${DISTRICT}]::uuid[], '2026-03-02T03:00:00Z', 'sunny', 3, 5),
    (5, array[${UNKNOWN}]::uuid[], '2026-03-03T03:00:00Z', 'sunny', 3, 1),
    (6, array[${DISTRICT}, ${EAST}]::uuid[], '2026-03-01T03:00:00Z', 'sunny', 2, 15)`);
});

afterAll(async () => {
  await handle?.close();
  await testDatabase?.drop();
});

const directory: RegionDirectory = { table: sql`places`, id: sql`places.id`, kind: sql`places.kind` };

interface VisitRow extends GroupedStatsRow {
  minutes: number;
  visits: number;
  visitors: number;
}

const figures = sql`coalesce(sum(minutes), 0)::int as minutes, count(*)::int as visits, count(distinct visitor)::int as visitors`;
const columns = { minutes: sql`visits.minutes`, visitor: sql`visits.visitor` };

describe('groupedStats', () => {
  it('answers with the total row alone when there are no dimensions, over nothing as well', async () => {
    const all = await groupedStats<VisitRow>(handle.db, { from: sql`visits`, where: [], dimensions: {}, columns, figures, maxBuckets: 10 });
    expect(all).toEqual([{ total: true, minutes: 81, visits: 6, visitors: 3 }]);
    const none = await groupedStats<VisitRow>(handle.db, { from: sql`visits`, where: [sql`false`], dimensions: {}, columns, figures, maxBuckets: 10 });
    expect(none).toEqual([{ total: true, minutes: 0, visits: 0, visitors: 0 }]);
  });

  it('gives one bucket with null values for dimensions not grouped by, and the total alone when nothing is counted', async () => {
    const dimensions = { regionId: null, periodStart: null };
    const rows = await groupedStats<VisitRow & { regionId: string | null; periodStart: string | null }>(handle.db, {
      from: sql`visits`,
      where: [],
      dimensions,
      columns,
      figures,
      maxBuckets: 10,
    });
    expect(rows).toEqual([
      { total: true, regionId: null, periodStart: null, minutes: 81, visits: 6, visitors: 3 },
      { total: false, regionId: null, periodStart: null, minutes: 81, visits: 6, visitors: 3 },
    ]);
    const none = await groupedStats<VisitRow>(handle.db, { from: sql`visits`, where: [sql`visits.minutes > 100`], dimensions, columns, figures, maxBuckets: 10 });
    expect(none).toEqual([{ total: true, regionId: null, periodStart: null, minutes: 0, visits: 0, visitors: 0 }]);
  });

  it('groups by region, Beijing day and a key: the total first, buckets by region (above the level last), day, then the key in its own type’s order, returned as text', async () => {
    const rows = await groupedStats<VisitRow & { regionId: string | null; periodStart: string | null; mood: string | null }>(handle.db, {
      from: sql`visits`,
      where: [],
      dimensions: {
        regionId: regionAtLevel(directory, 'COMMUNITY', { path: sql`visits.place_path` }),
        periodStart: periodStartOf(sql`visits.at`, 'DAY'),
        mood: sql`visits.mood`,
      },
      columns,
      figures,
      maxBuckets: 10,
    });
    expect(rows.map(({ total, regionId, periodStart, mood, minutes }) => [total, regionId, periodStart, mood, minutes])).toEqual([
      [true, null, null, null, 81],
      // 'sunny' before 'awful': the enum's order, not the alphabet's. 17:00 UTC on the 1st is the 2nd in Beijing.
      [false, EAST, '2026-03-01', 'sunny', 15],
      [false, EAST, '2026-03-01', 'awful', 30],
      [false, EAST, '2026-03-02', 'sunny', 20],
      [false, WEST, '2026-03-02', 'cloudy', 10],
      // Placed above a community, or under a region the directory does not know: no community.
      [false, null, '2026-03-02', 'sunny', 5],
      [false, null, '2026-03-03', 'sunny', 1],
    ]);
  });

  it('counts distinct values over the facts of the total, not as a sum of the buckets’', async () => {
    const rows = await groupedStats<VisitRow & { regionId: string | null }>(handle.db, {
      from: sql`visits`,
      where: [sql`visits.visitor = 1`],
      dimensions: { regionId: regionAtLevel(directory, 'COMMUNITY', { path: sql`visits.place_path` }) },
      columns,
      figures,
      maxBuckets: 10,
    });
    expect(rows.map(({ regionId, visitors }) => [regionId, visitors])).toEqual([
      [null, 1],
      [EAST, 1],
      [WEST, 1],
    ]);
  });

  it('reads at most two rows beyond the bound, the total and one bucket too many, so the caller can refuse the question', async () => {
    const query = (maxBuckets: number) =>
      groupedStats<VisitRow & { id: string }>(handle.db, { from: sql`visits`, where: [], dimensions: { id: sql`visits.id` }, columns, figures, maxBuckets });
    const { result: rows, count } = await countStatements(handle, () => query(3));
    expect(count).toBe(1);
    expect(rows.map((row) => row.id)).toEqual([null, '1', '2', '3', '4']);
    expect(await query(6)).toHaveLength(7);
  });
});

describe('regionAtLevel', () => {
  it('finds the region among a place’s ancestors, and the place itself when asked to', async () => {
    const [row] = await rowsOf<{ community: string | null; itself: string | null; district: string | null }>(
      handle.db,
      sql`
      select (${regionAtLevel(directory, 'COMMUNITY', { path: sql`array[${DISTRICT}]::uuid[]` }).lookup}) as community,
             (${regionAtLevel(directory, 'COMMUNITY', { path: sql`array[${DISTRICT}]::uuid[]`, self: sql`${EAST}::uuid` }).lookup}) as itself,
             (${regionAtLevel(directory, 'DISTRICT', { path: sql`array[${DISTRICT}, ${EAST}]::uuid[]` }).lookup}) as district`,
    );
    expect(row).toEqual({ community: null, itself: EAST, district: DISTRICT });
  });
});
