/** SQL for deposits (积分入折): one row per service record, written with its transfer. */
import { eq, inArray } from 'drizzle-orm';
import type { Executor, Transaction } from '@lianxin/shared';
import { deposits, type DepositRow } from '../db/schema.js';

export type NewDeposit = Omit<DepositRow, 'createdAt'>;

/**
 * Writes the deposit of a service record unless the record has one: the
 * unique service-record column decides, and a racing duplicate waits for the
 * first and then finds it. Null when the record was deposited before.
 */
export async function insertDeposit(tx: Transaction, deposit: NewDeposit): Promise<DepositRow | null> {
  const [row] = await tx.insert(deposits).values(deposit).onConflictDoNothing({ target: deposits.serviceRecordId }).returning();
  return row ?? null;
}

export async function findDepositOfServiceRecord(db: Executor, serviceRecordId: string): Promise<DepositRow | null> {
  const [row] = await db.select().from(deposits).where(eq(deposits.serviceRecordId, serviceRecordId));
  return row ?? null;
}

export function findDepositsOfServiceRecords(db: Executor, serviceRecordIds: readonly string[]): Promise<DepositRow[]> {
  return db.select().from(deposits).where(inArray(deposits.serviceRecordId, [...serviceRecordIds]));
}
