/**
 * SQL for recognition's statistics: one statement per question over the
 * facts (db/schema/facts.ts). The tally statistic groups service and rating
 * facts together in the shared grouped statement (`groupedStats`), with the
 * total in the same statement, so distinct volunteers
 * are never summed across buckets; the leaderboard ranks volunteers in the
 * same statement that sums them. Days are Beijing calendar days, stored as
 * such; regions are found by level among the ancestors a fact's path holds.
 */
import { sql, type SQL } from 'drizzle-orm';
import { groupedStats, regionAtLevel, rowsOf, uuidArray, type Executor, type GroupedStatsRow, type RegionDirectory, type RegionLevel, type TimeBucket } from '@lianxin/shared';
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

export interface ServiceTallyRow extends GroupedStatsRow {
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

/** The kinds of regions recognition has heard of from people (a region's kind may not be known yet). */
const directory: RegionDirectory = { table: sql`${regionLevels}`, id: sql`${regionLevels.regionId}`, kind: sql`${regionLevels.kind}` };

const serviceColumns = { path: sql`f.region_path`, day: sql`f.served_on`, category: sql`f.category_code` };
const ratingColumns = { path: sql`g.region_path`, day: sql`g.rated_on`, category: sql`g.category_code` };

/** Whether service fact `f` is a service not reversed (a volunteer counts for a bucket through such a service). */
const stands = sql`(f.reverses_id is null and not exists (select 1 from ${serviceFacts} as v where v.reverses_id = f.service_record_id))`;

export async function serviceTallyStats(db: Executor, query: ServiceTallyStatsQuery): Promise<ServiceTallyRow[]> {
  const rows = await groupedStats<Omit<ServiceTallyRow, 'averageRating'> & { averageRating: number | string | null }>(db, {
    from: sql`(
      select f.region_path, f.served_on as day, f.minutes, case when f.reverses_id is null then 1 else -1 end as services,
             f.volunteer_id, ${stands} as stands, null::int as score
        from ${serviceFacts} as f ${conditionsOf(query, serviceColumns)}
      union all
      select g.region_path, g.rated_on, 0, 0, null::uuid, false, g.score::int
        from ${ratingFacts} as g ${conditionsOf(query, ratingColumns)}
    ) as tallied`,
    where: [],
    dimensions: {
      regionId: query.region ? regionAtLevel(directory, query.region, { path: sql`tallied.region_path` }) : null,
      periodStart: query.period ? sql`date_trunc(${query.period.toLowerCase()}, tallied.day::timestamp)::date` : null,
    },
    columns: { minutes: sql`tallied.minutes`, services: sql`tallied.services`, volunteer_id: sql`tallied.volunteer_id`, stands: sql`tallied.stands`, score: sql`tallied.score` },
    figures: sql`coalesce(sum(minutes), 0)::int as minutes,
           coalesce(sum(services), 0)::int as services,
           count(distinct volunteer_id) filter (where stands)::int as volunteers,
           count(score)::int as ratings,
           round(avg(score), 2)::float8 as "averageRating"`,
    maxBuckets: query.maxBuckets,
  });
  return rows.map((row) => ({ ...row, averageRating: row.averageRating === null ? null : Number(row.averageRating) }));
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
