/**
 * Rules for deposits (积分入折): when a service record is approved, its
 * volunteer's account is credited by the rule of their bank for the record's
 * category — whole points for the minutes served. A record is deposited
 * once: replays (a retried request, a redelivered event) return the first
 * deposit. Bank clerks of the volunteer's office and platform admins deposit
 * through `pointsDeposit`; the requests subgraph's events deposit and take
 * back records on their own (src/events/consumer.ts).
 */
import { z } from 'zod';
import { ForbiddenError, UnprocessableEventError, newId, refused, userError, type Result, type Transaction } from '@lianxin/shared';
import { assertMayReadAccount, mayServeOffice } from '../access.js';
import { openCustomerAccount } from '../accounts/service.js';
import { findCustomerAccountOfHolder } from '../accounts/store.js';
import { findBankUnitsByIds, findCoveringUnit, findDepositRule } from '../bank/store.js';
import type { PointsContext } from '../context.js';
import { ISSUANCE_ACCOUNT_ID, type AccountRow, type DepositRow, type TransferRow } from '../db/schema.js';
import { postReversal } from '../ledger/service.js';
import { findTransfersByIds, transfer } from '../ledger/store.js';
import { categoryInput, idInput, inTransaction, parseInput, refuse, requireRoles } from '../mutation.js';
import { findDepositOfServiceRecord, insertDeposit, isReversalApplied } from './store.js';

const pointsDepositInput = z.object({
  serviceRecord: idInput('a service record').transform((value) => value.toLowerCase()),
  person: idInput('a person').transform((value) => value.toLowerCase()),
  category: categoryInput,
  minutes: z.number().int('must be a whole number.').min(1, 'must be at least 1.').max(1440, 'must be at most 1440 (one day).'),
});

export type PointsDepositInput = z.input<typeof pointsDepositInput>;

/** A service record as a deposit needs it. */
export interface ServiceToDeposit {
  serviceRecordId: string;
  /** The volunteer who served. */
  personId: string;
  categoryCode: string;
  /** Minutes served, 1 to 1440. */
  minutes: number;
}

/** What depositing a service record came to. */
export type DepositOutcome =
  | { kind: 'deposited'; deposit: DepositRow }
  /** The record was deposited before: that deposit, whatever its details (the caller compares them). */
  | { kind: 'earlier'; deposit: DepositRow }
  /** The account's bank has no rule for the category. */
  | { kind: 'no_rule' }
  /** Too few minutes for a whole point at the rule's rate. */
  | { kind: 'too_short'; pointsPerHour: number };

/** Whether an earlier deposit is the one `service` asks for (the same record with the same details): then asking again is a replay. */
export const sameDeposit = (deposit: DepositRow, service: ServiceToDeposit): boolean =>
  deposit.personId === service.personId && deposit.categoryCode === service.categoryCode && deposit.minutes === service.minutes;

/**
 * Deposits `service` into the customer `account` in `tx`, by the rule of the
 * account's bank for the record's category: whole points for the minutes,
 * rounded down, issued from the issuance account. A record is deposited once
 * (the unique service-record column decides a race: the loser waits for the
 * winner, then finds its deposit). The one way points are deposited: by
 * `pointsDeposit`, and when the requests subgraph announces a service record.
 */
export async function depositService(tx: Transaction, account: AccountRow, service: ServiceToDeposit, by: string): Promise<DepositOutcome> {
  if (account.kind !== 'customer' || account.officeId === null) throw new Error(`deposits go to customer accounts, not to account ${account.id}`);
  const earlier = await findDepositOfServiceRecord(tx, service.serviceRecordId);
  if (earlier) return { kind: 'earlier', deposit: earlier };
  const [office] = await findBankUnitsByIds(tx, [account.officeId]);
  if (!office) throw new Error(`account ${account.id} names a missing office ${account.officeId}`);
  const rule = await findDepositRule(tx, office.bankId, service.categoryCode);
  if (!rule) return { kind: 'no_rule' };
  const amount = Math.floor((service.minutes * rule.pointsPerHour) / 60);
  if (amount === 0) return { kind: 'too_short', pointsPerHour: rule.pointsPerHour };
  const transferId = newId();
  const deposit = await insertDeposit(tx, {
    id: newId(),
    serviceRecordId: service.serviceRecordId,
    accountId: account.id,
    personId: service.personId,
    categoryCode: service.categoryCode,
    minutes: service.minutes,
    pointsPerHour: rule.pointsPerHour,
    amount,
    transferId,
    createdBy: by,
  });
  if (!deposit) {
    const first = await findDepositOfServiceRecord(tx, service.serviceRecordId);
    if (!first) throw new Error(`service record ${service.serviceRecordId} was deposited by a racing transaction that left no deposit`);
    return { kind: 'earlier', deposit: first };
  }
  await transfer(tx, {
    id: transferId,
    debit: ISSUANCE_ACCOUNT_ID,
    credit: account.id,
    amount,
    cause: 'service_record',
    reference: service.serviceRecordId,
    createdBy: by,
  });
  return { kind: 'deposited', deposit };
}

const conflict = userError(['input', 'serviceRecord'], 'IDEMPOTENCY_CONFLICT', 'This service record was deposited before with different details.');

