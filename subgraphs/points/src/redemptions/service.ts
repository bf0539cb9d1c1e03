/**
 * Rules for redemptions (实际兑换). A redemption runs in one transaction with
 * a fixed lock order — the idempotency key, then the accounts (by id), then
 * the catalogue items (by id) — and takes points and stock only where both
 * suffice, so parallel redemptions never overdraw, oversell or deadlock. A
 * hold reserves points and stock until it is captured, voided or lapses;
 * whichever comes first decides it, once (a conditional UPDATE on its
 * status). Lapsed holds are released when touched (a capture, a void, a
 * redemption that would otherwise fall short) and by `expireHolds`, which a
 * scheduler calls through `redemptionHoldsExpire`. Points leaving for a
 * merchant (a one-step redemption, a captured hold) are announced as
 * `redemption.made` in the same transaction; a replay under the same key and a
 * void announce nothing, a lapse only `redemption.hold_lapsed` (to the merchant).
 *
 * The customer is named by a payment code (付款码, payment-codes/), consumed
 * in the redemption's transaction right after the key, so the code's row is
 * the second lock: a refused redemption rolls its consumption back and the
 * customer can present the same code again, while of parallel redemptions
 * with one code only the first to commit gets it. A passbook number instead
 * is taken from a till only when its bank allows it, and from bank staff
 * only with their confirmation that they checked the customer's identity;
 * every redemption staff make is logged (`clerk_assisted_redemptions`).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  isUuid,
  newId,
  ok,
  refused,
  type Database,
  type Result,
  type Transaction,
  type UserError,
  requireRoles,
  isPlatformAdmin,
  requireSignedIn,
  forgetLoadedRows,
  unseenObject,
  required,
} from '@lianxin/shared';
import { assertMayActForMerchantId, isMerchantItself, mayActForMerchant, mayServeBank, mayServeOffice, pairedCityOfficesServed, requirePlatformAdmin } from '../access.js';
import { hashOfPaymentCode, hasPaymentCodePrefix } from '../payment-codes/code.js';
import { consumePaymentCode, insertClerkAssistance } from '../payment-codes/store.js';
import { isValidPassbookNumber } from '../accounts/passbook.js';
import { sameSandbox } from '../sandbox/service.js';
import { requireUnit, windowOf } from '../bank/service.js';
import { findOfficeOfCustomer } from '../bank/store.js';
import type { PointsContext } from '../context.js';
import type { AccountRow, BankUnitRow, MerchantRow, RedemptionLineRow, RedemptionRow, RedemptionStatus } from '../db/schema.js';
import { publishHoldLapsed, publishRedemptionHeld, publishRedemptionMade } from '../events/publish.js';
import { lockAccounts, lockCustomerAndMerchant, postTransfer, type CustomerKey } from '../ledger/store.js';
import { findItemsByIds, lockItems, returnStock, takeItems, type TakenItem } from '../merchants/store.js';
import { idInput, inTransaction, parseInput } from '../mutation.js';
import { refuse, userError } from '../errors.js';
import { memberIdOf } from './member-id.js';
import {
  claimIdempotencyKey,
  expireLapsedHolds,
  findIdempotencyKey,
  findLinesOfRedemptions,
  findRedemptionsByIds,
  hasLapsedHolds,
  holdPoints,
  insertRedemption,
  purgeIdempotencyKeys,
  type NewRedemption,
  releaseHeldPoints,
  resolveHold,
} from './store.js';
import { isWindowOpen } from './window.js';

const lowerCaseId = (what: string) => idInput(what).transform((value) => value.toLowerCase());

const redemptionInput = z.object({
  // Its length and digits only: whether it is a code the bank issued is decided in the transaction, with one answer for every failure.
  paymentCode: z
    .string()
    .regex(/^[0-9]{18}$/, 'is not a payment code: 18 digits.')
    .nullish(),
  passbookNumber: z
    .string()
    .refine((value) => isValidPassbookNumber(value), 'is not a passbook number: 12 digits ending in a valid check digit.')
    .nullish(),
  clerkConfirmation: z.object({ identityChecked: z.boolean() }).nullish(),
  merchant: lowerCaseId('a merchant'),
  items: z
    .array(
      z.object({
        item: lowerCaseId('a catalogue item'),
        quantity: z.number().int('must be a whole number.').min(1, 'must be at least 1.').max(1000, 'must be at most 1000.'),
      }),
    )
    .min(1, 'must not be empty.')
    .max(50, 'must list at most 50 items.')
    .superRefine((items, context) => {
      const seen = new Set<string>();
      for (const [index, line] of items.entries()) {
        if (seen.has(line.item)) context.addIssue({ code: 'custom', path: [index, 'item'], message: 'is listed twice: give one line per item.' });
        seen.add(line.item);
      }
    }),
  idempotencyKey: z.string().regex(/^[!-~]{8,255}$/, 'must be 8 to 255 printable ASCII characters.'),
});
type RedemptionRequest = z.output<typeof redemptionInput>;

/** What a till hears of a passbook it may not take: none exists, it is not a customer's, or it is another bank's. */
const NO_SUCH_PASSBOOK = 'No customer of this bank has this passbook number.';

