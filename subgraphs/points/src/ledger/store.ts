/**
 * SQL for the ledger. Points move only by `transfer`: one append-only row
 * and both balances changed in the caller's transaction, so balances always
 * equal credits minus debits.
 */
import { asc, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '@lianxin/shared';
import { accounts, transfers, type TransferCause, type TransferRow } from '../db/schema.js';

export interface TransferInput {
  /** A fixed id, for transfers that must be written once only (demo data, replayed events). */
  id?: string;
  /** The account the points leave. */
  debit: string;
  /** The account the points arrive in. */
  credit: string;
  /** Whole points, more than zero. */
  amount: number;
  cause: TransferCause;
  /** What the transfer is for (a service record id, a redemption id…). */
  reference?: string | null;
  /** Subject of the viewer or process that moves the points. */
  createdBy: string;
  /** When it happened; now unless a loader replays history. */
  createdAt?: Date;
}

/**
 * Moves `amount` points from `debit` to `credit` inside `tx`. The two
 * account rows are locked in id order, whatever the direction, so transfers
 * running in parallel queue up instead of deadlocking. An overdraft is
 * refused by the balance CHECK (SQLSTATE 23514, `accounts_balance_not_negative`),
 * which aborts `tx`: nothing of it is written.
 */
export async function transfer(tx: Transaction, input: TransferInput): Promise<TransferRow> {
  const pair = [input.debit, input.credit];
  await tx.select({ id: accounts.id }).from(accounts).where(inArray(accounts.id, pair)).orderBy(asc(accounts.id)).for('update');
  const [row] = await tx
    .insert(transfers)
    .values({
      ...(input.id ? { id: input.id } : {}),
      debitAccountId: input.debit,
      creditAccountId: input.credit,
      amount: input.amount,
      cause: input.cause,
      reference: input.reference ?? null,
      createdBy: input.createdBy,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    })
    .returning();
  if (!row) throw new Error('insert into transfers returned no row');
  // One statement for both sides: the CHECK sees the debit side and refuses an overdraft.
  await tx
    .update(accounts)
    .set({
      balance: sql`${accounts.balance} + case when ${accounts.id} = ${input.credit}::uuid then ${input.amount}::bigint else -${input.amount}::bigint end`,
    })
    .where(inArray(accounts.id, pair));
  return row;
}
