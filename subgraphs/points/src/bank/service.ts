/**
 * Rules for the bank's structure. The tree (head bank → branches → savings
 * offices), the regions and stations units sit at, and each bank's deposit
 * rules and redemption window are public; only platform admins change them.
 * Clerks are assigned to units and serve every office at or under them.
 */
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  hasRole,
  isPlatformAdmin,
  isUuid,
  newId,
  ok,
  optionalId,
  readPage,
  refused,
  requireSignedIn,
  required,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
} from '@lianxin/shared';
import { mayActForHeadBank, mayServeOffice, requirePlatformAdmin } from '../access.js';
import { officeAccountCursor } from '../accounts/store.js';
import type { PointsContext } from '../context.js';
import { isKnownPerson, unknownPerson } from '../directory/service.js';
import { type AccountRow, type BankUnitKind, type BankUnitRow, type DepositRuleRow, type RedemptionWindowKind, bankUnitKind, redemptionWindow } from '../db/schema.js';
import { categoryInput, idInput, inTransaction, parseInput, refuse, textInput } from '../mutation.js';
import { publishBankUnitOpened } from '../events/publish.js';
import {
  findBankUnitsByIds,
  findCategoriesWithoutRule,
  insertBankUnit,
  insertClerk,
  insertKnownCategory,
  listBankUnits,
  unitCursor,
  updateFenPerPoint,
  upsertDepositRule,
} from './store.js';

export async function getBankUnit(ctx: PointsContext, id: string): Promise<BankUnitRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a bank unit id.', 'id');
  return ctx.loaders.bankUnitById.load(id);
}

/**
 * The rule head bank `bankId` has for `categoryCode`, as its `depositRules`
 * show it to anyone (rules are public): what a refused `depositRuleSet`
 * answers with. Null when there is none yet, or when the id names no head
 * bank (a branch's rules are its head bank's, which the refusal did not name).
 */
export async function depositRuleAsItStands(ctx: PointsContext, bankId: string, categoryCode: string): Promise<DepositRuleRow | null> {
  const bank = await getBankUnit(ctx, bankId);
  if (bank?.kind !== 'head_bank') return null;
  return (await depositRulesOf(ctx, bank)).find((rule) => rule.categoryCode === categoryCode) ?? null;
}

/** A unit another row points at; the foreign keys guarantee it, so a miss means the database is broken. */
/**
 * The head bank an admin's input names in `input.bank`, or the user error
 * saying why it is not one; `notHeadBank` says what only a head bank does.
 */
export async function headBankOf(ctx: PointsContext, id: string, notHeadBank: string): Promise<Result<BankUnitRow>> {
  const [bank] = await findBankUnitsByIds(ctx.db, [id]);
  if (!bank) return refused(userError(['input', 'bank'], 'NOT_FOUND', 'There is no such bank.'));
  if (bank.kind !== 'head_bank') return refused(userError(['input', 'bank'], 'INVALID', notHeadBank));
  return ok(bank);
}

/** What the unit's head bank pays merchants per point of a settlement statement, in fen. */
export async function fenPerPointOf(ctx: PointsContext, unit: BankUnitRow): Promise<number> {
  return unit.kind === 'head_bank' ? unit.fenPerPoint : (await requireUnit(ctx, unit.bankId)).fenPerPoint;
}

const rateSetInput = z.object({
  bank: idInput('a bank unit'),
  fenPerPoint: z.number().int('must be a whole number.').min(0, 'must be at least 0.').max(100_000, 'must be at most 100000.'),
});

/** `bankSettlementRateSet`: the head bank's own clerks or platform admins set what it pays merchants per point. */
export async function setSettlementRate(ctx: PointsContext, input: unknown): Promise<Result<BankUnitRow>> {
  requireSignedIn(ctx.viewer);
  const parsed = parseInput(rateSetInput, input);
  if (!parsed.ok) return parsed;
  // Bank units are public: naming one reveals nothing, so its kind is checked before the viewer's authority over it.
  const bank = await headBankOf(ctx, parsed.value.bank, 'A settlement rate is set on a head bank.');
  if (!bank.ok) return bank;
  if (!(await mayActForHeadBank(ctx, bank.value.id))) return refused(userError(['input', 'bank'], 'NOT_ALLOWED', "Only the head bank's own staff set its settlement rate."));
  const { fenPerPoint } = parsed.value;
  return inTransaction(ctx, (tx) => updateFenPerPoint(tx, bank.value.id, fenPerPoint));
}

