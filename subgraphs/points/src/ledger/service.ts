/**
 * Rules for the ledger as clients see it: a transfer is visible to whoever
 * may see either of its accounts, and a wrong one is corrected by a reversal
 * (never an edit), once. Reversals are for bank staff: platform admins, and
 * clerks of an office whose customer the transfer touched; a clerk who may
 * see the transfer but serves none of its customers is NOT_ALLOWED, and one
 * who may not see it hears what an unknown transfer gets (FORBIDDEN).
 */
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
  ForbiddenError,
  UNIQUE_VIOLATION,
  isUuid,
  refused,
  type Result,
  type Transaction,
  requireRoles,
  isPlatformAdmin,
  requireSignedIn,
  required,
  unseenObject,
} from '@lianxin/shared';
import { userError, refuse } from '../errors.js';
import { mayReadAccount, mayServeOffice } from '../access.js';
import { type PointsContext } from '../context.js';
import { type AccountRow, type DebtRow, type TransferRow } from '../db/schema.js';
import { recordDebt } from '../debts/service.js';
import { findDebtOfReversedTransfer } from '../debts/store.js';
import { idInput, inTransaction, parseInput, textInput } from '../mutation.js';
import { findReversalOf, findTransfersByIds, lockAccounts, postTransfer } from './store.js';
import { findDepositOfTransfer } from '../deposits/store.js';
import { publishDepositReversed } from '../events/publish.js';

async function mayReadTransfer(ctx: PointsContext, transfer: TransferRow): Promise<boolean> {
  const [debit, credit] = await Promise.all([ctx.loaders.accountById.load(transfer.debitAccountId), ctx.loaders.accountById.load(transfer.creditAccountId)]);
  return (debit !== null && (await mayReadAccount(ctx, debit))) || (credit !== null && (await mayReadAccount(ctx, credit)));
}

const TRANSFER_HIDDEN = 'Only those who may see one of its accounts may see a transfer.';

/** A transfer the viewer may see; null when unknown. */
export async function resolveTransferReference(ctx: PointsContext, id: string): Promise<TransferRow | null> {
  requireSignedIn(ctx.viewer);
  const transfer = await ctx.loaders.transferById.load(id);
  if (!transfer) return null;
  if (!(await mayReadTransfer(ctx, transfer))) throw new ForbiddenError(TRANSFER_HIDDEN);
  return transfer;
}

