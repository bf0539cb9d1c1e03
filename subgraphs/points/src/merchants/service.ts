/**
 * Rules for merchants and their catalogues. Who the merchants are and what
 * they offer is public (residents choose where to spend). A merchant keeps
 * its own catalogue and reads its own books: redemptions, settlement and
 * account; platform admins admit merchants and may do all of it.
 */
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  isUuid,
  newId,
  optionalId,
  readPage,
  refused,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  requireRoles,
  requireSignedIn,
  required,
} from '@lianxin/shared';
import { assertMayActForMerchantId, mayActForHeadBank, mayActForMerchant, mayReadMerchantBooks, requirePlatformAdmin } from '../access.js';
import { passbookNumber } from '../accounts/passbook.js';
import { insertMerchantAccount, nextPassbookSerial } from '../accounts/store.js';
import { headBankOf, windowOf } from '../bank/service.js';
import type { PointsContext } from '../context.js';
import { merchantKind, type AccountRow, type BankUnitRow, type CatalogItemRow, type MerchantRow, type RedemptionRow, type RedemptionStatus } from '../db/schema.js';
import type { SettlementModel } from '../model.js';
import { publishMerchantJoined } from '../events/publish.js';
import { idInput, inTransaction, parseInput, refuse, textInput } from '../mutation.js';
import { findSettlementPage, redemptionCursor, settlementCursor, settlementTotals } from '../redemptions/store.js';
import { refundTotals } from '../refunds/store.js';
import { daysBetween, isWindowOpen, parseDay, startOfBeijingDay } from '../redemptions/window.js';
import {
  findItemsByIds,
  findMerchantsByIds,
  insertCatalogItem,
  insertMerchant,
  itemCursor,
  listMerchants as listMerchantRows,
  merchantCursor,
  setPassbookAcceptance,
  updateCatalogItem,
} from './store.js';

export async function getMerchant(ctx: PointsContext, id: string): Promise<MerchantRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a merchant id.', 'id');
  return ctx.loaders.merchantById.load(id);
}

export async function listMerchants(
  ctx: PointsContext,
  filter: { bank?: string | null; kind?: MerchantRow['kind'] | null; sandbox?: boolean | null } | null | undefined,
  args: ConnectionArgs,
): Promise<Connection<MerchantRow>> {
  const page = readPage(args, ['text', 'uuid']);
  const bankId = optionalId(filter?.bank, 'filter.bank', 'a bank unit id');
  const kind = filter?.kind ?? null;
  return toConnection(await listMerchantRows(ctx.db, { bankId: bankId ?? null, kind, sandbox: filter?.sandbox ?? false }, page), page, merchantCursor);
}

/** Whether the merchant takes redemptions at this moment. */
export async function isOpenNow(ctx: PointsContext, merchant: MerchantRow): Promise<boolean> {
  if (!merchant.active) return false;
  if (merchant.alwaysOpen) return true;
  const bank = await ctx.loaders.bankUnitById.load(merchant.bankId);
  return bank !== null && isWindowOpen(await windowOf(ctx, bank), ctx.settings.now());
}

export async function listCatalog(ctx: PointsContext, merchant: MerchantRow, args: ConnectionArgs & { includeInactive?: boolean | null }): Promise<Connection<CatalogItemRow>> {
  const page = readPage(args, ['text', 'uuid']);
  const includeInactive = args.includeInactive ?? false;
  const rows = await ctx.loaders.catalogPage({ page, includeInactive }).load(merchant.id);
  // Counted only when a client asks for totalCount, with the same filter as the page.
  return toConnection(rows, page, itemCursor, () => ctx.loaders.catalogCount({ includeInactive }).load(merchant.id));
}

export async function getCatalogItem(ctx: PointsContext, id: string): Promise<CatalogItemRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a catalogue item id.', 'id');
  return ctx.loaders.itemById.load(id);
}