export async function requireUnit(ctx: PointsContext, id: string): Promise<BankUnitRow> {
  const unit = await ctx.loaders.bankUnitById.load(id);
  return required(unit, `bank unit ${id}`);
}

export async function listUnits(
  ctx: PointsContext,
  filter: { kind?: BankUnitKind | null; bank?: string | null } | null | undefined,
  args: ConnectionArgs,
): Promise<Connection<BankUnitRow>> {
  const page = readPage(args, ['text', 'uuid']);
  const bankId = optionalId(filter?.bank, 'filter.bank', 'a bank unit id');
  const kind = filter?.kind ?? null;
  // With no filter at all, the list starts at the top of every tree: the head banks.
  const effectiveKind = kind ?? (bankId ? null : 'head_bank');
  const rows = await listBankUnits(ctx.db, { kind: effectiveKind, bankId: bankId ?? null }, page);
  return toConnection(rows, page, unitCursor);
}

export async function listChildren(ctx: PointsContext, unit: BankUnitRow, args: ConnectionArgs): Promise<Connection<BankUnitRow>> {
  const page = readPage(args, ['text', 'uuid']);
  return toConnection(await ctx.loaders.bankChildrenPage(page).load(unit.id), page, unitCursor);
}

/** The bank's window, shown on every unit of the bank. */
export async function windowOf(ctx: PointsContext, unit: BankUnitRow): Promise<RedemptionWindowKind> {
  const bank = unit.kind === 'head_bank' ? unit : await requireUnit(ctx, unit.bankId);
  return required(bank.redemptionWindow, `redemption window of head bank ${bank.id}`);
}

export function depositRulesOf(ctx: PointsContext, unit: BankUnitRow): Promise<DepositRuleRow[]> {
  return ctx.loaders.depositRulesOfBank.load(unit.bankId);
}

/**
 * The categories requests announced that the unit's bank has no deposit rule
 * for: the prompt to set one. For those who look after the bank, clerks and
 * platform admins; null for anyone else (the rules themselves are public, but
 * what the bank has yet to decide is its staff's business).
 */
export function categoriesWithoutRuleOf(ctx: PointsContext, unit: BankUnitRow): Promise<string[]> | null {
  if (!isPlatformAdmin(ctx.viewer) && !hasRole(ctx.viewer, 'bank_clerk')) return null;
  return findCategoriesWithoutRule(ctx.db, unit.bankId);
}

/** `service_category.created`: remembers the category, so the banks see it lacks a rule. */
export function learnCategory(tx: Transaction, payload: { categoryCode: string }): Promise<void> {
  return insertKnownCategory(tx, payload.categoryCode);
}

/** Customer accounts of a savings office, for the clerks who serve it and platform admins; other units open no accounts. */
export async function listOfficeAccounts(ctx: PointsContext, unit: BankUnitRow, args: ConnectionArgs): Promise<Connection<AccountRow>> {
  const page = readPage(args, ['text']);
  if (!(await mayServeOffice(ctx, unit.id))) {
    if (unit.kind !== 'savings_office') return toConnection([], page, officeAccountCursor);
    throw new ForbiddenError('Only clerks who serve this office and platform admins may list its accounts.');
  }
  return toConnection(await ctx.loaders.officeAccountPage(page).load(unit.id), page, officeAccountCursor);
}

const KIND_ORDER: Record<BankUnitKind, BankUnitKind | null> = { head_bank: null, branch: 'head_bank', savings_office: 'branch' };

const bankUnitCreateInput = z.object({
  kind: z.enum(bankUnitKind.enumValues),
  name: textInput(100),
  parent: idInput('a bank unit').nullish(),
  region: idInput('a region'),
  station: idInput('a station').nullish(),
  redemptionWindow: z.enum(redemptionWindow.enumValues).nullish(),
});