/** What a till hears of any code that cannot pay here: unknown, expired, used, malformed, or a customer's of another bank. */
const BAD_PAYMENT_CODE = 'This payment code cannot be used: ask the customer to show a new one.';

/** What a till hears when the points do not allow the redemption: no balance, no minimum, nothing the customer has not shown. */
const NOT_ENOUGH_POINTS = "The customer's points do not allow this redemption here: they can check their passbook.";

/** One step (`capture`: points paid at once) or the first of two (`hold`). */
export type RedemptionMode = 'capture' | 'hold';

/** SHA-256 of the request as it means: the operation and the input without the key, items in a fixed order. */
export function requestHash(mode: RedemptionMode, request: RedemptionRequest): string {
  const items = [...request.items].sort((a, b) => a.item.localeCompare(b.item)).map((line) => [line.item, line.quantity]);
  // A passbook request hashes as it did before payment codes, so keys taken then still replay.
  const customer = request.paymentCode ? { paymentCode: request.paymentCode } : request.passbookNumber;
  return createHash('sha256')
    .update(JSON.stringify([mode, request.merchant, customer, items]))
    .digest('hex');
}

/** How a redemption names its customer: the field the till filled in, and the key the accounts are found by. */
interface CustomerNamed {
  field: string[];
  /** Set for a payment code: its hash, looked up and consumed in the transaction. */
  codeHash: string | null;
  passbookNumber: string | null;
}

/**
 * Exactly one of `paymentCode` and `passbookNumber`; a passbook number only
 * from a till whose bank allows it (checked in the transaction, after the
 * key) or from staff who confirm they checked the customer's identity.
 */
function customerNamed(request: RedemptionRequest, staff: boolean): Result<CustomerNamed> {
  const { paymentCode, passbookNumber, clerkConfirmation } = request;
  if (paymentCode && passbookNumber) return refused(userError(['input', 'passbookNumber'], 'INVALID', 'Give a payment code or a passbook number, not both.'));
  if (!paymentCode && !passbookNumber) return refused(userError(['input', 'paymentCode'], 'REQUIRED', "Scan the customer's payment code."));
  if (clerkConfirmation && !staff) return refused(userError(['input', 'clerkConfirmation'], 'NOT_ALLOWED', 'Only bank staff confirm a customer’s identity.'));
  if (paymentCode) return ok({ field: ['input', 'paymentCode'], codeHash: hashOfPaymentCode(paymentCode), passbookNumber: null });
  if (staff && !clerkConfirmation) {
    return refused(userError(['input', 'clerkConfirmation'], 'REQUIRED', 'Confirm that you checked the customer’s identity before redeeming by passbook number.'));
  }
  if (staff && clerkConfirmation?.identityChecked !== true) {
    return refused(userError(['input', 'clerkConfirmation', 'identityChecked'], 'REQUIRED', 'Check the customer’s identity before redeeming by passbook number.'));
  }
  return ok({ field: ['input', 'passbookNumber'], codeHash: null, passbookNumber: passbookNumber ?? null });
}

async function requireMerchant(ctx: PointsContext, id: string): Promise<MerchantRow> {
  const merchant = await ctx.loaders.merchantById.load(id);
  return required(merchant, `merchant ${id}`);
}

interface Redeeming {
  merchant: MerchantRow;
  /** Whether the merchant takes redemptions at `now`: refused only after the key, so a replay still gets its first result. */
  windowOpen: boolean;
  request: RedemptionRequest;
  customer: CustomerNamed;
  /** Set when bank staff (a clerk at the central exchange or of a paired city office, a platform admin) redeem: who, for the log. */
  staff: { subject: string; personId: string | null } | null;
  /** Set when a paired city office's clerk redeems a rural merchant's products: the offices whose customers they may redeem for. */
  pairedOffices: ReadonlySet<string> | null;
  mode: RedemptionMode;
  hash: string;
  by: string;
  now: Date;
  holdTtlSeconds: number;
}

