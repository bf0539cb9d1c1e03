/**
 * The events points publishes (the event contract, docs/events.md): each is
 * appended to `points.outbox` in the transaction of the change it describes,
 * so it exists exactly when the change does. Recognition counts them per
 * person, team and savings office (its read model by period); the demo
 * data publishes its bank units, accounts and merchants the same way.
 */
import { outboxPublisher, required, type Transaction } from '@lianxin/shared';
import { findAccountsByIds } from '../accounts/store.js';
import { findBankUnitsByIds } from '../bank/store.js';
import type {
  AccountRow,
  BankUnitRow,
  DebtRow,
  DepositRow,
  DonationRow,
  MerchantRow,
  RedemptionRow,
  RefundRow,
  ServiceRecordRow,
  SettlementStatementRecord,
  TransferRow,
} from '../db/schema.js';

/** Each event type points publishes, with its aggregate type and payload. */
export type PointsEvents = {
  'account.opened': { aggregate: 'account'; payload: { accountId: string; holderId: string; officeId: string; bankId: string; openedAt: string } };
  'redemption.made': {
    aggregate: 'redemption';
    payload: {
      redemptionId: string;
      accountId: string;
      holderId: string;
      officeId: string;
      bankId: string;
      merchantId: string;
      points: number;
      items: number;
      madeAt: string;
    };
  };
  'deposit.made': {
    aggregate: 'account';
    payload: {
      depositId: string;
      accountId: string;
      holderId: string;
      officeId: string;
      bankId: string;
      serviceRecordId: string;
      points: number;
      categoryCode: string;
      regionId: string | null;
      regionPath: string[];
      teamId: string | null;
      madeAt: string;
    };
  };
  'deposit.reversed': {
    aggregate: 'account';
    payload: {
      depositId: string;
      accountId: string;
      holderId: string;
      officeId: string;
      bankId: string;
      serviceRecordId: string;
      points: number;
      pointsTakenBack: number;
      pointsOwed: number;
      reversalId: string | null;
      debtId: string | null;
      reversedAt: string;
    };
  };
  'settlement.statement_closed': {
    aggregate: 'merchant';
    payload: {
      statementId: string;
      merchantId: string;
      bankId: string;
      periodFrom: string;
      periodTo: string;
      points: number;
      refundedPoints: number;
      netPoints: number;
      amountFen: number;
      closedAt: string;
    };
  };
  'merchant.joined': {
    aggregate: 'merchant';
    payload: { merchantId: string; bankId: string; officeId: string | null; regionId: string | null; joinedAt: string };
  };
  'bank_unit.opened': {
    aggregate: 'bank_unit';
    payload: { unitId: string; kind: string; bankId: string; parentId: string | null; regionId: string; openedAt: string };
  };
  'redemption.refunded': {
    aggregate: 'redemption';
    payload: {
      refundId: string;
      redemptionId: string;
      accountId: string;
      holderId: string;
      officeId: string;
      bankId: string;
      merchantId: string;
      points: number;
      items: number;
      refundedAt: string;
    };
  };
  'points.donated': {
    aggregate: 'donation';
    payload: {
      donationId: string;
      fromAccountId: string;
      fromOfficeId: string;
      toAccountId: string | null;
      toOfficeId: string | null;
      fundId: string | null;
      bankId: string;
      points: number;
      donatedAt: string;
    };
  };
  'redemption.held': {
    aggregate: 'redemption';
    payload: { redemptionId: string; accountId: string; holderId: string; merchantId: string; points: number; heldUntil: string; heldAt: string };
  };
  'redemption.hold_expiring': {
    aggregate: 'redemption';
    payload: { redemptionId: string; merchantId: string; points: number; heldUntil: string; announcedAt: string };
  };
  'redemption.hold_lapsed': {
    aggregate: 'redemption';
    payload: { redemptionId: string; merchantId: string; points: number; heldUntil: string; lapsedAt: string };
  };
};

