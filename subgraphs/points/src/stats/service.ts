/**
 * Statistics over the bank, for analysts and for its clerks: points moved per
 * bank unit and period, redemptions per merchant and period, charity fund
 * money per fund, source and period. Figures only, never a customer or a
 * contributor. Who may ask, and what a question may cover, are decided here;
 * the grouped SQL is in store.ts.
 */
import {
  ForbiddenError,
  MAX_STATS_BUCKETS,
  hasRole,
  periodOf,
  requireFewBuckets,
  requireSignedIn,
  statsDays,
  type StatsPeriodModel,
  type TimeBucket,
  analyticsQuery,
  statsFilterId,
} from '@lianxin/shared';
import { clerkScopeOf } from '../access.js';
import type { PointsContext } from '../context.js';
import type { BankUnitKind, ContributionSource } from '../db/schema.js';
import { fundStats, pointsFlowStats, redemptionStats, type FundStatsRow, type PointsFlowRow, type RedemptionStatsRow, type StatsWindow } from './store.js';

export type PointsFlowFiguresModel = Omit<PointsFlowRow, 'total' | 'unitId' | 'periodStart'>;
export type RedemptionFiguresModel = Omit<RedemptionStatsRow, 'total' | 'merchantId' | 'periodStart'>;
export type FundFiguresModel = Omit<FundStatsRow, 'total' | 'fundId' | 'source' | 'periodStart'>;

export interface PointsFlowBucketModel {
  unitId: string | null;
  period: StatsPeriodModel | null;
  figures: PointsFlowFiguresModel;
}

export interface PointsFlowStatsModel {
  buckets: PointsFlowBucketModel[];
  total: PointsFlowFiguresModel;
}

export interface RedemptionBucketModel {
  merchantId: string | null;
  period: StatsPeriodModel | null;
  figures: RedemptionFiguresModel;
}

export interface RedemptionStatsModel {
  buckets: RedemptionBucketModel[];
  total: RedemptionFiguresModel;
}

export interface FundBucketModel {
  fundId: string | null;
  source: ContributionSource | null;
  period: StatsPeriodModel | null;
  figures: FundFiguresModel;
}

export interface FundStatsModel {
  buckets: FundBucketModel[];
  total: FundFiguresModel;
}

type Day = string | Date | null | undefined;

export interface PointsFlowStatsArgs {
  filter?: { unit?: string | null; from?: Day; to?: Day } | null;
  groupBy?: { unit?: BankUnitKind | null; period?: TimeBucket | null } | null;
}

export interface RedemptionStatsArgs {
  filter?: { merchant?: string | null; bank?: string | null; from?: Day; to?: Day } | null;
  groupBy?: { merchant?: boolean | null; period?: TimeBucket | null } | null;
}

export interface FundStatsArgs {
  filter?: { fund?: string | null; from?: Day; to?: Day } | null;
  groupBy?: { fund?: boolean | null; source?: boolean | null; period?: TimeBucket | null } | null;
}

const REFUSED = 'Only analysts, platform admins and bank clerks read the bank’s statistics.';

/**
 * What a viewer's statistics are cut to: null (everything) for analysts and
 * platform admins; for a clerk, the offices they serve and the banks those
 * belong to, as points decides a clerk's accounts and merchants' books;
 * anyone else is refused.
 */
async function statsScope(ctx: PointsContext): Promise<{ offices: string[]; banks: string[] } | null> {
  requireSignedIn(ctx.viewer);
  if (hasRole(ctx.viewer, 'analyst', 'platform_admin')) return null;
  const scope = await clerkScopeOf(ctx);
  if (scope.officeIds.size > 0 || scope.bankIds.size > 0) return { offices: [...scope.officeIds], banks: [...scope.bankIds] };
  throw new ForbiddenError(REFUSED);
}

const windowOf = (filter: { from?: Day; to?: Day } | null | undefined): StatsWindow => statsDays(filter?.from, filter?.to);

const periodAt = (bucket: TimeBucket | null, start: string | null): StatsPeriodModel | null => (bucket && start ? periodOf(bucket, start) : null);

