/** SQL for the head bank's yearly recommendation list to its central exchange, and the decisions on it. */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor, type PageRequest } from '@lianxin/shared';
import {
  centralExchangeRecommendationDecisions as decisions,
  centralExchangeRecommendations as recommendations,
  merchants,
  type CentralExchangeDecision,
  type CentralExchangeDecisionRow,
  type CentralExchangeRecommendationRow,
  type CentralExchangeRecommendationStatus,
  type MerchantRow,
} from '../db/schema.js';

/** A recommendation with where it stands: its decision's columns, null while proposed. */
export interface RecommendationModel extends CentralExchangeRecommendationRow {
  status: CentralExchangeRecommendationStatus;
  decidedAt: Date | null;
  decidedBy: string | null;
  decidedByPersonId: string | null;
  reason: string | null;
}

function toModel(row: CentralExchangeRecommendationRow, decision: CentralExchangeDecisionRow | null): RecommendationModel {
  return {
    ...row,
    status: decision?.decision ?? 'proposed',
    decidedAt: decision?.decidedAt ?? null,
    decidedBy: decision?.decidedBy ?? null,
    decidedByPersonId: decision?.decidedByPersonId ?? null,
    reason: decision?.reason ?? null,
  };
}

const withDecision = (db: Executor) =>
  db.select({ recommendation: recommendations, decision: decisions }).from(recommendations).leftJoin(decisions, eq(decisions.recommendationId, recommendations.id));

export async function findRecommendationsByIds(db: Executor, ids: readonly string[]): Promise<RecommendationModel[]> {
  const rows = await withDecision(db).where(inArray(recommendations.id, [...ids]));
  return rows.map((row) => toModel(row.recommendation, row.decision));
}

/** The central exchange of head bank `bankId` (a bank has one at most); null when it has none. */
export async function findCentralExchangeOfBank(db: Executor, bankId: string): Promise<MerchantRow | null> {
  const [row] = await db
    .select()
    .from(merchants)
    .where(and(eq(merchants.bankId, bankId), eq(merchants.kind, 'central_exchange')));
  return row ?? null;
}

/** A customer account of a bank with its balance at an instant. */
export interface BalanceAt {
  accountId: string;
  holderId: string;
  officeId: string;
  balance: number;
}

/**
 * The customer accounts held at savings offices of head bank `bankId` whose
 * balance just before `at` was at least `atLeast`: credits less debits of
 * the transfers made before that instant, read from the append-only ledger
 * (never the balance on the account row, which is today's).
 */
export async function findCustomerBalancesAt(db: Executor, bankId: string, at: Date, atLeast: number): Promise<BalanceAt[]> {
  const rows = await rowsOf<{ account_id: string; holder_id: string; office_id: string; balance: string }>(
    db,
    sql`with customers as (
          select a.id, a.holder_id, a.office_id
          from points.accounts a join points.bank_units o on o.id = a.office_id
          where a.kind = 'customer' and not a.sandbox and o.bank_id = ${bankId}::uuid
        ),
        moves as (
          select t.credit_account_id as account_id, t.amount
          from points.transfers t join customers c on c.id = t.credit_account_id
          where t.created_at < ${at.toISOString()}::timestamptz
          union all
          select t.debit_account_id, -t.amount
          from points.transfers t join customers c on c.id = t.debit_account_id
          where t.created_at < ${at.toISOString()}::timestamptz
        )
        select c.id::text as account_id, c.holder_id::text as holder_id, c.office_id::text as office_id, sum(m.amount)::text as balance
        from customers c join moves m on m.account_id = c.id
        group by c.id, c.holder_id, c.office_id
        having sum(m.amount) >= ${atLeast}::bigint
        order by c.id`,
  );
  return rows.map((row) => ({ accountId: row.account_id, holderId: row.holder_id, officeId: row.office_id, balance: Number(row.balance) }));
}

export type NewRecommendation = Pick<
  CentralExchangeRecommendationRow,
  'id' | 'bankId' | 'year' | 'accountId' | 'holderId' | 'officeId' | 'balance' | 'threshold' | 'reviewId' | 'endsAt' | 'createdBy'
>;

/** Writes the rows a list does not hold yet; one per (bank, year, account), so writing a list again adds nothing. Returns how many were new. */
export async function insertRecommendations(db: Executor, rows: readonly NewRecommendation[]): Promise<number> {
  let written = 0;
  // Batches keep each statement's parameters well under Postgres' limit however large the bank.
  for (let start = 0; start < rows.length; start += 500) {
    const inserted = await db
      .insert(recommendations)
      .values(rows.slice(start, start + 500))
      .onConflictDoNothing({ target: [recommendations.bankId, recommendations.year, recommendations.accountId] })
      .returning({ id: recommendations.id });
    written += inserted.length;
  }
  return written;
}

/**
 * Records the head bank's decision on a recommendation unless it has one;
 * null when it had one before (the decisions' primary key: of racing
 * decisions exactly one is written, the others find it).
 */
export async function insertDecision(
  db: Executor,
  values: { recommendationId: string; decision: CentralExchangeDecision; reason: string | null; decidedBy: string; decidedByPersonId: string | null },
): Promise<CentralExchangeDecisionRow | null> {
  const [row] = await db.insert(decisions).values(values).onConflictDoNothing({ target: decisions.recommendationId }).returning();
  return row ?? null;
}

/** Lists sort by balance, highest first, then by id. */
export const recommendationCursor = (row: RecommendationModel): string[] => [String(row.balance), row.id];

const after = (page: PageRequest): SQL | undefined =>
  page.after ? sql`(${recommendations.balance}, ${recommendations.id}) < (${page.after[0]}::bigint, ${page.after[1]}::uuid)` : undefined;

function statusIs(status: CentralExchangeRecommendationStatus | null): SQL | undefined {
  if (status === null) return undefined;
  return status === 'proposed' ? sql`${decisions.recommendationId} is null` : eq(decisions.decision, status);
}

/** A page of head bank `bankId`'s list for `year`, optionally of one status: `limit + 1` rows. */
export async function findRecommendationPage(
  db: Executor,
  bankId: string,
  year: number,
  status: CentralExchangeRecommendationStatus | null,
  page: PageRequest,
): Promise<RecommendationModel[]> {
  const rows = await withDecision(db)
    .where(and(eq(recommendations.bankId, bankId), eq(recommendations.year, year), statusIs(status), after(page)))
    .orderBy(sql`${recommendations.balance} desc, ${recommendations.id} desc`)
    .limit(page.limit + 1);
  return rows.map((row) => toModel(row.recommendation, row.decision));
}
