/** SQL for refunds of captured redemptions and their lines. */
import { and, asc, count, eq, inArray, sql, sum } from 'drizzle-orm';
import { type Executor, type PageRequest, type Transaction } from '@lianxin/shared';
import { redemptions, refundLines, refunds, type RedemptionRow, type RefundLineRow, type RefundRow } from '../db/schema.js';

/** Locks a redemption (FOR UPDATE) before its refund: refunds of one redemption queue here, after the key and before the accounts. */
export async function lockRedemption(tx: Transaction, id: string): Promise<RedemptionRow | null> {
  const [row] = await tx.select().from(redemptions).where(eq(redemptions.id, id)).for('update');
  return row ?? null;
}

/** Units of each item of `redemptionId` given back so far, read under the redemption's lock. */
export async function refundedQuantities(tx: Executor, redemptionId: string): Promise<Map<string, number>> {
  const rows = await tx
    .select({ itemId: refundLines.itemId, quantity: sum(refundLines.quantity) })
    .from(refundLines)
    .innerJoin(refunds, eq(refunds.id, refundLines.refundId))
    .where(eq(refunds.redemptionId, redemptionId))
    .groupBy(refundLines.itemId);
  return new Map(rows.map((row) => [row.itemId, Number(row.quantity ?? 0)]));
}

/** Writes a refund and its lines in one statement; the lines' trigger checks each against its redemption line. */
export async function insertRefund(tx: Transaction, refund: RefundRow, lines: readonly RefundLineRow[]): Promise<RefundRow> {
  const values = sql.join(
    lines.map((line) => sql`(${line.refundId}::uuid, ${line.itemId}::uuid, ${line.quantity}::int, ${line.unitPoints}::bigint)`),
    sql`, `,
  );
  await tx.execute(
    sql`with made as (
          insert into points.refunds (id, redemption_id, merchant_id, account_id, points, item_count, reason, transfer_id, created_at, created_by)
          values (${refund.id}::uuid, ${refund.redemptionId}::uuid, ${refund.merchantId}::uuid, ${refund.accountId}::uuid, ${refund.points}::bigint,
            ${refund.itemCount}::int, ${refund.reason}::text, ${refund.transferId}::uuid, ${refund.createdAt.toISOString()}::timestamptz, ${refund.createdBy}::text)
          returning id
        )
        insert into points.refund_lines (refund_id, item_id, quantity, unit_points) select v.* from (values ${values}) as v, made`,
  );
  // Every column was given, so the row is what was written.
  return { ...refund };
}

export function findRefundsByIds(db: Executor, ids: readonly string[]): Promise<RefundRow[]> {
  return db
    .select()
    .from(refunds)
    .where(inArray(refunds.id, [...ids]));
}

/** The refunds of each of `redemptionIds`, oldest first. */
export function findRefundsOfRedemptions(db: Executor, redemptionIds: readonly string[]): Promise<RefundRow[]> {
  return db
    .select()
    .from(refunds)
    .where(inArray(refunds.redemptionId, [...redemptionIds]))
    .orderBy(asc(refunds.createdAt), asc(refunds.id));
}

export function findLinesOfRefunds(db: Executor, refundIds: readonly string[]): Promise<RefundLineRow[]> {
  return db
    .select()
    .from(refundLines)
    .where(inArray(refundLines.refundId, [...refundIds]))
    .orderBy(asc(refundLines.refundId), asc(refundLines.itemId));
}

/** A redemption's refund lines with the redemption they belong to, for each of `redemptionIds`. */
export function findRefundLinesOfRedemptions(db: Executor, redemptionIds: readonly string[]): Promise<(RefundLineRow & { redemptionId: string })[]> {
  return db
    .select({ redemptionId: refunds.redemptionId, refundId: refundLines.refundId, itemId: refundLines.itemId, quantity: refundLines.quantity, unitPoints: refundLines.unitPoints })
    .from(refundLines)
    .innerJoin(refunds, eq(refunds.id, refundLines.refundId))
    .where(inArray(refunds.redemptionId, [...redemptionIds]));
}

const madeBetween = (merchantId: string, start: Date, end: Date) =>
  and(eq(refunds.merchantId, merchantId), sql`${refunds.createdAt} >= ${start.toISOString()}::timestamptz and ${refunds.createdAt} < ${end.toISOString()}::timestamptz`);

/** Totals of the refunds `merchantId` made in [start, end). */
export async function refundTotals(db: Executor, merchantId: string, start: Date, end: Date): Promise<{ refundCount: number; refundedPoints: number }> {
  const [row] = await db
    .select({ refunds: count(), points: sum(refunds.points) })
    .from(refunds)
    .where(madeBetween(merchantId, start, end));
  return { refundCount: row?.refunds ?? 0, refundedPoints: Number(row?.points ?? 0) };
}

/** Refund lists of a settlement sort by time made, then id, oldest first. */
export const refundCursor = (row: RefundRow): string[] => [row.createdAt.toISOString(), row.id];

/** One page of the refunds `merchantId` made in [start, end), in the order they were made. */
export function findSettlementRefundPage(db: Executor, merchantId: string, start: Date, end: Date, page: PageRequest): Promise<RefundRow[]> {
  return db
    .select()
    .from(refunds)
    .where(and(madeBetween(merchantId, start, end), page.after ? sql`(${refunds.createdAt}, ${refunds.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined))
    .orderBy(asc(refunds.createdAt), asc(refunds.id))
    .limit(page.limit + 1);
}
