/**
 * Rules for settlement statements (结算单): a merchant's settlement for a
 * Beijing calendar month, frozen when it closes.
 *
 * Which lines a statement takes: when the statement for month M closes, it
 * takes every capture and refund of the merchant made before the end of M
 * that is on no statement yet. Whatever is made after the close, at whatever
 * time, is left for the next statement to close. The database holds it:
 * a capture or refund is on one statement only (unique indexes on the
 * source), a line's time is before the end of its statement's month, and a
 * closed statement takes no more lines. A month earlier than the merchant's
 * latest statement is not closed (its lines would already be on the later
 * one), so statements follow each other in time.
 *
 * A statement exists from its close; the running month is read as
 * `Merchant.settlement`. Steps: closed (head-bank staff or the scheduler) →
 * confirmed (the merchant) → paid (head-bank staff); a dispute of a line of
 * a closed statement stops both until the bank resolves it.
 */
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
  ForbiddenError,
  isPlatformAdmin,
  isUuid,
  newId,
  readPage,
  refused,
  requireSignedIn,
  required,
  toConnection,
  unseenObject,
  type Connection,
  type ConnectionArgs,
  type Database,
  type Result,
  type Transaction,
} from '@lianxin/shared';
import { isMerchantItself, mayActForHeadBank, mayReadMerchantBooks } from '../access.js';
import type { PointsContext } from '../context.js';
import { findBankUnitsByIds } from '../bank/store.js';
import type { MerchantRow, SettlementLineRow, SettlementStatementRecord, SettlementStepRow } from '../db/schema.js';
import { refuse, userError } from '../errors.js';
import { publishStatementClosed } from '../events/publish.js';
import type { StatementModel } from '../model.js';
import { idInput, inTransaction, parseInput, textInput } from '../mutation.js';
import { memberIdOf } from '../redemptions/member-id.js';
import { beijingDay } from '../redemptions/window.js';
import {
  findDisputesByIds,
  findStatementModels,
  findStatementOfMonth,
  insertClosedStatement,
  insertDispute,
  insertResolution,
  insertStep,
  latestStatementMonth,
  lineCursor,
  lockMerchantForClose,
  lockStatement,
  statementCursor,
  unassignedLines,
  type DisputeRow,
  withSteps,
} from './store.js';

const OFFSET_MS = 8 * 3600 * 1000;
/** The month `YYYY-MM` as its first and last day and the instants it spans, Beijing time. */
export function monthBounds(month: string): { periodFrom: string; periodTo: string; start: Date; end: Date } {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(year, number - 1, 1) - OFFSET_MS);
  const end = new Date(Date.UTC(year, number, 1) - OFFSET_MS);
  const last = new Date(Date.UTC(year, number, 0));
  return { periodFrom: `${month}-01`, periodTo: last.toISOString().slice(0, 10), start, end };
}

/** The Beijing month before the one `at` falls in, `YYYY-MM`. */
export function previousMonth(at: Date): string {
  const { year, month } = beijingDay(at);
  const previous = new Date(Date.UTC(year, month - 2, 1));
  return previous.toISOString().slice(0, 7);
}

/** An instant as Beijing local time, ISO 8601 with its offset: `2026-11-03T10:00:00.000+08:00`. */
export function beijingIso(at: Date): string {
  return `${new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 23)}+08:00`;
}

const STATEMENT_FIELD = ['input', 'statement'];

async function requireMerchantOf(ctx: PointsContext, statement: SettlementStatementRecord): Promise<MerchantRow> {
  return required(await ctx.loaders.merchantById.load(statement.merchantId), `merchant of statement ${statement.id}`);
}

/** A statement the viewer may see (the merchant's books: itself, its bank's clerks, platform admins); null when unknown or unseen. */
async function visibleStatement(ctx: PointsContext, id: string): Promise<StatementModel | null> {
  const statement = await ctx.loaders.statementById.load(id);
  if (!statement) return null;
  return (await mayReadMerchantBooks(ctx, await requireMerchantOf(ctx, statement))) ? statement : null;
}

