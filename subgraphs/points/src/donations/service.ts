/**
 * Rules for mutual aid donations (互助捐赠): a customer gives points from their
 * own passbook to another customer of the same head bank, or to a charity
 * fund of that bank. One transfer with cause `donation` pays each, referring
 * to its donation row; the database holds the rules too (checks and triggers:
 * src/db/schema/donations.ts and its migration), so a bug here cannot move
 * points as a gift on its own.
 *
 * A donor learns nothing about the passbook they name beyond success: an
 * unknown number, an account that is not a customer's and a customer of
 * another bank are one NOT_FOUND. The recipient learns who gave only when
 * the donor says so (`anonymous` is true unless they do).
 */
import { z } from 'zod';
import { ForbiddenError, UNIQUE_VIOLATION, isPlatformAdmin, newId, refused, requireSignedIn, required, unseenObject, type Result, type Transaction } from '@lianxin/shared';
import { mayReadAccount, mayServeBank, mayServeOffice } from '../access.js';
import { findAccountByPassbook } from '../accounts/store.js';
import { isValidPassbookNumber } from '../accounts/passbook.js';
import type { PointsContext } from '../context.js';
import { ISSUANCE_ACCOUNT_ID, type AccountRow, type DonationRow, type FundRow } from '../db/schema.js';
import { refuse, userError } from '../errors.js';
import { publishDonated } from '../events/publish.js';
import { lockAccounts, postTransfer } from '../ledger/store.js';
import { idInput, inTransaction, parseInput, textInput } from '../mutation.js';
import { findDonatedTotals, findDonationByKey, insertDonation } from './store.js';

const donateInput = (perDonation: number) =>
  z.object({
    from: idInput('an account')
      .transform((value) => value.toLowerCase())
      .nullish(),
    to: z
      .object({
        passbookNumber: z.string().refine(isValidPassbookNumber, 'is not a passbook number (12 digits, the last a check digit).').nullish(),
        fund: idInput('a fund')
          .transform((value) => value.toLowerCase())
          .nullish(),
      })
      .refine((target) => (target.passbookNumber == null) !== (target.fund == null), 'names exactly one of passbookNumber and fund.'),
    points: z.number().int('must be whole points.').min(1, 'must be at least 1.').max(perDonation, `must be at most ${perDonation} in one donation.`),
    anonymous: z.boolean().nullish(),
    note: textInput(200).nullish(),
    idempotencyKey: z.string().regex(/^[!-~]{8,255}$/, 'must be 8 to 255 printable ASCII characters.'),
  });

type DonateInput = z.infer<ReturnType<typeof donateInput>>;

/** Where a donation goes, once found and allowed. */
type Target = { kind: 'account'; account: AccountRow; officeId: string } | { kind: 'fund'; fund: FundRow };

/** The donor's own customer account: the one named, or by default their passbook. */
async function donorAccount(ctx: PointsContext, personId: string, from: string | null | undefined): Promise<Result<AccountRow>> {
  const field = ['input', 'from'];
  if (from == null) {
    const own = await ctx.loaders.accountByHolder.load(personId);
    return own ? { ok: true, value: own } : refused(userError(field, 'NOT_FOUND', 'You have no passbook to give from: open an account at a savings office first.'));
  }
  const account = await ctx.loaders.accountById.load(from);
  // Missing, or an account the viewer may not see: one answer.
  if (!account || !(await mayReadAccount(ctx, account))) return unseenObject(ctx.viewer, field, 'account');
  if (account.holderId !== personId) return refused(userError(field, 'NOT_ALLOWED', 'Only its holder gives points from a passbook.'));
  return { ok: true, value: account };
}

const NO_SUCH_CUSTOMER = 'No customer of your bank has this passbook number.';

