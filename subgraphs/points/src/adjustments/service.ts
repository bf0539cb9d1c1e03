/**
 * Rules for adjustments: the one way to credit points outside a service
 * record, under dual control. A bank clerk of the account's office (or a
 * platform admin) asks for a credit with a reason; a second, different one
 * approves it, which posts one transfer from the issuance account with cause
 * `adjustment` referring to it, or rejects it. No one asks for or decides a
 * credit to their own account, and no one decides their own request. Each
 * adjustment resolves once. The database holds the same rules (checks,
 * triggers: src/db/schema/adjustments.ts and migration 0005), so a bug here
 * cannot credit anyone on its own.
 *
 * Authority before state: whoever does not serve the account's office hears
 * of an adjustment, or of an account, exactly what they would hear of one
 * that does not exist.
 */
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
  ForbiddenError,
  isUuid,
  newId,
  readPage,
  refused,
  required,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  type UserError,
  requireRoles,
  isPlatformAdmin,
  requireSignedIn,
  unseenObject,
  type UserErrorCode,
} from '@lianxin/shared';
import { mayReadAccount, mayServeOffice } from '../access.js';
import type { PointsContext } from '../context.js';
import { ISSUANCE_ACCOUNT_ID, type AdjustmentRow, type AdjustmentStatus, type BankUnitRow } from '../db/schema.js';
import { isKnownPerson, unknownPerson } from '../directory/service.js';
import { transfer } from '../ledger/store.js';
import { idInput, inTransaction, parseInput, refuse, textInput, type ConstraintRefusal } from '../mutation.js';
import { adjustmentCursor, findAdjustmentsByIds, insertAdjustment, resolveAdjustment } from './store.js';

/** The most one adjustment credits: a correction, not a payroll. */
export const MAX_ADJUSTMENT_POINTS = 10_000;

const adjustmentRequestInput = z.object({
  account: idInput('an account').transform((value) => value.toLowerCase()),
  points: z.number().int('must be whole points.').min(1, 'must be at least 1.').max(MAX_ADJUSTMENT_POINTS, `must be at most ${MAX_ADJUSTMENT_POINTS}.`),
  reason: textInput(500),
});

const adjustmentApproveInput = z.object({ adjustment: idInput('an adjustment').transform((value) => value.toLowerCase()) });
const adjustmentRejectInput = adjustmentApproveInput.extend({ reason: textInput(500) });

/** The database's backstops, should a check here ever be missed: each is the refusal the service gives first. */
const backstops = (field: string[]): ConstraintRefusal[] => [
  { sqlState: CHECK_VIOLATION, constraint: 'adjustments_not_for_requester', error: userError(field, 'NOT_ALLOWED', 'No one credits their own account.') },
  { sqlState: CHECK_VIOLATION, constraint: 'adjustments_not_for_resolver', error: userError(field, 'NOT_ALLOWED', 'No one credits their own account.') },
  { sqlState: CHECK_VIOLATION, constraint: 'adjustments_four_eyes', error: userError(field, 'NOT_ALLOWED', 'The one who asked for an adjustment does not decide it.') },
];

/** `adjustmentRequest`: asks for a credit, which waits for a second member of staff. */
export async function requestAdjustment(ctx: PointsContext, input: unknown): Promise<Result<AdjustmentRow>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], 'ask for adjustments');
  const parsed = parseInput(adjustmentRequestInput, input);
  if (!parsed.ok) return parsed;
  const { points, reason } = parsed.value;
  const field = ['input', 'account'];
  const account = await ctx.loaders.accountById.load(parsed.value.account);
  // Missing, or an account the viewer may not see: one answer.
  if (!account || !(await mayReadAccount(ctx, account))) return unseenObject(ctx.viewer, field, 'account');
  if (account.kind !== 'customer' || account.holderId === null || account.officeId === null) {
    return refused(userError(field, 'NOT_ALLOWED', 'Adjustments credit customer accounts only.'));
  }
  // A customer account is seen by its holder and the clerks of its office: past the holder, the viewer serves the office.
  if (ctx.viewer.personId !== null && ctx.viewer.personId === account.holderId) {
    return refused(userError(field, 'NOT_ALLOWED', 'This is your own account: another clerk of its office or a platform admin asks for its adjustments.'));
  }
  if (!(await isKnownPerson(ctx.db, account.holderId))) return refused(unknownPerson(['input', 'account']));
  const { holderId, officeId } = account;
  return inTransaction(
    ctx,
    (tx) => insertAdjustment(tx, { accountId: account.id, holderId, officeId, amount: points, reason, requestedBy: by, requestedByPersonId: ctx.viewer.personId }),
    backstops(['input', 'account']),
  );
}

/**
 * The adjustment an approval or rejection names, once the viewer's
 * authority over it is established: unknown and out of the viewer's sight
 * are one answer (FORBIDDEN), and the requester and the holder are refused
 * (NOT_ALLOWED) whatever the adjustment's state.
 */
async function adjustmentToDecide(ctx: PointsContext, id: string, by: string): Promise<Result<AdjustmentRow>> {
  const field = ['input', 'adjustment'];
  const [adjustment] = await findAdjustmentsByIds(ctx.db, [id]);
  if (!adjustment || !(await mayReadAdjustment(ctx, adjustment))) return unseenObject(ctx.viewer, field, 'adjustment');
  const { personId } = ctx.viewer;
  if (by === adjustment.requestedBy || (personId !== null && personId === adjustment.requestedByPersonId)) {
    return refused(userError(field, 'NOT_ALLOWED', 'You asked for this adjustment: another clerk of its office or a platform admin decides it.'));
  }
  if (personId !== null && personId === adjustment.holderId) {
    return refused(userError(field, 'NOT_ALLOWED', 'This adjustment credits your own account: another clerk of its office or a platform admin decides it.'));
  }
  // Seen by its account's holder and the clerks of its office: past the holder, the viewer serves the office.
  return { ok: true, value: adjustment };
}

