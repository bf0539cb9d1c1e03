/**
 * Statistics over what requests records, for analysts and for the admins of
 * a region: figures grouped by region level, period and the facts' own
 * dimensions, never a person. Who may ask, what a question may cover, and
 * which figures of a sensitive statistic (alerts) are withheld are decided
 * here; the grouped SQL is in store.ts, the suppression rule in shared
 * (`suppressSmallCells`).
 */
import {
  BadInputError,
  MAX_STATS_BUCKETS,
  hoursOf,
  periodOf,
  requireFewBuckets,
  statsDays,
  suppressSmallCells,
  type EntityReference,
  type Executor,
  type RegionLevel,
  type StatsPeriodModel,
  type TimeBucket,
  analyticsQuery,
  regionStatsScope,
  statsFilterId,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import type { AlertRow } from '../db/schema.js';
import { OUTPUT_UNITS, type ActivityOutputModel } from '../outcomes/service.js';
import {
  activityStats,
  alertStats,
  foldServiceHours,
  microWishStats,
  serviceHourStats,
  serviceRequestStats,
  SUMMED_OUTPUT_KINDS,
  type ActivityRow,
  type AlertStatsRow,
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
  channel: string | null;
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
  ratings: number | null;
  averageRating: number | null;
  ratingsWithheld: boolean;
  outputs: ActivityOutputModel[];
}
export interface ActivityBucketModel extends Keyed {
  categoryCode: string | null;
  seriesId: string | null;
  figures: ActivityFiguresModel;
}
export interface ActivityStatsModel {
  buckets: ActivityBucketModel[];
  total: ActivityFiguresModel;
}

export interface AlertFiguresModel {
  alerts: number | null;
  acknowledged: number | null;
  households: number | null;
  toAcknowledge: DurationModel | null;
  suppressed: boolean;
}
export interface AlertBucketModel extends Keyed {
  kind: AlertRow['kind'] | null;
  figures: AlertFiguresModel;
}
export interface AlertStatsModel {
  buckets: AlertBucketModel[];
  total: AlertFiguresModel;
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

const nonEmpty = <T extends string>(values: readonly T[] | null | undefined): readonly T[] | null => (values && values.length > 0 ? values : null);

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
export async function microWishStatsOf(
  ctx: RequestsContext,
  args: { filter?: (WindowFilter & { channels?: readonly string[] | null }) | null; groupBy?: (WindowGrouping & { channel?: boolean | null }) | null },
): Promise<MicroWishStatsModel> {
  const window = windowOf(ctx, args.filter, args.groupBy);
  const query = { ...window, channels: nonEmpty(args.filter?.channels), channel: args.groupBy?.channel ?? false };
  const rows = await analyticsQuery(ctx, (db) => microWishStats(db, query));
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
  return bucketsOf(rows, window.grouping.period, (row, keys) => ({ ...keys, channel: row.channel, figures: figures(row) }), figures);
}

/** The named kinds' outputs of a row, those with any quantity, in their units. */
function outputsOfRow(row: ActivityRow | undefined): ActivityOutputModel[] {
  if (!row) return [];
  return (Object.entries(SUMMED_OUTPUT_KINDS) as [keyof typeof SUMMED_OUTPUT_KINDS, (typeof SUMMED_OUTPUT_KINDS)[keyof typeof SUMMED_OUTPUT_KINDS]][])
    .filter(([, column]) => row[column] > 0)
    .map(([kind, column]) => ({ kind, label: null, quantity: row[column], unit: OUTPUT_UNITS[kind] }));
}

/**
 * Activities held (by the day they start), grouped as asked, with places
 * taken, check-ins, hours approved, outputs summed by kind and participants'
 * ratings. Ratings are opinions of the few who were there: a bucket with
 * fewer ratings than the minimum cell, and those that would give it away,
 * withhold their rating figures (`suppressSmallCells`, as alerts are).
 */
export async function activityStatsOf(
  ctx: RequestsContext,
  args: { filter?: (WindowFilter & { series?: string | null }) | null; groupBy?: (WindowGrouping & { category?: boolean | null; series?: boolean | null }) | null },
): Promise<ActivityStatsModel> {
  const window = windowOf(ctx, args.filter, args.groupBy);
  const series = statsFilterId(args.filter?.series, 'series');
  const category = args.groupBy?.category ?? false;
  const bySeries = args.groupBy?.series ?? false;
  const rows = await analyticsQuery(ctx, (db) => activityStats(db, { ...window, series, category, bySeries }));
  const buckets = rows.filter((row) => !row.total);
  const keyOf = (row: ActivityRow) => [
    ...(window.grouping.region ? [row.regionId] : []),
    ...(window.grouping.period ? [row.periodStart] : []),
    ...(category ? [row.categoryCode] : []),
    ...(bySeries ? [row.seriesId] : []),
  ];
  const suppression = suppressSmallCells(
    buckets.filter((row) => row.ratings > 0).map((row) => ({ key: keyOf(row), count: row.ratings })),
    ctx.analyticsMinCell,
  );
  const rated = buckets.filter((row) => row.ratings > 0);
  const withheld = new Set(rated.filter((_, index) => suppression.cells[index]));
  const figures = (row: ActivityRow | undefined, ratingsWithheld: boolean): ActivityFiguresModel => {
    const ratings = row?.ratings ?? 0;
    return {
      activities: row?.activities ?? 0,
      signups: row?.signups ?? 0,
      checkIns: row?.checkIns ?? 0,
      minutes: row?.minutes ?? 0,
      hours: hoursOf(row?.minutes ?? 0),
      ratings: ratingsWithheld ? null : ratings,
      averageRating: ratingsWithheld || ratings === 0 ? null : Math.round(((row?.ratingSum ?? 0) / ratings) * 100) / 100,
      ratingsWithheld,
      outputs: outputsOfRow(row),
    };
  };
  const total = rows.find((row) => row.total);
  const totalWithheld = suppression.total || ((total?.ratings ?? 0) > 0 && (total?.ratings ?? 0) < ctx.analyticsMinCell);
  return bucketsOf(
    rows,
    window.grouping.period,
    (row, keys) => ({ ...keys, categoryCode: row.categoryCode, seriesId: row.seriesId, figures: figures(row, withheld.has(row)) }),
    (row) => figures(row, totalWithheld),
  );
}

/** Region kinds too small to filter alerts by: two such areas' difference would give a withheld bucket away. */
const BELOW_COMMUNITY = new Set(['compound', 'building']);

/**
 * Alerts raised (by the day they were raised), grouped as asked, with how
 * many were acknowledged and how long that took. Alerts tell which homes of
 * elders living alone called for help, so buckets are suppressed by the
 * households they count (a household raising many alerts is still one
 * household): a bucket under the minimum cell, and those that would give it
 * away, show no figure at all, durations included.
 */
export async function alertStatsOf(
  ctx: RequestsContext,
  args: {
    filter?: (WindowFilter & { kinds?: readonly AlertRow['kind'][] | null }) | null;
    groupBy?: (WindowGrouping & { kind?: boolean | null }) | null;
  },
): Promise<AlertStatsModel> {
  const window = windowOf(ctx, args.filter, args.groupBy);
  const region = statsFilterId(args.filter?.region);
  if (region !== null) {
    const row = await ctx.loaders.directoryRegionById.load(region);
    if (!row || BELOW_COMMUNITY.has(row.kind)) throw new BadInputError('filter.region must be a community or a region above one.', 'filter');
  }
  const kind = args.groupBy?.kind ?? false;
  const rows = await analyticsQuery(ctx, (db) => alertStats(db, { ...window, kinds: nonEmpty(args.filter?.kinds), kind }));
  const buckets = requireFewBuckets(rows.filter((row) => !row.total));
  const total = rows.find((row) => row.total);
  const minCell = ctx.analyticsMinCell;
  // Only the dimensions asked: one not grouped by holds null everywhere and makes no line.
  const keyOf = (row: AlertStatsRow) => [...(window.grouping.region ? [row.regionId] : []), ...(window.grouping.period ? [row.periodStart] : []), ...(kind ? [row.kind] : [])];
  const suppression = suppressSmallCells(
    buckets.map((row) => ({ key: keyOf(row), count: row.households })),
    minCell,
  );
  const withheld = new Set(buckets.filter((_, index) => suppression.cells[index]));
  // Distinct households do not add up across buckets (one may alert in two months): the total's own count is checked as well.
  const households = total?.households ?? 0;
  const totalWithheld = suppression.total || (households > 0 && households < minCell);
  const figures = (row: AlertStatsRow | undefined, suppressed: boolean): AlertFiguresModel =>
    suppressed
      ? { alerts: null, acknowledged: null, households: null, toAcknowledge: null, suppressed }
      : {
          alerts: row?.alerts ?? 0,
          acknowledged: row?.acknowledged ?? 0,
          households: row?.households ?? 0,
          toAcknowledge: { median: row?.toAcknowledgeMedian ?? null, p90: row?.toAcknowledgeP90 ?? null },
          suppressed,
        };
  return bucketsOf(
    rows,
    window.grouping.period,
    (row, keys) => ({ ...keys, kind: row.kind, figures: figures(row, withheld.has(row)) }),
    (row) => figures(row, totalWithheld),
  );
}

/** Records folded per transaction: a few thousand keeps each fold's locks and its statement short. */
const FOLD_BATCH = 5_000;

/**
 * Folds the service records written since the last fold into the rollups
 * that answer region-by-month statistics, a batch at a time, until none is
 * left or `batches` have run (the rest waits for the next call); returns how
 * many it folded. Answers are exact either way: folding only makes them
 * cheaper to read.
 */
export async function foldQueuedServiceHours(db: Executor, batches = 20): Promise<number> {
  let folded = 0;
  for (let round = 0; round < batches; round += 1) {
    const done = await foldServiceHours(db, FOLD_BATCH);
    folded += done;
    if (done < FOLD_BATCH) break;
  }
  return folded;
}