/** Appends one of points' events in the caller's transaction. */
const publish = outboxPublisher<PointsEvents>('points');

/** The person and savings office of a customer account; any other account here is a bug. */
function customerOf(account: AccountRow): { holderId: string; officeId: string } {
  if (account.kind !== 'customer' || account.holderId === null || account.officeId === null) {
    throw new Error(`account ${account.id} is not a customer account`);
  }
  return { holderId: account.holderId, officeId: account.officeId };
}

/** `account.opened`: a customer account was opened at `office` (merchants' and the bank's own accounts are not announced). */
export async function publishAccountOpened(tx: Transaction, account: AccountRow, office: BankUnitRow): Promise<void> {
  const { holderId, officeId } = customerOf(account);
  await publish(tx, 'account.opened', 'account', account.id, {
    accountId: account.id,
    holderId,
    officeId,
    bankId: office.bankId,
    openedAt: account.openedAt.toISOString(),
  });
}

/**
 * `redemption.made`: points left a customer's account for a merchant — a
 * one-step redemption, or a hold when it is captured. Holds that are voided
 * or lapse moved no points and are not announced here. `bankId` is the bank of
 * the customer's savings office, beside `officeId`, since consumers count
 * redemptions per office (a lapse is announced to the merchant alone, as
 * `redemption.hold_lapsed`). A caller that has read the customer's office
 * already passes it, and the event costs no read. A sandbox account's
 * redemptions are not announced.
 */
export async function publishRedemptionMade(tx: Transaction, redemption: RedemptionRow, customer: AccountRow, knownOffice?: BankUnitRow | null): Promise<void> {
  // Sandbox points are not real: no tally, indicator or inbox hears of them.
  if (customer.sandbox) return;
  const { holderId, officeId } = customerOf(customer);
  const [unit] = knownOffice?.id === officeId ? [knownOffice] : await findBankUnitsByIds(tx, [officeId]);
  const office = required(unit, `office ${officeId} of account ${customer.id}`);
  if (redemption.resolvedAt === null) throw new Error(`redemption ${redemption.id} is not made yet`);
  await publish(tx, 'redemption.made', 'redemption', redemption.id, {
    redemptionId: redemption.id,
    accountId: customer.id,
    holderId,
    officeId,
    bankId: office.bankId,
    merchantId: redemption.merchantId,
    points: redemption.totalPoints,
    items: redemption.itemCount,
    madeAt: redemption.resolvedAt.toISOString(),
  });
}

/**
 * `redemption.refunded`: a merchant gave back part or all of a captured
 * redemption, and the points went back to the customer's account. Its
 * aggregate is the redemption, so it follows the `redemption.made` it nets;
 * a consumer that counts points redeemed subtracts `points` (and `items`).
 */
export async function publishRedemptionRefunded(tx: Transaction, refund: RefundRow, customer: AccountRow): Promise<void> {
  const { holderId, officeId } = customerOf(customer);
  const [unit] = await findBankUnitsByIds(tx, [officeId]);
  const office = required(unit, `office ${officeId} of account ${customer.id}`);
  await publish(tx, 'redemption.refunded', 'redemption', refund.redemptionId, {
    refundId: refund.id,
    redemptionId: refund.redemptionId,
    accountId: customer.id,
    holderId,
    officeId,
    bankId: office.bankId,
    merchantId: refund.merchantId,
    points: refund.points,
    items: refund.itemCount,
    refundedAt: refund.createdAt.toISOString(),
  });
}

/**
 * `settlement.statement_closed`: a merchant's statement for a month closed,
 * with its totals and what the bank pays. Its aggregate is the merchant, so
 * its statements arrive in the order they closed. No person's data: totals only.
 */