async function assertMayReadBooks(ctx: PointsContext, merchant: MerchantRow): Promise<void> {
  requireSignedIn(ctx.viewer);
  if (!(await mayReadMerchantBooks(ctx, merchant))) throw new ForbiddenError("Only the merchant itself and its bank's staff may see its books.");
}

export async function merchantAccount(ctx: PointsContext, merchant: MerchantRow): Promise<AccountRow | null> {
  await assertMayReadBooks(ctx, merchant);
  return ctx.loaders.accountOfMerchant.load(merchant.id);
}

export async function listMerchantRedemptions(
  ctx: PointsContext,
  merchant: MerchantRow,
  args: ConnectionArgs & { status?: RedemptionStatus | null },
): Promise<Connection<RedemptionRow>> {
  await assertMayReadBooks(ctx, merchant);
  const page = readPage(args, ['timestamp', 'uuid']);
  const status = args.status ?? null;
  return toConnection(await ctx.loaders.merchantRedemptionPage({ page, status }).load(merchant.id), page, redemptionCursor);
}

/** A Date argument as its calendar day: graphql-scalars hands over a Date at UTC midnight, codegen types it as a string. */
const dayText = (value: unknown): string => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));

/** The merchant's settlement for whole Beijing days `from`..`to`: captured redemptions, by capture time, less the refunds made in those days. */
export async function settlementOf(ctx: PointsContext, merchant: MerchantRow, period: { from: unknown; to: unknown }): Promise<SettlementModel> {
  await assertMayReadBooks(ctx, merchant);
  const from = parseDay(dayText(period.from));
  const to = parseDay(dayText(period.to));
  if (!from || !to) throw new BadInputError('period needs two calendar days, YYYY-MM-DD.', 'period');
  const days = daysBetween(from, to);
  if (days < 1 || days > 366) throw new BadInputError('period must run forwards, 1 to 366 days.', 'period');
  const start = startOfBeijingDay(from);
  const end = new Date(startOfBeijingDay(to).getTime() + 24 * 3600 * 1000);
  // A refund counts on the day it is made, whichever period its redemption was captured in.
  const [totals, refunded] = await Promise.all([settlementTotals(ctx.db, merchant.id, start, end), refundTotals(ctx.db, merchant.id, start, end)]);
  return { merchant, from: dayText(period.from), to: dayText(period.to), start, end, ...totals, ...refunded };
}

export async function listSettlementRedemptions(ctx: PointsContext, settlement: SettlementModel, args: ConnectionArgs): Promise<Connection<RedemptionRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findSettlementPage(ctx.db, settlement.merchant.id, settlement.start, settlement.end, page);
  return toConnection(rows, page, settlementCursor);
}

const merchantCreateInput = z.object({
  bank: idInput('a bank unit'),
  kind: z.enum(merchantKind.enumValues).nullish(),
  organization: idInput('an organisation').nullish(),
  office: idInput('a savings office').nullish(),
  name: textInput(100),
  alwaysOpen: z.boolean().nullish(),
  minimumBalance: z.number().int().min(0, 'must not be negative.').nullish(),
  sandbox: z.boolean().nullish(),
});

/**
 * The savings office named as recruiting a merchant: an office of the
 * merchant's own bank, and only for an alliance merchant (the central
 * exchange is the bank's own).
 */
async function recruitingOffice(ctx: PointsContext, officeId: string, bankId: string, kind: MerchantRow['kind']): Promise<Result<BankUnitRow>> {
  const field = ['input', 'office'];
  if (kind !== 'alliance') return refused(userError(field, 'INVALID', 'A central exchange is run by the head bank, not recruited by an office.'));
  const office = await ctx.loaders.bankUnitById.load(officeId);
  if (!office) return refused(userError(field, 'NOT_FOUND', 'There is no such bank unit.'));
  if (office.kind !== 'savings_office' || office.bankId !== bankId)
    return refused(userError(field, 'INVALID', "Merchants are recruited by a savings office of the merchant's own bank."));
  return { ok: true, value: office };
}

