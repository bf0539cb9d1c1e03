/**
 * SQL for statistics: one grouped statement per question (the shared
 * `groupedStats`), with the total in the same statement, so distinct counts
 * and percentiles are never combined across buckets. Periods are Beijing calendar days; regions
 * are found by level among the ancestors a row's place stores (its region
 * path), in the directory of regions.
 */
import { inArray, sql, type SQL } from 'drizzle-orm';
import {
  groupedStats,
  periodStartOf,
  regionAtLevel,
  rowsOf,
  uuidArray,
  type Executor,
  type GroupedStatsRow,
  type RegionDirectory,
  type RegionLevel,
  type TimeBucket,
} from '@lianxin/shared';
import {
  activities,
  activityAttendances,
  activityOutputs,
  activityRatings,
  activitySignups,
  alerts,
  directoryRegions,
  microWishes,
  serviceHourMonths,
  serviceHoursUnfolded,
  serviceHourVolunteers,
  serviceRecords,
  serviceRequests,
  type AlertRow,
} from '../db/schema.js';

/** The grouping a statistic was asked for: each dimension given adds a column to group by. */
export interface StatsGrouping {
  region: RegionLevel | null;
  period: TimeBucket | null;
}

/** What every grouped row carries beside its figures. */
export interface GroupedRow extends GroupedStatsRow {
  regionId: string | null;
  periodStart: string | null;
}

/** The regions requests knows of, with their levels (kept from people's events). */
const directory: RegionDirectory = { table: sql`${directoryRegions}`, id: sql`${directoryRegions.id}`, kind: sql`${directoryRegions.kind}` };

/**
 * Groups the rows of `from` (already filtered by `where`) by the region and
 * period asked and by `keys` (each an expression, null when not grouped;
 * compared and returned as text), and computes `figures` (aggregates over
 * the `columns` each row exposes) per bucket and over all, in the shared
 * grouped statement: buckets ordered by region, period, then the keys.
 */
function grouped<T extends GroupedRow>(
  db: Executor,
  query: {
    from: SQL;
    where: SQL[];
    regionPath: SQL;
    instant: SQL;
    grouping: StatsGrouping;
    keys: Record<string, SQL | null>;
    columns: Record<string, SQL>;
    figures: SQL;
    maxBuckets: number;
  },
): Promise<T[]> {
  const keys = Object.fromEntries(Object.entries(query.keys).map(([name, key]) => [name, key ? sql`${key}::text` : null]));
  return groupedStats<T>(db, {
    from: query.from,
    where: query.where,
    dimensions: {
      regionId: query.grouping.region ? regionAtLevel(directory, query.grouping.region, { path: query.regionPath }) : null,
      periodStart: query.grouping.period ? periodStartOf(query.instant, query.grouping.period) : null,
      ...keys,
    },
    columns: query.columns,
    figures: query.figures,
    maxBuckets: query.maxBuckets,
  });
}

/** The conditions every statistic here shares: inside the regions asked and allowed, between two instants. */
function placedBetween(regionPath: SQL, instant: SQL, filter: { within: readonly (readonly string[])[]; from: Date | null; before: Date | null }): SQL[] {
  return [
    ...filter.within.map((roots) => sql`${regionPath} && ${uuidArray(roots)}`),
    ...(filter.from ? [sql`${instant} >= ${filter.from.toISOString()}`] : []),
    ...(filter.before ? [sql`${instant} < ${filter.before.toISOString()}`] : []),
  ];
}

interface Window {
  /** Every region list the rows must lie under ("inside any of" each): the filter's and the viewer's scope. */
  within: readonly (readonly string[])[];
  from: Date | null;
  before: Date | null;
  grouping: StatsGrouping;
  maxBuckets: number;
}

// Service hours
// ---------------------------------------------------------------------------

export interface ServiceHourStatsQuery extends Window {
  categories: readonly string[] | null;
  source: 'request' | 'activity' | null;
  category: boolean;
}

export interface ServiceHourRow extends GroupedRow {
  categoryCode: string | null;
  minutes: number;
  records: number;
  volunteers: number;
}

