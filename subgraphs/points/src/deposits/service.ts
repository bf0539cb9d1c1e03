/**
 * Rules for deposits (积分入折): when a service record is approved, its
 * volunteer's account is credited by the rule of their bank for the record's
 * category — whole points for the minutes served. Points deposits only
 * records it learnt of from the requests subgraph (`service_record.created`),
 * with the volunteer, category and minutes that event gave: it keeps each
 * record, deposits it on arrival when it can, and otherwise (no rule for the
 * category yet, no office for a volunteer without a passbook) keeps it for
 * bank staff to deposit later through `pointsDeposit`. A record is deposited
 * once: replays (a retried request, a redelivered event) return the first
 * deposit. Reversals from requests take deposits back (src/events/consume.ts).
 * What the event path decided instead of depositing (no office, no rule, too
 * short, reversed) is recorded with the record, so that its volunteer can
 * read why (`ServiceRecord.depositOutcome`).
 */
import { z } from 'zod';
import { UnprocessableEventError, newId, refused, userError, type Result, type Transaction, requireRoles, isPlatformAdmin, unseenObject, required } from '@lianxin/shared';
import { assertMayReadAccount, mayReadAccount, mayServeOffice } from '../access.js';
import { openCustomerAccount } from '../accounts/service.js';
import { findCustomerAccountOfHolder } from '../accounts/store.js';
import { findBankUnitsByIds, findCoveringUnit, findDepositRule } from '../bank/store.js';
import type { PointsContext } from '../context.js';
import { ISSUANCE_ACCOUNT_ID, type AccountRow, type DepositDecisionRow, type DepositRow, type ServiceRecordRow, type TransferRow } from '../db/schema.js';
import { isKnownPerson } from '../directory/service.js';
import { repayDebts } from '../debts/service.js';
import { postReversal } from '../ledger/service.js';
import { findTransfersByIds, lockAccounts, transfer } from '../ledger/store.js';
import { idInput, inTransaction, parseInput, refuse } from '../mutation.js';
import { publishDepositMade } from '../events/publish.js';
import type { DepositOutcomeModel, ServiceRecordReference } from '../model.js';
import {
  findDepositOfServiceRecord,
  findServiceRecordsByIds,
  insertDeposit,
  insertDepositDecision,
  insertServiceRecords,
  isReversalApplied,
  type NewDepositDecision,
  type NewServiceRecord,
} from './store.js';

/** What depositing a service record came to. */
export type DepositOutcome =
  | { kind: 'deposited'; deposit: DepositRow }
  /** The record was deposited before: that deposit. */
  | { kind: 'earlier'; deposit: DepositRow }
  /** The account's bank has no rule for the category. */
  | { kind: 'no_rule' }
  /** Too few minutes for a whole point at the rule's rate. */
  | { kind: 'too_short'; pointsPerHour: number };

/**
 * Deposits the known service `record` into the customer `account` in `tx`,
 * by the rule of the account's bank for the record's category: whole points
 * for the minutes, rounded down, issued from the issuance account. A record
 * is deposited once (the unique service-record column decides a race: the
 * loser waits for the winner, then finds its deposit). The one way points
 * are deposited: when requests announces a record, and by `pointsDeposit`.
 */
export async function depositService(tx: Transaction, account: AccountRow, record: ServiceRecordRow, by: string): Promise<DepositOutcome> {
  if (account.kind !== 'customer' || account.officeId === null) throw new Error(`deposits go to customer accounts, not to account ${account.id}`);
  if (account.holderId !== record.volunteerId) throw new Error(`service record ${record.id} is not account ${account.id}'s holder's`);
  const earlier = await findDepositOfServiceRecord(tx, record.id);
  if (earlier) return { kind: 'earlier', deposit: earlier };
  const [unit] = await findBankUnitsByIds(tx, [account.officeId]);
  const office = required(unit, `office ${account.officeId} of account ${account.id}`);
  const rule = await findDepositRule(tx, office.bankId, record.categoryCode);
  if (!rule) return { kind: 'no_rule' };
  const amount = Math.floor((record.minutes * rule.pointsPerHour) / 60);
  if (amount === 0) return { kind: 'too_short', pointsPerHour: rule.pointsPerHour };
  // Both accounts are locked before the deposit row is written: its foreign key would otherwise share-lock the account
  // first, and a reversal locking the two in id order meanwhile would deadlock with this transfer.
  await lockAccounts(tx, [ISSUANCE_ACCOUNT_ID, account.id]);
  const transferId = newId();
  const deposit = await insertDeposit(tx, {
    id: newId(),
    serviceRecordId: record.id,
    accountId: account.id,
    personId: record.volunteerId,
    categoryCode: record.categoryCode,
    minutes: record.minutes,
    pointsPerHour: rule.pointsPerHour,
    amount,
    transferId,
    createdBy: by,
  });
  if (!deposit) {
    // A racing transaction deposited the record first; its deposit is committed, so it reads now.
    const first = required(await findDepositOfServiceRecord(tx, record.id), `deposit of service record ${record.id}, made by a racing transaction`);
    return { kind: 'earlier', deposit: first };
  }
  await transfer(tx, {
    id: transferId,
    debit: ISSUANCE_ACCOUNT_ID,
    credit: account.id,
    amount,
    cause: 'service_record',
    reference: record.id,
    createdBy: by,
  });
  // The holder's inbox hears of it (people), in the deposit's transaction.
  await publishDepositMade(tx, deposit, account, office, record);
  // Debts left by earlier corrections come first: the deposit repays them before the holder may spend it.
  await repayDebts(tx, account, deposit, by);
  return { kind: 'deposited', deposit };
}