const alreadyDecided = (status: AdjustmentStatus): UserError<UserErrorCode> =>
  userError(['input', 'adjustment'], 'INVALID_STATE', `This adjustment was ${status} before: an adjustment is decided once.`);

/** `adjustmentApprove`: the credit is made, once, by one transfer from the issuance account. */
export async function approveAdjustment(ctx: PointsContext, input: unknown): Promise<Result<AdjustmentRow>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], 'decide adjustments');
  const parsed = parseInput(adjustmentApproveInput, input);
  if (!parsed.ok) return parsed;
  const found = await adjustmentToDecide(ctx, parsed.value.adjustment, by);
  if (!found.ok) return found;
  const adjustment = found.value;
  return inTransaction(
    ctx,
    async (tx) => {
      const transferId = newId();
      // The adjustment first (its row lock queues racing decisions), then the accounts: every path keeps this order.
      const approved = await resolveAdjustment(tx, adjustment.id, { status: 'approved', by, byPersonId: ctx.viewer.personId, transferId });
      if (!approved) {
        const [current] = await findAdjustmentsByIds(tx, [adjustment.id]);
        const error = alreadyDecided(current?.status ?? 'approved');
        return refuse(error.field, error.code, error.message);
      }
      await transfer(tx, {
        id: transferId,
        debit: ISSUANCE_ACCOUNT_ID,
        credit: approved.accountId,
        amount: approved.amount,
        cause: 'adjustment',
        reference: approved.id,
        note: approved.reason,
        createdBy: by,
      });
      return approved;
    },
    backstops(['input', 'adjustment']),
  );
}

/** `adjustmentReject`: nothing moves, and the adjustment is decided. */
export async function rejectAdjustment(ctx: PointsContext, input: unknown): Promise<Result<AdjustmentRow>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], 'decide adjustments');
  const parsed = parseInput(adjustmentRejectInput, input);
  if (!parsed.ok) return parsed;
  const found = await adjustmentToDecide(ctx, parsed.value.adjustment, by);
  if (!found.ok) return found;
  return inTransaction(
    ctx,
    async (tx) => {
      const rejected = await resolveAdjustment(tx, found.value.id, { status: 'rejected', by, byPersonId: ctx.viewer.personId, rejectionReason: parsed.value.reason });
      if (!rejected) {
        const [current] = await findAdjustmentsByIds(tx, [found.value.id]);
        const error = alreadyDecided(current?.status ?? 'rejected');
        return refuse(error.field, error.code, error.message);
      }
      return rejected;
    },
    backstops(['input', 'adjustment']),
  );
}

/** Whether the viewer may see an adjustment: the staff who serve its office, platform admins, the account's holder. */
async function mayReadAdjustment(ctx: PointsContext, adjustment: AdjustmentRow): Promise<boolean> {
  if (ctx.viewer.personId !== null && ctx.viewer.personId === adjustment.holderId) return true;
  return mayServeOffice(ctx, adjustment.officeId);
}

const hidden = () => new ForbiddenError("Only the account's holder, the clerks who serve its office and platform admins may see its adjustments.");

/** `adjustment(id)`: to anyone but a platform admin, an unknown id is as forbidden as someone else's adjustment. */
export async function getAdjustment(ctx: PointsContext, id: string): Promise<AdjustmentRow | null> {
  requireSignedIn(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not an adjustment id.', 'id');
  const adjustment = await ctx.loaders.adjustmentById.load(id);
  if (!adjustment) {
    if (isPlatformAdmin(ctx.viewer)) return null;
    throw hidden();
  }
  if (!(await mayReadAdjustment(ctx, adjustment))) throw hidden();
  return adjustment;
}

/** `Transfer.adjustment`: the adjustment an adjustment transfer paid, for those who may see it. */
export async function adjustmentOfTransfer(ctx: PointsContext, transferRow: { id: string; cause: string }): Promise<AdjustmentRow | null> {
  if (transferRow.cause !== 'adjustment') return null;
  const adjustment = required(await ctx.loaders.adjustmentOfTransfer.load(transferRow.id), `adjustment paid by transfer ${transferRow.id}`);
  if (!(await mayReadAdjustment(ctx, adjustment))) throw hidden();
  return adjustment;
}

/** `BankUnit.adjustments`: a savings office's, for the clerks who serve it and platform admins; other units have none. */
export async function listOfficeAdjustments(
  ctx: PointsContext,
  unit: BankUnitRow,
  args: ConnectionArgs & { status?: AdjustmentStatus | null },
): Promise<Connection<AdjustmentRow>> {
  requireSignedIn(ctx.viewer);
  const page = readPage(args, ['timestamp', 'uuid']);
  if (unit.kind !== 'savings_office') return toConnection([], page, adjustmentCursor);
  if (!(await mayServeOffice(ctx, unit.id))) throw new ForbiddenError('Only clerks who serve this office and platform admins may list its adjustments.');
  const status = args.status ?? null;
  return toConnection(await ctx.loaders.officeAdjustmentPage({ page, status }).load(unit.id), page, adjustmentCursor);
}