/** Service hours as asked: from the rollups where they answer the question (`rollupRegionOf`), else from the records. */
export function serviceHourStats(db: Executor, query: ServiceHourStatsQuery): Promise<ServiceHourRow[]> {
  const region = rollupRegionOf(query);
  return region === null ? serviceHourStatsFromRecords(db, query) : serviceHourStatsFromRollups(db, region, query);
}

/** Service hours as asked, summed from the records themselves: any filter and grouping. */
export function serviceHourStatsFromRecords(db: Executor, query: ServiceHourStatsQuery): Promise<ServiceHourRow[]> {
  const r = serviceRecords;
  // Reversals are few (a percent at scale): joined by hash once, where a `not exists` per record probed the index
  // of reversals once for each of a region's hundred thousand records (a third of the statement's time).
  const reversals = sql`(select ${r.reversesId} as reversed_id from ${r} where ${r.reversesId} is not null) as reversed`;
  return grouped<ServiceHourRow>(db, {
    from: sql`${r} left join ${reversals} on reversed.reversed_id = ${r.id}`,
    where: [
      ...placedBetween(sql`${r.regionPath}`, sql`${r.servedAt}`, query),
      ...(query.categories ? [inArray(r.categoryCode, [...query.categories])] : []),
      ...(query.source === 'request' ? [sql`${r.requestId} is not null`] : query.source === 'activity' ? [sql`${r.activityId} is not null`] : []),
    ],
    regionPath: sql`${r.regionPath}`,
    instant: sql`${r.servedAt}`,
    grouping: query.grouping,
    keys: { categoryCode: query.category ? sql`${r.categoryCode}` : null },
    columns: {
      minutes: sql`${r.minutes}`,
      kind: sql`${r.kind}`,
      volunteer_id: sql`${r.volunteerId}`,
      // A service counts its volunteer unless it was reversed.
      stands: sql`(${r.kind} = 'service' and reversed.reversed_id is null)`,
    },
    figures: sql`coalesce(sum(minutes), 0)::int as minutes,
                 coalesce(sum(case kind when 'service' then 1 else -1 end), 0)::int as records,
                 count(distinct volunteer_id) filter (where stands)::int as volunteers`,
    maxBuckets: query.maxBuckets,
  });
}

/** The key of the rollups' rows that count every record, wherever served (migration 0017). */
const EVERYWHERE = '00000000-0000-0000-0000-000000000000';
/** What records add to the rollups, per region and month (a function of migration 0017, shared with the fold). */
const serviceHourFacts = sql`"requests"."service_hour_facts"`;

/**
 * The region whose rolled-up figures answer `query` exactly, or null when
 * only the records themselves can: the rollups hold each region's figures by
 * Beijing month and in all, so they answer a question with no filter but
 * the region, grouped by month or not at all. The region is the one every
 * list of `within` names alone (the filter's, and a scope of that region
 * only), or every record's key when nothing limits the region.
 */
export function rollupRegionOf(query: ServiceHourStatsQuery): string | null {
  if (query.categories || query.source || query.category || query.from || query.before || query.grouping.region) return null;
  if (query.grouping.period !== null && query.grouping.period !== 'MONTH') return null;
  if (query.within.length === 0) return EVERYWHERE;
  const [region] = query.within[0] ?? [];
  if (!region || region === EVERYWHERE) return null;
  return query.within.every((roots) => roots.length === 1 && roots[0] === region) ? region : null;
}

/**
 * A region's service hours from the rollups (migration 0017), in the rows
 * `groupedStats` gives (the total first, then the months in order): the
 * folded figures plus those of the records still queued, whose volunteers
 * count where their standing, folded and queued together, turns positive or
 * back. So the answer is the records' own at any moment, in a statement
 * that reads the region's few rollup rows however many records it holds.
 */