/** Adds a unit where the tree allows it: a head bank at the root, a branch under a head bank, an office (at a station) under a branch. */
export async function createBankUnit(ctx: PointsContext, input: unknown): Promise<Result<BankUnitRow>> {
  const createdBy = requirePlatformAdmin(ctx.viewer);
  const parsed = parseInput(bankUnitCreateInput, input);
  if (!parsed.ok) return parsed;
  const { kind, name, region, station, parent: parentId } = parsed.value;
  const parentKind = KIND_ORDER[kind];
  if (parentKind === null && parentId) return refused(userError(['input', 'parent'], 'INVALID', 'A head bank has no parent.'));
  if (parentKind !== null && !parentId) return refused(userError(['input', 'parent'], 'REQUIRED', `A ${kind.replace('_', ' ')} needs a parent.`));
  if (kind === 'savings_office' && !station) return refused(userError(['input', 'station'], 'REQUIRED', 'A savings office sits at a practice station.'));
  if (kind !== 'savings_office' && station) return refused(userError(['input', 'station'], 'INVALID', 'Only savings offices sit at a station.'));
  if (kind !== 'head_bank' && parsed.value.redemptionWindow) {
    return refused(userError(['input', 'redemptionWindow'], 'INVALID', 'The redemption window is set on the head bank.'));
  }
  let parent: BankUnitRow | null = null;
  if (parentId) {
    [parent = null] = await findBankUnitsByIds(ctx.db, [parentId]);
    if (!parent) return refused(userError(['input', 'parent'], 'NOT_FOUND', 'There is no such bank unit.'));
    if (parent.kind !== parentKind) return refused(userError(['input', 'parent'], 'INVALID', `A ${kind.replace('_', ' ')} hangs off a ${parentKind?.replace('_', ' ')}.`));
  }
  return inTransaction(ctx, async (tx) => {
    const unit = await insertBankUnit(
      tx,
      {
        kind,
        name,
        parent,
        regionId: region,
        stationId: station ?? null,
        redemptionWindow: kind === 'head_bank' ? (parsed.value.redemptionWindow ?? 'first_weekend_of_month') : null,
        createdBy,
      },
      newId(),
    );
    if (!unit) refuse(['input', 'name'], 'ALREADY_EXISTS', 'A unit by that name already sits there.');
    await publishBankUnitOpened(tx, unit);
    return unit;
  });
}

const bankClerkAssignInput = z.object({ unit: idInput('a bank unit'), person: idInput('a person') });

export async function assignClerk(ctx: PointsContext, input: unknown): Promise<Result<BankUnitRow>> {
  const assignedBy = requirePlatformAdmin(ctx.viewer);
  const parsed = parseInput(bankClerkAssignInput, input);
  if (!parsed.ok) return parsed;
  const [unit] = await findBankUnitsByIds(ctx.db, [parsed.value.unit]);
  if (!unit) return refused(userError(['input', 'unit'], 'NOT_FOUND', 'There is no such bank unit.'));
  if (!(await isKnownPerson(ctx.db, parsed.value.person))) return refused(unknownPerson(['input', 'person']));
  return inTransaction(ctx, async (tx) => {
    await insertClerk(tx, { personId: parsed.value.person, unitId: unit.id, assignedBy });
    return unit;
  });
}

const depositRuleSetInput = z.object({
  bank: idInput('a bank unit'),
  category: categoryInput,
  pointsPerHour: z.number().int().min(1, 'must be at least 1.').max(10_000, 'must be at most 10000.'),
});

export async function setDepositRule(ctx: PointsContext, input: unknown): Promise<Result<DepositRuleRow>> {
  const updatedBy = requirePlatformAdmin(ctx.viewer);
  const parsed = parseInput(depositRuleSetInput, input);
  if (!parsed.ok) return parsed;
  const bank = await headBankOf(ctx, parsed.value.bank, 'Deposit rules are set by a head bank.');
  if (!bank.ok) return bank;
  const { category: categoryCode, pointsPerHour } = parsed.value;
  return inTransaction(ctx, (tx) => upsertDepositRule(tx, { bankId: bank.value.id, categoryCode, pointsPerHour, updatedBy }));
}
