/**
 * Rules for refunds (退货): a merchant gives back part or all of a
 * redemption it captured, within the refund period after the capture. The
 * points go back from the merchant's account to the customer's by a transfer
 * of cause `refund` whose reference is the refund; returnable items go back
 * in stock. A refund runs in one transaction with the redemptions' lock
 * order — the idempotency key, the redemption, the accounts (by id), the
 * catalogue items (by id) — so refunds of one redemption queue on it and
 * never give back more of a line than was redeemed (the database checks
 * that too). A refunded redemption stays `captured`: its refunds and
 * `refundedPoints` say what came back.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CHECK_VIOLATION,
  ForbiddenError,
  newId,
  refused,
  required,
  requireRoles,
  requireSignedIn,
  unseenObject,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
  readPage,
  toConnection,
} from '@lianxin/shared';
import { mayActForMerchant } from '../access.js';
import type { PointsContext } from '../context.js';
import type { AccountRow, MerchantRow, RedemptionLineRow, RedemptionRow, RefundLineRow, RefundRow } from '../db/schema.js';
import { refuse, userError } from '../errors.js';
import { publishRedemptionRefunded } from '../events/publish.js';
import { lockAccounts, postTransfer } from '../ledger/store.js';
import { lockItems, returnStock } from '../merchants/store.js';
import type { SettlementModel } from '../model.js';
import { idInput, inTransaction, parseInput, textInput } from '../mutation.js';
import { mayReadRedemption } from '../redemptions/service.js';
import { claimIdempotencyKey, findIdempotencyKey, findLinesOfRedemptions } from '../redemptions/store.js';
import { findRefundsByIds, findSettlementRefundPage, insertRefund, lockRedemption, refundCursor, refundedQuantities } from './store.js';

const DAY_MS = 24 * 3600 * 1000;

const lowerCaseId = (what: string) => idInput(what).transform((value) => value.toLowerCase());

const refundInput = z.object({
  redemption: lowerCaseId('a redemption'),
  lines: z
    .array(
      z.object({
        item: lowerCaseId('a catalogue item'),
        quantity: z.number().int('must be a whole number.').min(1, 'must be at least 1.').max(1000, 'must be at most 1000.'),
      }),
    )
    .min(1, 'must not be empty: omit it to refund everything left.')
    .max(50, 'must list at most 50 items.')
    .superRefine((lines, context) => {
      const seen = new Set<string>();
      for (const [index, line] of lines.entries()) {
        if (seen.has(line.item)) context.addIssue({ code: 'custom', path: [index, 'item'], message: 'is listed twice: give one line per item.' });
        seen.add(line.item);
      }
    })
    .nullish(),
  reason: textInput(200).nullish(),
  idempotencyKey: z.string().regex(/^[!-~]{8,255}$/, 'must be 8 to 255 printable ASCII characters.'),
});
type RefundRequest = z.output<typeof refundInput>;

/** SHA-256 of the request as it means: the operation, the redemption, the lines in a fixed order (null: everything left) and the reason. */
export function refundHash(request: RefundRequest): string {
  const lines = request.lines ? [...request.lines].sort((a, b) => a.item.localeCompare(b.item)).map((line) => [line.item, line.quantity]) : null;
  return createHash('sha256')
    .update(JSON.stringify(['refund', request.redemption, lines, request.reason ?? null]))
    .digest('hex');
}

interface Refunding {
  merchant: MerchantRow;
  shopAccountId: string;
  request: RefundRequest;
  hash: string;
  by: string;
  now: Date;
  periodDays: number;
}

const FIELD = ['input', 'redemption'];