/** Admits a merchant with its own points account, in one transaction; the office that recruited it, if named, is kept and announced. */
export async function createMerchant(ctx: PointsContext, input: unknown): Promise<Result<MerchantRow>> {
  const createdBy = requirePlatformAdmin(ctx.viewer);
  const parsed = parseInput(merchantCreateInput, input);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const kind = value.kind ?? 'alliance';
  if (kind === 'alliance' && !value.organization) return refused(userError(['input', 'organization'], 'REQUIRED', 'An alliance merchant is an organisation.'));
  if (kind === 'central_exchange' && value.organization) {
    return refused(userError(['input', 'organization'], 'INVALID', 'A central exchange is run by the head bank, not an organisation.'));
  }
  const found = await headBankOf(ctx, value.bank, 'Merchants join the alliance of a head bank.');
  if (!found.ok) return found;
  const bank = found.value;
  const office = value.office ? await recruitingOffice(ctx, value.office, bank.id, kind) : null;
  if (office && !office.ok) return office;
  const serial = await nextPassbookSerial(ctx.db);
  return inTransaction(ctx, async (tx) => {
    const merchant = await insertMerchant(tx, {
      id: newId(),
      kind,
      name: value.name,
      organizationId: value.organization ?? null,
      bankId: bank.id,
      officeId: office?.value.id ?? null,
      alwaysOpen: value.alwaysOpen ?? false,
      minimumBalance: value.minimumBalance ?? 0,
      sandbox: value.sandbox ?? false,
      createdBy,
    });
    if (merchant === 'exchange_exists') refuse(['input', 'kind'], 'ALREADY_EXISTS', 'This bank already has a central exchange.');
    if (merchant === 'organization_exists') refuse(['input', 'organization'], 'ALREADY_EXISTS', 'This organisation is already a merchant of this bank.');
    // Recognition counts the companies each office recruited (its yearly rating); a sandbox merchant is no company recruited.
    if (!merchant.sandbox) await publishMerchantJoined(tx, merchant, office?.value ?? null);
    await insertMerchantAccount(tx, {
      merchantId: merchant.id,
      kind: kind === 'central_exchange' ? 'exchange' : 'merchant',
      passbookNumber: passbookNumber(serial),
      openedBy: createdBy,
      sandbox: merchant.sandbox,
    });
    return merchant;
  });
}

const catalogItemCreateInput = z.object({
  merchant: idInput('a merchant'),
  name: textInput(100),
  description: z.string().trim().max(1000, 'must be at most 1000 characters.').nullish(),
  pricePoints: z.number().int().min(1, 'must be at least 1.').max(1_000_000, 'must be at most 1000000.'),
  stock: z.number().int().min(0, 'must not be negative.').max(10_000_000, 'must be at most 10000000.'),
  returnable: z.boolean().nullish(),
});

export async function createCatalogItem(ctx: PointsContext, input: unknown): Promise<Result<CatalogItemRow>> {
  requireRoles(ctx.viewer, ['merchant', 'bank_clerk'], 'keep a catalogue');
  const parsed = parseInput(catalogItemCreateInput, input);
  if (!parsed.ok) return parsed;
  assertMayActForMerchantId(ctx, parsed.value.merchant, 'Only the merchant itself keeps its catalogue.');
  const [merchant] = await findMerchantsByIds(ctx.db, [parsed.value.merchant]);
  if (!merchant) return refused(userError(['input', 'merchant'], 'NOT_FOUND', 'There is no such merchant.'));
  // Merchants are public: one the viewer may not act for is NOT_ALLOWED.
  if (!(await mayActForMerchant(ctx, merchant))) return refused(userError(['input', 'merchant'], 'NOT_ALLOWED', 'Only the merchant itself keeps its catalogue.'));
  return inTransaction(ctx, async (tx) => {
    const item = await insertCatalogItem(tx, {
      merchantId: merchant.id,
      name: parsed.value.name,
      description: parsed.value.description || null,
      pricePoints: parsed.value.pricePoints,
      stock: parsed.value.stock,
      returnable: parsed.value.returnable ?? true,
    });
    if (!item) refuse(['input', 'name'], 'ALREADY_EXISTS', 'The catalogue already lists an item by that name.');
    return item;
  });
}