export function serviceHourStatsFromRollups(db: Executor, region: string, query: ServiceHourStatsQuery): Promise<ServiceHourRow[]> {
  const byMonth = query.grouping.period === 'MONTH';
  const months = byMonth ? sql`` : sql`and month = '-infinity'::date`;
  return rowsOf<ServiceHourRow>(
    db,
    sql`with queued as (
          select * from ${serviceHourFacts}(array(select ${serviceHoursUnfolded.recordId} from ${serviceHoursUnfolded})) where region_id = ${region} ${months}
        ), changes as (
          select month, volunteer_id, sum(standing)::int as change from queued group by 1, 2 having sum(standing) <> 0
        ), entered as (
          select c.month, sum(case when coalesce(v.standing, 0) <= 0 and coalesce(v.standing, 0) + c.change > 0 then 1
                                   when coalesce(v.standing, 0) > 0 and coalesce(v.standing, 0) + c.change <= 0 then -1 else 0 end) as volunteers
            from changes c
            left join ${serviceHourVolunteers} v on v.region_id = ${region} and v.month = c.month and v.volunteer_id = c.volunteer_id
           group by 1
        ), figures as (
          select month, true as present, minutes, records, volunteers from ${serviceHourMonths} where region_id = ${region} ${months}
          union all select month, true, minutes, records, 0 from queued
          union all select month, false, 0, 0, volunteers from entered
          -- The total row is there when nothing is, as the records' statement gives it.
          union all select '-infinity'::date, false, 0, 0, 0
        ), grouped as (
          select month, bool_or(present) as present, sum(minutes)::int as minutes, sum(records)::int as records, sum(volunteers)::int as volunteers
            from figures group by month
        )
        -- The total row first; then a bucket per month, or (grouped by nothing) one bucket of everything when there is anything.
        select g.month = '-infinity'::date and b.total as total, null as "regionId", case when g.month <> '-infinity'::date then g.month::text end as "periodStart",
               null as "categoryCode", g.minutes, g.records, g.volunteers
          from grouped g cross join lateral (values (true), (false)) as b(total)
         where case when g.month = '-infinity'::date then b.total or (${!byMonth} and g.present) else not b.total end
         order by g.month, b.total desc
         limit ${query.maxBuckets + 2}`,
  );
}

// Service requests
// ---------------------------------------------------------------------------

export interface ServiceRequestStatsQuery extends Window {
  categories: readonly string[] | null;
  statuses: readonly string[] | null;
  channels: readonly string[] | null;
  team: string | null;
  category: boolean;
  status: boolean;
  channel: boolean;
}

export interface ServiceRequestRow extends GroupedRow {
  categoryCode: string | null;
  status: string | null;
  channel: string | null;
  requests: number;
  accepted: number;
  completed: number;
  toAcceptMedian: number | null;
  toAcceptP90: number | null;
  toStartMedian: number | null;
  toStartP90: number | null;
  toCompleteMedian: number | null;
  toCompleteP90: number | null;
}

/** `expression` (text) is one of `values`. */
const oneOf = (expression: SQL, values: readonly string[]): SQL =>
  sql`${expression}::text in (${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )})`;

/** Seconds between two instants of a request, as a double for the percentiles. */
const seconds = (from: SQL, to: SQL): SQL => sql`extract(epoch from (${to} - ${from}))`;
const percentiles = (column: string, name: string): SQL =>
  sql.raw(
    `round(percentile_cont(0.5) within group (order by ${column}))::int as "${name}Median", round(percentile_cont(0.9) within group (order by ${column}))::int as "${name}P90"`,
  );

