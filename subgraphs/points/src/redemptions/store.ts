/** SQL for redemptions, their lines, holds and the idempotency keys of merchants' requests. */
import { and, asc, count, eq, inArray, lt, sql, sum, type SQL } from 'drizzle-orm';
import { pagesPerParent, type Executor, type PageRequest, type Transaction } from '@lianxin/shared';
import { accounts, idempotencyKeys, redemptionLines, redemptions, type RedemptionLineRow, type RedemptionRow, type RedemptionStatus } from '../db/schema.js';

// ---------------------------------------------------------------------------
// Idempotency keys

export interface IdempotencyKeyRow {
  merchantId: string;
  key: string;
  requestHash: string;
  redemptionId: string;
  /** The refund a `redemptionRefund` key made; absent or null for a redemption's key. */
  refundId?: string | null;
}

/**
 * Claims `key` for this request, first thing in its transaction. When another
 * transaction holds the same key uncommitted, this waits for it: after its
 * commit the claim fails (and the caller reads the first result), after its
 * rollback the claim succeeds. Returns whether the key was claimed.
 */
export async function claimIdempotencyKey(tx: Transaction, row: IdempotencyKeyRow): Promise<boolean> {
  const claimed = await tx.insert(idempotencyKeys).values(row).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  return claimed.length === 1;
}

export async function findIdempotencyKey(db: Executor, merchantId: string, key: string): Promise<IdempotencyKeyRow | null> {
  const [row] = await db
    .select({
      merchantId: idempotencyKeys.merchantId,
      key: idempotencyKeys.key,
      requestHash: idempotencyKeys.requestHash,
      redemptionId: idempotencyKeys.redemptionId,
      refundId: idempotencyKeys.refundId,
    })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.merchantId, merchantId), eq(idempotencyKeys.key, key)));
  return row ?? null;
}

/** Forgets keys written before `before`; returns how many. */
export async function purgeIdempotencyKeys(db: Executor, before: Date): Promise<number> {
  const purged = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before)).returning({ key: idempotencyKeys.key });
  return purged.length;
}

// ---------------------------------------------------------------------------
// Redemptions

export type NewRedemption = Pick<
  RedemptionRow,
  'id' | 'merchantId' | 'accountId' | 'status' | 'totalPoints' | 'itemCount' | 'heldUntil' | 'transferId' | 'createdAt' | 'createdBy' | 'resolvedAt' | 'resolvedBy'
>;

/** Writes a redemption and its lines, in one statement. */
export async function insertRedemption(tx: Transaction, redemption: NewRedemption, lines: readonly RedemptionLineRow[]): Promise<RedemptionRow> {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  const values = sql.join(
    lines.map((line) => sql`(${line.redemptionId}::uuid, ${line.itemId}::uuid, ${line.name}::text, ${line.quantity}::int, ${line.unitPoints}::bigint)`),
    sql`, `,
  );
  await tx.execute(
    sql`with made as (
          insert into points.redemptions (id, merchant_id, account_id, status, total_points, item_count, held_until, transfer_id, created_at, created_by, resolved_at, resolved_by)
          values (${redemption.id}::uuid, ${redemption.merchantId}::uuid, ${redemption.accountId}::uuid, ${redemption.status}::points.redemption_status,
            ${redemption.totalPoints}::bigint, ${redemption.itemCount}::int, ${iso(redemption.heldUntil)}::timestamptz, ${redemption.transferId}::uuid,
            ${redemption.createdAt.toISOString()}::timestamptz, ${redemption.createdBy}::text, ${iso(redemption.resolvedAt)}::timestamptz, ${redemption.resolvedBy}::text)
          returning id
        )
        insert into points.redemption_lines (redemption_id, item_id, name, quantity, unit_points) values ${values}`,
  );
  // Every column was given, so the row is what was written.
  return { ...redemption };
}

export function findRedemptionsByIds(db: Executor, ids: readonly string[]): Promise<RedemptionRow[]> {
  return db
    .select()
    .from(redemptions)
    .where(inArray(redemptions.id, [...ids]));
}

export function findRedemptionsByTransfers(db: Executor, transferIds: readonly string[]): Promise<RedemptionRow[]> {
  return db
    .select()
    .from(redemptions)
    .where(inArray(redemptions.transferId, [...transferIds]));
}

export function findLinesOfRedemptions(db: Executor, redemptionIds: readonly string[]): Promise<RedemptionLineRow[]> {
  return db
    .select()
    .from(redemptionLines)
    .where(inArray(redemptionLines.redemptionId, [...redemptionIds]))
    .orderBy(asc(redemptionLines.redemptionId), asc(redemptionLines.name));
}

/** Redemption lists sort newest first: by creation time, then id, both descending. */
export const redemptionCursor = (row: RedemptionRow): string[] => [row.createdAt.toISOString(), row.id];