export async function publishStatementClosed(tx: Transaction, statement: SettlementStatementRecord): Promise<void> {
  await publish(tx, 'settlement.statement_closed', 'merchant', statement.merchantId, {
    statementId: statement.id,
    merchantId: statement.merchantId,
    bankId: statement.bankId,
    periodFrom: statement.periodFrom,
    periodTo: statement.periodTo,
    points: statement.points,
    refundedPoints: statement.refundedPoints,
    netPoints: statement.netPoints,
    amountFen: statement.amountFen,
    closedAt: statement.closedAt.toISOString(),
  });
}

/**
 * `deposit.made`: points were deposited into a volunteer's passbook for a
 * service record. Its aggregate is the account, so a holder's deposits (and
 * their reversals) are applied in the order they were made. The record's
 * category, place and team travel with it, as requests announced them, so
 * that recognition counts the points where the service was counted without
 * waiting for requests' own event.
 */
export async function publishDepositMade(tx: Transaction, deposit: DepositRow, account: AccountRow, office: BankUnitRow, record: ServiceRecordRow): Promise<void> {
  const { holderId, officeId } = customerOf(account);
  await publish(tx, 'deposit.made', 'account', account.id, {
    depositId: deposit.id,
    accountId: account.id,
    holderId,
    officeId,
    bankId: office.bankId,
    serviceRecordId: deposit.serviceRecordId,
    points: deposit.amount,
    categoryCode: record.categoryCode,
    regionId: record.place.at(-1) ?? null,
    regionPath: record.place,
    teamId: record.teamId,
    madeAt: deposit.createdAt.toISOString(),
  });
}

/**
 * `deposit.reversed`: a deposit was taken back (its service record reversed,
 * or a clerk reversing its transfer). On the account's aggregate, after the
 * deposit. `points` is always the whole deposit, which no longer counts;
 * `pointsTakenBack` is what its `reversal` took from the account now (null
 * when the account had nothing available), and `pointsOwed` the rest, the
 * account's `debt`, which its next deposits repay.
 */
export async function publishDepositReversed(tx: Transaction, deposit: DepositRow, taken: { reversal: TransferRow | null; debt: DebtRow | null }): Promise<void> {
  const [account] = await findAccountsByIds(tx, [deposit.accountId]);
  const customer = customerOf(required(account, `account of deposit ${deposit.id}`));
  const [unit] = await findBankUnitsByIds(tx, [customer.officeId]);
  const office = required(unit, `office ${customer.officeId} of account ${deposit.accountId}`);
  const { reversal, debt } = taken;
  const at = reversal?.createdAt ?? required(debt, `debt or reversal of deposit ${deposit.id}`).createdAt;
  await publish(tx, 'deposit.reversed', 'account', deposit.accountId, {
    depositId: deposit.id,
    accountId: deposit.accountId,
    holderId: customer.holderId,
    officeId: customer.officeId,
    bankId: office.bankId,
    serviceRecordId: deposit.serviceRecordId,
    points: deposit.amount,
    pointsTakenBack: reversal?.amount ?? 0,
    pointsOwed: debt?.amount ?? 0,
    reversalId: reversal?.id ?? null,
    debtId: debt?.id ?? null,
    reversedAt: at.toISOString(),
  });
}

/**
 * `merchant.joined`: an organisation joined a bank's love alliance, recruited
 * by `office` (null when no office is named). The head bank's central
 * exchange is the bank's own, not a company recruited, and is not announced.
 */
export async function publishMerchantJoined(tx: Transaction, merchant: MerchantRow, office: BankUnitRow | null): Promise<void> {
  if (merchant.kind !== 'alliance') return;
  await publish(tx, 'merchant.joined', 'merchant', merchant.id, {
    merchantId: merchant.id,
    bankId: merchant.bankId,
    officeId: office?.id ?? null,
    regionId: office?.regionId ?? null,
    joinedAt: merchant.createdAt.toISOString(),
  });
}

/** `bank_unit.opened`: a unit of the bank was added; its region is its area (what recognition counts an office's projects by). */
export async function publishBankUnitOpened(tx: Transaction, unit: BankUnitRow): Promise<void> {
  await publish(tx, 'bank_unit.opened', 'bank_unit', unit.id, {
    unitId: unit.id,
    kind: unit.kind,
    bankId: unit.bankId,
    parentId: unit.parentId,
    regionId: unit.regionId,
    openedAt: unit.createdAt.toISOString(),
  });
}