/** The buckets and the total row of a grouped answer; the total is zero when nothing counted. */
function split<Row extends { total: boolean }>(rows: Row[]): { buckets: readonly Row[]; total: Row | undefined } {
  return { buckets: requireFewBuckets(rows.filter((row) => !row.total)), total: rows.find((row) => row.total) };
}

const flowFigures = (row: PointsFlowRow): PointsFlowFiguresModel => ({
  deposited: row.deposited,
  deposits: row.deposits,
  redeemed: row.redeemed,
  redemptions: row.redemptions,
  reversed: row.reversed,
  reversals: row.reversals,
  opened: row.opened,
  adjusted: row.adjusted,
  net: row.net,
});
const NO_FLOW: PointsFlowFiguresModel = { deposited: 0, deposits: 0, redeemed: 0, redemptions: 0, reversed: 0, reversals: 0, opened: 0, adjusted: 0, net: 0 };

/** Points moved in and out of customers' passbooks, grouped as asked, within the viewer's scope. */
export async function pointsFlowStatsOf(ctx: PointsContext, { filter, groupBy }: PointsFlowStatsArgs): Promise<PointsFlowStatsModel> {
  const scope = await statsScope(ctx);
  const unit = statsFilterId(filter?.unit, 'unit');
  const period = groupBy?.period ?? null;
  const rows = await analyticsQuery(ctx, (db) =>
    pointsFlowStats(db, {
      ...windowOf(filter),
      unit,
      offices: scope ? scope.offices : null,
      groupUnit: groupBy?.unit ?? null,
      period,
      maxBuckets: MAX_STATS_BUCKETS,
    }),
  );
  const { buckets, total } = split(rows);
  return {
    buckets: buckets.map((row) => ({ unitId: row.unitId, period: periodAt(period, row.periodStart), figures: flowFigures(row) })),
    total: total ? flowFigures(total) : NO_FLOW,
  };
}

const redemptionFigures = ({ redemptions, points, items }: RedemptionStatsRow): RedemptionFiguresModel => ({ redemptions, points, items });

/** Captured redemptions, grouped as asked, within the viewer's scope. */
export async function redemptionStatsOf(ctx: PointsContext, { filter, groupBy }: RedemptionStatsArgs): Promise<RedemptionStatsModel> {
  const scope = await statsScope(ctx);
  const merchant = statsFilterId(filter?.merchant, 'merchant');
  const bank = statsFilterId(filter?.bank, 'bank');
  const period = groupBy?.period ?? null;
  const rows = await analyticsQuery(ctx, (db) =>
    redemptionStats(db, {
      ...windowOf(filter),
      merchant,
      bank,
      banks: scope ? scope.banks : null,
      groupMerchant: groupBy?.merchant ?? false,
      period,
      maxBuckets: MAX_STATS_BUCKETS,
    }),
  );
  const { buckets, total } = split(rows);
  return {
    buckets: buckets.map((row) => ({ merchantId: row.merchantId, period: periodAt(period, row.periodStart), figures: redemptionFigures(row) })),
    total: total ? redemptionFigures(total) : { redemptions: 0, points: 0, items: 0 },
  };
}

const fundFigures = ({ contributed, contributions, disbursed, disbursements }: FundStatsRow): FundFiguresModel => ({ contributed, contributions, disbursed, disbursements });

/** Charity fund money in and out, grouped as asked, within the viewer's scope. */
export async function fundStatsOf(ctx: PointsContext, { filter, groupBy }: FundStatsArgs): Promise<FundStatsModel> {
  const scope = await statsScope(ctx);
  const fund = statsFilterId(filter?.fund, 'fund');
  const period = groupBy?.period ?? null;
  const rows = await analyticsQuery(ctx, (db) =>
    fundStats(db, {
      ...windowOf(filter),
      fund,
      banks: scope ? scope.banks : null,
      groupFund: groupBy?.fund ?? false,
      groupSource: groupBy?.source ?? false,
      period,
      maxBuckets: MAX_STATS_BUCKETS,
    }),
  );
  const { buckets, total } = split(rows);
  return {
    buckets: buckets.map((row) => ({
      fundId: row.fundId,
      source: row.source,
      period: periodAt(period, row.periodStart),
      figures: fundFigures(row),
    })),
    total: total ? fundFigures(total) : { contributed: 0, contributions: 0, disbursed: 0, disbursements: 0 },
  };
}
