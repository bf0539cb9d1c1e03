/**
 * SQL for the bank's statistics: one grouped statement per question (the
 * shared `groupedStats`), with the total in the same statement. Periods are Beijing
 * calendar days; a customer's transfers count at the savings office the
 * account was opened at, and above it at that office's branch and head bank.
 */
import { sql, type SQL } from 'drizzle-orm';
import { groupedStats, periodStartOf, uuidArray, type Executor, type GroupedStatsRow, type TimeBucket } from '@lianxin/shared';
import type { BankUnitKind, ContributionSource } from '../db/schema.js';

/** The days a question covers: `[from, before)`, either end open. */
export interface StatsWindow {
  from: Date | null;
  before: Date | null;
}

const within = (column: SQL, window: StatsWindow): SQL[] => [
  ...(window.from ? [sql`${column} >= ${window.from.toISOString()}::timestamptz`] : []),
  ...(window.before ? [sql`${column} < ${window.before.toISOString()}::timestamptz`] : []),
];

/** Sums come back as text (bigint sums are numeric): read them as numbers. */
const amount = (value: string | number | null): number => Number(value ?? 0);

export interface PointsFlowQuery extends StatsWindow {
  /** Only accounts of offices at or under this unit. */
  unit: string | null;
  /** Only accounts of these offices (a clerk's); null for every office. */
  offices: readonly string[] | null;
  groupUnit: BankUnitKind | null;
  period: TimeBucket | null;
  /** Buckets beyond this are not read; the caller refuses the question. */
  maxBuckets: number;
}

export interface PointsFlowRow extends GroupedStatsRow {
  unitId: string | null;
  periodStart: string | null;
  deposited: number;
  deposits: number;
  redeemed: number;
  redemptions: number;
  reversed: number;
  reversals: number;
  opened: number;
  adjusted: number;
  net: number;
}

/**
 * Each transfer is read once for each customer account it touches (a side):
 * credits to a customer are deposits, openings and adjustments; debits are
 * redemptions and reversals that take points back.
 */
export async function pointsFlowStats(db: Executor, query: PointsFlowQuery): Promise<PointsFlowRow[]> {
  const unit = query.groupUnit === 'savings_office' ? sql`o.id` : query.groupUnit === 'branch' ? sql`o.parent_id` : query.groupUnit === 'head_bank' ? sql`o.bank_id` : null;
  const rows = await groupedStats<
    Omit<PointsFlowRow, 'deposited' | 'redeemed' | 'reversed' | 'opened' | 'adjusted' | 'net'> & {
      deposited: string;
      redeemed: string;
      reversed: string;
      opened: string;
      adjusted: string;
      net: string;
    }
  >(db, {
    from: sql`points.transfers t
        cross join lateral (values (t.debit_account_id, false), (t.credit_account_id, true)) as s(account_id, credit)
        join points.accounts a on a.id = s.account_id and a.kind = 'customer' and not a.sandbox
        join points.bank_units o on o.id = a.office_id`,
    where: [
      ...within(sql`t.created_at`, query),
      ...(query.unit ? [sql`${query.unit}::uuid in (o.id, o.parent_id, o.bank_id)`] : []),
      ...(query.offices ? [sql`o.id = any(${uuidArray(query.offices)})`] : []),
    ],
    dimensions: { unitId: unit, periodStart: query.period ? periodStartOf(sql`t.created_at`, query.period) : null },
    columns: { cause: sql`t.cause`, amount: sql`t.amount`, credit: sql`s.credit` },
    figures: sql`coalesce(sum(amount) filter (where cause = 'service_record' and credit), 0)::text as deposited,
           count(*) filter (where cause = 'service_record' and credit)::int as deposits,
           coalesce(sum(amount) filter (where cause = 'redemption' and not credit), 0)::text as redeemed,
           count(*) filter (where cause = 'redemption' and not credit)::int as redemptions,
           coalesce(sum(amount) filter (where cause in ('reversal', 'debt_repayment') and not credit), 0)::text as reversed,
           count(*) filter (where cause = 'reversal' and not credit)::int as reversals,
           coalesce(sum(amount) filter (where cause = 'opening' and credit), 0)::text as opened,
           coalesce(sum(amount) filter (where cause = 'adjustment' and credit), 0)::text as adjusted,
           coalesce(sum(case when credit then amount else -amount end), 0)::text as net`,
    maxBuckets: query.maxBuckets,
  });
  return rows.map((row) => ({
    ...row,
    deposited: amount(row.deposited),
    redeemed: amount(row.redeemed),
    reversed: amount(row.reversed),
    opened: amount(row.opened),
    adjusted: amount(row.adjusted),
    net: amount(row.net),
  }));
}

