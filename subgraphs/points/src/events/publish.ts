/**
 * The events points publishes (the event contract, docs/events.md): each is
 * appended to `points.outbox` in the transaction of the change it describes,
 * so it exists exactly when the change does. Recognition counts them per
 * savings office. Demo data publishes nothing.
 */
import { outboxPublisher, required, type Transaction } from '@lianxin/shared';
import { findBankUnitsByIds } from '../bank/store.js';
import type { AccountRow, BankUnitRow, DepositRow, RedemptionRow } from '../db/schema.js';

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
    payload: { depositId: string; accountId: string; holderId: string; serviceRecordId: string; points: number; madeAt: string };
  };
  'redemption.held': {
    aggregate: 'redemption';
    payload: { redemptionId: string; accountId: string; holderId: string; merchantId: string; points: number; heldUntil: string; heldAt: string };
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
 * or lapse moved no points and are not announced. `bankId` is the bank of
 * the customer's savings office, beside `officeId`, since consumers count
 * redemptions per office. A caller that has read the customer's office
 * already passes it, and the event costs no read.
 */
export async function publishRedemptionMade(tx: Transaction, redemption: RedemptionRow, customer: AccountRow, knownOffice?: BankUnitRow | null): Promise<void> {
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
 * `deposit.made`: points were deposited into a volunteer's passbook for a
 * service record. Its aggregate is the account, so a holder's deposits are
 * applied in the order they were made.
 */
export async function publishDepositMade(tx: Transaction, deposit: DepositRow, account: AccountRow): Promise<void> {
  const { holderId } = customerOf(account);
  await publish(tx, 'deposit.made', 'account', account.id, {
    depositId: deposit.id,
    accountId: account.id,
    holderId,
    serviceRecordId: deposit.serviceRecordId,
    points: deposit.amount,
    madeAt: deposit.createdAt.toISOString(),
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