export function serviceRequestStats(db: Executor, query: ServiceRequestStatsQuery): Promise<ServiceRequestRow[]> {
  const q = serviceRequests;
  return grouped<ServiceRequestRow>(db, {
    from: sql`${q}`,
    where: [
      ...placedBetween(sql`${q.regionPath}`, sql`${q.createdAt}`, query),
      ...(query.categories ? [inArray(q.categoryCode, [...query.categories])] : []),
      ...(query.statuses?.length ? [oneOf(sql`${q.status}`, query.statuses)] : []),
      ...(query.channels?.length ? [oneOf(sql`${q.channel}`, query.channels)] : []),
      ...(query.team ? [sql`${q.dispatchedTeamId} = ${query.team}`] : []),
    ],
    regionPath: sql`${q.regionPath}`,
    instant: sql`${q.createdAt}`,
    grouping: query.grouping,
    keys: {
      categoryCode: query.category ? sql`${q.categoryCode}` : null,
      status: query.status ? sql`${q.status}` : null,
      channel: query.channel ? sql`${q.channel}` : null,
    },
    columns: {
      accepted_at: sql`${q.acceptedAt}`,
      completed_at: sql`${q.completedAt}`,
      to_accept: seconds(sql`${q.createdAt}`, sql`${q.acceptedAt}`),
      to_start: seconds(sql`${q.acceptedAt}`, sql`${q.startedAt}`),
      to_complete: seconds(sql`${q.acceptedAt}`, sql`${q.completedAt}`),
    },
    figures: sql`count(*)::int as requests, count(accepted_at)::int as accepted, count(completed_at)::int as completed,
                 ${percentiles('to_accept', 'toAccept')}, ${percentiles('to_start', 'toStart')}, ${percentiles('to_complete', 'toComplete')}`,
    maxBuckets: query.maxBuckets,
  });
}

// Micro-wishes
// ---------------------------------------------------------------------------

export interface MicroWishStatsQuery extends Window {
  channels: readonly string[] | null;
  channel: boolean;
}

export interface MicroWishRow extends GroupedRow {
  channel: string | null;
  posted: number;
  claimed: number;
  fulfilled: number;
  withdrawn: number;
}

export function microWishStats(db: Executor, query: MicroWishStatsQuery): Promise<MicroWishRow[]> {
  const w = microWishes;
  return grouped<MicroWishRow>(db, {
    from: sql`${w}`,
    where: [...placedBetween(sql`${w.regionPath}`, sql`${w.createdAt}`, query), ...(query.channels?.length ? [oneOf(sql`${w.channel}`, query.channels)] : [])],
    regionPath: sql`${w.regionPath}`,
    instant: sql`${w.createdAt}`,
    grouping: query.grouping,
    keys: { channel: query.channel ? sql`${w.channel}` : null },
    columns: { status: sql`${w.status}`, claimed_at: sql`${w.claimedAt}`, fulfilled_at: sql`${w.fulfilledAt}` },
    figures: sql`count(*)::int as posted, count(claimed_at)::int as claimed, count(fulfilled_at)::int as fulfilled,
                 count(*) filter (where status = 'withdrawn')::int as withdrawn`,
    maxBuckets: query.maxBuckets,
  });
}

// Activities
// ---------------------------------------------------------------------------

export interface ActivityRow extends GroupedRow {
  categoryCode: string | null;
  seriesId: string | null;
  activities: number;
  signups: number;
  checkIns: number;
  minutes: number;
  ratings: number;
  ratingSum: number;
  /** Sums of the outputs of the named kinds, each capped at a GraphQL Int. */
  beneficiariesServed: number;
  householdsVisited: number;
  materialsDistributed: number;
  itemsCollected: number;
  areaCoveredSquareMetres: number;
}

export interface ActivityStatsQuery extends Window {
  series: string | null;
  category: boolean;
  bySeries: boolean;
}

/** The named output kinds summed in statistics, with the column each is summed as. */
export const SUMMED_OUTPUT_KINDS = {
  beneficiaries_served: 'beneficiariesServed',
  households_visited: 'householdsVisited',
  materials_distributed: 'materialsDistributed',
  items_collected: 'itemsCollected',
  area_covered_square_metres: 'areaCoveredSquareMetres',
} as const;

/**
 * Activities by the day they start, with their confirmed places, check-ins,
 * the hours approved for them (reversals subtracted), their participants'
 * ratings (count and sum) and their outputs of each named kind summed.
 */