export interface RedemptionStatsQuery extends StatsWindow {
  merchant: string | null;
  bank: string | null;
  /** Only merchants of these head banks (a clerk's); null for every bank. */
  banks: readonly string[] | null;
  groupMerchant: boolean;
  period: TimeBucket | null;
  maxBuckets: number;
}

export interface RedemptionStatsRow extends GroupedStatsRow {
  merchantId: string | null;
  periodStart: string | null;
  redemptions: number;
  points: number;
  items: number;
}

/** Captured redemptions by the moment of capture, as a settlement counts them. */
export async function redemptionStats(db: Executor, query: RedemptionStatsQuery): Promise<RedemptionStatsRow[]> {
  const rows = await groupedStats<Omit<RedemptionStatsRow, 'points' | 'items'> & { points: string; items: string }>(db, {
    from: sql`points.redemptions r join points.merchants m on m.id = r.merchant_id and not m.sandbox`,
    where: [
      sql`r.status = 'captured'`,
      ...within(sql`r.resolved_at`, query),
      ...(query.merchant ? [sql`r.merchant_id = ${query.merchant}::uuid`] : []),
      ...(query.bank ? [sql`m.bank_id = ${query.bank}::uuid`] : []),
      ...(query.banks ? [sql`m.bank_id = any(${uuidArray(query.banks)})`] : []),
    ],
    dimensions: {
      merchantId: query.groupMerchant ? sql`r.merchant_id` : null,
      periodStart: query.period ? periodStartOf(sql`r.resolved_at`, query.period) : null,
    },
    columns: { total_points: sql`r.total_points`, item_count: sql`r.item_count` },
    figures: sql`count(*)::int as redemptions, coalesce(sum(total_points), 0)::text as points, coalesce(sum(item_count), 0)::text as items`,
    maxBuckets: query.maxBuckets,
  });
  return rows.map((row) => ({ ...row, points: amount(row.points), items: amount(row.items) }));
}

export interface FundStatsQuery extends StatsWindow {
  fund: string | null;
  /** Only funds of these head banks (a clerk's); null for every bank. */
  banks: readonly string[] | null;
  groupFund: boolean;
  groupSource: boolean;
  period: TimeBucket | null;
  maxBuckets: number;
}

export interface FundStatsRow extends GroupedStatsRow {
  fundId: string | null;
  source: ContributionSource | null;
  periodStart: string | null;
  contributed: number;
  contributions: number;
  disbursed: number;
  disbursements: number;
}

/** Contributions and disbursements of the funds' statements. */
export async function fundStats(db: Executor, query: FundStatsQuery): Promise<FundStatsRow[]> {
  const rows = await groupedStats<Omit<FundStatsRow, 'contributed' | 'disbursed'> & { contributed: string; disbursed: string }>(db, {
    from: sql`points.fund_entries e join points.funds f on f.id = e.fund_id`,
    where: [
      ...within(sql`e.created_at`, query),
      ...(query.fund ? [sql`e.fund_id = ${query.fund}::uuid`] : []),
      ...(query.banks ? [sql`f.bank_id = any(${uuidArray(query.banks)})`] : []),
    ],
    dimensions: {
      fundId: query.groupFund ? sql`e.fund_id` : null,
      source: query.groupSource ? sql`e.source::text` : null,
      periodStart: query.period ? periodStartOf(sql`e.created_at`, query.period) : null,
    },
    columns: { kind: sql`e.kind`, amount: sql`e.amount` },
    figures: sql`coalesce(sum(amount) filter (where kind = 'contribution'), 0)::text as contributed,
           count(*) filter (where kind = 'contribution')::int as contributions,
           coalesce(sum(amount) filter (where kind = 'disbursement'), 0)::text as disbursed,
           count(*) filter (where kind = 'disbursement')::int as disbursements`,
    maxBuckets: query.maxBuckets,
  });
  return rows.map((row) => ({ ...row, contributed: amount(row.contributed), disbursed: amount(row.disbursed) }));
}