/** A statement as a refused mutation answers with it: as the viewer may read it, else null. */
export async function statementAsItStands(ctx: PointsContext, id: string): Promise<StatementModel | null> {
  return isUuid(id) ? visibleStatement(ctx, id.toLowerCase()) : null;
}

/** A dispute as a refused resolution answers with it: when the viewer may read its statement, else null. */
export async function disputeAsItStands(ctx: PointsContext, id: string): Promise<DisputeRow | null> {
  const dispute = isUuid(id) ? await ctx.loaders.disputeById.load(id.toLowerCase()) : null;
  return dispute && (await visibleStatement(ctx, dispute.statementId)) ? dispute : null;
}

const STATEMENT_HIDDEN = "Only the merchant itself and its bank's staff may see its statements.";

/** `settlementStatement(id)`: to anyone but a platform admin, an unknown id is as forbidden as another merchant's statement. */
export async function getStatement(ctx: PointsContext, id: string): Promise<StatementModel | null> {
  requireSignedIn(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a settlement statement id.', 'id');
  const statement = await resolveStatementReference(ctx, id);
  if (statement === null && !isPlatformAdmin(ctx.viewer)) throw new ForbiddenError(STATEMENT_HIDDEN);
  return statement;
}

export async function resolveStatementReference(ctx: PointsContext, id: string): Promise<StatementModel | null> {
  requireSignedIn(ctx.viewer);
  const statement = await ctx.loaders.statementById.load(id);
  if (!statement) return null;
  if (!(await mayReadMerchantBooks(ctx, await requireMerchantOf(ctx, statement)))) throw new ForbiddenError(STATEMENT_HIDDEN);
  return statement;
}

/** `Merchant.statements`: newest month first, for whoever may read the merchant's books. */
export async function listStatements(ctx: PointsContext, merchant: MerchantRow, args: ConnectionArgs): Promise<Connection<StatementModel>> {
  requireSignedIn(ctx.viewer);
  if (!(await mayReadMerchantBooks(ctx, merchant))) throw new ForbiddenError("Only the merchant itself and its bank's staff may see its books.");
  const page = readPage(args, ['text', 'uuid']);
  // The page and the count are asked for together, so both batch across every merchant on a list.
  const [records, counted] = await Promise.all([ctx.loaders.settlementStatementPage(page).load(merchant.id), ctx.loaders.statementCount.load(merchant.id)]);
  const steps = await Promise.all(records.map((record) => ctx.loaders.stepsOfStatement.load(record.id)));
  const models = records.map((record, index) => withSteps(record, steps[index] ?? []));
  return toConnection(models, page, statementCursor, () => Promise.resolve(counted?.count ?? 0));
}

/** A statement's lines in time order (its reader was checked when the statement was read). */
export async function listLines(ctx: PointsContext, statement: StatementModel, args: ConnectionArgs): Promise<Connection<SettlementLineRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  return toConnection(await ctx.loaders.linePage(page).load(statement.id), page, lineCursor);
}

/** The member id a merchant knows a line's customer by. */
export const memberIdOfLine = (ctx: PointsContext, statement: { merchantId: string }, line: SettlementLineRow): string =>
  memberIdOf(ctx.settings.memberIdKey, statement.merchantId, line.accountId);

/** `SettlementStatement.csv`: a header row and one row per line, UTF-8 with a byte order mark and CRLF, as the analysts' downloads are written. */
export async function statementCsv(ctx: PointsContext, statement: StatementModel): Promise<string> {
  const [lines, disputes] = await Promise.all([ctx.loaders.allLinesOfStatement.load(statement.id), ctx.loaders.disputesOfStatement.load(statement.id)]);
  const disputed = new Set(disputes.map((dispute) => dispute.lineId));
  const rows = lines.map((line) => [
    line.kind,
    line.refundId ?? line.redemptionId,
    beijingIso(line.at),
    memberIdOfLine(ctx, statement, line),
    line.itemCount,
    line.points,
    disputed.has(line.id) ? 'yes' : 'no',
  ]);
  // Written as the gateway's statistics downloads are: a bare line break quoted too, formulas defused for a spreadsheet, numbers as numbers.
  return stringify(rows, {
    bom: true,
    header: true,
    columns: ['kind', 'source', 'time', 'member', 'items', 'points', 'disputed'],
    record_delimiter: 'windows',
    quote_record_delimiter: true,
    escape_formulas: true,
  });
}