export function activityStats(db: Executor, query: ActivityStatsQuery): Promise<ActivityRow[]> {
  const a = activities;
  const outputColumns = Object.fromEntries(
    Object.keys(SUMMED_OUTPUT_KINDS).map((kind) => [
      `out_${kind}`,
      sql`(select coalesce(sum(o.quantity), 0) from ${activityOutputs} o where o.activity_id = ${a.id} and o.kind = ${kind})`,
    ]),
  );
  const outputFigures = sql.join(
    Object.entries(SUMMED_OUTPUT_KINDS).map(([kind, name]) => sql`least(coalesce(sum(${sql.raw(`out_${kind}`)}), 0), 2147483647)::int as ${sql.raw(`"${name}"`)}`),
    sql`, `,
  );
  return grouped<ActivityRow>(db, {
    from: sql`${a}`,
    where: [...placedBetween(sql`${a.regionPath}`, sql`${a.startsAt}`, query), ...(query.series ? [sql`${a.seriesId} = ${query.series}`] : [])],
    regionPath: sql`${a.regionPath}`,
    instant: sql`${a.startsAt}`,
    grouping: query.grouping,
    keys: { categoryCode: query.category ? sql`${a.categoryCode}` : null, seriesId: query.bySeries ? sql`${a.seriesId}` : null },
    columns: {
      signups: sql`(select count(*) from ${activitySignups} s where s.activity_id = ${a.id} and s.status = 'confirmed')`,
      check_ins: sql`(select count(*) from ${activityAttendances} t where t.activity_id = ${a.id})`,
      minutes: sql`(select coalesce(sum(r.minutes), 0) from ${serviceRecords} r where r.activity_id = ${a.id})`,
      rating_count: sql`(select count(*) from ${activityRatings} g where g.activity_id = ${a.id})`,
      rating_sum: sql`(select coalesce(sum(g.score), 0) from ${activityRatings} g where g.activity_id = ${a.id})`,
      ...outputColumns,
    },
    figures: sql`count(*)::int as activities, coalesce(sum(signups), 0)::int as signups, coalesce(sum(check_ins), 0)::int as "checkIns",
                 coalesce(sum(minutes), 0)::int as minutes, coalesce(sum(rating_count), 0)::int as ratings, coalesce(sum(rating_sum), 0)::int as "ratingSum",
                 ${outputFigures}`,
    maxBuckets: query.maxBuckets,
  });
}

// Alerts
// ---------------------------------------------------------------------------

export interface AlertStatsQuery extends Window {
  kinds: readonly AlertRow['kind'][] | null;
  kind: boolean;
}

export interface AlertStatsRow extends GroupedRow {
  kind: AlertRow['kind'] | null;
  alerts: number;
  acknowledged: number;
  /** Distinct households: what small-cell suppression counts. */
  households: number;
  toAcknowledgeMedian: number | null;
  toAcknowledgeP90: number | null;
}

/** Alerts by the day they were raised, with their acknowledgements and the households that raised them. */
export function alertStats(db: Executor, query: AlertStatsQuery): Promise<AlertStatsRow[]> {
  const a = alerts;
  return grouped<AlertStatsRow>(db, {
    from: sql`${a}`,
    where: [...placedBetween(sql`${a.regionPath}`, sql`${a.raisedAt}`, query), ...(query.kinds?.length ? [oneOf(sql`${a.kind}`, query.kinds)] : [])],
    regionPath: sql`${a.regionPath}`,
    instant: sql`${a.raisedAt}`,
    grouping: query.grouping,
    keys: { kind: query.kind ? sql`${a.kind}` : null },
    columns: {
      household_id: sql`${a.householdId}`,
      acknowledged_at: sql`${a.acknowledgedAt}`,
      to_acknowledge: seconds(sql`${a.raisedAt}`, sql`${a.acknowledgedAt}`),
    },
    figures: sql`count(*)::int as alerts, count(acknowledged_at)::int as acknowledged, count(distinct household_id)::int as households,
                 ${percentiles('to_acknowledge', 'toAcknowledge')}`,
    maxBuckets: query.maxBuckets,
  });
}

// Rollups
// ---------------------------------------------------------------------------

/** Folds up to `batch` queued service records into the rollups in one transaction of its own; returns how many it folded. */
export async function foldServiceHours(db: Executor, batch: number): Promise<number> {
  const [row] = await rowsOf<{ folded: number }>(db, sql`select "requests"."fold_service_hours"(${batch}::int) as folded`);
  return row?.folded ?? 0;
}
