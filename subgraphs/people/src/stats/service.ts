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
  type Executor,
} from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import { householdStats, lockHouseholdCells, replaceHouseholdCells, volunteerStats, type HouseholdRow } from './store.js';

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
  return withholdSmallHouseholdCells(rows, ctx.analyticsMinCell, requireFewBuckets);
}

/**
 * The answer for `rows` (the buckets and the total as the store counts
 * them): buckets under `minCell`, and those that would give them away, are
 * withheld (`suppressSmallCells`). `buckets` checks how many there are.
 */
function withholdSmallHouseholdCells(
  rows: readonly HouseholdRow[],
  minCell: number,
  buckets: (rows: readonly HouseholdRow[]) => readonly HouseholdRow[] = (all) => all,
): HouseholdStatsModel {
  const counted = buckets(rows.filter((row) => !row.total));
  const total = rows.find((row) => row.total)?.households ?? 0;
  const withheld = suppressSmallCells(
    counted.map((row) => ({ key: [row.regionId, row.hardship], count: row.households })),
    minCell,
  );
  const figures = (households: number, suppressed: boolean): HouseholdFiguresModel => ({ households: suppressed ? null : households, suppressed });
  return {
    buckets: counted.map((row, index) => ({ regionId: row.regionId, hardship: row.hardship, figures: figures(row.households, withheld.cells[index]!) })),
    total: figures(total, withheld.total),
  };
}

/**
 * Rewrites the households BI tools read (`people.analytics_household_cells`)
 * in the caller's transaction: the answer an analyst gets from
 * `householdStats` grouped by community and hardship level, over every
 * region, computed by the same code, so SQL can never read a cell the graph
 * withholds. Called by every write that adds or removes a household or
 * changes its level or address, by the demo's seed, and at start (the
 * minimum may have changed). The lock makes concurrent writers count one
 * after the other, the last seeing everything committed before it.
 */
export async function rewriteHouseholdCells(tx: Executor, minCell: number): Promise<void> {
  await lockHouseholdCells(tx);
  const rows = await householdStats(tx, { within: [], region: 'COMMUNITY', hardship: true, maxBuckets: null });
  const answer = withholdSmallHouseholdCells(rows, minCell);
  await replaceHouseholdCells(
    tx,
    [
      { total: true, communityId: null, hardshipLevel: null, ...answer.total },
      ...answer.buckets.map((bucket) => ({ total: false, communityId: bucket.regionId, hardshipLevel: bucket.hardship, ...bucket.figures })),
    ],
    minCell,
  );
}
