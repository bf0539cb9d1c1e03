/** SQL for charity granaries: granaries, their goods and stock, and the append-only stock ledger. */
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { pagesPerParent, required, type Executor, type PageRequest, type Transaction } from '@lianxin/shared';
import {
  granaries,
  granaryGoods,
  granaryHandoutReads,
  granaryMovements,
  type GranaryGoodsRow,
  type GranaryMovementKind,
  type GranaryMovementRow,
  type GranaryRow,
} from '../db/schema.js';

/** A new granary; null when the office has one of that name already. */
export async function insertGranary(db: Executor, values: { id?: string; officeId: string; name: string; createdBy: string }): Promise<GranaryRow | null> {
  const [row] = await db.insert(granaries).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

/** New goods in a granary, at a stock of 0; null when the granary has goods of that name already. */
export async function insertGoods(db: Executor, values: { id?: string; granaryId: string; name: string; unit: string; createdBy: string }): Promise<GranaryGoodsRow | null> {
  const [row] = await db.insert(granaryGoods).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export function findGranariesByIds(db: Executor, ids: readonly string[]): Promise<GranaryRow[]> {
  return db
    .select()
    .from(granaries)
    .where(inArray(granaries.id, [...ids]));
}

/** The granaries of each of `officeIds`, by name. */
export function findGranariesOfOffices(db: Executor, officeIds: readonly string[]): Promise<GranaryRow[]> {
  return db
    .select()
    .from(granaries)
    .where(inArray(granaries.officeId, [...officeIds]))
    .orderBy(asc(granaries.name), asc(granaries.id));
}

export function findGoodsByIds(db: Executor, ids: readonly string[]): Promise<GranaryGoodsRow[]> {
  return db
    .select()
    .from(granaryGoods)
    .where(inArray(granaryGoods.id, [...ids]));
}

/** The goods of each of `granaryIds`, by name. */
export function findGoodsOfGranaries(db: Executor, granaryIds: readonly string[]): Promise<GranaryGoodsRow[]> {
  return db
    .select()
    .from(granaryGoods)
    .where(inArray(granaryGoods.granaryId, [...granaryIds]))
    .orderBy(asc(granaryGoods.name), asc(granaryGoods.id));
}

export interface MovementInput {
  id?: string;
  goodsId: string;
  kind: GranaryMovementKind;
  /** Signed: positive into the stock, negative out of it. */
  quantity: number;
  donorKind?: GranaryMovementRow['donorKind'];
  donorOrganizationId?: string | null;
  donorPersonId?: string | null;
  householdId?: string | null;
  reason?: string | null;
  note?: string | null;
  createdBy: string;
  createdAt?: Date;
}

/**
 * Moves goods' stock and writes the movement, in `tx`: the goods row is
 * updated first (its row lock queues racing movements of the same goods),
 * then the movement records the line and the stock reached. Taking out more
 * than the stock is refused by the CHECK `granary_goods_stock_not_negative`
 * (SQLSTATE 23514), which aborts the transaction.
 */
export async function postMovement(tx: Transaction, input: MovementInput): Promise<{ movement: GranaryMovementRow; goods: GranaryGoodsRow }> {
  const [updated] = await tx
    .update(granaryGoods)
    .set({ stock: sql`${granaryGoods.stock} + ${input.quantity}::bigint`, lines: sql`${granaryGoods.lines} + 1` })
    .where(eq(granaryGoods.id, input.goodsId))
    .returning();
  const goods = required(updated, `goods ${input.goodsId}`);
  const [row] = await tx
    .insert(granaryMovements)
    .values({
      ...(input.id ? { id: input.id } : {}),
      goodsId: goods.id,
      granaryId: goods.granaryId,
      line: goods.lines,
      kind: input.kind,
      quantity: input.quantity,
      stockAfter: goods.stock,
      donorKind: input.donorKind ?? null,
      donorOrganizationId: input.donorOrganizationId ?? null,
      donorPersonId: input.donorPersonId ?? null,
      householdId: input.householdId ?? null,
      reason: input.reason ?? null,
      note: input.note ?? null,
      createdBy: input.createdBy,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    })
    .returning();
  return { movement: required(row, 'row inserted into granary_movements'), goods };
}

/** Movement lists sort newest first: by time, then id, both descending. */
export const movementCursor = (row: GranaryMovementRow): string[] => [row.createdAt.toISOString(), row.id];

export interface MovementFilter {
  kind: GranaryMovementKind | null;
  goodsId: string | null;
}

const movementWhere = (filter: MovementFilter): SQL | undefined =>
  and(filter.kind ? eq(granaryMovements.kind, filter.kind) : undefined, filter.goodsId ? eq(granaryMovements.goodsId, filter.goodsId) : undefined);

/** The same page of movements for each of `granaryIds`, newest first, in one statement. */
export function findMovementPages(db: Executor, granaryIds: readonly string[], filter: MovementFilter, page: PageRequest): Promise<GranaryMovementRow[]> {
  const after = page.after ? sql`(${granaryMovements.createdAt}, ${granaryMovements.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return pagesPerParent(db, {
    table: granaryMovements,
    parent: granaryMovements.granaryId,
    parentIds: granaryIds,
    orderBy: sql`${granaryMovements.createdAt} desc, ${granaryMovements.id} desc`,
    where: and(movementWhere(filter), after),
    limit: page.limit,
  });
}

/** How many movements a granary has under `filter`. */
export async function countMovements(db: Executor, granaryId: string, filter: MovementFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(granaryMovements)
    .where(and(eq(granaryMovements.granaryId, granaryId), movementWhere(filter)));
  return row?.n ?? 0;
}

/** Logs that a viewer saw handouts to `householdIds` in a granary's movements. */
export async function insertHandoutRead(
  db: Executor,
  values: { granaryId: string; householdIds: string[]; viewerSubject: string; viewerPersonId: string | null; traceId: string },
): Promise<void> {
  await db.insert(granaryHandoutReads).values(values);
}
