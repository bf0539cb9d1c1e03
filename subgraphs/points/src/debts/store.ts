/**
 * SQL for debts: the shortfalls of reversals, and their repayments (each
 * written after its transfer; the repayment's trigger adds it to the debt).
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rowsOf, uuidArray, type Executor, type Transaction } from '@lianxin/shared';
import { debtRepayments, debts, type DebtRepaymentRow, type DebtRow } from '../db/schema.js';

export type NewDebt = Pick<DebtRow, 'accountId' | 'reversedTransferId' | 'serviceRecordId' | 'reversalRecordId' | 'amount' | 'createdBy'>;

/** Records a debt; the unique reversed transfer makes it once per deposit (the caller holds the account's lock). */
export async function insertDebt(tx: Transaction, debt: NewDebt): Promise<DebtRow> {
  const [row] = await tx.insert(debts).values(debt).returning();
  if (!row) throw new Error(`debt for transfer ${debt.reversedTransferId} was not written`);
  return row;
}

/** The debt recorded when transfer `transferId` was reversed, if any. */
export async function findDebtOfReversedTransfer(db: Executor, transferId: string): Promise<DebtRow | null> {
  const [row] = await db.select().from(debts).where(eq(debts.reversedTransferId, transferId));
  return row ?? null;
}

/** The account's outstanding debts, oldest first, locked for the repayment that reads them. */
export function lockOutstandingDebts(tx: Transaction, accountId: string): Promise<DebtRow[]> {
  return tx
    .select()
    .from(debts)
    .where(and(eq(debts.accountId, accountId), isNull(debts.settledAt)))
    .orderBy(asc(debts.createdAt), asc(debts.id))
    .for('update');
}

export async function insertDebtRepayment(tx: Transaction, repayment: Omit<DebtRepaymentRow, 'id' | 'createdAt'>): Promise<DebtRepaymentRow> {
  const [row] = await tx.insert(debtRepayments).values(repayment).returning();
  if (!row) throw new Error(`repayment of debt ${repayment.debtId} was not written`);
  return row;
}

/** The debts of `accountIds`, newest first. */
export function findDebtsOfAccounts(db: Executor, accountIds: readonly string[]): Promise<DebtRow[]> {
  return db
    .select()
    .from(debts)
    .where(inArray(debts.accountId, [...accountIds]))
    .orderBy(desc(debts.createdAt), desc(debts.id));
}

/** Points each of `accountIds` owes (only accounts that owe some have a row). */
export async function findOutstandingDebtOfAccounts(db: Executor, accountIds: readonly string[]): Promise<{ accountId: string; outstanding: number }[]> {
  if (accountIds.length === 0) return [];
  const rows = await rowsOf<{ account_id: string; outstanding: string }>(
    db,
    sql`select account_id, sum(amount - repaid)::text as outstanding from points.debts
        where account_id = any(${uuidArray(accountIds)}) and settled_at is null group by account_id`,
  );
  return rows.map((row) => ({ accountId: row.account_id, outstanding: Number(row.outstanding) }));
}

/** The repayments of `debtIds`, oldest first. */
export function findRepaymentsOfDebts(db: Executor, debtIds: readonly string[]): Promise<DebtRepaymentRow[]> {
  return db
    .select()
    .from(debtRepayments)
    .where(inArray(debtRepayments.debtId, [...debtIds]))
    .orderBy(asc(debtRepayments.createdAt), asc(debtRepayments.id));
}
