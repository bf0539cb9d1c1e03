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
  type RegionLevel,
  type TimeBucket,
} from '@lianxin/shared';
import { households, persons, regions, volunteerProfiles } from '../db/schema.js';

/** People's regions: a place is itself a region, so its region at a level may be the place itself as well as one of its ancestors. */
const directory: RegionDirectory = { table: sql`${regions}`, id: sql`${regions.id}`, kind: sql`${regions.kind}` };

/** The region of `level` holding the place `place` names (alias of a `regions` row); null when the place lies above that level. */
const regionOf = (place: SQL, level: RegionLevel): SQL => regionAtLevel(directory, level, { path: sql`${place}.path`, self: sql`${place}.id` });

/** The place `place` names lies inside one of the subtrees rooted at `roots`. */
function placedWithin(place: SQL, roots: readonly string[]): SQL {
  const ids = uuidArray(roots);
  return sql`(${place}.id = any(${ids}) or ${place}.path && ${ids})`;
}

/** Where and when: every list of regions is one "inside any of" condition (the filter's, the viewer's scope). */
export interface StatsWhere {
  within: readonly (readonly string[])[];
  /** Buckets beyond this are not read; the caller refuses the question. */
  maxBuckets: number;
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
    from: sql`${households} join ${regions} as address on address.id = ${households.addressRegionId}`,
    where: query.within.map((roots) => placedWithin(place, roots)),
    dimensions: {
      regionId: query.region ? regionOf(place, query.region) : null,
      // The level itself (not its text) when grouped, so buckets follow the enum's order (ordinary, low income, special hardship).
      hardship: query.hardship ? sql`${households.hardshipLevel}` : null,
    },
    columns: {},
    figures: sql`count(*)::int as households`,
    maxBuckets: query.maxBuckets,
  });
}
