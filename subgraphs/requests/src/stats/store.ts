/**
 * SQL for statistics: one grouped statement per question, with the total in
 * the same statement (a grouping set), so distinct counts are never summed
 * across buckets. Periods are Beijing calendar days; regions are found by
 * level among the ancestors a record's place stores (its region path).
 */
import { inArray, sql, type SQL } from 'drizzle-orm';
import { periodStartOf, rowsOf, type Executor, type RegionLevel, type TimeBucket } from '@lianxin/shared';
import { directoryRegions, serviceRecords } from '../db/schema.js';
import { withinAny } from '../sql.js';

/** What a service-hours statistic counts and how it groups it. */
export interface ServiceHourStatsQuery {
  /** Every region the records must lie under (each list is one "inside any of" condition): the filter's and the viewer's scope. */
  within: readonly (readonly string[])[];
  from: Date | null;
  before: Date | null;
  categories: readonly string[] | null;
  source: 'request' | 'activity' | null;
  region: RegionLevel | null;
  period: TimeBucket | null;
  category: boolean;
  /** Buckets beyond this are not read; the caller refuses the question. */
  maxBuckets: number;
}

export interface ServiceHourRow {
  /** True for the row over everything the filter counts. */
  total: boolean;
  regionId: string | null;
  periodStart: string | null;
  categoryCode: string | null;
  minutes: number;
  records: number;
  volunteers: number;
}

/** The region of `level` among the ancestors in `path` (null when the place lies above that level). */
export function regionAtLevel(path: SQL, level: RegionLevel): SQL {
  return sql`(select ${directoryRegions.id} from ${directoryRegions} where ${directoryRegions.id} = any(${path}) and ${directoryRegions.kind} = ${level.toLowerCase()} limit 1)`;
}

export async function serviceHourStats(db: Executor, query: ServiceHourStatsQuery): Promise<ServiceHourRow[]> {
  const r = serviceRecords;
  const region = query.region ? regionAtLevel(sql`${r.regionPath}`, query.region) : sql`null::uuid`;
  const period = query.period ? periodStartOf(sql`${r.servedAt}`, query.period) : sql`null::date`;
  const category = query.category ? sql`${r.categoryCode}` : sql`null::text`;
  const conditions: SQL[] = [
    ...query.within.map((roots) => withinAny(r.regionPath, roots)),
    ...(query.from ? [sql`${r.servedAt} >= ${query.from.toISOString()}`] : []),
    ...(query.before ? [sql`${r.servedAt} < ${query.before.toISOString()}`] : []),
    ...(query.categories ? [inArray(r.categoryCode, [...query.categories])] : []),
    ...(query.source === 'request' ? [sql`${r.requestId} is not null`] : query.source === 'activity' ? [sql`${r.activityId} is not null`] : []),
  ];
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const rows = await rowsOf<{
    total: boolean;
    region_id: string | null;
    period_start: string | null;
    category_code: string | null;
    minutes: number;
    records: number;
    volunteers: number;
  }>(
    db,
    sql`
    with counted as (
      select ${region} as region_id, ${period} as period_start, ${category} as category_code,
             ${r.minutes} as minutes, ${r.kind} as kind, ${r.volunteerId} as volunteer_id,
             (${r.kind} = 'service' and not exists (select 1 from ${r} as v where v.reverses_id = ${r.id})) as stands
        from ${r} ${where}
    )
    select grouping(region_id, period_start, category_code) <> 0 as total,
           region_id, period_start::text as period_start, category_code,
           coalesce(sum(minutes), 0)::int as minutes,
           coalesce(sum(case kind when 'service' then 1 else -1 end), 0)::int as records,
           count(distinct volunteer_id) filter (where stands)::int as volunteers
      from counted
     group by grouping sets ((region_id, period_start, category_code), ())
     order by total desc, region_id nulls last, period_start, category_code
     limit ${query.maxBuckets + 2}`,
  );
  return rows.map((row) => ({
    total: row.total,
    regionId: row.region_id,
    periodStart: row.period_start,
    categoryCode: row.category_code,
    minutes: row.minutes,
    records: row.records,
    volunteers: row.volunteers,
  }));
}