const olderThan = (after: string[] | null): SQL | undefined =>
  after ? sql`(${redemptions.createdAt}, ${redemptions.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined;

/** The same page of redemptions for each of `ownerIds` (merchants or accounts, by `column`), newest first, in one statement. */
async function findPagesBy(
  db: Executor,
  column: typeof redemptions.merchantId | typeof redemptions.accountId,
  ownerIds: readonly string[],
  status: RedemptionStatus | null,
  page: PageRequest,
): Promise<RedemptionRow[]> {
  return pagesPerParent(db, {
    table: redemptions,
    parent: column,
    parentIds: ownerIds,
    orderBy: sql`${redemptions.createdAt} desc, ${redemptions.id} desc`,
    where: and(status ? eq(redemptions.status, status) : undefined, olderThan(page.after)),
    limit: page.limit,
  });
}

export const findMerchantRedemptionPages = (db: Executor, merchantIds: readonly string[], status: RedemptionStatus | null, page: PageRequest) =>
  findPagesBy(db, redemptions.merchantId, merchantIds, status, page);

export const findAccountRedemptionPages = (db: Executor, accountIds: readonly string[], page: PageRequest) => findPagesBy(db, redemptions.accountId, accountIds, null, page);

/** Totals of what `merchantId` captured in [start, end). */
export async function settlementTotals(db: Executor, merchantId: string, start: Date, end: Date) {
  const [row] = await db
    .select({ redemptions: count(), items: sum(redemptions.itemCount), points: sum(redemptions.totalPoints) })
    .from(redemptions)
    .where(capturedBetween(merchantId, start, end));
  return { redemptionCount: row?.redemptions ?? 0, itemCount: Number(row?.items ?? 0), points: Number(row?.points ?? 0) };
}

const capturedBetween = (merchantId: string, start: Date, end: Date): SQL | undefined =>
  and(
    eq(redemptions.merchantId, merchantId),
    eq(redemptions.status, 'captured'),
    sql`${redemptions.resolvedAt} >= ${start.toISOString()}::timestamptz and ${redemptions.resolvedAt} < ${end.toISOString()}::timestamptz`,
  );

/** Settlement lists sort by capture time, then id, oldest first. */
export const settlementCursor = (row: RedemptionRow): string[] => [(row.resolvedAt ?? row.createdAt).toISOString(), row.id];

/** One page of what `merchantId` captured in [start, end), in capture order. */
export function findSettlementPage(db: Executor, merchantId: string, start: Date, end: Date, page: PageRequest): Promise<RedemptionRow[]> {
  return db
    .select()
    .from(redemptions)
    .where(
      and(
        capturedBetween(merchantId, start, end),
        page.after ? sql`(${redemptions.resolvedAt}, ${redemptions.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(redemptions.resolvedAt), asc(redemptions.id))
    .limit(page.limit + 1);
}

// ---------------------------------------------------------------------------
// Holds

/**
 * Moves a hold out of `held`, if it still is and its expiry agrees
 * (`unexpired`: before `heldUntil`, as capture and void need; `expired`: at
 * or after it). The row lock and the `status = 'held'` test make this the
 * one place a hold is decided: of racing captures, voids and expiries,
 * exactly one matches. Null when the hold had already left `held` (or the
 * expiry did not agree).
 */
export async function resolveHold(
  tx: Transaction,
  id: string,
  outcome: { status: Exclude<RedemptionStatus, 'held'>; at: Date; by: string; transferId?: string; expiry: 'unexpired' | 'expired' },
): Promise<RedemptionRow | null> {
  const at = outcome.at.toISOString();
  const [row] = await tx
    .update(redemptions)
    .set({ status: outcome.status, resolvedAt: outcome.at, resolvedBy: outcome.by, ...(outcome.transferId ? { transferId: outcome.transferId } : {}) })
    .where(
      and(
        eq(redemptions.id, id),
        eq(redemptions.status, 'held'),
        outcome.expiry === 'unexpired' ? sql`${redemptions.heldUntil} > ${at}::timestamptz` : sql`${redemptions.heldUntil} <= ${at}::timestamptz`,
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * Marks up to `limit` lapsed holds expired, oldest expiry first, optionally
 * of one account only. Holds another transaction is resolving are skipped
 * (SKIP LOCKED), so a sweep never waits on, or deadlocks with, a capture.
 */
export async function expireLapsedHolds(tx: Transaction, options: { now: Date; accountId?: string; limit: number }): Promise<RedemptionRow[]> {
  const now = options.now.toISOString();
  const lapsed = sql`select ${redemptions.id} from ${redemptions}
    where ${redemptions.status} = 'held' and ${redemptions.heldUntil} <= ${now}::timestamptz
    ${options.accountId ? sql`and ${redemptions.accountId} = ${options.accountId}::uuid` : sql``}
    order by ${redemptions.heldUntil}, ${redemptions.id} limit ${options.limit} for update skip locked`;
  return tx
    .update(redemptions)
    .set({ status: 'expired', resolvedAt: options.now, resolvedBy: 'hold-expiry' })
    .where(and(sql`${redemptions.id} in (${lapsed})`, eq(redemptions.status, 'held')))
    .returning();
}

/** Whether `accountId` has a lapsed hold still counted as held. */
export async function hasLapsedHolds(db: Executor, accountId: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: redemptions.id })
    .from(redemptions)
    .where(and(eq(redemptions.accountId, accountId), eq(redemptions.status, 'held'), sql`${redemptions.heldUntil} <= ${now.toISOString()}::timestamptz`))
    .limit(1);
  return row !== undefined;
}

/** Reserves points of a locked account for a new hold. */
export async function holdPoints(tx: Transaction, accountId: string, points: number): Promise<void> {
  await tx
    .update(accounts)
    .set({ held: sql`${accounts.held} + ${points}::bigint` })
    .where(eq(accounts.id, accountId));
}

/** Releases reserved points of locked accounts (voided and lapsed holds), one statement for all. */
export async function releaseHeldPoints(tx: Transaction, releases: readonly { accountId: string; points: number }[]): Promise<void> {
  if (releases.length === 0) return;
  const values = sql.join(
    releases.map((release) => sql`(${release.accountId}::uuid, ${release.points}::bigint)`),
    sql`, `,
  );
  await tx
    .update(accounts)
    .set({ held: sql`${accounts.held} - released.points` })
    .from(sql`(values ${values}) as released(account_id, points)`)
    .where(sql`${accounts.id} = released.account_id`);
}
