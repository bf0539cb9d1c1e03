/**
 * Rules for debts (a bank's policy for corrections after the points were
 * spent). When a service record is corrected and its volunteer has already
 * spent some of its points, the reversal takes back what the account has
 * available (its balance less open holds; a balance never goes below zero)
 * and the rest is recorded as a debt of the account, traced to the deposit's
 * transfer and to both service records. The account's next deposits repay
 * its debts first, oldest first, in the deposit's transaction: each
 * repayment is a transfer from the account back to the issuance account
 * (where a reversal sends points), referencing the debt, and a repayment row
 * naming the debt, the deposit and the transfer. Meanwhile the account
 * redeems as usual what it has available: a debt holds no points, it only
 * takes from deposits to come.
 */
import { newId, type Transaction } from '@lianxin/shared';
import type { PointsContext } from '../context.js';
import { ISSUANCE_ACCOUNT_ID, type AccountRow, type DebtRow, type DepositRow, type TransferRow } from '../db/schema.js';
import { transfer } from '../ledger/store.js';
import { insertDebt, insertDebtRepayment, lockOutstandingDebts } from './store.js';

/**
 * Records that the account `original` credited owes `amount` of its points,
 * which the correction of `cause.serviceRecordId` could not take back. The
 * caller holds the account's lock and posts the reversal of the rest after
 * this (the reversal trigger checks the two add up to the deposit).
 */
export function recordDebt(tx: Transaction, original: TransferRow, amount: number, cause: { serviceRecordId: string; reversalRecordId: string }, by: string): Promise<DebtRow> {
  return insertDebt(tx, {
    accountId: original.creditAccountId,
    reversedTransferId: original.id,
    serviceRecordId: cause.serviceRecordId,
    reversalRecordId: cause.reversalRecordId,
    amount,
    createdBy: by,
  });
}

/**
 * Repays the outstanding debts of `account` from `deposit`, oldest first, as
 * far as the deposit goes, in the deposit's transaction; returns the points
 * repaid. The deposit has just credited the account, so those points are
 * there whatever its holds. The account is locked (by the deposit's
 * transfer) before its debts are read, so a reversal recording a debt at the
 * same time is either seen here or sees this deposit's points.
 */
export async function repayDebts(tx: Transaction, account: AccountRow, deposit: DepositRow, by: string): Promise<number> {
  let left = deposit.amount;
  for (const debt of await lockOutstandingDebts(tx, account.id)) {
    if (left === 0) break;
    const amount = Math.min(left, debt.amount - debt.repaid);
    const transferId = newId();
    await transfer(tx, {
      id: transferId,
      debit: account.id,
      credit: ISSUANCE_ACCOUNT_ID,
      amount,
      cause: 'debt_repayment',
      reference: debt.id,
      note: `Repays the debt left by the correction of service record ${debt.serviceRecordId}, from the deposit for service record ${deposit.serviceRecordId}.`,
      createdBy: by,
    });
    await insertDebtRepayment(tx, { debtId: debt.id, depositId: deposit.id, transferId, amount });
    left -= amount;
  }
  return deposit.amount - left;
}

/** `Account.debt`: the points the account owes, for whoever may read the account (the account's own rule let them here). */
export async function outstandingDebtOf(ctx: PointsContext, account: AccountRow): Promise<number> {
  return account.kind === 'customer' ? ctx.loaders.outstandingDebtOfAccount.load(account.id) : 0;
}

/** `Account.debts`: every debt of the account, newest first, settled ones included. */
export async function debtsOf(ctx: PointsContext, account: AccountRow): Promise<DebtRow[]> {
  return account.kind === 'customer' ? ctx.loaders.debtsOfAccount.load(account.id) : [];
}
