/**
 * Recognition's statistics: service and ratings grouped by region level and
 * period, for analysts and region admins (figures only, never a person), and
 * the volunteer leaderboard, public recognition for anyone signed in. Who
 * may ask, and what a question may cover, are decided here; the SQL is in
 * store.ts, over the facts the consumer writes (facts.ts).
 */
import {
  BadInputError,
  MAX_STATS_BUCKETS,
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
  analyticsQuery,
  regionStatsScope,
} from '@lianxin/shared';
import type { RecognitionContext } from '../context.js';
import { beijingDayOf } from './facts.js';
import { serviceTallyStats, volunteerLeaderboard, type FactFilter, type ServiceTallyRow } from './store.js';

export interface ServiceTallyFiguresModel {
  minutes: number;
  hours: number;
  services: number;
  volunteers: number;
  ratings: number;
  averageRating: number | null;
}

export interface ServiceTallyBucketModel {
  region: EntityReference | null;
  period: StatsPeriodModel | null;
  figures: ServiceTallyFiguresModel;
}

export interface ServiceTallyStatsModel {
  buckets: ServiceTallyBucketModel[];
  total: ServiceTallyFiguresModel;
}

export interface VolunteerLeaderboardEntryModel {
  rank: number;
  volunteer: EntityReference;
  minutes: number;
  hours: number;
  services: number;
}

interface FilterArgs {
  region?: string | null;
  from?: string | Date | null;
  to?: string | Date | null;
  categories?: readonly string[] | null;
}

export interface ServiceTallyStatsArgs {
  filter?: FilterArgs | null;
  groupBy?: { region?: RegionLevel | null; period?: TimeBucket | null } | null;
}

export interface VolunteerLeaderboardArgs {
  filter?: Omit<FilterArgs, 'categories'> | null;
  first?: number | null;
}

/** More volunteers than an honour roll shows. */
const MAX_LEADERBOARD = 100;

/** The filter as the store takes it, refusing a malformed region or days out of order. */
function factFilterOf(filter: FilterArgs | null | undefined, scope: readonly string[] | null): FactFilter {
  const region = filter?.region ?? null;
  if (region !== null && !isUuid(region)) throw new BadInputError('filter.region is not a region id.', 'filter');
  const { from, before } = statsDays(filter?.from, filter?.to);
  return {
    within: [...(region ? [[region.toLowerCase()]] : []), ...(scope ? [scope] : [])],
    from: from ? beijingDayOf(from) : null,
    before: before ? beijingDayOf(before) : null,
    categories: filter?.categories?.length ? filter.categories : null,
  };
}

const figuresOf = (row: Omit<ServiceTallyRow, 'total' | 'regionId' | 'periodStart'>): ServiceTallyFiguresModel => ({
  minutes: row.minutes,
  hours: hoursOf(row.minutes),
  services: row.services,
  volunteers: row.volunteers,
  ratings: row.ratings,
  averageRating: row.averageRating,
});

/** Service and ratings, grouped as asked, within the viewer's scope. */
export async function serviceTallyStatsOf(ctx: RecognitionContext, { filter, groupBy }: ServiceTallyStatsArgs): Promise<ServiceTallyStatsModel> {
  const scope = regionStatsScope(ctx.viewer);
  const period = groupBy?.period ?? null;
  const rows = await analyticsQuery(ctx, (db) => serviceTallyStats(db, { ...factFilterOf(filter, scope), region: groupBy?.region ?? null, period, maxBuckets: MAX_STATS_BUCKETS }));
  const buckets = requireFewBuckets(rows.filter((row) => !row.total));
  const total = rows.find((row) => row.total);
  return {
    buckets: buckets.map((row) => ({
      region: row.regionId ? { id: row.regionId } : null,
      period: period && row.periodStart ? periodOf(period, row.periodStart) : null,
      figures: figuresOf(row),
    })),
    total: figuresOf(total ?? { minutes: 0, services: 0, volunteers: 0, ratings: 0, averageRating: null }),
  };
}

/** The volunteers with the most hours in the filter's region and days; anyone signed in. */
export async function volunteerLeaderboardOf(ctx: RecognitionContext, { filter, first }: VolunteerLeaderboardArgs): Promise<VolunteerLeaderboardEntryModel[]> {
  requireSignedIn(ctx.viewer, 'see the leaderboard');
  const count = first ?? 10;
  if (!Number.isInteger(count) || count < 1 || count > MAX_LEADERBOARD) throw new BadInputError(`first must be between 1 and ${MAX_LEADERBOARD}.`, 'first');
  const rows = await analyticsQuery(ctx, (db) => volunteerLeaderboard(db, factFilterOf(filter, null), count));
  return rows.map((row) => ({ rank: row.rank, volunteer: { id: row.volunteerId }, minutes: row.minutes, hours: hoursOf(row.minutes), services: row.services }));
}