/** Refuses with the reason the first line stock could not be taken for: not this merchant's, withdrawn, or short. */
async function explainUntaken(tx: Transaction, merchant: MerchantRow, request: RedemptionRequest, taken: ReadonlyMap<string, TakenItem>): Promise<never> {
  const untaken = request.items.filter((line) => !taken.has(line.item));
  const items = new Map(
    (
      await findItemsByIds(
        tx,
        untaken.map((line) => line.item),
      )
    ).map((item) => [item.id, item]),
  );
  for (const [index, line] of request.items.entries()) {
    if (taken.has(line.item)) continue;
    const item = items.get(line.item);
    const field = ['input', 'items', String(index)];
    if (!item || item.merchantId !== merchant.id) refuse([...field, 'item'], 'NOT_FOUND', 'This merchant lists no such item.');
    if (!item.active) refuse([...field, 'item'], 'INVALID_STATE', `${item.name} is withdrawn from the catalogue.`);
    refuse([...field, 'quantity'], 'OUT_OF_STOCK', `Only ${item.stock} of ${item.name} left.`);
  }
  throw new Error('a redemption took fewer items than asked, yet every line was taken');
}

/**
 * Whether `merchant` may take the points of `customer`, opened at `office`:
 * a customer's account of the merchant's own bank, a sandbox one for a
 * sandbox merchant and a real one for a real merchant; when a paired city
 * office's clerk redeems (`pairedOffices` set), only a customer of one of
 * those offices. No account, another kind of account, another bank's
 * customer, the other side of the sandbox, another office's customer: one
 * answer, so a till learns nothing of passbooks it may not take. The one
 * check, wherever the customer's account was found.
 */
export function mayTakePassbook(
  merchant: MerchantRow,
  customer: AccountRow | undefined,
  office: BankUnitRow | null | undefined,
  pairedOffices: ReadonlySet<string> | null = null,
): customer is AccountRow {
  if (pairedOffices !== null && (!office || !pairedOffices.has(office.id))) return false;
  return customer !== undefined && customer.kind === 'customer' && office?.bankId === merchant.bankId && sameSandbox(merchant, customer);
}

/**
 * The redemption's transaction. Returns the redemption it made, or the
 * first one made under the same key. `lapsed` is set when the customer fell
 * short only while holding lapsed holds, so the caller can release them and
 * try again.
 *
 * Locks are taken one statement after another, in the fixed order; what
 * takes no lock in that order rides along in a pipelined batch (sent at
 * once, answered together): the office's read with the accounts' lock, and
 * the redemption, its points and its event in one batch at the end, so the
 * accounts stay locked for one round trip after the stock is taken.
 */
