/**
 * People's statistics for analysts and the admins of a region: volunteers
 * registered, and households by hardship level, grouped by region level (and
 * period), never a person. Who may ask, what a question may cover, and which
 * household figures are withheld are decided here; the grouped SQL is in
 * store.ts, the suppression rule in shared (`suppressSmallCells`).
 */
import {
  BadInputError,
  MAX_STATS_BUCKETS,
  periodOf,
  requireFewBuckets,
  statsDays,
  suppressSmallCells,
  type RegionLevel,
  type StatsPeriodModel,
  type TimeBucket,
  analyticsQuery,
  regionStatsScope,
  statsFilterId,
} from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import { householdStats, volunteerStats, type HouseholdRow } from './store.js';

export interface VolunteerFiguresModel {
  registered: number;
  active: number;
}

export interface VolunteerBucketModel {
  regionId: string | null;
  period: StatsPeriodModel | null;
  figures: VolunteerFiguresModel;
}

export interface VolunteerStatsModel {
  buckets: VolunteerBucketModel[];
  total: VolunteerFiguresModel;
}

export interface HouseholdFiguresModel {
  households: number | null;
  suppressed: boolean;
}

export interface HouseholdBucketModel {
  regionId: string | null;
  hardship: HouseholdRow['hardship'];
  figures: HouseholdFiguresModel;
}

export interface HouseholdStatsModel {
  buckets: HouseholdBucketModel[];
  total: HouseholdFiguresModel;
}

export interface VolunteerStatsArgs {
  filter?: { region?: string | null; from?: string | Date | null; to?: string | Date | null } | null;
  groupBy?: { region?: RegionLevel | null; period?: TimeBucket | null } | null;
}

export interface HouseholdStatsArgs {
  filter?: { region?: string | null } | null;
  groupBy?: { region?: RegionLevel | null; hardship?: boolean | null } | null;
}

/** Volunteers registered, grouped as asked, within the viewer's scope. */
export async function volunteerStatsOf(ctx: PeopleContext, { filter, groupBy }: VolunteerStatsArgs): Promise<VolunteerStatsModel> {
  const scope = regionStatsScope(ctx.viewer);
  const region = statsFilterId(filter?.region);
  const { from, before } = statsDays(filter?.from, filter?.to);
  const period = groupBy?.period ?? null;
  const rows = await analyticsQuery(ctx, (db) =>
    volunteerStats(db, {
      within: [...(region ? [[region]] : []), ...(scope ? [scope] : [])],
      from,
      before,
      region: groupBy?.region ?? null,
      period,
      maxBuckets: MAX_STATS_BUCKETS,
    }),
  );
  const buckets = requireFewBuckets(rows.filter((row) => !row.total));
  const total = rows.find((row) => row.total);
  return {
    buckets: buckets.map((row) => ({
      regionId: row.regionId,
      period: period && row.periodStart ? periodOf(period, row.periodStart) : null,
      figures: { registered: row.registered, active: row.active },
    })),
    total: { registered: total?.registered ?? 0, active: total?.active ?? 0 },
  };
}

/** Region kinds too small to filter households by: two such areas' difference would give a withheld bucket away. */
const BELOW_COMMUNITY = new Set(['compound', 'building']);

/** Households grouped as asked, within the viewer's scope, with small buckets and those that would give them away withheld. */
export async function householdStatsOf(ctx: PeopleContext, { filter, groupBy }: HouseholdStatsArgs): Promise<HouseholdStatsModel> {
  const scope = regionStatsScope(ctx.viewer);
  const region = statsFilterId(filter?.region);
  if (region !== null) {
    const row = await ctx.loaders.regionById.load(region);
    if (!row || BELOW_COMMUNITY.has(row.kind)) throw new BadInputError('filter.region must be a community or a region above one.', 'filter');
  }
  const rows = await analyticsQuery(ctx, (db) =>
    householdStats(db, {
      within: [...(region ? [[region]] : []), ...(scope ? [scope] : [])],
      region: groupBy?.region ?? null,
      hardship: groupBy?.hardship ?? false,
      maxBuckets: MAX_STATS_BUCKETS,
    }),
  );
  const buckets = requireFewBuckets(rows.filter((row) => !row.total));
  const total = rows.find((row) => row.total)?.households ?? 0;
  const withheld = suppressSmallCells(
    buckets.map((row) => ({ key: [row.regionId, row.hardship], count: row.households })),
    ctx.analyticsMinCell,
  );
  const figures = (households: number, suppressed: boolean): HouseholdFiguresModel => ({ households: suppressed ? null : households, suppressed });
  return {
    buckets: buckets.map((row, index) => ({ regionId: row.regionId, hardship: row.hardship, figures: figures(row.households, withheld.cells[index]!) })),
    total: figures(total, withheld.total),
  };
}