/** The passbook or fund named, of the donor's bank; anything else about a passbook is one NOT_FOUND. */
async function findTarget(ctx: PointsContext, donor: AccountRow, bankId: string, to: DonateInput['to']): Promise<Result<Target>> {
  if (to.fund != null) {
    const field = ['input', 'to', 'fund'];
    const fund = await ctx.loaders.fundById.load(to.fund);
    if (!fund) return refused(userError(field, 'NOT_FOUND', 'There is no such fund.'));
    // Funds are public: another bank's is no secret, and is refused as such.
    if (fund.bankId !== bankId) return refused(userError(field, 'NOT_ALLOWED', 'Donations go to funds of your own bank.'));
    return { ok: true, value: { kind: 'fund', fund } };
  }
  const field = ['input', 'to', 'passbookNumber'];
  const account = await findAccountByPassbook(ctx.db, required(to.passbookNumber, 'passbook number of a donation'));
  const office = account?.kind === 'customer' && account.officeId !== null ? await ctx.loaders.bankUnitById.load(account.officeId) : null;
  if (!account || !office || office.bankId !== bankId) return refused(userError(field, 'NOT_FOUND', NO_SUCH_CUSTOMER));
  if (account.id === donor.id) return refused(userError(field, 'NOT_ALLOWED', 'A donation goes to someone else: this is your own passbook.'));
  return { ok: true, value: { kind: 'account', account, officeId: office.id } };
}

/** Whether a donation made before with the same key was this same donation. */
function sameDonation(earlier: DonationRow, input: DonateInput, target: Target): boolean {
  const recipient = target.kind === 'account' ? target.account.id : null;
  const fund = target.kind === 'fund' ? target.fund.id : null;
  return (
    earlier.recipientAccountId === recipient &&
    earlier.fundId === fund &&
    earlier.amount === input.points &&
    earlier.anonymous === (input.anonymous ?? true) &&
    earlier.note === (input.note ?? null)
  );
}

const conflict = userError(['input', 'idempotencyKey'], 'IDEMPOTENCY_CONFLICT', 'This key was used before for a different donation.');

interface Donor {
  account: AccountRow;
  officeId: string;
  bankId: string;
  by: string;
}

/**
 * Gives, in `tx`: the donor's and the recipient's accounts locked first (in id
 * order, as every transfer locks them), then the key, the day's and month's
 * totals and the available points read under that lock, so racing donations
 * of one donor see each other.
 */
async function give(ctx: PointsContext, tx: Transaction, donor: Donor, target: Target, input: DonateInput): Promise<DonationRow> {
  const credit = target.kind === 'account' ? target.account.id : ISSUANCE_ACCOUNT_ID;
  const locked = await lockAccounts(tx, [donor.account.id, credit]);
  const earlier = await findDonationByKey(tx, donor.account.id, input.idempotencyKey);
  if (earlier) {
    if (sameDonation(earlier, input, target)) return earlier;
    return refuse(conflict.field, conflict.code, conflict.message);
  }
  const limits = ctx.settings.donationLimits;
  const given = await findDonatedTotals(tx, donor.account.id);
  if (given.today + input.points > limits.perDay) {
    refuse(['input', 'points'], 'LIMIT_EXCEEDED', `A donor gives at most ${limits.perDay} points a day; you have given ${given.today} today.`);
  }
  if (given.thisMonth + input.points > limits.perMonth) {
    refuse(['input', 'points'], 'LIMIT_EXCEEDED', `A donor gives at most ${limits.perMonth} points a month; you have given ${given.thisMonth} this month.`);
  }
  const payer = required(
    locked.find((account) => account.id === donor.account.id),
    `donor account ${donor.account.id}`,
  );
  const available = payer.balance - payer.held;
  if (available < input.points) refuse(['input', 'points'], 'INSUFFICIENT_POINTS', `You have ${available} points available to give.`);
  const id = newId();
  const transfer = await postTransfer(tx, {
    debit: donor.account.id,
    credit,
    amount: input.points,
    cause: 'donation',
    reference: id,
    note: input.note ?? null,
    createdBy: donor.by,
  });
  const donation = await insertDonation(tx, {
    id,
    donorAccountId: donor.account.id,
    donorHolderId: required(donor.account.holderId, `holder of ${donor.account.id}`),
    donorOfficeId: donor.officeId,
    bankId: donor.bankId,
    recipientAccountId: target.kind === 'account' ? target.account.id : null,
    recipientOfficeId: target.kind === 'account' ? target.officeId : null,
    fundId: target.kind === 'fund' ? target.fund.id : null,
    amount: input.points,
    anonymous: input.anonymous ?? true,
    note: input.note ?? null,
    idempotencyKey: input.idempotencyKey,
    transferId: transfer.id,
    createdBy: donor.by,
  });
  await publishDonated(tx, donation);
  return donation;
}