async function redeem(tx: Transaction, job: Redeeming, lapsed: { accountId: string | null }): Promise<RedemptionRow> {
  const { merchant, request, mode, now, by } = job;
  const redemptionId = newId();
  // The key first: parallel replays queue here, and after the first commits they read its result.
  const claimed = await claimIdempotencyKey(tx, { merchantId: merchant.id, key: request.idempotencyKey, requestHash: job.hash, redemptionId });
  if (!claimed) {
    const first = required(await findIdempotencyKey(tx, merchant.id, request.idempotencyKey), 'idempotency key, claimed by an earlier request');
    if (first.requestHash !== job.hash) {
      refuse(['input', 'idempotencyKey'], 'IDEMPOTENCY_CONFLICT', 'This idempotency key was used for a different request: use a new key for a new request.');
    }
    const [row] = await findRedemptionsByIds(tx, [first.redemptionId]);
    return required(row, `redemption ${first.redemptionId} of an idempotency key`);
  }
  if (!merchant.active) refuse(['input', 'merchant'], 'INVALID_STATE', 'This merchant takes no redemptions.');
  if (!job.windowOpen) {
    refuse(['input', 'merchant'], 'WINDOW_CLOSED', 'Redemptions here open on the first weekend of the month (Beijing time).');
  }

  const named = job.customer;
  const key = await customerKeyOf(tx, job, redemptionId);

  const [locked, office] = await Promise.all([
    lockCustomerAndMerchant(tx, key, merchant.id),
    // The customer's office says whether the passbook is of the merchant's bank; the event names its bank too.
    findOfficeOfCustomer(tx, key),
  ]);
  const customer = locked.find((account) => ('accountId' in key ? account.id === key.accountId : account.passbookNumber === key.passbookNumber));
  const shopAccount = locked.find((account) => account.merchantId === merchant.id);
  // No account, an account that is not a customer's, a customer of another bank, a sandbox account at a real shop or the other way round: one answer, so a till learns nothing
  // of passbooks it may not take; a code that is not of this bank's customers is as unknown as any other.
  if (!mayTakePassbook(merchant, customer, office, job.pairedOffices)) {
    if (named.codeHash !== null) refuse(named.field, 'PAYMENT_CODE_INVALID', BAD_PAYMENT_CODE);
    refuse(named.field, 'NOT_FOUND', NO_SUCH_PASSBOOK);
  }
  const shop = required(shopAccount, `account of merchant ${merchant.id}`);

  // Stock in one statement, taken only where it suffices; a line it could not take is explained below, and the whole transaction rolls back.
  const takenItems = await takeItems(
    tx,
    merchant.id,
    request.items.map((line) => ({ itemId: line.item, quantity: line.quantity })),
  );
  const taken = new Map(takenItems.map((item) => [item.id, item]));
  if (taken.size !== request.items.length) await explainUntaken(tx, merchant, request, taken);
  const lines: RedemptionLineRow[] = request.items.map((line) => {
    const item = taken.get(line.item)!;
    return { redemptionId, itemId: item.id, name: item.name, quantity: line.quantity, unitPoints: item.pricePoints };
  });
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPoints, 0);
  const count = lines.reduce((sum, line) => sum + line.quantity, 0);
  // Short of the merchant's minimum balance or of the total: one refusal that names no balance, the customer's business
  // (they read it in their passbook), not the till's.
  if (customer.balance < merchant.minimumBalance) refuse(named.field, 'INSUFFICIENT_POINTS', NOT_ENOUGH_POINTS);
  const available = customer.balance - customer.held;
  if (available < total) {
    if (customer.held > 0 && (await hasLapsedHolds(tx, customer.id, now))) lapsed.accountId = customer.id;
    refuse(named.field, 'INSUFFICIENT_POINTS', NOT_ENOUGH_POINTS);
  }

  const transferId = mode === 'capture' ? newId() : null;
  const made: NewRedemption = {
    id: redemptionId,
    merchantId: merchant.id,
    accountId: customer.id,
    status: mode === 'capture' ? 'captured' : 'held',
    totalPoints: total,
    itemCount: count,
    heldUntil: mode === 'hold' ? new Date(now.getTime() + job.holdTtlSeconds * 1000) : null,
    transferId,
    createdAt: now,
    createdBy: by,
    resolvedAt: mode === 'capture' ? now : null,
    resolvedBy: mode === 'capture' ? by : null,
  };
  // The last batch: the redemption (its transfer is checked at commit), the points, the announcement.
  const [row] = await Promise.all([
    insertRedemption(tx, made, lines),
    transferId
      ? postTransfer(tx, { id: transferId, debit: customer.id, credit: shop.id, amount: total, cause: 'redemption', reference: redemptionId, createdBy: by, createdAt: now })
      : holdPoints(tx, customer.id, total),
    transferId ? publishRedemptionMade(tx, made, customer, office) : publishRedemptionHeld(tx, made, customer),
    logClerkAssistance(tx, job, made),
  ]);
  return row;
}

/** A redemption bank staff made goes into their append-only log, in the redemption's last batch. */
async function logClerkAssistance(tx: Transaction, job: Redeeming, made: NewRedemption): Promise<void> {
  if (job.staff === null) return;
  await insertClerkAssistance(tx, {
    redemptionId: made.id,
    accountId: made.accountId,
    merchantId: made.merchantId,
    clerk: job.staff.subject,
    clerkPersonId: job.staff.personId,
    identityChecked: job.request.clerkConfirmation?.identityChecked === true,
    byPaymentCode: job.customer.codeHash !== null,
    createdAt: made.createdAt,
  });
}

/**
 * The customer's account key: the passbook number as given, or the account
 * of the payment code, which is consumed here for `redemptionId` (and given
 * back if the redemption is refused, since the transaction then rolls back).
 */
