/**
 * SQL for deposits (积分入折): the service records points learnt of, one
 * deposit per record, written with its transfer, and the decisions not to
 * deposit one.
 */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { depositDecisions, deposits, serviceRecords, type DepositDecisionRow, type DepositRow, type ServiceRecordRow } from '../db/schema.js';
import { rowsOf, type Executor, type Transaction } from '@lianxin/shared';

export type NewDeposit = Omit<DepositRow, 'createdAt'>;

/** A record as announced; the team is optional, as records announced before it travelled have none. */
export type NewServiceRecord = Omit<ServiceRecordRow, 'learnedAt' | 'teamId'> & { teamId?: string | null };

/**
 * Keeps service records as requests announced them; a record already known
 * keeps its first details (the caller compares). Returns the rows as stored,
 * in no particular order.
 */
export async function insertServiceRecords(db: Executor, records: readonly NewServiceRecord[]): Promise<ServiceRecordRow[]> {
  if (records.length === 0) return [];
  await db
    .insert(serviceRecords)
    .values([...records])
    .onConflictDoNothing({ target: serviceRecords.id });
  return findServiceRecordsByIds(
    db,
    records.map((record) => record.id),
  );
}

export function findServiceRecordsByIds(db: Executor, ids: readonly string[]): Promise<ServiceRecordRow[]> {
  return db
    .select()
    .from(serviceRecords)
    .where(inArray(serviceRecords.id, [...ids]));
}

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

/** The deposit that made transfer `transferId`; null for a transfer of another cause. */
export async function findDepositOfTransfer(db: Executor, transferId: string): Promise<DepositRow | null> {
  const [row] = await db.select().from(deposits).where(eq(deposits.transferId, transferId));
  return row ?? null;
}

export function findDepositsOfServiceRecords(db: Executor, serviceRecordIds: readonly string[]): Promise<DepositRow[]> {
  return db
    .select()
    .from(deposits)
    .where(inArray(deposits.serviceRecordId, [...serviceRecordIds]));
}

export type NewDepositDecision = Omit<DepositDecisionRow, 'id' | 'decidedAt'>;

/**
 * Records a decision not to deposit a record, once per record and status:
 * the unique pair decides, so an event announced again adds nothing. Null
 * when the record had that decision before.
 */
export async function insertDepositDecision(tx: Transaction, decision: NewDepositDecision): Promise<DepositDecisionRow | null> {
  const [row] = await tx
    .insert(depositDecisions)
    .values(decision)
    .onConflictDoNothing({ target: [depositDecisions.serviceRecordId, depositDecisions.status] })
    .returning();
  return row ?? null;
}

/** The decisions on the records, oldest first (ids are time-ordered, so they break a tie in one instant). */
export function findDepositDecisionsOfServiceRecords(db: Executor, serviceRecordIds: readonly string[]): Promise<DepositDecisionRow[]> {
  return db
    .select()
    .from(depositDecisions)
    .where(inArray(depositDecisions.serviceRecordId, [...serviceRecordIds]))
    .orderBy(asc(depositDecisions.decidedAt), asc(depositDecisions.id));
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
