/** SQL for settlement statements, their lines, steps and disputes. */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { pagesPerParent, required, type Executor, type PageRequest, type Transaction } from '@lianxin/shared';
import {
  merchants,
  redemptions,
  type MerchantRow,
  refunds,
  settlementDisputeResolutions,
  settlementDisputes,
  settlementLines,
  settlementStatementSteps,
  settlementStatements,
  type SettlementDisputeRecord,
  type SettlementDisputeResolutionRow,
  type SettlementLineRow,
  type SettlementStatementRecord,
  type SettlementStepRow,
  type StatementStatus,
} from '../db/schema.js';
import type { StatementModel } from '../model.js';

/** Every merchant, active or not (a withdrawn merchant still settles what it captured), for the monthly close. */
export function findAllMerchants(db: Executor): Promise<MerchantRow[]> {
  return db.select().from(merchants).orderBy(asc(merchants.id));
}

/** Locks a merchant's row (FOR NO KEY UPDATE, so redemptions referencing it go on) while one of its statements closes: closes of one merchant queue here. */
export async function lockMerchantForClose(tx: Transaction, merchantId: string): Promise<void> {
  await tx.execute(sql`select 1 from ${merchants} where ${merchants.id} = ${merchantId}::uuid for no key update`);
}

export async function findStatementOfMonth(db: Executor, merchantId: string, periodFrom: string): Promise<SettlementStatementRecord | null> {
  const [row] = await db
    .select()
    .from(settlementStatements)
    .where(and(eq(settlementStatements.merchantId, merchantId), eq(settlementStatements.periodFrom, periodFrom)));
  return row ?? null;
}

/** The first day of the merchant's latest statement; null before its first. */
export async function latestStatementMonth(db: Executor, merchantId: string): Promise<string | null> {
  const [row] = await db
    .select({ periodFrom: sql<string>`max(${settlementStatements.periodFrom})::text` })
    .from(settlementStatements)
    .where(eq(settlementStatements.merchantId, merchantId));
  return row?.periodFrom ?? null;
}

export type NewLine = Omit<SettlementLineRow, 'id' | 'statementId'>;

