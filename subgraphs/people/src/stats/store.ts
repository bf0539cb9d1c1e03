/**
 * SQL for people's statistics: one grouped statement per question, with the
 * total in the same statement (a grouping set). Periods are Beijing calendar
 * days; a place's region at a level is found among the region itself and the
 * ancestors its path stores.
 */
import { sql, type SQL } from 'drizzle-orm';
import { periodStartOf, rowsOf, uuidArray, type Executor, type RegionLevel, type TimeBucket } from '@lianxin/shared';
import { analyticsHouseholdCells, households, persons, regions, volunteerProfiles, type HardshipLevel } from '../db/schema.js';

/** The region of `level` holding the place `place` names (alias of a `regions` row); null when the place lies above that level. */
function regionAtLevel(place: SQL, level: RegionLevel): SQL {
  return sql`(select a.id from ${regions} as a where (a.id = ${place}.id or a.id = any(${place}.path)) and a.kind = ${level.toLowerCase()} limit 1)`;
}

/** The place `place` names lies inside one of the subtrees rooted at `roots`. */
function placedWithin(place: SQL, roots: readonly string[]): SQL {
  const ids = uuidArray(roots);
  return sql`(${place}.id = any(${ids}) or ${place}.path && ${ids})`;
}

/** Where and when: every list of regions is one "inside any of" condition (the filter's, the viewer's scope). */
export interface StatsWhere {
  within: readonly (readonly string[])[];
  /** Buckets beyond this are not read, and the caller refuses the question; null reads them all (the BI cells). */
  maxBuckets: number | null;
}

/** Reads one row past the buckets allowed and the total, so the caller can tell a question asks for too many. */
const limitOf = (maxBuckets: number | null): SQL => (maxBuckets === null ? sql`all` : sql`${maxBuckets + 2}`);

export interface VolunteerStatsQuery extends StatsWhere {
  from: Date | null;
  before: Date | null;
  region: RegionLevel | null;
  period: TimeBucket | null;
}

export interface VolunteerRow {
  /** True for the row over everything the filter counts. */
  total: boolean;
  regionId: string | null;
  periodStart: string | null;
  registered: number;
  active: number;
}

export async function volunteerStats(db: Executor, query: VolunteerStatsQuery): Promise<VolunteerRow[]> {
  const place = sql.raw('home');
  const region = query.region ? regionAtLevel(place, query.region) : sql`null::uuid`;
  const period = query.period ? periodStartOf(sql`${volunteerProfiles.registeredAt}`, query.period) : sql`null::date`;
  const conditions: SQL[] = [
    ...query.within.map((roots) => placedWithin(place, roots)),
    ...(query.from ? [sql`${volunteerProfiles.registeredAt} >= ${query.from.toISOString()}`] : []),
    ...(query.before ? [sql`${volunteerProfiles.registeredAt} < ${query.before.toISOString()}`] : []),
  ];
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const rows = await rowsOf<{ total: boolean; region_id: string | null; period_start: string | null; registered: number; active: number }>(
    db,
    sql`
    with counted as (
      select ${region} as region_id, ${period} as period_start, ${volunteerProfiles.status} = 'active' as active
        from ${volunteerProfiles}
        join ${persons} on ${persons.id} = ${volunteerProfiles.personId}
        left join ${regions} as home on home.id = ${persons.homeRegionId}
       ${where}
    )
    select grouping(region_id, period_start) <> 0 as total, region_id, period_start::text as period_start,
           count(*)::int as registered, count(*) filter (where active)::int as active
      from counted
     group by grouping sets ((region_id, period_start), ())
     order by total desc, region_id nulls last, period_start
     limit ${limitOf(query.maxBuckets)}`,
  );
  return rows.map((row) => ({ total: row.total, regionId: row.region_id, periodStart: row.period_start, registered: row.registered, active: row.active }));
}

export interface HouseholdStatsQuery extends StatsWhere {
  region: RegionLevel | null;
  hardship: boolean;
}

export interface HouseholdRow {
  total: boolean;
  regionId: string | null;
  hardship: 'ordinary' | 'low_income' | 'special_hardship' | null;
  households: number;
}

export async function householdStats(db: Executor, query: HouseholdStatsQuery): Promise<HouseholdRow[]> {
  const place = sql.raw('address');
  const region = query.region ? regionAtLevel(place, query.region) : sql`null::uuid`;
  // The level itself when grouped, so its order is the enum's (ordinary, low income, special hardship).
  const hardship = query.hardship ? sql`placed.hardship_level` : sql`null::text`;
  const conditions = query.within.map((roots) => placedWithin(place, roots));
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  // Households are counted per address and level first (from the index alone), so each address's region is looked up once.
  const rows = await rowsOf<{ total: boolean; region_id: string | null; hardship: HouseholdRow['hardship']; households: number }>(
    db,
    sql`
    with placed as (
      select ${households.addressRegionId} as address_id, ${households.hardshipLevel} as hardship_level, count(*)::int as households
        from ${households}
       group by 1, 2
    ), counted as (
      select ${region} as region_id, ${hardship} as hardship, placed.households
        from placed
        join ${regions} as address on address.id = placed.address_id
       ${where}
    )
    select grouping(region_id, hardship) <> 0 as total, region_id, hardship::text as hardship, coalesce(sum(households), 0)::int as households
      from counted
     group by grouping sets ((region_id, hardship), ())
     order by total desc, region_id nulls last, counted.hardship
     limit ${limitOf(query.maxBuckets)}`,
  );
  return rows.map((row) => ({ total: row.total, regionId: row.region_id, hardship: row.hardship, households: row.households }));
}

/**
 * Orders the writers of the BI cells: each takes this lock in its own
 * transaction before it counts, and keeps it to its commit, so the last to
 * count has seen every household the others committed.
 */
export async function lockHouseholdCells(db: Executor): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended('people.analytics_household_cells', 0))`);
}

export interface HouseholdCell {
  total: boolean;
  communityId: string | null;
  hardshipLevel: HardshipLevel | null;
  households: number | null;
  suppressed: boolean;
}

/** Replaces every row of the BI cells with `cells`, computed with `minCell`. */
export async function replaceHouseholdCells(db: Executor, cells: readonly HouseholdCell[], minCell: number): Promise<void> {
  await db.delete(analyticsHouseholdCells);
  // In slices, so a city of many communities stays under the bind parameters one statement may carry.
  for (let start = 0; start < cells.length; start += CELLS_PER_INSERT) {
    await db.insert(analyticsHouseholdCells).values(cells.slice(start, start + CELLS_PER_INSERT).map((cell) => ({ ...cell, minCell })));
  }
}

const CELLS_PER_INSERT = 1000;