/**
 * `redemption.held`: a merchant holds points of a customer's passbook until
 * `heldUntil`. There is no periodic job that looks at holds before they
 * lapse (the sweep only releases lapsed ones), so the expiry travels with
 * the hold, once, and the holder is told then when it will lapse.
 */
export async function publishRedemptionHeld(
  tx: Transaction,
  hold: { id: string; merchantId: string; totalPoints: number; heldUntil: Date | null; createdAt: Date },
  customer: AccountRow,
): Promise<void> {
  // A sandbox account's holder is no person: there is no one to tell.
  if (customer.sandbox) return;
  const { holderId } = customerOf(customer);
  if (hold.heldUntil === null) throw new Error(`redemption ${hold.id} is not a hold`);
  await publish(tx, 'redemption.held', 'redemption', hold.id, {
    redemptionId: hold.id,
    accountId: customer.id,
    holderId,
    merchantId: hold.merchantId,
    points: hold.totalPoints,
    heldUntil: hold.heldUntil.toISOString(),
    heldAt: hold.createdAt.toISOString(),
  });
}

/** A hold as the merchant-facing hold events describe it. */
type HoldFacts = { id: string; merchantId: string; totalPoints: number; heldUntil: Date | null };

function heldUntilOf(hold: HoldFacts): string {
  if (hold.heldUntil === null) throw new Error(`redemption ${hold.id} is not a hold`);
  return hold.heldUntil.toISOString();
}

/**
 * `redemption.hold_expiring`: a hold will lapse within the notice the bank
 * gives (POINTS_WEBHOOK_HOLD_EXPIRING_SECONDS), announced once per hold for
 * its merchant's webhooks. No customer is named: it is for the merchant.
 */
export async function publishHoldExpiring(tx: Transaction, hold: HoldFacts, announcedAt: Date): Promise<void> {
  await publish(tx, 'redemption.hold_expiring', 'redemption', hold.id, {
    redemptionId: hold.id,
    merchantId: hold.merchantId,
    points: hold.totalPoints,
    heldUntil: heldUntilOf(hold),
    announcedAt: announcedAt.toISOString(),
  });
}

/**
 * `redemption.hold_lapsed`: a hold lapsed uncaptured and its points and
 * stock were released, in the transaction that released them. It moved no
 * points (`redemption.made` is not published); it is for the merchant's
 * webhooks and names no customer.
 */
export async function publishHoldLapsed(tx: Transaction, hold: HoldFacts & { resolvedAt: Date | null }): Promise<void> {
  await publish(tx, 'redemption.hold_lapsed', 'redemption', hold.id, {
    redemptionId: hold.id,
    merchantId: hold.merchantId,
    points: hold.totalPoints,
    heldUntil: heldUntilOf(hold),
    lapsedAt: required(hold.resolvedAt, `lapse of hold ${hold.id}`).toISOString(),
  });
}

/**
 * `points.donated`: a customer gave points to another customer of the bank,
 * or to a charity fund (then `toAccountId` and `toOfficeId` are null). Ids
 * of accounts and offices only: never the donor's or the recipient's person,
 * so that a consumer cannot undo a donor's choice to stay anonymous.
 */
export async function publishDonated(tx: Transaction, donation: DonationRow): Promise<void> {
  await publish(tx, 'points.donated', 'donation', donation.id, {
    donationId: donation.id,
    fromAccountId: donation.donorAccountId,
    fromOfficeId: donation.donorOfficeId,
    toAccountId: donation.recipientAccountId,
    toOfficeId: donation.recipientOfficeId,
    fundId: donation.fundId,
    bankId: donation.bankId,
    points: donation.amount,
    donatedAt: donation.donatedAt.toISOString(),
  });
}
