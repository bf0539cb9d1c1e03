/** SQL for adjustments: manual credits, requested by one member of staff and resolved by another. */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { pagesPerParent, required, type Executor, type PageRequest, type Transaction } from '@lianxin/shared';
import { adjustments, type AdjustmentRow, type AdjustmentStatus } from '../db/schema.js';

export type NewAdjustment = Pick<AdjustmentRow, 'accountId' | 'holderId' | 'officeId' | 'amount' | 'reason' | 'requestedBy' | 'requestedByPersonId'>;

export async function insertAdjustment(db: Executor, adjustment: NewAdjustment): Promise<AdjustmentRow> {
  const [row] = await db.insert(adjustments).values(adjustment).returning();
  return required(row, 'row inserted into adjustments');
}

export function findAdjustmentsByIds(db: Executor, ids: readonly string[]): Promise<AdjustmentRow[]> {
  return db
    .select()
    .from(adjustments)
    .where(inArray(adjustments.id, [...ids]));
}

export function findAdjustmentsByTransfers(db: Executor, transferIds: readonly string[]): Promise<AdjustmentRow[]> {
  return db
    .select()
    .from(adjustments)
    .where(inArray(adjustments.transferId, [...transferIds]));
}

/**
 * Moves an adjustment out of `requested`, if it still is. The row lock and
 * the status test make this the one place an adjustment is decided: of
 * racing approvals and rejections, exactly one matches; the others wait for
 * it, then find nothing to update. Null when it was decided before.
 */
export async function resolveAdjustment(
  tx: Transaction,
  id: string,
  outcome: { status: Exclude<AdjustmentStatus, 'requested'>; by: string; byPersonId: string | null; transferId?: string; rejectionReason?: string },
): Promise<AdjustmentRow | null> {
  const [row] = await tx
    .update(adjustments)
    .set({
      status: outcome.status,
      resolvedAt: sql`now()`,
      resolvedBy: outcome.by,
      resolvedByPersonId: outcome.byPersonId,
      transferId: outcome.transferId ?? null,
      rejectionReason: outcome.rejectionReason ?? null,
    })
    .where(and(eq(adjustments.id, id), eq(adjustments.status, 'requested')))
    .returning();
  return row ?? null;
}

/** Adjustment lists sort newest request first: by request time, then id, both descending. */
export const adjustmentCursor = (row: AdjustmentRow): string[] => [row.requestedAt.toISOString(), row.id];

const olderThan = (after: string[] | null): SQL | undefined =>
  after ? sql`(${adjustments.requestedAt}, ${adjustments.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined;

/** The same page of adjustments for each of `officeIds`, newest first, optionally of one status, in one statement. */
export async function findOfficeAdjustmentPages(db: Executor, officeIds: readonly string[], status: AdjustmentStatus | null, page: PageRequest): Promise<AdjustmentRow[]> {
  return pagesPerParent(db, {
    table: adjustments,
    parent: adjustments.officeId,
    parentIds: officeIds,
    orderBy: sql`${adjustments.requestedAt} desc, ${adjustments.id} desc`,
    where: and(status ? eq(adjustments.status, status) : undefined, olderThan(page.after)),
    limit: page.limit,
  });
}
