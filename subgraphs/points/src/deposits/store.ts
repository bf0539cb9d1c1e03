/** SQL for deposits (积分入折): one row per service record, written with its transfer. */
import { eq, inArray, sql } from 'drizzle-orm';
import { deposits, type DepositRow } from '../db/schema.js';
import { rowsOf, type Executor, type Transaction } from '@lianxin/shared';

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

/**
 * Whether the reversal of service record `serviceRecordId` came in from the
 * requests subgraph and was applied (`points.inbox`, the event library's
 * table, read through its documented columns: docs/events.md).
 */
export async function isReversalApplied(db: Executor, serviceRecordId: string): Promise<boolean> {
  const [row] = await rowsOf<{ applied: boolean }>(
    db,
    sql`select exists (
          select 1 from points.inbox
          where source = 'requests' and aggregate_type = 'service_record' and aggregate_id = ${serviceRecordId}
            and type = 'service_record.reversed' and status = 'applied'
        ) as applied`,
  );
  return row?.applied === true;
}