const closeInput = z.object({
  merchant: idInput('a merchant').transform((value) => value.toLowerCase()),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'is not a month: YYYY-MM, e.g. 2026-11.'),
});

/**
 * Closes the merchant's statement for `month` at `now`, or returns the one
 * closed already. Closes of one merchant queue on its row.
 */
export async function closeStatementOf(tx: Transaction, merchant: MerchantRow, month: string, now: Date, by: string): Promise<string> {
  const bounds = monthBounds(month);
  await lockMerchantForClose(tx, merchant.id);
  const existing = await findStatementOfMonth(tx, merchant.id, bounds.periodFrom);
  if (existing) return existing.id;
  const latest = await latestStatementMonth(tx, merchant.id);
  if (latest !== null && latest > bounds.periodFrom) {
    refuse(['input', 'month'], 'INVALID_STATE', `The statement for ${latest.slice(0, 7)} is closed: an earlier month's captures and refunds are on it.`);
  }
  const [bank] = await findBankUnitsByIds(tx, [merchant.bankId]);
  const fenPerPoint = required(bank, `head bank of merchant ${merchant.id}`).fenPerPoint;
  const found = await unassignedLines(tx, merchant.id, bounds.end);
  const id = newId();
  const lines: SettlementLineRow[] = found.map((line) => ({ ...line, id: newId(), statementId: id }));
  const captures = lines.filter((line) => line.kind === 'redemption');
  const refunded = lines.filter((line) => line.kind === 'refund');
  const points = captures.reduce((total, line) => total + line.points, 0);
  const refundedPoints = -refunded.reduce((total, line) => total + line.points, 0);
  const statement: SettlementStatementRecord = {
    id,
    merchantId: merchant.id,
    bankId: merchant.bankId,
    periodFrom: bounds.periodFrom,
    periodTo: bounds.periodTo,
    redemptionCount: captures.length,
    refundCount: refunded.length,
    points,
    refundedPoints,
    netPoints: points - refundedPoints,
    fenPerPoint,
    amountFen: (points - refundedPoints) * fenPerPoint,
    closedAt: now,
    closedBy: by,
  };
  await insertClosedStatement(tx, statement, lines);
  await publishStatementClosed(tx, statement);
  return id;
}

/** `settlementStatementClose`: the head bank's own staff (or platform admins) close a merchant's month once it has ended. */
export async function closeStatement(ctx: PointsContext, input: unknown): Promise<Result<StatementModel>> {
  const by = requireSignedIn(ctx.viewer);
  const parsed = parseInput(closeInput, input);
  if (!parsed.ok) return parsed;
  const { merchant: merchantId, month } = parsed.value;
  // Merchants are public: naming one reveals nothing, so an unknown one is NOT_FOUND and another bank's NOT_ALLOWED.
  const merchant = await ctx.loaders.merchantById.load(merchantId);
  if (!merchant) return refused(userError(['input', 'merchant'], 'NOT_FOUND', 'There is no such merchant.'));
  if (!(await mayActForHeadBank(ctx, merchant.bankId))) {
    return refused(userError(['input', 'merchant'], 'NOT_ALLOWED', "Only the merchant's head bank closes its statements."));
  }
  const now = ctx.settings.now();
  if (now.getTime() < monthBounds(month).end.getTime()) return refused(userError(['input', 'month'], 'INVALID_STATE', 'A month is closed once it has ended (Beijing time).'));
  const closed = await inTransaction(ctx, (tx) => closeStatementOf(tx, merchant, month, now, by));
  if (!closed.ok) return closed;
  return { ok: true, value: required(await ctx.loaders.statementById.load(closed.value), `statement ${closed.value}`) };
}

/**
 * Closes last month's statement of every merchant that has none yet, one
 * transaction per merchant: the scheduler's job. Idempotent (a closed month
 * stays as it is); returns how many it closed.
 */
