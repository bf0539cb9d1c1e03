/**
 * Statistics over what requests records, for analysts and for the admins of
 * a region: figures grouped by region level, period and the facts' own
 * dimensions, never a person. Who may ask, and what a question may cover,
 * are decided here; the grouped SQL is in store.ts.
 */
import {
  MAX_STATS_BUCKETS,
  hoursOf,
  periodOf,
  requireFewBuckets,
  statsDays,
  type EntityReference,
  type RegionLevel,
  type StatsPeriodModel,
  type TimeBucket,
  analyticsQuery,
  regionStatsScope,
  statsFilterId,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import {
  activityStats,
  microWishStats,
  serviceHourStats,
  serviceRequestStats,
  type ActivityRow,
  type GroupedRow,
  type MicroWishRow,
  type ServiceHourRow,
  type ServiceRequestRow,
} from './store.js';

/** The dimensions every statistic here has: where and when. */
interface Keyed {
  region: EntityReference | null;
  period: StatsPeriodModel | null;
}

export interface ServiceHourFiguresModel {
  minutes: number;
  hours: number;
  records: number;
  volunteers: number;
}
export interface ServiceHourBucketModel extends Keyed {
  categoryCode: string | null;
  figures: ServiceHourFiguresModel;
}
export interface ServiceHourStatsModel {
  buckets: ServiceHourBucketModel[];
  total: ServiceHourFiguresModel;
}

export interface DurationModel {
  median: number | null;
  p90: number | null;
}
export interface ServiceRequestFiguresModel {
  requests: number;
  accepted: number;
  completed: number;
  toAccept: DurationModel;
  toStart: DurationModel;
  toComplete: DurationModel;
}
export interface ServiceRequestBucketModel extends Keyed {
  categoryCode: string | null;
  status: string | null;
  channel: string | null;
  figures: ServiceRequestFiguresModel;
}
export interface ServiceRequestStatsModel {
  buckets: ServiceRequestBucketModel[];
  total: ServiceRequestFiguresModel;
}

export interface MicroWishFiguresModel {
  posted: number;
  claimed: number;
  fulfilled: number;
  withdrawn: number;
  fulfilmentRate: number | null;
}
export interface MicroWishBucketModel extends Keyed {
  figures: MicroWishFiguresModel;
}
export interface MicroWishStatsModel {
  buckets: MicroWishBucketModel[];
  total: MicroWishFiguresModel;
}

export interface ActivityFiguresModel {
  activities: number;
  signups: number;
  checkIns: number;
  minutes: number;
  hours: number;
}
export interface ActivityBucketModel extends Keyed {
  figures: ActivityFiguresModel;
}
export interface ActivityStatsModel {
  buckets: ActivityBucketModel[];
  total: ActivityFiguresModel;
}

/** Where and when, as every statistic here filters. */
interface WindowFilter {
  region?: string | null;
  from?: string | Date | null;
  to?: string | Date | null;
}
interface WindowGrouping {
  region?: RegionLevel | null;
  period?: TimeBucket | null;
}

/** The window a question covers, checked: the viewer's scope, the region and days asked, the grouping. */
function windowOf(ctx: RequestsContext, filter: WindowFilter | null | undefined, groupBy: WindowGrouping | null | undefined) {
  const scope = regionStatsScope(ctx.viewer);
  const region = statsFilterId(filter?.region);
  const { from, before } = statsDays(filter?.from, filter?.to);
  return {
    within: [...(region ? [[region]] : []), ...(scope ? [scope] : [])],
    from,
    before,
    grouping: { region: groupBy?.region ?? null, period: groupBy?.period ?? null },
    maxBuckets: MAX_STATS_BUCKETS,
  };
}

/** Splits grouped rows into buckets (each keyed by its region and period) and the total. */
function bucketsOf<R extends GroupedRow, B, F>(rows: readonly R[], period: TimeBucket | null, bucket: (row: R, keys: Keyed) => B, figures: (row: R | undefined) => F) {
  return {
    buckets: requireFewBuckets(rows.filter((row) => !row.total)).map((row) =>
      bucket(row, { region: row.regionId ? { id: row.regionId } : null, period: period && row.periodStart ? periodOf(period, row.periodStart) : null }),
    ),
    total: figures(rows.find((row) => row.total)),
  };
}

const nonEmpty = (values: readonly string[] | null | undefined): readonly string[] | null => (values && values.length > 0 ? values : null);

/** Service time recorded, grouped as asked, within the viewer's scope. */
export async function serviceHourStatsOf(
  ctx: RequestsContext,
  args: {
    filter?: (WindowFilter & { categories?: readonly string[] | null; source?: 'request' | 'activity' | null }) | null;
    groupBy?: (WindowGrouping & { category?: boolean | null }) | null;
  },
): Promise<ServiceHourStatsModel> {
  const window = windowOf(ctx, args.filter, args.groupBy);
  const rows = await analyticsQuery(ctx, (db) =>
    serviceHourStats(db, {
      ...window,
      categories: nonEmpty(args.filter?.categories),
      source: args.filter?.source ?? null,
      category: args.groupBy?.category ?? false,
    }),
  );
  const figures = (row: ServiceHourRow | undefined): ServiceHourFiguresModel => ({
    minutes: row?.minutes ?? 0,
    hours: hoursOf(row?.minutes ?? 0),
    records: row?.records ?? 0,
    volunteers: row?.volunteers ?? 0,
  });
  return bucketsOf(rows, window.grouping.period, (row, keys) => ({ ...keys, categoryCode: row.categoryCode, figures: figures(row) }), figures);
}

/** Requests filed, grouped as asked, with how long they waited for each step. */
export async function serviceRequestStatsOf(
  ctx: RequestsContext,
  args: {
    filter?: (WindowFilter & { categories?: readonly string[] | null; statuses?: readonly string[] | null; channels?: readonly string[] | null; team?: string | null }) | null;
    groupBy?: (WindowGrouping & { category?: boolean | null; status?: boolean | null; channel?: boolean | null }) | null;
  },
): Promise<ServiceRequestStatsModel> {
  const window = windowOf(ctx, args.filter, args.groupBy);
  const team = statsFilterId(args.filter?.team, 'team');
  const rows = await analyticsQuery(ctx, (db) =>
    serviceRequestStats(db, {
      ...window,
      categories: nonEmpty(args.filter?.categories),
      statuses: nonEmpty(args.filter?.statuses),
      channels: nonEmpty(args.filter?.channels),
      team,
      category: args.groupBy?.category ?? false,
      status: args.groupBy?.status ?? false,
      channel: args.groupBy?.channel ?? false,
    }),
  );
  const figures = (row: ServiceRequestRow | undefined): ServiceRequestFiguresModel => ({
    requests: row?.requests ?? 0,
    accepted: row?.accepted ?? 0,
    completed: row?.completed ?? 0,
    toAccept: { median: row?.toAcceptMedian ?? null, p90: row?.toAcceptP90 ?? null },
    toStart: { median: row?.toStartMedian ?? null, p90: row?.toStartP90 ?? null },
    toComplete: { median: row?.toCompleteMedian ?? null, p90: row?.toCompleteP90 ?? null },
  });
  return bucketsOf(
    rows,
    window.grouping.period,
    (row, keys) => ({ ...keys, categoryCode: row.categoryCode, status: row.status, channel: row.channel, figures: figures(row) }),
    figures,
  );
}

/** Micro-wishes posted, grouped as asked, with how many were claimed and fulfilled. */
export async function microWishStatsOf(ctx: RequestsContext, args: { filter?: WindowFilter | null; groupBy?: WindowGrouping | null }): Promise<MicroWishStatsModel> {
  const window = windowOf(ctx, args.filter, args.groupBy);
  const rows = await analyticsQuery(ctx, (db) => microWishStats(db, window));
  const figures = (row: MicroWishRow | undefined): MicroWishFiguresModel => {
    const posted = row?.posted ?? 0;
    const fulfilled = row?.fulfilled ?? 0;
    // Of the wishes posted in the bucket, the share fulfilled (withdrawn ones included in what was posted), to four decimals.
    return {
      posted,
      claimed: row?.claimed ?? 0,
      fulfilled,
      withdrawn: row?.withdrawn ?? 0,
      fulfilmentRate: posted > 0 ? Math.round((fulfilled / posted) * 10_000) / 10_000 : null,
    };
  };
  return bucketsOf(rows, window.grouping.period, (row, keys) => ({ ...keys, figures: figures(row) }), figures);
}

/** Activities held (by the day they start), grouped as asked, with places taken, check-ins and hours approved. */
export async function activityStatsOf(ctx: RequestsContext, args: { filter?: WindowFilter | null; groupBy?: WindowGrouping | null }): Promise<ActivityStatsModel> {
  const window = windowOf(ctx, args.filter, args.groupBy);
  const rows = await analyticsQuery(ctx, (db) => activityStats(db, window));
  const figures = (row: ActivityRow | undefined): ActivityFiguresModel => ({
    activities: row?.activities ?? 0,
    signups: row?.signups ?? 0,
    checkIns: row?.checkIns ?? 0,
    minutes: row?.minutes ?? 0,
    hours: hoursOf(row?.minutes ?? 0),
  });
  return bucketsOf(rows, window.grouping.period, (row, keys) => ({ ...keys, figures: figures(row) }), figures);
}