/** The lines asked for, checked against what is left of each redemption line; refuses the first that is not there or exceeds it. */
function linesToRefund(refundId: string, request: RefundRequest, redeemed: readonly RedemptionLineRow[], refunded: ReadonlyMap<string, number>): RefundLineRow[] {
  const left = (line: RedemptionLineRow) => line.quantity - (refunded.get(line.itemId) ?? 0);
  if (!request.lines) {
    const rest = redeemed.filter((line) => left(line) > 0);
    if (rest.length === 0) refuse(FIELD, 'REFUND_EXCEEDS', 'Everything of this redemption was given back already.');
    return rest.map((line) => ({ refundId, itemId: line.itemId, quantity: left(line), unitPoints: line.unitPoints }));
  }
  return request.lines.map((asked, index) => {
    const line = redeemed.find((candidate) => candidate.itemId === asked.item);
    const field = ['input', 'lines', String(index)];
    if (!line) refuse([...field, 'item'], 'NOT_FOUND', 'The redemption has no line for this item.');
    if (asked.quantity > left(line)) refuse([...field, 'quantity'], 'REFUND_EXCEEDS', `Only ${left(line)} of ${line.name} are left to give back.`);
    return { refundId, itemId: line.itemId, quantity: asked.quantity, unitPoints: line.unitPoints };
  });
}

/** The refund's transaction: the refund it made, or the one first made under the same key. */
async function refund(tx: Transaction, job: Refunding): Promise<RefundRow> {
  const { merchant, request, now, by } = job;
  const refundId = newId();
  // The key first: parallel replays queue here, and after the first commits they read its result.
  const claimed = await claimIdempotencyKey(tx, { merchantId: merchant.id, key: request.idempotencyKey, requestHash: job.hash, redemptionId: request.redemption, refundId });
  if (!claimed) {
    const first = required(await findIdempotencyKey(tx, merchant.id, request.idempotencyKey), 'idempotency key, claimed by an earlier request');
    if (first.requestHash !== job.hash || !first.refundId) {
      refuse(['input', 'idempotencyKey'], 'IDEMPOTENCY_CONFLICT', 'This idempotency key was used for a different request: use a new key for a new request.');
    }
    const [row] = await findRefundsByIds(tx, [first.refundId]);
    return required(row, `refund ${first.refundId} of an idempotency key`);
  }
  const redemption = required(await lockRedemption(tx, request.redemption), `redemption ${request.redemption}`);
  if (redemption.status !== 'captured' || redemption.resolvedAt === null)
    refuse(FIELD, 'INVALID_STATE', 'Only a captured redemption is refunded: this one paid the merchant nothing.');
  if (now.getTime() > redemption.resolvedAt.getTime() + job.periodDays * DAY_MS) {
    refuse(FIELD, 'REFUND_PERIOD_OVER', `Redemptions are refunded within ${job.periodDays} days of their capture.`);
  }
  const [redeemed, refunded] = await Promise.all([findLinesOfRedemptions(tx, [redemption.id]), refundedQuantities(tx, redemption.id)]);
  const lines = linesToRefund(refundId, request, redeemed, refunded);
  const points = lines.reduce((total, line) => total + line.quantity * line.unitPoints, 0);
  const itemCount = lines.reduce((total, line) => total + line.quantity, 0);

  const locked = await lockAccounts(tx, [redemption.accountId, job.shopAccountId]);
  const shop = required(
    locked.find((account) => account.id === job.shopAccountId),
    `account of merchant ${merchant.id}`,
  );
  const customer: AccountRow = required(
    locked.find((account) => account.id === redemption.accountId),
    `account ${redemption.accountId} of redemption ${redemption.id}`,
  );
  if (shop.balance - shop.held < points) refuse(FIELD, 'INSUFFICIENT_POINTS', "The merchant's account holds fewer points than the refund gives back.");

  const items = await lockItems(
    tx,
    lines.map((line) => line.itemId),
  );
  const returnable = new Set(items.filter((item) => item.returnable).map((item) => item.id));
  const made: RefundRow = {
    id: refundId,
    redemptionId: redemption.id,
    merchantId: merchant.id,
    accountId: customer.id,
    points,
    itemCount,
    reason: request.reason ?? null,
    transferId: newId(),
    createdAt: now,
    createdBy: by,
  };
  await returnStock(
    tx,
    lines.filter((line) => returnable.has(line.itemId)),
  );
  await postTransfer(tx, { id: made.transferId, debit: shop.id, credit: customer.id, amount: points, cause: 'refund', reference: refundId, createdBy: by, createdAt: now });
  const row = await insertRefund(tx, made, lines);
  await publishRedemptionRefunded(tx, row, customer);
  return row;
}