const catalogItemUpdateInput = z.object({
  item: idInput('a catalogue item'),
  name: textInput(100).nullish(),
  description: z.string().trim().max(1000, 'must be at most 1000 characters.').nullish(),
  pricePoints: z.number().int().min(1, 'must be at least 1.').max(1_000_000, 'must be at most 1000000.').nullish(),
  active: z.boolean().nullish(),
  addStock: z.number().int().min(1, 'must be at least 1.').max(10_000_000, 'must be at most 10000000.').nullish(),
  returnable: z.boolean().nullish(),
});

export async function updateItem(ctx: PointsContext, input: unknown): Promise<Result<CatalogItemRow>> {
  requireRoles(ctx.viewer, ['merchant', 'bank_clerk'], 'keep a catalogue');
  const parsed = parseInput(catalogItemUpdateInput, input);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const [item] = await findItemsByIds(ctx.db, [value.item]);
  if (!item) return refused(userError(['input', 'item'], 'NOT_FOUND', 'There is no such catalogue item.'));
  const [merchant] = await findMerchantsByIds(ctx.db, [item.merchantId]);
  if (!merchant) throw new Error(`catalogue item ${item.id} names a missing merchant`);
  // Catalogue items are public: one of a merchant the viewer may not act for is NOT_ALLOWED.
  if (!(await mayActForMerchant(ctx, merchant))) return refused(userError(['input', 'item'], 'NOT_ALLOWED', 'Only the merchant itself keeps its catalogue.'));
  return inTransaction(ctx, async (tx) => {
    const updated = await updateCatalogItem(tx, item.id, {
      ...(value.name ? { name: value.name } : {}),
      ...(value.description !== undefined && value.description !== null ? { description: value.description || null } : {}),
      ...(value.pricePoints ? { pricePoints: value.pricePoints } : {}),
      ...(value.active !== undefined && value.active !== null ? { active: value.active } : {}),
      ...(value.addStock ? { addStock: value.addStock } : {}),
      ...(value.returnable !== undefined && value.returnable !== null ? { returnable: value.returnable } : {}),
    });
    if (!updated) refuse(['input', 'name'], 'ALREADY_EXISTS', 'The catalogue already lists an item by that name.');
    return updated;
  });
}

const passbookAcceptanceInput = z.object({ merchant: idInput('a merchant'), accepts: z.boolean() });

/**
 * `merchantPassbookAcceptanceSet`: the head bank decides whether a till may
 * redeem by passbook number alone (weaker than a payment code: it shows
 * neither that the customer is there nor that they agree).
 */
export async function setMerchantPassbookAcceptance(ctx: PointsContext, input: unknown): Promise<Result<MerchantRow>> {
  requireRoles(ctx.viewer, ['bank_clerk'], 'decide how merchants take customers');
  const parsed = parseInput(passbookAcceptanceInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'merchant'];
  const merchant = await ctx.loaders.merchantById.load(parsed.value.merchant.toLowerCase());
  // Merchants are public: an unknown one is NOT_FOUND, one of a bank the viewer does not speak for NOT_ALLOWED.
  if (!merchant) return refused(userError(field, 'NOT_FOUND', 'There is no such merchant.'));
  if (!(await mayActForHeadBank(ctx, merchant.bankId))) return refused(userError(field, 'NOT_ALLOWED', "Only the merchant's head bank decides this."));
  return inTransaction(ctx, async (tx) => required(await setPassbookAcceptance(tx, merchant.id, parsed.value.accepts), `merchant ${merchant.id}`));
}