async function customerKeyOf(tx: Transaction, job: Redeeming, redemptionId: string): Promise<CustomerKey> {
  const named = job.customer;
  // After the key, like the window: a replay of a passbook redemption made before the bank withdrew the setting still gets its result.
  if (named.passbookNumber !== null && job.staff === null && !job.merchant.acceptsPassbookNumbers) {
    refuse(named.field, 'PAYMENT_CODE_REQUIRED', 'This till takes payment codes, not passbook numbers: ask the customer to show the code in their app.');
  }
  if (named.codeHash === null) return { passbookNumber: required(named.passbookNumber, 'passbook number of a redemption without a code') };
  const accountId =
    job.request.paymentCode && hasPaymentCodePrefix(job.request.paymentCode) ? await consumePaymentCode(tx, { codeHash: named.codeHash, now: job.now, redemptionId }) : null;
  if (accountId === null) refuse(named.field, 'PAYMENT_CODE_INVALID', BAD_PAYMENT_CODE);
  return { accountId };
}

/** `redemptionCreate` (mode `capture`) and `redemptionHold` (mode `hold`). */
export async function createRedemption(ctx: PointsContext, input: unknown, mode: RedemptionMode): Promise<Result<RedemptionRow>> {
  const by = requireRoles(ctx.viewer, ['merchant', 'bank_clerk'], 'redeem points');
  const parsed = parseInput(redemptionInput, input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  assertMayActForMerchantId(ctx, request.merchant, 'Only the merchant itself redeems at its till.');
  const merchant = await ctx.loaders.merchantById.load(request.merchant);
  if (!merchant) return refused(userError(['input', 'merchant'], 'NOT_FOUND', 'There is no such merchant.'));
  // Merchants are public: one the viewer may not redeem at (another bank's, or a shop a clerk does not run) is NOT_ALLOWED.
  // A clerk of a city office paired with the office that recruited the merchant redeems its products for the city office's customers only, in one step (pairings/).
  const pairedOffices = (await mayActForMerchant(ctx, merchant)) ? null : await pairedCityOfficesServed(ctx, merchant);
  if (pairedOffices?.size === 0) return refused(userError(['input', 'merchant'], 'NOT_ALLOWED', 'Only the merchant itself redeems at its till.'));
  if (pairedOffices && mode === 'hold')
    return refused(userError(['input', 'merchant'], 'NOT_ALLOWED', "A paired office redeems its partner's products in one step, not with a hold."));
  // Staff (a clerk at the bank's central exchange, a platform admin) redeem for a customer at the counter; a till is the merchant itself.
  const staff = isMerchantItself(ctx.viewer, merchant.id) ? null : { subject: by, personId: ctx.viewer.personId };
  const customer = customerNamed(request, staff !== null);
  if (!customer.ok) return customer;
  const now = ctx.settings.now();
  // An always-open merchant needs no look at its bank's window.
  const windowOpen = merchant.alwaysOpen || isWindowOpen(await windowOf(ctx, await requireUnit(ctx, merchant.bankId)), now);
  const job: Redeeming = {
    merchant,
    windowOpen,
    request,
    customer: customer.value,
    staff,
    pairedOffices,
    mode,
    hash: requestHash(mode, request),
    by,
    now,
    holdTtlSeconds: ctx.settings.holdTtlSeconds,
  };
  const lapsed = { accountId: null as string | null };
  const first = await inTransaction(ctx, (tx) => redeem(tx, job, lapsed));
  if (first.ok || lapsed.accountId === null) return first;
  // The customer fell short only while lapsed holds still counted: release them, then try once more.
  await expireHolds(ctx.db, { now: job.now, accountId: lapsed.accountId });
  return inTransaction(ctx, (tx) => redeem(tx, job, { accountId: null }));
}

/**
 * Releases holds the caller has just moved out of `held` (voided or lapsed):
 * their accounts' reserved points and their items' stock. Locks accounts,
 * then items, each in id order, after the redemption rows: the order every
 * path keeps.
 */
async function releaseHolds(tx: Transaction, holds: readonly RedemptionRow[]): Promise<void> {
  if (holds.length === 0) return;
  const perAccount = new Map<string, number>();
  for (const hold of holds) perAccount.set(hold.accountId, (perAccount.get(hold.accountId) ?? 0) + hold.totalPoints);
  await lockAccounts(tx, [...perAccount.keys()]);
  await releaseHeldPoints(
    tx,
    [...perAccount].map(([accountId, points]) => ({ accountId, points })),
  );
  const perItem = new Map<string, number>();
  for (const line of await findLinesOfRedemptions(
    tx,
    holds.map((hold) => hold.id),
  )) {
    perItem.set(line.itemId, (perItem.get(line.itemId) ?? 0) + line.quantity);
  }
  await lockItems(tx, [...perItem.keys()]);
  await returnStock(
    tx,
    [...perItem].map(([itemId, quantity]) => ({ itemId, quantity })),
  );
}

/**
 * Expires every hold that lapsed by `now` (of one account, or all), in
 * batches of `batch`, each batch in its own transaction, announcing each to
 * its merchant (`redemption.hold_lapsed`) in that transaction; returns how many.
 */
export async function expireHolds(db: Database, options: { now: Date; accountId?: string; batch?: number }): Promise<number> {
  const batch = options.batch ?? 500;
  let total = 0;
  for (;;) {
    const expired = await db.transaction(async (tx) => {
      const holds = await expireLapsedHolds(tx, { now: options.now, limit: batch, ...(options.accountId ? { accountId: options.accountId } : {}) });
      await releaseHolds(tx, holds);
      for (const hold of holds) await publishHoldLapsed(tx, hold);
      return holds.length;
    });
    total += expired;
    if (expired < batch) return total;
  }
}

/** `redemptionHoldsExpire`: the sweep a scheduler runs, plus forgetting idempotency keys past their retention. */
export async function runHoldSweep(ctx: PointsContext): Promise<{ expiredHolds: number; purgedKeys: number }> {
  requirePlatformAdmin(ctx.viewer);
  const now = ctx.settings.now();
  const expiredHolds = await expireHolds(ctx.db, { now });
  const purgedKeys = await purgeIdempotencyKeys(ctx.db, new Date(now.getTime() - ctx.settings.idempotencyRetentionHours * 3600 * 1000));
  // The sweep commits batch by batch, outside inTransaction: the request's loaders are replaced the same way once it is done.
  forgetLoadedRows(ctx);
  return { expiredHolds, purgedKeys };
}

const resolveInput = z.object({ redemption: idInput('a redemption') });

/** What a capture or void came to inside its transaction; a lapsed hold is released (and committed) before it is refused. */
type Resolution = { ok: true; row: RedemptionRow } | { ok: false; error: UserError };

/** `redemptionCapture` and `redemptionVoid`: a hold resolves once, whichever of capture, void and expiry comes first. */
export async function resolveRedemption(ctx: PointsContext, input: unknown, action: 'capture' | 'void'): Promise<Result<RedemptionRow>> {
  const by = requireRoles(ctx.viewer, ['merchant', 'bank_clerk'], 'resolve holds');
  const parsed = parseInput(resolveInput, input);
  if (!parsed.ok) return parsed;
  const id = parsed.value.redemption.toLowerCase();
  const found = await ctx.loaders.redemptionById.load(id);
  // Authority before state: a redemption the viewer may not see (another merchant's) answers as one that does not
  // exist (FORBIDDEN), whether it is held, captured, voided or lapsed; one they may see but not resolve (bank staff) is
  // NOT_ALLOWED, whatever its state.
  const field = ['input', 'redemption'];
  if (!found || !(await mayReadRedemption(ctx, found))) return unseenObject(ctx.viewer, field, 'redemption');
  const merchant = await requireMerchant(ctx, found.merchantId);
  if (!(await mayActForMerchant(ctx, merchant))) return refused(userError(field, 'NOT_ALLOWED', 'Only the merchant itself resolves its holds.'));
  const shop = required(await ctx.loaders.accountOfMerchant.load(merchant.id), `account of merchant ${merchant.id}`);
  const now = ctx.settings.now();

  // A lapsed hold is released and committed even though the answer is a refusal, so the refusal travels as a value.
  const resolution = await inTransaction(ctx, async (tx): Promise<Resolution> => {
    const transferId = newId();
    const resolved = await resolveHold(tx, id, {
      status: action === 'capture' ? 'captured' : 'voided',
      at: now,
      by,
      expiry: 'unexpired',
      ...(action === 'capture' ? { transferId } : {}),
    });
    if (resolved) {
      if (action === 'capture') {
        const locked = await lockAccounts(tx, [resolved.accountId, shop.id]);
        const customer = required(
          locked.find((account) => account.id === resolved.accountId),
          `account ${resolved.accountId} of hold ${resolved.id}`,
        );
        await postTransfer(tx, {
          id: transferId,
          debit: resolved.accountId,
          credit: shop.id,
          amount: resolved.totalPoints,
          releaseHeld: resolved.totalPoints,
          cause: 'redemption',
          reference: resolved.id,
          createdBy: by,
          createdAt: now,
        });
        await publishRedemptionMade(tx, resolved, customer);
      } else {
        await releaseHolds(tx, [resolved]);
      }
      return { ok: true, row: resolved };
    }
    const lapsed = await resolveHold(tx, id, { status: 'expired', at: now, by: 'hold-expiry', expiry: 'expired' });
    if (lapsed) {
      await releaseHolds(tx, [lapsed]);
      await publishHoldLapsed(tx, lapsed);
      return { ok: false, error: userError(field, 'HOLD_EXPIRED', 'The hold lapsed before it was resolved; its points and stock are released.') };
    }
    const [found] = await findRedemptionsByIds(tx, [id]);
    const current = required(found, `redemption ${id}`);
    switch (current.status) {
      case 'captured':
        return action === 'capture'
          ? { ok: true, row: current }
          : { ok: false, error: userError(field, 'INVALID_STATE', 'The redemption is captured: it can no longer be voided.') };
      case 'voided':
        return action === 'void' ? { ok: true, row: current } : { ok: false, error: userError(field, 'INVALID_STATE', 'The hold was voided: it can no longer be captured.') };
      case 'expired':
        return { ok: false, error: userError(field, 'HOLD_EXPIRED', 'The hold lapsed before it was resolved; its points and stock are released.') };
      case 'held':
        throw new Error(`hold ${id} is neither before nor after its expiry`);
    }
  });
  if (!resolution.ok) return resolution;
  return resolution.value.ok ? ok(resolution.value.row) : refused(resolution.value.error);
}

/** Whether the viewer may see a redemption: its customer, its merchant, the clerks of either, platform admins. */
export async function mayReadRedemption(ctx: PointsContext, redemption: RedemptionRow): Promise<boolean> {
  const { viewer } = ctx;
  if (isPlatformAdmin(viewer) || isMerchantItself(viewer, redemption.merchantId)) return true;
  const account = await ctx.loaders.accountById.load(redemption.accountId);
  if (account && viewer.personId !== null && account.holderId === viewer.personId) return true;
  if (account?.officeId && (await mayServeOffice(ctx, account.officeId))) return true;
  const merchant = await ctx.loaders.merchantById.load(redemption.merchantId);
  return merchant !== null && (await mayServeBank(ctx, merchant.bankId));
}

const REDEMPTION_HIDDEN = 'Only its customer, its merchant and bank staff may see a redemption.';

async function assertMayReadRedemption(ctx: PointsContext, redemption: RedemptionRow): Promise<void> {
  requireSignedIn(ctx.viewer);
  if (!(await mayReadRedemption(ctx, redemption))) throw new ForbiddenError(REDEMPTION_HIDDEN);
}

/** `redemption(id)`: to anyone but a platform admin, an unknown id is as forbidden as another's redemption. */
export async function getRedemption(ctx: PointsContext, id: string): Promise<RedemptionRow | null> {
  requireSignedIn(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a redemption id.', 'id');
  const redemption = await resolveRedemptionReference(ctx, id);
  if (redemption === null && !isPlatformAdmin(ctx.viewer)) throw new ForbiddenError(REDEMPTION_HIDDEN);
  return redemption;
}

export async function resolveRedemptionReference(ctx: PointsContext, id: string): Promise<RedemptionRow | null> {
  const redemption = await ctx.loaders.redemptionById.load(id);
  if (!redemption) return null;
  await assertMayReadRedemption(ctx, redemption);
  return redemption;
}

/** A hold past its expiry reads as expired even before a sweep or a touch releases it: it can no longer be captured. */
export function statusOf(ctx: PointsContext, redemption: RedemptionRow): RedemptionStatus {
  if (redemption.status === 'held' && redemption.heldUntil !== null && redemption.heldUntil <= ctx.settings.now()) return 'expired';
  return redemption.status;
}

export const memberIdOfRedemption = (ctx: PointsContext, redemption: RedemptionRow): string => memberIdOf(ctx.settings.memberIdKey, redemption.merchantId, redemption.accountId);