export async function closeLastMonth(db: Database, merchants: readonly MerchantRow[], now: Date): Promise<number> {
  const month = previousMonth(now);
  let closed = 0;
  for (const merchant of merchants) {
    const made = await db.transaction(async (tx) => {
      const latest = await latestStatementMonth(tx, merchant.id);
      if (latest !== null && latest >= monthBounds(month).periodFrom) return false;
      await closeStatementOf(tx, merchant, month, now, 'settlement-close');
      return true;
    });
    if (made) closed += 1;
  }
  return closed;
}

/**
 * The statement a mutation names, when the viewer may see it; otherwise the
 * out-of-scope answer (FORBIDDEN in the same words for another merchant's and
 * for an unknown id).
 */
async function namedStatement(ctx: PointsContext, id: string): Promise<Result<StatementModel>> {
  const statement = isUuid(id) ? await visibleStatement(ctx, id.toLowerCase()) : null;
  if (!statement) return unseenObject(ctx.viewer, STATEMENT_FIELD, 'settlement statement');
  return { ok: true, value: statement };
}

const stepConstraints = [
  {
    sqlState: CHECK_VIOLATION,
    constraint: 'settlement_statement_steps_undisputed',
    error: userError(STATEMENT_FIELD, 'INVALID_STATE', 'A line of the statement is disputed: the bank resolves it first.'),
  },
  {
    sqlState: CHECK_VIOLATION,
    constraint: 'settlement_statement_steps_in_order',
    error: userError(STATEMENT_FIELD, 'INVALID_STATE', 'The statement is not at the step this follows.'),
  },
];

/** Takes `status` on a locked statement, or answers as it stands when it took it already (`same` says whether that is the same request). */
async function takeStep(
  ctx: PointsContext,
  statementId: string,
  step: Omit<SettlementStepRow, 'statementId'>,
  check: (current: StatementModel) => 'take' | 'unchanged',
): Promise<Result<StatementModel>> {
  const done = await inTransaction(
    ctx,
    async (tx) => {
      await lockStatement(tx, statementId);
      const [current] = await findStatementModels(tx, [statementId]);
      const statement = required(current, `statement ${statementId}`);
      if (check(statement) === 'take') await insertStep(tx, { ...step, statementId });
      return statementId;
    },
    stepConstraints,
  );
  if (!done.ok) return done;
  return { ok: true, value: required(await ctx.loaders.statementById.load(statementId), `statement ${statementId}`) };
}

const statementInput = z.object({ statement: idInput('a settlement statement') });

/** `settlementStatementConfirm`: the merchant agrees with a closed statement. */
export async function confirmStatement(ctx: PointsContext, input: unknown): Promise<Result<StatementModel>> {
  const by = requireSignedIn(ctx.viewer);
  const parsed = parseInput(statementInput, input);
  if (!parsed.ok) return parsed;
  const named = await namedStatement(ctx, parsed.value.statement);
  if (!named.ok) return named;
  if (!isMerchantItself(ctx.viewer, named.value.merchantId)) return refused(userError(STATEMENT_FIELD, 'NOT_ALLOWED', 'Only the merchant itself confirms its statements.'));
  return takeStep(ctx, named.value.id, { status: 'confirmed', at: ctx.settings.now(), by, paymentReference: null }, (current) => {
    if (current.status === 'confirmed') return 'unchanged';
    if (current.status === 'paid') refuse(STATEMENT_FIELD, 'INVALID_STATE', 'The statement is paid already.');
    return 'take';
  });
}

const markPaidInput = z.object({ statement: idInput('a settlement statement'), paymentReference: textInput(100) });

