/**
 * Rules for deposits (积分入折): when a service record is approved, its
 * volunteer's account is credited by the rule of their bank for the record's
 * category — whole points for the minutes served. A record is deposited
 * once: replays (a retried request, a redelivered event) return the first
 * deposit. Bank clerks of the volunteer's office and platform admins deposit.
 */
import { z } from 'zod';
import { ForbiddenError, newId, ok, refused, userError, type Result } from '@lianxin/shared';
import { assertMayReadAccount, mayServeOffice } from '../access.js';
import { requireUnit } from '../bank/service.js';
import { findDepositRule } from '../bank/store.js';
import type { PointsContext } from '../context.js';
import { ISSUANCE_ACCOUNT_ID, type DepositRow, type TransferRow } from '../db/schema.js';
import { transfer } from '../ledger/store.js';
import { categoryInput, idInput, inTransaction, parseInput, refuse, requireRoles } from '../mutation.js';
import { findDepositOfServiceRecord, insertDeposit } from './store.js';

const pointsDepositInput = z.object({
  serviceRecord: idInput('a service record').transform((value) => value.toLowerCase()),
  person: idInput('a person').transform((value) => value.toLowerCase()),
  category: categoryInput,
  minutes: z.number().int('must be a whole number.').min(1, 'must be at least 1.').max(1440, 'must be at most 1440 (one day).'),
});

export type PointsDepositInput = z.input<typeof pointsDepositInput>;

const conflict = userError(['input', 'serviceRecord'], 'IDEMPOTENCY_CONFLICT', 'This service record was deposited before with different details.');

/** The same record with the same details is a replay; anything else about it is a conflict. */
const sameDeposit = (deposit: DepositRow, input: z.output<typeof pointsDepositInput>): boolean =>
  deposit.personId === input.person && deposit.categoryCode === input.category && deposit.minutes === input.minutes;

export async function depositPoints(ctx: PointsContext, input: PointsDepositInput): Promise<Result<DepositRow>> {
  const by = requireRoles(ctx, ['bank_clerk'], 'deposit points');
  const parsed = parseInput(pointsDepositInput, input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const account = await ctx.loaders.accountByHolder.load(request.person);
  if (!account?.officeId) return refused(userError(['input', 'person'], 'NOT_FOUND', 'This person has no account: open one first.'));
  if (!(await mayServeOffice(ctx, account.officeId))) throw new ForbiddenError("Clerks deposit only for customers of offices they serve.");
  const earlier = await findDepositOfServiceRecord(ctx.db, request.serviceRecord);
  if (earlier) return sameDeposit(earlier, request) ? ok(earlier) : refused(conflict);
  const office = await requireUnit(ctx, account.officeId);
  const rule = await findDepositRule(ctx.db, office.bankId, request.category);
  if (!rule) return refused(userError(['input', 'category'], 'NOT_FOUND', 'The bank has no deposit rule for this category.'));
  const amount = Math.floor((request.minutes * rule.pointsPerHour) / 60);
  if (amount === 0) return refused(userError(['input', 'minutes'], 'INVALID', `Too short to earn a whole point at ${rule.pointsPerHour} points an hour.`));
  return inTransaction(ctx, async (tx) => {
    const transferId = newId();
    // The unique service-record column decides a race: the loser waits for the winner, then finds its deposit.
    const deposit = await insertDeposit(tx, {
      id: newId(),
      serviceRecordId: request.serviceRecord,
      accountId: account.id,
      personId: request.person,
      categoryCode: request.category,
      minutes: request.minutes,
      pointsPerHour: rule.pointsPerHour,
      amount,
      transferId,
      createdBy: by,
    });
    if (!deposit) {
      const first = await findDepositOfServiceRecord(tx, request.serviceRecord);
      if (!first || !sameDeposit(first, request)) refuse(conflict.field, conflict.code, conflict.message);
      return first;
    }
    await transfer(tx, {
      id: transferId,
      debit: ISSUANCE_ACCOUNT_ID,
      credit: account.id,
      amount,
      cause: 'service_record',
      reference: request.serviceRecord,
      createdBy: by,
    });
    return deposit;
  });
}

/** The deposit of a service record, for its customer and the staff who serve them; null until deposited. */
export async function depositOfServiceRecord(ctx: PointsContext, serviceRecordId: string): Promise<DepositRow | null> {
  const deposit = await ctx.loaders.depositOfServiceRecord.load(serviceRecordId);
  if (!deposit) return null;
  const account = await ctx.loaders.accountById.load(deposit.accountId);
  if (!account) throw new Error(`deposit ${deposit.id} names a missing account`);
  await assertMayReadAccount(ctx, account);
  return deposit;
}

/** The transfer a deposit made (the deposit's own row guarantees it). */
export async function transferOfDeposit(ctx: PointsContext, deposit: DepositRow): Promise<TransferRow> {
  const row = await ctx.loaders.transferById.load(deposit.transferId);
  if (!row) throw new Error(`deposit ${deposit.id} names a missing transfer`);
  return row;
}
