/**
 * Rules for charity granaries (义仓): goods given in kind, kept at a savings
 * office and handed out to households in hardship. The office's clerks (and
 * platform admins) run a granary; anyone signed in sees its goods and stock,
 * an aggregate; only its clerks see its movements, which name households.
 *
 * Hardship is people's to know and never travels in an event (docs/events.md),
 * so points cannot check it: a handout names the household and says why, in
 * `reason`, and the clerk who writes it answers for it (the movement keeps who
 * wrote it). The stock ledger is as strict as the points ledger: append-only,
 * each movement its goods' next line, stock never below zero (checks and
 * triggers in the migration, and `auditLedger`).
 */
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
  ForbiddenError,
  isUuid,
  readPage,
  refused,
  requireRoles,
  requireSignedIn,
  toConnection,
  type Connection,
  type ConnectionArgs,
  type Result,
} from '@lianxin/shared';
import { mayServeOffice } from '../access.js';
import type { PointsContext } from '../context.js';
import { granaryDonorKind, granaryMovementKind, type BankUnitRow, type GranaryGoodsRow, type GranaryMovementKind, type GranaryMovementRow, type GranaryRow } from '../db/schema.js';
import { refuse, userError } from '../errors.js';
import { idInput, inTransaction, parseInput, textInput } from '../mutation.js';
import { countMovements, insertGoods, insertGranary, insertHandoutRead, movementCursor, postMovement, type MovementFilter } from './store.js';

const MAX_QUANTITY = 100_000;

const granaryCreateInput = z.object({ office: idInput('a bank unit').transform((value) => value.toLowerCase()), name: textInput(100) });
const goodsAddInput = z.object({ granary: idInput('a granary').transform((value) => value.toLowerCase()), name: textInput(100), unit: textInput(20) });

