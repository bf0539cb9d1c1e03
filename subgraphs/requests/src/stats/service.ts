/**
 * Statistics over what requests records, for analysts and for the admins of
 * a region: figures grouped by region level, period and category, never a
 * person. Who may ask, and what a question may cover, are decided here; the
 * grouped SQL is in store.ts.
 */
import {
  BadInputError,
  ForbiddenError,
  MAX_STATS_BUCKETS,
  hasRole,
  hoursOf,
  isUuid,
  periodOf,
  requireFewBuckets,
  requireSignedIn,
  statsDays,
  type EntityReference,
  type RegionLevel,
  type StatsPeriodModel,
  type TimeBucket,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import { REGION_ADMIN_ROLES, staffScope } from '../access.js';
import { serviceHourStats, type ServiceHourRow } from './store.js';

export interface ServiceHourFiguresModel {
  minutes: number;
  hours: number;
  records: number;
  volunteers: number;
}

export interface ServiceHourBucketModel {
  region: EntityReference | null;
  period: StatsPeriodModel | null;
  categoryCode: string | null;
  figures: ServiceHourFiguresModel;
}

export interface ServiceHourStatsModel {
  buckets: ServiceHourBucketModel[];
  total: ServiceHourFiguresModel;
}

export interface ServiceHourStatsArgs {
  filter?: {
    region?: string | null;
    from?: string | Date | null;
    to?: string | Date | null;
    categories?: readonly string[] | null;
    source?: 'request' | 'activity' | null;
  } | null;
  groupBy?: { region?: RegionLevel | null; period?: TimeBucket | null; category?: boolean | null } | null;
}

/**
 * The regions a viewer's statistics are cut to: none (everything) for
 * analysts and platform admins, the token's regions for station and community
 * admins; anyone else is refused.
 */
function statsScope(ctx: RequestsContext): string[] | null {
  requireSignedIn(ctx.viewer);
  if (hasRole(ctx.viewer, 'analyst', 'platform_admin')) return null;
  const scope = staffScope(ctx.viewer, REGION_ADMIN_ROLES);
  if (scope === null || scope.length > 0) return scope;
  throw new ForbiddenError('Only analysts, platform admins and the admins of a region read statistics.');
}

const figuresOf = (row: Pick<ServiceHourRow, 'minutes' | 'records' | 'volunteers'>): ServiceHourFiguresModel => ({
  minutes: row.minutes,
  hours: hoursOf(row.minutes),
  records: row.records,
  volunteers: row.volunteers,
});

/** Service time recorded, grouped as asked, within the viewer's scope. */
export async function serviceHourStatsOf(ctx: RequestsContext, { filter, groupBy }: ServiceHourStatsArgs): Promise<ServiceHourStatsModel> {
  const scope = statsScope(ctx);
  const region = filter?.region ?? null;
  if (region !== null && !isUuid(region)) throw new BadInputError('filter.region is not a region id.', 'filter');
  const { from, before } = statsDays(filter?.from, filter?.to);
  const period = groupBy?.period ?? null;
  const rows = await serviceHourStats(ctx.db, {
    within: [...(region ? [[region.toLowerCase()]] : []), ...(scope ? [scope] : [])],
    from,
    before,
    categories: filter?.categories?.length ? filter.categories : null,
    source: filter?.source ?? null,
    region: groupBy?.region ?? null,
    period,
    category: groupBy?.category ?? false,
    maxBuckets: MAX_STATS_BUCKETS,
  });
  const buckets = requireFewBuckets(rows.filter((row) => !row.total));
  const total = rows.find((row) => row.total);
  return {
    buckets: buckets.map((row) => ({
      region: row.regionId ? { id: row.regionId } : null,
      period: period && row.periodStart ? periodOf(period, row.periodStart) : null,
      categoryCode: row.categoryCode,
      figures: figuresOf(row),
    })),
    total: figuresOf(total ?? { minutes: 0, records: 0, volunteers: 0 }),
  };
}