/** `settlementStatementMarkPaid`: the head bank records that it paid a confirmed statement. */
export async function markStatementPaid(ctx: PointsContext, input: unknown): Promise<Result<StatementModel>> {
  const by = requireSignedIn(ctx.viewer);
  const parsed = parseInput(markPaidInput, input);
  if (!parsed.ok) return parsed;
  const named = await namedStatement(ctx, parsed.value.statement);
  if (!named.ok) return named;
  if (!(await mayActForHeadBank(ctx, named.value.bankId))) return refused(userError(STATEMENT_FIELD, 'NOT_ALLOWED', "Only the merchant's head bank pays its statements."));
  const { paymentReference } = parsed.value;
  return takeStep(ctx, named.value.id, { status: 'paid', at: ctx.settings.now(), by, paymentReference }, (current) => {
    if (current.status === 'paid') {
      const paid = current.steps.find((step) => step.status === 'paid');
      if (paid?.paymentReference === paymentReference) return 'unchanged';
      refuse(['input', 'paymentReference'], 'INVALID_STATE', 'The statement is paid already, under another reference.');
    }
    if (current.status !== 'confirmed') refuse(STATEMENT_FIELD, 'INVALID_STATE', 'Only a statement its merchant confirmed is paid.');
    return 'take';
  });
}

const disputeInput = z.object({ line: idInput('a statement line'), reason: textInput(500) });

/** `settlementLineDispute`: the merchant objects to a line of a closed, unconfirmed statement. */
export async function disputeLine(ctx: PointsContext, input: unknown): Promise<Result<DisputeRow>> {
  const by = requireSignedIn(ctx.viewer);
  const parsed = parseInput(disputeInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'line'];
  const id = parsed.value.line.toLowerCase();
  const line = isUuid(id) ? await ctx.loaders.settlementLineById.load(id) : null;
  const statement = line ? await visibleStatement(ctx, line.statementId) : null;
  if (!line || !statement) return unseenObject(ctx.viewer, field, 'statement line');
  if (!isMerchantItself(ctx.viewer, statement.merchantId)) return refused(userError(field, 'NOT_ALLOWED', 'Only the merchant itself disputes its statements.'));
  const disputeId = newId();
  const made = await inTransaction(
    ctx,
    async (tx) => {
      await lockStatement(tx, statement.id);
      const [current] = await findStatementModels(tx, [statement.id]);
      if (required(current, `statement ${statement.id}`).status !== 'closed') refuse(field, 'INVALID_STATE', 'Only a line of a closed statement not yet confirmed is disputed.');
      await insertDispute(tx, { id: disputeId, lineId: line.id, statementId: statement.id, reason: parsed.value.reason, openedAt: ctx.settings.now(), openedBy: by });
      return disputeId;
    },
    [
      {
        sqlState: CHECK_VIOLATION,
        constraint: 'settlement_disputes_of_closed_statements',
        error: userError(field, 'INVALID_STATE', 'Only a line of a closed statement not yet confirmed is disputed.'),
      },
    ],
  );
  if (!made.ok) return made;
  return { ok: true, value: required(await ctx.loaders.disputeById.load(disputeId), `dispute ${disputeId}`) };
}

const resolveInput = z.object({ dispute: idInput('a dispute'), resolution: textInput(500) });

/** `settlementLineDisputeResolve`: the head bank answers a dispute, once. */
export async function resolveDispute(ctx: PointsContext, input: unknown): Promise<Result<DisputeRow>> {
  const by = requireSignedIn(ctx.viewer);
  const parsed = parseInput(resolveInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'dispute'];
  const id = parsed.value.dispute.toLowerCase();
  const dispute = isUuid(id) ? await ctx.loaders.disputeById.load(id) : null;
  const statement = dispute ? await visibleStatement(ctx, dispute.statementId) : null;
  if (!dispute || !statement) return unseenObject(ctx.viewer, field, 'dispute');
  if (!(await mayActForHeadBank(ctx, statement.bankId))) return refused(userError(field, 'NOT_ALLOWED', "Only the merchant's head bank resolves disputes."));
  const made = await inTransaction(ctx, async (tx) => {
    const first = await insertResolution(tx, { disputeId: dispute.id, resolution: parsed.value.resolution, resolvedAt: ctx.settings.now(), resolvedBy: by });
    if (!first) refuse(field, 'INVALID_STATE', 'The dispute is resolved already.');
    return dispute.id;
  });
  if (!made.ok) return made;
  const [row] = await findDisputesByIds(ctx.db, [dispute.id]);
  return { ok: true, value: required(row, `dispute ${dispute.id}`) };
}