/** The merchant's captures and refunds made before `end` that are on no statement yet, in time order: what the next statement to close takes. */
export async function unassignedLines(tx: Transaction, merchantId: string, end: Date): Promise<NewLine[]> {
  const before = end.toISOString();
  const [captures, refunded] = await Promise.all([
    tx
      .select({ redemptionId: redemptions.id, accountId: redemptions.accountId, at: redemptions.resolvedAt, itemCount: redemptions.itemCount, points: redemptions.totalPoints })
      .from(redemptions)
      .leftJoin(settlementLines, and(eq(settlementLines.redemptionId, redemptions.id), eq(settlementLines.kind, 'redemption')))
      .where(and(eq(redemptions.merchantId, merchantId), eq(redemptions.status, 'captured'), sql`${redemptions.resolvedAt} < ${before}::timestamptz`, isNull(settlementLines.id))),
    tx
      .select({
        refundId: refunds.id,
        redemptionId: refunds.redemptionId,
        accountId: refunds.accountId,
        at: refunds.createdAt,
        itemCount: refunds.itemCount,
        points: refunds.points,
      })
      .from(refunds)
      .leftJoin(settlementLines, eq(settlementLines.refundId, refunds.id))
      .where(and(eq(refunds.merchantId, merchantId), sql`${refunds.createdAt} < ${before}::timestamptz`, isNull(settlementLines.id))),
  ]);
  const lines: NewLine[] = [
    ...captures.map((row) => ({
      kind: 'redemption' as const,
      redemptionId: row.redemptionId,
      refundId: null,
      accountId: row.accountId,
      at: row.at!,
      itemCount: row.itemCount,
      points: row.points,
    })),
    ...refunded.map((row) => ({
      kind: 'refund' as const,
      redemptionId: row.redemptionId,
      refundId: row.refundId,
      accountId: row.accountId,
      at: row.at,
      itemCount: row.itemCount,
      points: -row.points,
    })),
  ];
  return lines.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Writes a statement, then its lines, then its closing step: the order the lines' trigger needs (a closed statement takes no lines). */
export async function insertClosedStatement(tx: Transaction, statement: SettlementStatementRecord, lines: readonly SettlementLineRow[]): Promise<void> {
  await tx.insert(settlementStatements).values(statement);
  for (let start = 0; start < lines.length; start += 1000) await tx.insert(settlementLines).values(lines.slice(start, start + 1000));
  await tx.insert(settlementStatementSteps).values({ statementId: statement.id, status: 'closed', at: statement.closedAt, by: statement.closedBy, paymentReference: null });
}

export async function insertStep(tx: Transaction, step: SettlementStepRow): Promise<void> {
  await tx.insert(settlementStatementSteps).values(step);
}

/** Locks a statement (FOR UPDATE: its table's triggers refuse updates, a lock takes none) so that its steps and disputes queue. */
export async function lockStatement(tx: Transaction, id: string): Promise<void> {
  await tx.execute(sql`select 1 from ${settlementStatements} where ${settlementStatements.id} = ${id}::uuid for update`);
}

export function findStatementsByIds(db: Executor, ids: readonly string[]): Promise<SettlementStatementRecord[]> {
  return db
    .select()
    .from(settlementStatements)
    .where(inArray(settlementStatements.id, [...ids]));
}

export function findStepsOfStatements(db: Executor, ids: readonly string[]): Promise<SettlementStepRow[]> {
  return db
    .select()
    .from(settlementStatementSteps)
    .where(inArray(settlementStatementSteps.statementId, [...ids]));
}

/** Statements list newest month first. */
export const statementCursor = (row: SettlementStatementRecord): string[] => [row.periodFrom, row.id];

/** The same page of statements for each of `merchantIds`, newest month first, in one statement. */
export function findSettlementStatementPages(db: Executor, merchantIds: readonly string[], page: PageRequest): Promise<SettlementStatementRecord[]> {
  return pagesPerParent(db, {
    table: settlementStatements,
    parent: settlementStatements.merchantId,
    parentIds: merchantIds,
    orderBy: sql`${settlementStatements.periodFrom} desc, ${settlementStatements.id} desc`,
    where: page.after ? sql`(${settlementStatements.periodFrom}, ${settlementStatements.id}) < (${page.after[0]}::date, ${page.after[1]}::uuid)` : undefined,
    limit: page.limit,
  });
}

/** How many statements each of `merchantIds` has. */
export async function countStatementsOfMerchants(db: Executor, merchantIds: readonly string[]): Promise<{ merchantId: string; count: number }[]> {
  return db
    .select({ merchantId: settlementStatements.merchantId, count: sql<number>`count(*)::int` })
    .from(settlementStatements)
    .where(inArray(settlementStatements.merchantId, [...merchantIds]))
    .groupBy(settlementStatements.merchantId);
}

/** Lines list in time order. */
export const lineCursor = (row: SettlementLineRow): string[] => [row.at.toISOString(), row.id];

/** The same page of lines for each of `statementIds`, in time order, in one statement; `limit` null reads them all. */
export function findLinePages(db: Executor, statementIds: readonly string[], page: PageRequest): Promise<SettlementLineRow[]> {
  return pagesPerParent(db, {
    table: settlementLines,
    parent: settlementLines.statementId,
    parentIds: statementIds,
    orderBy: sql`${settlementLines.at}, ${settlementLines.id}`,
    where: page.after ? sql`(${settlementLines.at}, ${settlementLines.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined,
    limit: page.limit,
  });
}

/** Every line of a statement, in time order (for its CSV). */
/** Every line of each statement, in time order: what the statements' CSV downloads hold, one statement for a page of statements. */
export function findAllLinesOfStatements(db: Executor, statementIds: readonly string[]): Promise<SettlementLineRow[]> {
  return db
    .select()
    .from(settlementLines)
    .where(inArray(settlementLines.statementId, [...statementIds]))
    .orderBy(asc(settlementLines.statementId), asc(settlementLines.at), asc(settlementLines.id));
}

export function findLinesByIds(db: Executor, ids: readonly string[]): Promise<SettlementLineRow[]> {
  return db
    .select()
    .from(settlementLines)
    .where(inArray(settlementLines.id, [...ids]));
}

export type DisputeRow = SettlementDisputeRecord & { resolution: SettlementDisputeResolutionRow | null };

const disputeColumns = {
  dispute: settlementDisputes,
  resolution: settlementDisputeResolutions,
};

const toDispute = (row: { dispute: SettlementDisputeRecord; resolution: SettlementDisputeResolutionRow | null }): DisputeRow => ({ ...row.dispute, resolution: row.resolution });

export async function findDisputesByIds(db: Executor, ids: readonly string[]): Promise<DisputeRow[]> {
  const rows = await db
    .select(disputeColumns)
    .from(settlementDisputes)
    .leftJoin(settlementDisputeResolutions, eq(settlementDisputeResolutions.disputeId, settlementDisputes.id))
    .where(inArray(settlementDisputes.id, [...ids]));
  return rows.map(toDispute);
}

/** The disputes of each of `lineIds`, oldest first. */
export async function findDisputesOfLines(db: Executor, lineIds: readonly string[]): Promise<DisputeRow[]> {
  const rows = await db
    .select(disputeColumns)
    .from(settlementDisputes)
    .leftJoin(settlementDisputeResolutions, eq(settlementDisputeResolutions.disputeId, settlementDisputes.id))
    .where(inArray(settlementDisputes.lineId, [...lineIds]))
    .orderBy(asc(settlementDisputes.openedAt), asc(settlementDisputes.id));
  return rows.map(toDispute);
}

/** The disputes of each of `statementIds`, oldest first. */
export async function findDisputesOfStatements(db: Executor, statementIds: readonly string[]): Promise<DisputeRow[]> {
  const rows = await db
    .select(disputeColumns)
    .from(settlementDisputes)
    .leftJoin(settlementDisputeResolutions, eq(settlementDisputeResolutions.disputeId, settlementDisputes.id))
    .where(inArray(settlementDisputes.statementId, [...statementIds]))
    .orderBy(asc(settlementDisputes.openedAt), asc(settlementDisputes.id));
  return rows.map(toDispute);
}

export async function insertDispute(tx: Transaction, dispute: SettlementDisputeRecord): Promise<void> {
  await tx.insert(settlementDisputes).values(dispute);
}

/** Records a dispute's outcome; false when it had one already. */
export async function insertResolution(tx: Transaction, resolution: SettlementDisputeResolutionRow): Promise<boolean> {
  const made = await tx.insert(settlementDisputeResolutions).values(resolution).onConflictDoNothing().returning({ id: settlementDisputeResolutions.disputeId });
  return made.length === 1;
}

const STATUS_ORDER: readonly StatementStatus[] = ['closed', 'confirmed', 'paid'];

/** A statement's status: the furthest step it took. */
export function withSteps(record: SettlementStatementRecord, steps: readonly SettlementStepRow[]): StatementModel {
  const ordered = [...steps].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  const last = required(ordered.at(-1), `closing step of statement ${record.id}`);
  return { ...record, status: last.status, steps: ordered };
}

/** Statements with their steps, read in two statements for any number (unknown ids left out). */
export async function findStatementModels(db: Executor, ids: readonly string[]): Promise<StatementModel[]> {
  const [records, steps] = await Promise.all([findStatementsByIds(db, ids), findStepsOfStatements(db, ids)]);
  return records.map((record) =>
    withSteps(
      record,
      steps.filter((step) => step.statementId === record.id),
    ),
  );
}
