/**
 * SQL for recognition's statistics: one statement per question over the
 * facts (db/schema/facts.ts). The tally statistic groups service and rating
 * facts together, with the total as a grouping set, so distinct volunteers
 * are never summed across buckets; the leaderboard ranks volunteers in the
 * same statement that sums them. Days are Beijing calendar days, stored as
 * such; regions are found by level among the ancestors a fact's path holds.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, uuidArray, type Executor, type RegionLevel, type TimeBucket } from '@lianxin/shared';
import { ratingFacts, regionLevels, serviceFacts } from '../db/schema.js';

/** What every statistic here narrows by: where (each list an "inside any of" condition), which Beijing days, which categories. */
export interface FactFilter {
  within: readonly (readonly string[])[];
  /** First day counted (`YYYY-MM-DD`); null for no start. */
  from: string | null;
  /** First day no longer counted; null for no end. */
  before: string | null;
  categories: readonly string[] | null;
}

export interface ServiceTallyStatsQuery extends FactFilter {
  region: RegionLevel | null;
  period: TimeBucket | null;
  /** Buckets beyond this are not read; the caller refuses the question. */
  maxBuckets: number;
}

export interface ServiceTallyRow {
  /** True for the row over everything the filter counts. */
  total: boolean;
  regionId: string | null;
  periodStart: string | null;
  minutes: number;
  services: number;
  volunteers: number;
  ratings: number;
  averageRating: number | null;
}

export interface LeaderboardRow {
  rank: number;
  volunteerId: string;
  minutes: number;
  services: number;
}

/** The conditions of `filter` on a fact table's path, day and category columns. */
function conditionsOf(filter: FactFilter, columns: { path: SQL; day: SQL; category: SQL }): SQL {
  const conditions: SQL[] = [
    ...filter.within.map((roots) => sql`${columns.path} && ${uuidArray(roots)}`),
    ...(filter.from ? [sql`${columns.day} >= ${filter.from}::date`] : []),
    ...(filter.before ? [sql`${columns.day} < ${filter.before}::date`] : []),
    ...(filter.categories
      ? [
          sql`${columns.category} in (${sql.join(
            filter.categories.map((code) => sql`${code}`),
            sql`, `,
          )})`,
        ]
      : []),
  ];
  return conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
}

/** The region of `level` among the ancestors in `path` (null when the place lies above that level, or its kind is not known yet). */
function regionAtLevel(path: SQL, level: RegionLevel): SQL {
  return sql`(select ${regionLevels.regionId} from ${regionLevels} where ${regionLevels.regionId} = any(${path}) and ${regionLevels.kind} = ${level.toLowerCase()} limit 1)`;
}

const serviceColumns = { path: sql`f.region_path`, day: sql`f.served_on`, category: sql`f.category_code` };
const ratingColumns = { path: sql`g.region_path`, day: sql`g.rated_on`, category: sql`g.category_code` };

/** Whether service fact `f` is a service not reversed (a volunteer counts for a bucket through such a service). */
const stands = sql`(f.reverses_id is null and not exists (select 1 from ${serviceFacts} as v where v.reverses_id = f.service_record_id))`;

export async function serviceTallyStats(db: Executor, query: ServiceTallyStatsQuery): Promise<ServiceTallyRow[]> {
  const region = query.region ? regionAtLevel(sql`region_path`, query.region) : sql`null::uuid`;
  const period = query.period ? sql`date_trunc(${query.period.toLowerCase()}, day::timestamp)::date` : sql`null::date`;
  const rows = await rowsOf<{
    total: boolean;
    region_id: string | null;
    period_start: string | null;
    minutes: number;
    services: number;
    volunteers: number;
    ratings: number;
    average_rating: number | string | null;
  }>(
    db,
    sql`
    with facts as (
      select f.region_path, f.served_on as day, f.minutes, case when f.reverses_id is null then 1 else -1 end as services,
             f.volunteer_id, ${stands} as stands, null::int as score
        from ${serviceFacts} as f ${conditionsOf(query, serviceColumns)}
      union all
      select g.region_path, g.rated_on, 0, 0, null::uuid, false, g.score::int
        from ${ratingFacts} as g ${conditionsOf(query, ratingColumns)}
    ), counted as (
      select ${region} as region_id, ${period} as period_start, minutes, services, volunteer_id, stands, score from facts
    )
    select grouping(region_id, period_start) <> 0 as total,
           region_id, period_start::text as period_start,
           coalesce(sum(minutes), 0)::int as minutes,
           coalesce(sum(services), 0)::int as services,
           count(distinct volunteer_id) filter (where stands)::int as volunteers,
           count(score)::int as ratings,
           round(avg(score), 2)::float8 as average_rating
      from counted
     group by grouping sets ((region_id, period_start), ())
     order by total desc, region_id nulls last, period_start
     limit ${query.maxBuckets + 2}`,
  );
  return rows.map((row) => ({
    total: row.total,
    regionId: row.region_id,
    periodStart: row.period_start,
    minutes: row.minutes,
    services: row.services,
    volunteers: row.volunteers,
    ratings: row.ratings,
    averageRating: row.average_rating === null ? null : Number(row.average_rating),
  }));
}

/**
 * The `first` volunteers with the most time served within `filter`, most
 * first (ties share a rank, and are ordered by id so pages are stable).
 * Only volunteers with at least one service in the window that was not
 * reversed are ranked: a fully reversed record puts no one on the board.
 */
export async function volunteerLeaderboard(db: Executor, filter: FactFilter, first: number): Promise<LeaderboardRow[]> {
  const rows = await rowsOf<{ rank: number; volunteer_id: string; minutes: number; services: number }>(
    db,
    sql`
    with served as (
      select f.volunteer_id, sum(f.minutes)::int as minutes,
             sum(case when f.reverses_id is null then 1 else -1 end)::int as services
        from ${serviceFacts} as f ${conditionsOf(filter, serviceColumns)}
       group by f.volunteer_id
      having bool_or(${stands}) and sum(f.minutes) > 0
    )
    select rank() over (order by minutes desc)::int as rank, volunteer_id, minutes, services
      from served
     order by minutes desc, volunteer_id
     limit ${first}`,
  );
  return rows.map((row) => ({ rank: row.rank, volunteerId: row.volunteer_id, minutes: row.minutes, services: row.services }));
}