/**
 * The volunteer's customer account; when they have none, one opened for
 * them at the savings office covering the record's place, or null when no
 * office covers it.
 */
async function accountForRecord(tx: Transaction, record: ServiceRecordRow, by: string): Promise<AccountRow | null> {
  const existing = await findCustomerAccountOfHolder(tx, record.volunteerId);
  if (existing) return existing;
  const office = await findCoveringUnit(tx, record.place, 'savings_office');
  if (!office) return null;
  const opened = await openCustomerAccount(tx, { holderId: record.volunteerId, office, openedBy: by });
  // Null: an account opened for them in another transaction since the look above; it is committed, so it reads now.
  return required(opened ?? (await findCustomerAccountOfHolder(tx, record.volunteerId)), `account of volunteer ${record.volunteerId}`);
}

const pointsDepositInput = z.object({
  serviceRecord: idInput('a service record').transform((value) => value.toLowerCase()),
});

/**
 * `pointsDeposit`: deposits a record the bank learnt of and keeps, now (for
 * example once the bank has a rule for its category). Bank clerks of the
 * office the points would go to (the volunteer's, or for a volunteer without
 * a passbook the one covering the record's place) and platform admins; a
 * clerk never deposits their own service. Authority comes before anything
 * about the record: an unknown record and one the viewer does not serve get
 * the same answer, FORBIDDEN (`unseenObject`; records reach the bank from
 * the requests subgraph once they are written).
 */
export async function depositPoints(ctx: PointsContext, input: unknown): Promise<Result<DepositRow>> {
  const by = requireRoles(ctx.viewer, ['bank_clerk'], 'deposit points');
  const parsed = parseInput(pointsDepositInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'serviceRecord'];
  const [record] = await findServiceRecordsByIds(ctx.db, [parsed.value.serviceRecord]);
  if (!record) return unseenObject(ctx.viewer, field, 'service record');
  const account = await ctx.loaders.accountByHolder.load(record.volunteerId);
  const officeId = account?.officeId ?? (await findCoveringUnit(ctx.db, record.place, 'savings_office'))?.id ?? null;
  if (!isPlatformAdmin(ctx.viewer) && (officeId === null || !(await mayServeOffice(ctx, officeId)))) return unseenObject(ctx.viewer, field, 'service record');
  if (ctx.viewer.personId !== null && ctx.viewer.personId === record.volunteerId) {
    return refused(userError(field, 'NOT_ALLOWED', 'This is your own service: another clerk of your office or a platform admin deposits it.'));
  }
  if (!(await isKnownPerson(ctx.db, record.volunteerId))) {
    return refused(
      userError(field, 'NOT_FOUND', 'The volunteer of this record is not known to the bank: people has not registered them, or their registration has not reached the bank yet.'),
    );
  }
  if (await isReversalApplied(ctx.db, record.id)) return refused(userError(field, 'INVALID_STATE', 'This service record was reversed: it earns no points.'));
  return inTransaction(ctx, async (tx) => {
    const credited = await accountForRecord(tx, record, by);
    if (!credited) refuse(field, 'INVALID_STATE', 'The volunteer has no passbook and no savings office covers the place of this service: open an account for them first.');
    const outcome = await depositService(tx, credited, record, by);
    switch (outcome.kind) {
      case 'deposited':
      case 'earlier':
        return outcome.deposit;
      case 'no_rule':
        return refuse(field, 'NOT_FOUND', `The bank has no deposit rule for ${record.categoryCode} yet: set one, then deposit the record.`);
      case 'too_short':
        return refuse(field, 'INVALID_STATE', `Too short to earn a whole point at ${outcome.pointsPerHour} points an hour.`);
    }
  });
}

/** A service record as the requests subgraph announces it (`service_record.created`). */
export type AnnouncedServiceRecord = NewServiceRecord;