/** `transfer(id)`: to anyone but a platform admin, an unknown id is as forbidden as a transfer they may not see. */
export async function getTransfer(ctx: PointsContext, id: string): Promise<TransferRow | null> {
  requireSignedIn(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a transfer id.', 'id');
  const transfer = await resolveTransferReference(ctx, id);
  if (transfer === null && !isPlatformAdmin(ctx.viewer)) throw new ForbiddenError(TRANSFER_HIDDEN);
  return transfer;
}

/** A transfer another row points at (its reversal, a redemption's payment): the same rule. */
export async function linkedTransfer(ctx: PointsContext, id: string | null): Promise<TransferRow | null> {
  return id === null ? null : resolveTransferReference(ctx, id);
}

/**
 * What a refused `transferReverse` answers with: the reversal made before,
 * when the transfer was reversed already, as `transfer(id) { reversedBy }`
 * shows it (under the transfer's rule: a reversal moves between the same two
 * accounts). Otherwise null: the reversal asked for does not exist.
 */
export async function earlierReversal(ctx: PointsContext, transferId: string): Promise<TransferRow | null> {
  const original = await getTransfer(ctx, transferId);
  return original ? ctx.loaders.reversalOf.load(original.id) : null;
}

/** Whether the viewer serves the office of a customer account among `sides`. */
async function servesCustomerOf(ctx: PointsContext, sides: readonly (AccountRow | null)[]): Promise<boolean> {
  for (const side of sides) {
    if (side?.kind === 'customer' && side.officeId !== null && (await mayServeOffice(ctx, side.officeId))) return true;
  }
  return false;
}

/** What reversing a transfer came to. */
export type ReversalOutcome =
  | { kind: 'reversed'; reversal: TransferRow }
  /** It was reversed before: the reversal that did it. */
  | { kind: 'already'; reversal: TransferRow }
  /** It was reversed before with nothing to take back: the debt recorded then is all of it. */
  | { kind: 'owed_before'; debt: DebtRow }
  /** The account the points would go back from has fewer available (its balance less its holds). */
  | { kind: 'short'; available: number }
  /** Taken back in part (`reversal`, null when nothing was available), the rest recorded as the account's `debt`. */
  | { kind: 'owed'; reversal: TransferRow | null; debt: DebtRow };

/** What a reversal that may leave a debt records it against: the deposit's record and the record that corrected it. */
export interface DebtCause {
  serviceRecordId: string;
  reversalRecordId: string;
}

/**
 * Reverses `original` in `tx` with a mirror transfer that references it,
 * once: both accounts are locked before the look for an earlier reversal, so
 * of two reversals racing, the second finds the first. The account the
 * points go back from never goes below zero or below its holds (the issuance
 * account excepted): without `owe` a shortfall refuses the whole reversal;
 * with it (a service record's correction) the reversal takes what is
 * available and the rest becomes the account's debt, recorded first, which
 * its next deposits repay (src/debts/service.ts). Open holds are respected:
 * the merchant was promised those points. The one way a transfer is
 * reversed: by `transferReverse`, and when a service record is reversed.
 */
export async function postReversal(tx: Transaction, original: TransferRow, values: { note: string; by: string; owe?: DebtCause }): Promise<ReversalOutcome> {
  const [debit, credit] = [original.creditAccountId, original.debitAccountId];
  const locked = await lockAccounts(tx, [debit, credit]);
  const earlier = await findReversalOf(tx, original.id);
  if (earlier) return { kind: 'already', reversal: earlier };
  const owedBefore = await findDebtOfReversedTransfer(tx, original.id);
  if (owedBefore) return { kind: 'owed_before', debt: owedBefore };
  const payer = locked.find((account) => account.id === debit);
  const available = payer && payer.kind !== 'issuance' ? Math.max(0, payer.balance - payer.held) : original.amount;
  if (available < original.amount && !values.owe) return { kind: 'short', available };
  const owed = original.amount - Math.min(available, original.amount);
  const debt = owed > 0 && values.owe ? await recordDebt(tx, original, owed, values.owe, values.by) : null;
  const taken = original.amount - owed;
  const reversal =
    taken === 0
      ? null
      : await postTransfer(tx, {
          debit,
          credit,
          amount: taken,
          cause: 'reversal',
          reverses: original.id,
          reference: original.reference,
          note: values.note,
          createdBy: values.by,
        });
  // A deposit taken back, whichever way (its service record reversed, or a clerk reversing its transfer), is announced
  // in this transaction, so recognition takes its points back from where it counted them.
  if (original.cause === 'service_record') {
    const deposit = required(await findDepositOfTransfer(tx, original.id), `deposit of transfer ${original.id}`);
    await publishDepositReversed(tx, deposit, { reversal, debt });
  }
  if (debt) return { kind: 'owed', reversal, debt };
  return { kind: 'reversed', reversal: required(reversal, `reversal of transfer ${original.id}`) };
}

const transferReverseInput = z.object({ transfer: idInput('a transfer'), reason: textInput(500) });

/** Reverses a transfer with a mirror transfer that references it; the database allows one reversal per transfer. */
export async function reverseTransfer(ctx: PointsContext, input: unknown): Promise<Result<TransferRow>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], 'reverse transfers');
  const parsed = parseInput(transferReverseInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'transfer'];
  // Authority before state: a transfer the viewer may not see answers as one that does not exist, and one they see but
  // may not reverse is NOT_ALLOWED, whatever its cause or whether it was reversed already.
  const [original] = await findTransfersByIds(ctx.db, [parsed.value.transfer]);
  if (!original || !(await mayReadTransfer(ctx, original))) return unseenObject(ctx.viewer, field, 'transfer');
  const sides = await Promise.all([ctx.loaders.accountById.load(original.debitAccountId), ctx.loaders.accountById.load(original.creditAccountId)]);
  if (!isPlatformAdmin(ctx.viewer) && !(await servesCustomerOf(ctx, sides))) {
    return refused(userError(field, 'NOT_ALLOWED', 'Only the clerks who serve a customer the transfer touched, and platform admins, reverse it.'));
  }
  if (original.cause === 'reversal') return refused(userError(field, 'INVALID_STATE', 'A reversal is not reversed: make a new transfer instead.'));
  if (original.cause === 'debt_repayment') return refused(userError(field, 'INVALID_STATE', 'A debt repayment is settled with the debt it repaid: it is not reversed.'));
  if (original.cause === 'redemption') {
    return refused(userError(field, 'INVALID_STATE', 'A redemption is settled with its merchant; only an open hold can be undone (redemptionVoid).'));
  }
  if (original.cause === 'refund') {
    return refused(userError(field, 'INVALID_STATE', 'A refund is settled with its merchant and its items returned: it is not undone.'));
  }
  const already = userError(field, 'ALREADY_EXISTS', 'This transfer has already been reversed.');
  return inTransaction(
    ctx,
    async (tx) => {
      const outcome = await postReversal(tx, original, { note: parsed.value.reason, by });
      switch (outcome.kind) {
        case 'reversed':
          return outcome.reversal;
        case 'already':
        case 'owed_before':
          return refuse(already.field, already.code, already.message);
        case 'owed':
          // Only a service record's correction may leave a debt; a clerk's reversal is all or nothing.
          throw new Error(`transfer ${original.id} was reversed in part by a clerk`);
        case 'short':
          return refuse(field, 'INSUFFICIENT_POINTS', `The reversal takes back ${original.amount} points; the account has ${outcome.available} available.`);
      }
    },
    [
      { sqlState: UNIQUE_VIOLATION, constraint: 'transfers_reversed_once', error: already },
      {
        sqlState: CHECK_VIOLATION,
        constraint: 'accounts_held_within_balance',
        error: userError(field, 'INSUFFICIENT_POINTS', 'The account has too few points left to take the reversal back.'),
      },
    ],
  );
}