export async function depositPoints(ctx: PointsContext, input: PointsDepositInput): Promise<Result<DepositRow>> {
  const by = requireRoles(ctx, ['bank_clerk'], 'deposit points');
  const parsed = parseInput(pointsDepositInput, input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const account = await ctx.loaders.accountByHolder.load(request.person);
  if (!account?.officeId) return refused(userError(['input', 'person'], 'NOT_FOUND', 'This person has no account: open one first.'));
  if (!(await mayServeOffice(ctx, account.officeId))) throw new ForbiddenError("Clerks deposit only for customers of offices they serve.");
  const service: ServiceToDeposit = { serviceRecordId: request.serviceRecord, personId: request.person, categoryCode: request.category, minutes: request.minutes };
  return inTransaction(ctx, async (tx) => {
    const outcome = await depositService(tx, account, service, by);
    switch (outcome.kind) {
      case 'deposited':
        return outcome.deposit;
      case 'earlier':
        // The same record with the same details is a replay; anything else about it is a conflict.
        return sameDeposit(outcome.deposit, service) ? outcome.deposit : refuse(conflict.field, conflict.code, conflict.message);
      case 'no_rule':
        return refuse(['input', 'category'], 'NOT_FOUND', 'The bank has no deposit rule for this category.');
      case 'too_short':
        return refuse(['input', 'minutes'], 'INVALID', `Too short to earn a whole point at ${outcome.pointsPerHour} points an hour.`);
    }
  });
}

/** A service record as the requests subgraph announces it (`service_record.created`). */
export interface AnnouncedServiceRecord extends ServiceToDeposit {
  /** The record's regions from the root down to its place; empty when it has none. */
  place: readonly string[];
}

/**
 * The volunteer's customer account; one opened for them, at the savings
 * office covering the record's place, when they have none. Unprocessable
 * when no office covers it: an admin opens one (or the account) and replays.
 */
async function accountForService(tx: Transaction, record: AnnouncedServiceRecord, by: string): Promise<AccountRow> {
  const existing = await findCustomerAccountOfHolder(tx, record.personId);
  if (existing) return existing;
  const office = await findCoveringUnit(tx, record.place, 'savings_office');
  if (!office) {
    throw new UnprocessableEventError(`volunteer ${record.personId} has no account and no savings office covers the place of service record ${record.serviceRecordId}`);
  }
  const opened = await openCustomerAccount(tx, { holderId: record.personId, office, openedBy: by });
  // Null: an account opened for them in another transaction since the look above; it is committed, so it reads now.
  const account = opened ?? (await findCustomerAccountOfHolder(tx, record.personId));
  if (!account) throw new Error(`volunteer ${record.personId} has an account that cannot be read`);
  return account;
}

/**
 * Deposits a service record the requests subgraph announced, as
 * `pointsDeposit` would, in the event's transaction. Unprocessable (no retry
 * can fix it; an admin fixes the bank's setup and replays): no office covers
 * the record's place, the bank has no rule for its category, or the record
 * was deposited before with other details. A record too short for a whole
 * point earns nothing: that is its whole effect, and the event is applied
 * (the volunteer may be left with a new, empty account, which the next
 * record fills).
 */
export async function depositAnnouncedService(tx: Transaction, record: AnnouncedServiceRecord, by: string): Promise<void> {
  // A `created` event dead-lettered and replayed after its record's reversal was applied (with nothing to take back then)
  // must not deposit: the record no longer counts.
  if (await isReversalApplied(tx, record.serviceRecordId)) return;
  const account = await accountForService(tx, record, by);
  const outcome = await depositService(tx, account, record, by);
  switch (outcome.kind) {
    case 'deposited':
      return;
    case 'earlier':
      if (!sameDeposit(outcome.deposit, record)) {
        throw new UnprocessableEventError(`service record ${record.serviceRecordId} was deposited before with other details (deposit ${outcome.deposit.id})`);
      }
      return;
    case 'no_rule':
      throw new UnprocessableEventError(`the bank of account ${account.id} has no deposit rule for category ${record.categoryCode}`);
    case 'too_short':
      // Not a failure: the bank's rule gives this record no whole point, so the event is applied with no deposit.
      return;
  }
}

/** A reversal the requests subgraph announced (`service_record.reversed`): its own record and the one it reverses. */
export interface AnnouncedReversal {
  serviceRecordId: string;
  reversesId: string;
}

/**
 * Takes back the deposit of a reversed service record through the ledger's
 * reversal, once. A record never deposited (too short for a point, or its
 * `created` event dead-lettered) has nothing to take back; a later replay of
 * that `created` finds this reversal applied and deposits nothing.
 */
export async function reverseAnnouncedService(tx: Transaction, reversal: AnnouncedReversal, by: string): Promise<void> {
  const deposit = await findDepositOfServiceRecord(tx, reversal.reversesId);
  if (!deposit) return;
  const [original] = await findTransfersByIds(tx, [deposit.transferId]);
  if (!original) throw new Error(`deposit ${deposit.id} names a missing transfer`);
  const outcome = await postReversal(tx, original, { note: `Service record ${reversal.reversesId} was reversed by record ${reversal.serviceRecordId}.`, by });
  if (outcome.kind === 'short') {
    // The volunteer has already spent the points, and a balance never goes below zero. A plain error, not an
    // unprocessable one: the event is retried with backoff (new points may arrive meanwhile) and, after the last
    // attempt, dead-lettered for bank staff to settle with the volunteer and replay.
    throw new Error(`the reversal of service record ${reversal.reversesId} takes back ${original.amount} points; account ${original.creditAccountId} has ${outcome.available} available`);
  }
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