/** Whether a stored record is the one announced (the same volunteer, category and minutes). */
const sameRecord = (stored: ServiceRecordRow, announced: AnnouncedServiceRecord): boolean =>
  stored.volunteerId === announced.volunteerId && stored.categoryCode === announced.categoryCode && stored.minutes === announced.minutes;

/**
 * Keeps a service record the requests subgraph announced and deposits it, in
 * the event's transaction. The record stays known whether or not it can be
 * deposited now: no savings office covering the place of a volunteer without
 * a passbook, or no rule for its category, leaves it for bank staff to
 * deposit with `pointsDeposit` once that is fixed, and too short a record
 * earns nothing. Unprocessable (no retry can fix it): the record was
 * announced before with other details. The volunteer is not checked against
 * the directory of persons: requests vouches for them (it writes records only
 * for persons it knows), and people's registration may reach points after
 * requests' record, as the two sources are not ordered.
 */
export async function depositAnnouncedService(tx: Transaction, announced: AnnouncedServiceRecord, by: string): Promise<void> {
  const [kept] = await insertServiceRecords(tx, [announced]);
  const record = required(kept, `service record ${announced.id}, kept by this transaction`);
  if (!sameRecord(record, announced)) {
    throw new UnprocessableEventError(`service record ${announced.id} was announced before with other details`);
  }
  // A `created` event dead-lettered and replayed after its record's reversal was applied (with nothing to take back then)
  // must not deposit: the record no longer counts.
  if (await isReversalApplied(tx, record.id)) {
    await insertDepositDecision(tx, decision(record, 'reversed', REVERSED_REASON, by));
    return;
  }
  const account = await accountForRecord(tx, record, by);
  // No office for the volunteer: the record waits for staff (open an account, then pointsDeposit).
  if (!account) {
    await insertDepositDecision(tx, decision(record, 'no_account', NO_ACCOUNT_REASON, by));
    return;
  }
  // Deposited, deposited before, no rule yet (waits for pointsDeposit), or too short for a point: each is the record's whole effect for now.
  const outcome = await depositService(tx, account, record, by);
  switch (outcome.kind) {
    case 'deposited':
    case 'earlier':
      // The deposit row is the decision.
      return;
    case 'no_rule':
      await insertDepositDecision(tx, decision(record, 'no_rule', noRuleReason(record.categoryCode), by));
      return;
    case 'too_short':
      await insertDepositDecision(tx, { ...decision(record, 'too_short', tooShortReason(record.minutes, outcome.pointsPerHour), by), pointsPerHour: outcome.pointsPerHour });
      return;
  }
}

/** The decision row for `record`; a rule's rate only for a record too short. */
const decision = (record: ServiceRecordRow, status: NewDepositDecision['status'], reason: string, by: string): NewDepositDecision => ({
  serviceRecordId: record.id,
  status,
  reason,
  pointsPerHour: null,
  decidedBy: by,
});

const NO_ACCOUNT_REASON = 'The volunteer has no passbook, and no savings office covers the place of this service: once they have a passbook, bank staff deposit the record.';
const noRuleReason = (category: string): string => `The bank has no deposit rule for ${category} yet: once it sets one, bank staff deposit the record.`;
const tooShortReason = (minutes: number, pointsPerHour: number): string =>
  `Too short to earn a whole point: ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} at ${pointsPerHour} points an hour.`;
const REVERSED_REASON = 'This service record was reversed: it earns no points.';
const pointsIn = (points: number): string => `${points} ${points === 1 ? 'point' : 'points'}`;
const reversedAfterDepositReason = (points: number, owed: number): string =>
  owed === 0
    ? `This service record was reversed: it earns no points, and the ${pointsIn(points)} deposited for it were taken back.`
    : `This service record was reversed: it earns no points. Of the ${pointsIn(points)} deposited for it, ${pointsIn(points - owed)} were taken back; ` +
      `the ${pointsIn(owed)} already spent are owed, and the next deposits repay them.`;

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
  const owed = deposit ? await takeBackDeposit(tx, deposit, reversal, by) : 0;
  // The record's outcome becomes REVERSED, in the transaction that took the points back; a record not heard of yet is
  // decided when its `created` arrives (it finds this reversal applied).
  const [record] = await findServiceRecordsByIds(tx, [reversal.reversesId]);
  if (record) await insertDepositDecision(tx, decision(record, 'reversed', deposit ? reversedAfterDepositReason(deposit.amount, owed) : REVERSED_REASON, by));
}

/**
 * Takes the deposit's points back through the ledger's reversal, as far as
 * the account has them available; what the volunteer has spent already
 * becomes the account's debt, repaid from their next deposits
 * (src/debts/service.ts). So a correction is always applied, never retried
 * or dead-lettered for points spent. Returns the points still owed.
 */