/** `redemptionRefund`: the merchant that captured a redemption gives part or all of it back. */
export async function refundRedemption(ctx: PointsContext, input: unknown): Promise<Result<RefundRow>> {
  const by = requireRoles(ctx.viewer, ['merchant', 'bank_clerk'], 'refund redemptions');
  const parsed = parseInput(refundInput, input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const found = await ctx.loaders.redemptionById.load(request.redemption);
  // Authority before state, in the words of capture and void: a redemption the viewer may not see (another merchant's)
  // answers as one that does not exist, whatever its state; one they see but may not refund (bank staff) is NOT_ALLOWED.
  if (!found || !(await mayReadRedemption(ctx, found))) return unseenObject(ctx.viewer, FIELD, 'redemption');
  const merchant = required(await ctx.loaders.merchantById.load(found.merchantId), `merchant ${found.merchantId}`);
  if (!(await mayActForMerchant(ctx, merchant))) return refused(userError(FIELD, 'NOT_ALLOWED', 'Only the merchant itself refunds its redemptions.'));
  const shop = required(await ctx.loaders.accountOfMerchant.load(merchant.id), `account of merchant ${merchant.id}`);
  const job: Refunding = {
    merchant,
    shopAccountId: shop.id,
    request,
    hash: refundHash(request),
    by,
    now: ctx.settings.now(),
    periodDays: ctx.settings.refundPeriodDays,
  };
  return inTransaction(ctx, (tx) => refund(tx, job), [
    // The database's own check, should the redemption's lock ever be bypassed.
    {
      sqlState: CHECK_VIOLATION,
      constraint: 'refund_lines_within_redemption',
      error: userError(['input', 'lines'], 'REFUND_EXCEEDS', 'More would be given back than was redeemed.'),
    },
  ]);
}

const REFUND_HIDDEN = 'Only its customer, its merchant and bank staff may see a refund.';

/** A refund the viewer may see (whoever may see its redemption); null when unknown. */
export async function resolveRefundReference(ctx: PointsContext, id: string): Promise<RefundRow | null> {
  requireSignedIn(ctx.viewer);
  const row = await ctx.loaders.refundById.load(id);
  if (!row) return null;
  const redemption = await ctx.loaders.redemptionById.load(row.redemptionId);
  if (!redemption || !(await mayReadRedemption(ctx, redemption))) throw new ForbiddenError(REFUND_HIDDEN);
  return row;
}

/** A refund's redemption, which whoever sees the refund sees. */
export async function redemptionOfRefund(ctx: PointsContext, row: RefundRow): Promise<RedemptionRow> {
  return required(await ctx.loaders.redemptionById.load(row.redemptionId), `redemption of refund ${row.id}`);
}

/** Points given back by a redemption's refunds. */
export async function refundedPointsOf(ctx: PointsContext, redemption: RedemptionRow): Promise<number> {
  const rows = await ctx.loaders.refundsOfRedemption.load(redemption.id);
  return rows.reduce((total, row) => total + row.points, 0);
}

/** Units of a redemption line given back so far. */
export async function refundedQuantityOf(ctx: PointsContext, line: RedemptionLineRow): Promise<number> {
  const rows = await ctx.loaders.refundLinesOfRedemption.load(line.redemptionId);
  return rows.filter((row) => row.itemId === line.itemId).reduce((total, row) => total + row.quantity, 0);
}

/** The refunds a settlement lists (its reader was checked when the settlement was made). */
export async function listSettlementRefunds(ctx: PointsContext, settlement: SettlementModel, args: ConnectionArgs): Promise<Connection<RefundRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findSettlementRefundPage(ctx.db, settlement.merchant.id, settlement.start, settlement.end, page);
  return toConnection(rows, page, refundCursor);
}