const movementInput = z
  .object({
    goods: idInput('a goods').transform((value) => value.toLowerCase()),
    kind: z.enum(granaryMovementKind.enumValues),
    quantity: z.number().int('must be whole units.').min(-MAX_QUANTITY, `must be at least -${MAX_QUANTITY}.`).max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}.`),
    donor: z
      .object({
        kind: z.enum(granaryDonorKind.enumValues),
        organization: idInput('an organization').nullish(),
        person: idInput('a person').nullish(),
      })
      .refine((donor) => (donor.kind === 'organization') === (donor.organization != null), 'names an organization exactly when its kind is ORGANIZATION.')
      .refine((donor) => (donor.kind === 'person') === (donor.person != null), 'names a person exactly when its kind is PERSON.')
      .nullish(),
    household: idInput('a household').nullish(),
    reason: textInput(500).nullish(),
    note: textInput(500).nullish(),
  })
  .superRefine((input, issues) => {
    const problem = (path: string, message: string) => issues.addIssue({ code: 'custom', path: [path], message });
    if (input.kind === 'adjustment' ? input.quantity === 0 : input.quantity < 1) problem('quantity', input.kind === 'adjustment' ? 'must not be 0.' : 'must be at least 1.');
    if ((input.kind === 'receipt') !== (input.donor != null)) problem('donor', input.kind === 'receipt' ? 'is required for a receipt.' : 'is for a receipt only.');
    if ((input.kind === 'handout') !== (input.household != null)) problem('household', input.kind === 'handout' ? 'is required for a handout.' : 'is for a handout only.');
    if ((input.kind === 'receipt') === (input.reason != null))
      problem('reason', input.kind === 'receipt' ? 'is not given for a receipt.' : 'is required for a handout or an adjustment.');
  });

/** The office a granary is opened at, if the viewer runs it: bank units are public, so another office is NOT_ALLOWED. */
async function officeToRun(ctx: PointsContext, officeId: string, field: string[]): Promise<Result<BankUnitRow>> {
  const office = await ctx.loaders.bankUnitById.load(officeId);
  if (!office || office.kind !== 'savings_office') return refused(userError(field, 'NOT_FOUND', 'There is no such savings office.'));
  if (!(await mayServeOffice(ctx, office.id))) return refused(userError(field, 'NOT_ALLOWED', "Only the office's clerks and platform admins run its granaries."));
  return { ok: true, value: office };
}

/** `granaryCreate`. */
export async function createGranary(ctx: PointsContext, input: unknown): Promise<Result<GranaryRow>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], 'run granaries');
  const parsed = parseInput(granaryCreateInput, input);
  if (!parsed.ok) return parsed;
  const office = await officeToRun(ctx, parsed.value.office, ['input', 'office']);
  if (!office.ok) return office;
  return inTransaction(ctx, async (tx) => {
    const granary = await insertGranary(tx, { officeId: office.value.id, name: parsed.value.name, createdBy: by });
    return granary ?? refuse(['input', 'name'], 'ALREADY_EXISTS', 'The office already has a granary by that name.');
  });
}

/** `granaryGoodsAdd`. */
export async function addGoods(ctx: PointsContext, input: unknown): Promise<Result<GranaryGoodsRow>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], 'run granaries');
  const parsed = parseInput(goodsAddInput, input);
  if (!parsed.ok) return parsed;
  const granary = await ctx.loaders.granaryById.load(parsed.value.granary);
  if (!granary) return refused(userError(['input', 'granary'], 'NOT_FOUND', 'There is no such granary.'));
  const office = await officeToRun(ctx, granary.officeId, ['input', 'granary']);
  if (!office.ok) return office;
  return inTransaction(ctx, async (tx) => {
    const goods = await insertGoods(tx, { granaryId: granary.id, name: parsed.value.name, unit: parsed.value.unit, createdBy: by });
    return goods ?? refuse(['input', 'name'], 'ALREADY_EXISTS', 'The granary already keeps goods by that name.');
  });
}

/** `granaryMovementRecord`: a receipt, a handout or an adjustment, under the goods' row lock. */
export async function recordMovement(ctx: PointsContext, input: unknown): Promise<Result<GranaryMovementRow>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], 'run granaries');
  const parsed = parseInput(movementInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'goods'];
  const goods = await ctx.loaders.goodsById.load(parsed.value.goods);
  const granary = goods ? await ctx.loaders.granaryById.load(goods.granaryId) : null;
  if (!goods || !granary) return refused(userError(field, 'NOT_FOUND', 'There are no such goods.'));
  const office = await officeToRun(ctx, granary.officeId, field);
  if (!office.ok) return office;
  const { kind, quantity, donor, household, reason, note } = parsed.value;
  const outOfStock = userError(['input', 'quantity'], 'OUT_OF_STOCK', `There is not that much ${goods.name} in stock.`);
  return inTransaction(
    ctx,
    async (tx) => {
      const { movement } = await postMovement(tx, {
        goodsId: goods.id,
        kind,
        quantity: kind === 'handout' ? -quantity : quantity,
        donorKind: donor?.kind ?? null,
        donorOrganizationId: donor?.organization?.toLowerCase() ?? null,
        donorPersonId: donor?.person?.toLowerCase() ?? null,
        householdId: household?.toLowerCase() ?? null,
        reason: reason ?? null,
        note: note ?? null,
        createdBy: by,
      });
      return movement;
    },
    [{ sqlState: CHECK_VIOLATION, constraint: 'granary_goods_stock_not_negative', error: outOfStock }],
  );
}

/** `granary(id)`: open to anyone signed in (its goods and stock are aggregates). */
export async function getGranary(ctx: PointsContext, id: string): Promise<GranaryRow | null> {
  requireSignedIn(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a granary id.', 'id');
  return ctx.loaders.granaryById.load(id.toLowerCase());
}

/** `BankUnit.granaries`: an office's; other units have none. */
export async function granariesOf(ctx: PointsContext, unit: BankUnitRow): Promise<GranaryRow[]> {
  requireSignedIn(ctx.viewer);
  return unit.kind === 'savings_office' ? ctx.loaders.granariesOfOffice.load(unit.id) : [];
}

/** `Granary.movements`: the office's clerks and platform admins only, since handouts name households. */
export async function listMovements(
  ctx: PointsContext,
  granary: GranaryRow,
  args: ConnectionArgs & { kind?: GranaryMovementKind | null; goods?: string | null },
): Promise<Connection<GranaryMovementRow>> {
  requireSignedIn(ctx.viewer);
  if (!(await mayServeOffice(ctx, granary.officeId))) throw new ForbiddenError("Only the office's clerks and platform admins may read a granary's movements.");
  if (args.goods != null && !isUuid(args.goods)) throw new BadInputError('goods is not a goods id.', 'goods');
  const page = readPage(args, ['timestamp', 'uuid']);
  const filter: MovementFilter = { kind: args.kind ?? null, goodsId: args.goods?.toLowerCase() ?? null };
  const rows = await ctx.loaders.granaryMovementPage({ page, filter }).load(granary.id);
  const connection = toConnection(rows, page, movementCursor, () => countMovements(ctx.db, granary.id, filter));
  await logHandoutsSeen(
    ctx,
    granary,
    connection.edges.map((edge) => edge.node),
  );
  return connection;
}

/**
 * Handouts tell of households' hardship: a page that shows any is logged
 * before it is answered (one row per page), as people logs reads of the
 * hardship itself.
 */
async function logHandoutsSeen(ctx: PointsContext, granary: GranaryRow, movements: readonly GranaryMovementRow[]): Promise<void> {
  const householdIds = [...new Set(movements.flatMap((movement) => (movement.householdId ? [movement.householdId] : [])))];
  if (householdIds.length === 0) return;
  await insertHandoutRead(ctx.db, {
    granaryId: granary.id,
    householdIds,
    viewerSubject: requireSignedIn(ctx.viewer),
    viewerPersonId: ctx.viewer.personId !== null && isUuid(ctx.viewer.personId) ? ctx.viewer.personId : null,
    traceId: ctx.traceId,
  });
}
