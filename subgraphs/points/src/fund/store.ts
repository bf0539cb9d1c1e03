/**
 * SQL for charity funds: money in fen in its own append-only cash book, apart
 * from points. An entry moves the fund's balance and takes its next line in
 * one transaction with the fund row locked, like a points transfer.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { pagesPerParent, UNIQUE_VIOLATION, isConstraintViolation, required, type Executor, type PageRequest, type Transaction } from '@lianxin/shared';
import { fundEntries, funds, type ContributionSource, type FundEntryRow, type FundRow } from '../db/schema.js';

export function findFundsByIds(db: Executor, ids: readonly string[]): Promise<FundRow[]> {
  return db
    .select()
    .from(funds)
    .where(inArray(funds.id, [...ids]));
}

/** Fund lists sort by name, then id. */
export const fundCursor = (row: FundRow): string[] => [row.name, row.id];

export function listFunds(db: Executor, page: PageRequest): Promise<FundRow[]> {
  return db
    .select()
    .from(funds)
    .where(page.after ? sql`(${funds.name}, ${funds.id}) > (${page.after[0]}, ${page.after[1]}::uuid)` : undefined)
    .orderBy(asc(funds.name), asc(funds.id))
    .limit(page.limit + 1);
}

/** Opens a fund at 0; null when the bank has one by that name. */
export async function insertFund(db: Executor, fund: { id?: string; bankId: string; name: string; createdBy: string }): Promise<FundRow | null> {
  try {
    const [row] = await db.insert(funds).values(fund).returning();
    return row ?? null;
  } catch (error) {
    if (isConstraintViolation(error, UNIQUE_VIOLATION, 'funds_bank_name')) return null;
    throw error;
  }
}

/** The fund a bank pays charges from: its oldest, when it keeps several. */
export async function findOldestFundOfBank(db: Executor, bankId: string): Promise<FundRow | null> {
  const [row] = await db.select().from(funds).where(eq(funds.bankId, bankId)).orderBy(asc(funds.createdAt), asc(funds.id)).limit(1);
  return row ?? null;
}

export async function lockFund(tx: Transaction, id: string): Promise<FundRow | null> {
  const [row] = await tx.select().from(funds).where(eq(funds.id, id)).for('update');
  return row ?? null;
}

export interface FundEntryInput {
  id?: string;
  fundId: string;
  kind: 'contribution' | 'disbursement';
  amount: number;
  source?: ContributionSource | null;
  contributor?: string | null;
  serviceRequestId?: string | null;
  memo?: string | null;
  createdBy: string;
  createdAt?: Date;
}

/**
 * Writes an entry on a fund the caller has locked. Paying out more than the
 * fund holds is refused by the CHECK `funds_balance_not_negative`
 * (SQLSTATE 23514), which aborts the transaction.
 */
export async function postFundEntry(tx: Transaction, entry: FundEntryInput): Promise<{ entry: FundEntryRow; fund: FundRow }> {
  const delta = entry.kind === 'contribution' ? entry.amount : -entry.amount;
  const [updated] = await tx
    .update(funds)
    .set({ balance: sql`${funds.balance} + ${delta}::bigint`, entries: sql`${funds.entries} + 1` })
    .where(eq(funds.id, entry.fundId))
    .returning();
  const fund = required(updated, `fund ${entry.fundId}`);
  const [row] = await tx
    .insert(fundEntries)
    .values({
      ...(entry.id ? { id: entry.id } : {}),
      fundId: entry.fundId,
      line: fund.entries,
      kind: entry.kind,
      amount: entry.amount,
      balanceAfter: fund.balance,
      source: entry.source ?? null,
      contributor: entry.contributor ?? null,
      serviceRequestId: entry.serviceRequestId ?? null,
      memo: entry.memo ?? null,
      createdBy: entry.createdBy,
      ...(entry.createdAt ? { createdAt: entry.createdAt } : {}),
    })
    .returning();
  return { entry: required(row, 'row inserted into fund_entries'), fund };
}

export async function findDisbursementOfRequest(db: Executor, serviceRequestId: string): Promise<FundEntryRow | null> {
  const [row] = await db.select().from(fundEntries).where(eq(fundEntries.serviceRequestId, serviceRequestId));
  return row ?? null;
}

/** Statements sort newest line first. */
export const entryCursor = (row: FundEntryRow): string[] => [String(row.line)];

/** The same page of statement lines for each of `fundIds`, newest first, in one statement. */
export async function findStatementPages(
  db: Executor,
  fundIds: readonly string[],
  kind: FundEntryRow['kind'] | null,
  page: { limit: number; beforeLine: number | null },
): Promise<FundEntryRow[]> {
  return pagesPerParent(db, {
    table: fundEntries,
    parent: fundEntries.fundId,
    parentIds: fundIds,
    orderBy: sql`${fundEntries.line} desc`,
    where: and(kind ? eq(fundEntries.kind, kind) : undefined, page.beforeLine !== null ? sql`${fundEntries.line} < ${page.beforeLine}` : undefined),
    limit: page.limit,
  });
}