/** `pointsDonate`: a customer gives points from their own passbook. */
export async function donate(ctx: PointsContext, input: unknown): Promise<Result<DonationRow>> {
  const by = requireSignedIn(ctx.viewer);
  const { personId } = ctx.viewer;
  if (personId === null) throw new ForbiddenError('Only a customer gives points, from their own passbook.');
  const parsed = parseInput(donateInput(ctx.settings.donationLimits.perDonation), input);
  if (!parsed.ok) return parsed;
  const found = await donorAccount(ctx, personId, parsed.value.from);
  if (!found.ok) return found;
  const account = found.value;
  const officeId = required(account.officeId, `office of customer account ${account.id}`);
  const office = required(await ctx.loaders.bankUnitById.load(officeId), `office ${officeId}`);
  const target = await findTarget(ctx, account, office.bankId, parsed.value.to);
  if (!target.ok) return target;
  const donor = { account, officeId, bankId: office.bankId, by };
  return inTransaction(ctx, (tx) => give(ctx, tx, donor, target.value, parsed.value), [{ sqlState: UNIQUE_VIOLATION, constraint: 'donations_donor_key', error: conflict }]);
}

/** Whether the viewer may see a donation: its donor, its recipient, the staff who serve either side, platform admins. */
async function mayReadDonation(ctx: PointsContext, donation: DonationRow): Promise<boolean> {
  if (isPlatformAdmin(ctx.viewer)) return true;
  const { personId } = ctx.viewer;
  if (personId !== null && personId === donation.donorHolderId) return true;
  if (donation.recipientAccountId !== null) {
    const recipient = await ctx.loaders.accountById.load(donation.recipientAccountId);
    if (recipient && personId !== null && recipient.holderId === personId) return true;
  }
  if (await mayServeOffice(ctx, donation.donorOfficeId)) return true;
  if (donation.recipientOfficeId !== null) return mayServeOffice(ctx, donation.recipientOfficeId);
  return donation.fundId !== null && mayServeBank(ctx, donation.bankId);
}

/**
 * The donation a transfer (or a passbook line's transfer) paid; null for
 * other causes, and for a viewer who sees the transfer but not the donation
 * (a clerk of another bank, through the issuance account).
 */
export async function donationOfTransfer(ctx: PointsContext, transferRow: { cause: string; transferId: string }): Promise<DonationRow | null> {
  if (transferRow.cause !== 'donation') return null;
  const donation = required(await ctx.loaders.donationOfTransfer.load(transferRow.transferId), `donation paid by transfer ${transferRow.transferId}`);
  return (await mayReadDonation(ctx, donation)) ? donation : null;
}

/** `Donation.donor`: the donor's person, unless they gave anonymously and the viewer is the recipient's side. */
export async function donorOf(ctx: PointsContext, donation: DonationRow): Promise<{ id: string } | null> {
  const known = { id: donation.donorHolderId };
  if (!donation.anonymous || isPlatformAdmin(ctx.viewer) || ctx.viewer.personId === donation.donorHolderId) return known;
  return (await mayServeOffice(ctx, donation.donorOfficeId)) ? known : null;
}

/** An account of a donation, for those who may see it; null for anyone else. */
export async function donationAccount(ctx: PointsContext, id: string | null): Promise<AccountRow | null> {
  if (id === null) return null;
  const account = await ctx.loaders.accountById.load(id);
  return account && (await mayReadAccount(ctx, account)) ? account : null;
}