async function takeBackDeposit(tx: Transaction, deposit: DepositRow, reversal: AnnouncedReversal, by: string): Promise<number> {
  const [transfer] = await findTransfersByIds(tx, [deposit.transferId]);
  const original = required(transfer, `transfer of deposit ${deposit.id}`);
  const outcome = await postReversal(tx, original, {
    note: `Service record ${reversal.reversesId} was reversed by record ${reversal.serviceRecordId}.`,
    by,
    owe: { serviceRecordId: reversal.reversesId, reversalRecordId: reversal.serviceRecordId },
  });
  switch (outcome.kind) {
    case 'reversed':
    case 'already':
      return 0;
    case 'owed':
    case 'owed_before':
      return outcome.debt.amount;
    case 'short':
      throw new Error(`the reversal of service record ${reversal.reversesId} was refused for a shortfall it records as a debt`);
  }
}

/**
 * Whether the viewer may read what became of a record of `volunteerId`'s
 * (null: nobody says whose it is): the volunteer, and whoever may read their
 * passbook (`mayReadAccount`: bank staff who serve it, platform admins).
 * Decided before anything about the record itself, so that everyone else
 * gets null whatever the record's state, or whether the bank knows it.
 */
async function mayReadDepositOutcome(ctx: PointsContext, volunteerId: string | null): Promise<boolean> {
  if (ctx.viewer.subject === null) return false;
  if (isPlatformAdmin(ctx.viewer)) return true;
  if (volunteerId === null) return false;
  if (ctx.viewer.personId === volunteerId) return true;
  // A deposit goes to the volunteer's one customer account, so its readers are the deposit's readers too.
  const account = await ctx.loaders.accountByHolder.load(volunteerId);
  return account !== null && (await mayReadAccount(ctx, account));
}

const NOT_HEARD_REASON = 'The bank has not heard of this service record yet: its points follow when it does.';
const UNDECIDED_REASON = 'The bank keeps this service record and has not deposited it yet.';

/**
 * `ServiceRecord.depositOutcome`: deposited, waiting or never to be, and why.
 * Whose record it is comes from the bank's own copy, or, for a record the
 * bank has not heard of, from the requests subgraph (the gateway's
 * `@requires`); null for a viewer who may not read it. A reversal outranks
 * everything, then a deposit (staff may deposit a record after the event
 * decided it could not), then the latest decision. A constant number of
 * statements for any number of records (the loaders).
 */
export async function depositOutcomeOf(ctx: PointsContext, reference: ServiceRecordReference): Promise<DepositOutcomeModel | null> {
  // Rows hold ids in lower case, and the loaders match them as strings.
  const record = await ctx.loaders.serviceRecordById.load(reference.id.toLowerCase());
  if (!(await mayReadDepositOutcome(ctx, record?.volunteerId ?? reference.reportedVolunteerId ?? null))) return null;
  if (!record) return { status: 'pending', reason: NOT_HEARD_REASON, deposit: null, decidedAt: null };
  const [deposit, decisions] = await Promise.all([ctx.loaders.depositOfServiceRecord.load(record.id), ctx.loaders.depositDecisionsOfServiceRecord.load(record.id)]);
  return outcomeOf(deposit, decisions);
}

/** What a kept record's deposit and decisions (oldest first) come to. */
function outcomeOf(deposit: DepositRow | null, decisions: readonly DepositDecisionRow[]): DepositOutcomeModel {
  const reversed = decisions.find((row) => row.status === 'reversed');
  if (reversed) return { status: 'reversed', reason: reversed.reason, deposit, decidedAt: reversed.decidedAt };
  if (deposit) return { status: 'deposited', reason: null, deposit, decidedAt: deposit.createdAt };
  const latest = decisions.at(-1);
  if (latest) return { status: latest.status, reason: latest.reason, deposit: null, decidedAt: latest.decidedAt };
  return { status: 'pending', reason: UNDECIDED_REASON, deposit: null, decidedAt: null };
}

/** The deposit of a service record, for its customer and the staff who serve them; null until deposited. */
export async function depositOfServiceRecord(ctx: PointsContext, serviceRecordId: string): Promise<DepositRow | null> {
  const deposit = await ctx.loaders.depositOfServiceRecord.load(serviceRecordId);
  if (!deposit) return null;
  const account = required(await ctx.loaders.accountById.load(deposit.accountId), `account of deposit ${deposit.id}`);
  await assertMayReadAccount(ctx, account);
  return deposit;
}

/** The transfer a deposit made (the deposit's own row guarantees it). */
export async function transferOfDeposit(ctx: PointsContext, deposit: DepositRow): Promise<TransferRow> {
  const row = await ctx.loaders.transferById.load(deposit.transferId);
  return required(row, `transfer of deposit ${deposit.id}`);
}
