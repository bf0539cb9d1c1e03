/**
 * SQL for the bank's statistics: one grouped statement per question, with
 * the total in the same statement (a grouping set). Periods are Beijing
 * calendar days; a customer's transfers count at the savings office the
 * account was opened at, and above it at that office's branch and head bank.
 */
import { sql, type SQL } from 'drizzle-orm';
import { periodStartOf, rowsOf, uuidArray, type Executor, type TimeBucket } from '@lianxin/shared';
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

const whereOf = (conditions: readonly SQL[]): SQL => (conditions.length > 0 ? sql`where ${sql.join([...conditions], sql` and `)}` : sql``);

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

export interface PointsFlowRow {
  total: boolean;
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
  const unit =
    query.groupUnit === 'savings_office' ? sql`o.id` : query.groupUnit === 'branch' ? sql`o.parent_id` : query.groupUnit === 'head_bank' ? sql`o.bank_id` : sql`null::uuid`;
  const period = query.period ? periodStartOf(sql`t.created_at`, query.period) : sql`null::date`;
  const conditions = [
    ...within(sql`t.created_at`, query),
    ...(query.unit ? [sql`${query.unit}::uuid in (o.id, o.parent_id, o.bank_id)`] : []),
    ...(query.offices ? [sql`o.id = any(${uuidArray(query.offices)})`] : []),
  ];
  const rows = await rowsOf<{
    total: boolean;
    unit_id: string | null;
    period_start: string | null;
    deposited: string;
    deposits: number;
    redeemed: string;
    redemptions: number;
    reversed: string;
    reversals: number;
    opened: string;
    adjusted: string;
    net: string;
  }>(
    db,
    sql`
    with sides as (
      select ${unit} as unit_id, ${period} as period_start, t.cause, t.amount, s.credit
        from points.transfers t
        cross join lateral (values (t.debit_account_id, false), (t.credit_account_id, true)) as s(account_id, credit)
        join points.accounts a on a.id = s.account_id and a.kind = 'customer'
        join points.bank_units o on o.id = a.office_id
      ${whereOf(conditions)}
    )
    select grouping(unit_id, period_start) <> 0 as total, unit_id, period_start::text as period_start,
           coalesce(sum(amount) filter (where cause = 'service_record' and credit), 0)::text as deposited,
           count(*) filter (where cause = 'service_record' and credit)::int as deposits,
           coalesce(sum(amount) filter (where cause = 'redemption' and not credit), 0)::text as redeemed,
           count(*) filter (where cause = 'redemption' and not credit)::int as redemptions,
           coalesce(sum(amount) filter (where cause = 'reversal' and not credit), 0)::text as reversed,
           count(*) filter (where cause = 'reversal' and not credit)::int as reversals,
           coalesce(sum(amount) filter (where cause = 'opening' and credit), 0)::text as opened,
           coalesce(sum(amount) filter (where cause = 'adjustment' and credit), 0)::text as adjusted,
           coalesce(sum(case when credit then amount else -amount end), 0)::text as net
      from sides
     group by grouping sets ((unit_id, period_start), ())
     order by total desc, unit_id nulls last, period_start
     limit ${query.maxBuckets + 2}`,
  );
  return rows.map((row) => ({
    total: row.total,
    unitId: row.unit_id,
    periodStart: row.period_start,
    deposited: amount(row.deposited),
    deposits: row.deposits,
    redeemed: amount(row.redeemed),
    redemptions: row.redemptions,
    reversed: amount(row.reversed),
    reversals: row.reversals,
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

export interface RedemptionStatsRow {
  total: boolean;
  merchantId: string | null;
  periodStart: string | null;
  redemptions: number;
  points: number;
  items: number;
}

/** Captured redemptions by the moment of capture, as a settlement counts them. */
export async function redemptionStats(db: Executor, query: RedemptionStatsQuery): Promise<RedemptionStatsRow[]> {
  const merchant = query.groupMerchant ? sql`r.merchant_id` : sql`null::uuid`;
  const period = query.period ? periodStartOf(sql`r.resolved_at`, query.period) : sql`null::date`;
  const conditions = [
    sql`r.status = 'captured'`,
    ...within(sql`r.resolved_at`, query),
    ...(query.merchant ? [sql`r.merchant_id = ${query.merchant}::uuid`] : []),
    ...(query.bank ? [sql`m.bank_id = ${query.bank}::uuid`] : []),
    ...(query.banks ? [sql`m.bank_id = any(${uuidArray(query.banks)})`] : []),
  ];
  const rows = await rowsOf<{ total: boolean; merchant_id: string | null; period_start: string | null; redemptions: number; points: string; items: string }>(
    db,
    sql`
    with counted as (
      select ${merchant} as merchant_id, ${period} as period_start, r.total_points, r.item_count
        from points.redemptions r
        join points.merchants m on m.id = r.merchant_id
      ${whereOf(conditions)}
    )
    select grouping(merchant_id, period_start) <> 0 as total, merchant_id, period_start::text as period_start,
           count(*)::int as redemptions,
           coalesce(sum(total_points), 0)::text as points,
           coalesce(sum(item_count), 0)::text as items
      from counted
     group by grouping sets ((merchant_id, period_start), ())
     order by total desc, merchant_id nulls last, period_start
     limit ${query.maxBuckets + 2}`,
  );
  return rows.map((row) => ({
    total: row.total,
    merchantId: row.merchant_id,
    periodStart: row.period_start,
    redemptions: row.redemptions,
    points: amount(row.points),
    items: amount(row.items),
  }));
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

export interface FundStatsRow {
  total: boolean;
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
  const fund = query.groupFund ? sql`e.fund_id` : sql`null::uuid`;
  const source = query.groupSource ? sql`e.source::text` : sql`null::text`;
  const period = query.period ? periodStartOf(sql`e.created_at`, query.period) : sql`null::date`;
  const conditions = [
    ...within(sql`e.created_at`, query),
    ...(query.fund ? [sql`e.fund_id = ${query.fund}::uuid`] : []),
    ...(query.banks ? [sql`f.bank_id = any(${uuidArray(query.banks)})`] : []),
  ];
  const rows = await rowsOf<{
    total: boolean;
    fund_id: string | null;
    source: ContributionSource | null;
    period_start: string | null;
    contributed: string;
    contributions: number;
    disbursed: string;
    disbursements: number;
  }>(
    db,
    sql`
    with counted as (
      select ${fund} as fund_id, ${source} as source, ${period} as period_start, e.kind, e.amount
        from points.fund_entries e
        join points.funds f on f.id = e.fund_id
      ${whereOf(conditions)}
    )
    select grouping(fund_id, source, period_start) <> 0 as total, fund_id, source, period_start::text as period_start,
           coalesce(sum(amount) filter (where kind = 'contribution'), 0)::text as contributed,
           count(*) filter (where kind = 'contribution')::int as contributions,
           coalesce(sum(amount) filter (where kind = 'disbursement'), 0)::text as disbursed,
           count(*) filter (where kind = 'disbursement')::int as disbursements
      from counted
     group by grouping sets ((fund_id, source, period_start), ())
     order by total desc, fund_id nulls last, source nulls last, period_start
     limit ${query.maxBuckets + 2}`,
  );
  return rows.map((row) => ({
    total: row.total,
    fundId: row.fund_id,
    source: row.source,
    periodStart: row.period_start,
    contributed: amount(row.contributed),
    contributions: row.contributions,
    disbursed: amount(row.disbursed),
    disbursements: row.disbursements,
  }));
}
