/**
 * SQL for people's statistics: one grouped statement per question (the
 * shared `groupedStats`), with the total in the same statement. Periods are
 * Beijing calendar days; a place's region at a level is found among the
 * region itself and the ancestors its path stores.
 */
import { sql, type SQL } from 'drizzle-orm';
import {
  groupedStats,
  periodStartOf,
  regionAtLevel,
  uuidArray,
  type Executor,
  type GroupedStatsRow,
  type RegionDirectory,
  type RegionLookup,
  type RegionLevel,
  type TimeBucket,
} from '@lianxin/shared';
import { analyticsHouseholdCells, households, persons, regions, volunteerProfiles, type HardshipLevel } from '../db/schema.js';

/** People's regions: a place is itself a region, so its region at a level may be the place itself as well as one of its ancestors. */
const directory: RegionDirectory = { table: sql`${regions}`, id: sql`${regions.id}`, kind: sql`${regions.kind}` };

/** The region of `level` holding the place `place` names (alias of a `regions` row); null when the place lies above that level. */
const regionOf = (place: SQL, level: RegionLevel): RegionLookup => regionAtLevel(directory, level, { path: sql`${place}.path`, self: sql`${place}.id` });

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

export interface VolunteerStatsQuery extends StatsWhere {
  from: Date | null;
  before: Date | null;
  region: RegionLevel | null;
  period: TimeBucket | null;
}

export interface VolunteerRow extends GroupedStatsRow {
  regionId: string | null;
  periodStart: string | null;
  registered: number;
  active: number;
}

export function volunteerStats(db: Executor, query: VolunteerStatsQuery): Promise<VolunteerRow[]> {
  const place = sql.raw('home');
  return groupedStats<VolunteerRow>(db, {
    from: sql`${volunteerProfiles}
        join ${persons} on ${persons.id} = ${volunteerProfiles.personId}
        left join ${regions} as home on home.id = ${persons.homeRegionId}`,
    where: [
      ...query.within.map((roots) => placedWithin(place, roots)),
      ...(query.from ? [sql`${volunteerProfiles.registeredAt} >= ${query.from.toISOString()}`] : []),
      ...(query.before ? [sql`${volunteerProfiles.registeredAt} < ${query.before.toISOString()}`] : []),
    ],
    dimensions: {
      regionId: query.region ? regionOf(place, query.region) : null,
      periodStart: query.period ? periodStartOf(sql`${volunteerProfiles.registeredAt}`, query.period) : null,
    },
    columns: { active: sql`${volunteerProfiles.status} = 'active'` },
    figures: sql`count(*)::int as registered, count(*) filter (where active)::int as active`,
    maxBuckets: query.maxBuckets,
  });
}

export interface HouseholdStatsQuery extends StatsWhere {
  region: RegionLevel | null;
  hardship: boolean;
}

export interface HouseholdRow extends GroupedStatsRow {
  regionId: string | null;
  hardship: 'ordinary' | 'low_income' | 'special_hardship' | null;
  households: number;
}

export function householdStats(db: Executor, query: HouseholdStatsQuery): Promise<HouseholdRow[]> {
  const place = sql.raw('address');
  return groupedStats<HouseholdRow>(db, {
    // Households are counted per address and level first (from the index alone), so each address's region is looked up once.
    from: sql`(select ${households.addressRegionId} as address_id, ${households.hardshipLevel} as hardship_level, count(*)::int as households
                 from ${households} group by 1, 2) as placed
              join ${regions} as address on address.id = placed.address_id`,
    where: query.within.map((roots) => placedWithin(place, roots)),
    dimensions: {
      regionId: query.region ? regionOf(place, query.region) : null,
      // The level itself (not its text) when grouped, so buckets follow the enum's order (ordinary, low income, special hardship).
      hardship: query.hardship ? sql`placed.hardship_level` : null,
    },
    columns: { households: sql`placed.households` },
    figures: sql`coalesce(sum(households), 0)::int as households`,
    maxBuckets: query.maxBuckets,
  });
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
