/** The ledger in the database: what Postgres itself refuses, whatever the services do. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { count, eq, inArray, sql } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import type { SubgraphHarness } from '@lianxin/shared/testing';
import { passbookNumber } from '../src/accounts/passbook.js';
import type { PointsContext } from '../src/context.js';
import { DEMO_ACCOUNTS, DEMO_BANK, DEMO_FUND, DEMO_MERCHANTS, DEMO_MORE_ACCOUNTS } from '../src/db/demo.js';
import { CHECK_VIOLATION, UNIQUE_VIOLATION, isConstraintViolation } from '@lianxin/shared';
import { ISSUANCE_ACCOUNT_ID, ISSUANCE_PASSBOOK_NUMBER, accounts, bankUnits, fundEntries, funds, redemptions, transfers } from '../src/db/schema.js';
import { lockAccounts, transfer, type TransferInput } from '../src/ledger/store.js';
import { expectBooksToBalance, startPoints, XINGLE_OFFICE, type PointsTestBed } from './support.js';

let bed: PointsTestBed;
let points: SubgraphHarness<PointsContext>;

beforeAll(async () => {
  bed = await startPoints();
  points = bed.points;
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

/** Postgres `foreign_key_violation`. */
const FOREIGN_KEY_VIOLATION = '23503';

const db = () => points.database.db;
const move = (input: Omit<TransferInput, 'createdBy'>) => db().transaction((tx) => transfer(tx, { createdBy: 'ledger-test', ...input }));

/** The error a promise rejects with; fails the test when it resolves. */
async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the database to refuse');
}

/** The Postgres message behind a drizzle error. */
const messageOf = (error: unknown): string => {
  const cause = (error as { cause?: { message?: string } }).cause;
  return cause?.message ?? String(error);
};

let serial = 80_000_000_000;
/** A fresh customer account holding `points`, issued the way demo data is. */
async function customerWith(amount: number): Promise<string> {
  const id = newId();
  serial += 1;
  await db()
    .insert(accounts)
    .values({ id, kind: 'customer', holderId: newId(), officeId: XINGLE_OFFICE, passbookNumber: passbookNumber(serial), openedBy: 'ledger-test' });
  if (amount > 0) await move({ debit: ISSUANCE_ACCOUNT_ID, credit: id, amount, cause: 'opening' });
  return id;
}

async function balanceOf(id: string): Promise<number> {
  const [row] = await db().select({ balance: accounts.balance }).from(accounts).where(eq(accounts.id, id));
  if (!row) throw new Error(`no account ${id}`);
  return row.balance;
}

async function transferCount(): Promise<number> {
  const [row] = await db().select({ n: count() }).from(transfers);
  return row?.n ?? 0;
}

describe('the issuance account', () => {
  it('is created by the migration, the one account allowed below zero', async () => {
    const [issuance] = await db().select().from(accounts).where(eq(accounts.id, ISSUANCE_ACCOUNT_ID));
    expect(issuance).toMatchObject({ kind: 'issuance', holderId: null, passbookNumber: ISSUANCE_PASSBOOK_NUMBER });
    expect(issuance!.balance).toBe(-[...DEMO_ACCOUNTS, ...DEMO_MORE_ACCOUNTS].reduce((sum, account) => sum + account.openingPoints, 0));
  });
});

describe('transfers', () => {
  it('move points between two accounts and are written once', async () => {
    const from = await customerWith(100);
    const to = await customerWith(0);
    const before = await transferCount();
    const row = await move({ debit: from, credit: to, amount: 30, cause: 'opening', reference: 'opening balance for 刘桂芳' });
    expect(row).toMatchObject({ debitAccountId: from, creditAccountId: to, amount: 30, cause: 'opening', reference: 'opening balance for 刘桂芳' });
    expect(await balanceOf(from)).toBe(70);
    expect(await balanceOf(to)).toBe(30);
    expect(await transferCount()).toBe(before + 1);
  });

  it('refuse an overdraft in the database, writing nothing', async () => {
    const spender = await customerWith(20);
    const before = await transferCount();
    const issuanceBefore = await balanceOf(ISSUANCE_ACCOUNT_ID);
    const error = await failureOf(move({ debit: spender, credit: ISSUANCE_ACCOUNT_ID, amount: 21, cause: 'redemption' }));
    expect(isConstraintViolation(error, CHECK_VIOLATION, 'accounts_balance_not_negative')).toBe(true);
    expect(await balanceOf(spender)).toBe(20);
    expect(await balanceOf(ISSUANCE_ACCOUNT_ID)).toBe(issuanceBefore);
    expect(await transferCount()).toBe(before);
  });

  it('refuse amounts that are not positive and transfers from an account to itself', async () => {
    const account = await customerWith(50);
    const other = await customerWith(0);
    for (const amount of [0, -5]) {
      const error = await failureOf(
        db()
          .insert(transfers)
          .values({
            debitAccountId: account,
            creditAccountId: other,
            amount,
            cause: 'opening',
            debitLine: 2,
            creditLine: 1,
            debitBalanceAfter: 50 - amount,
            creditBalanceAfter: amount,
            createdBy: 'ledger-test',
          }),
      );
      expect(isConstraintViolation(error, CHECK_VIOLATION, 'transfers_amount_positive')).toBe(true);
    }
    const error = await failureOf(move({ debit: account, credit: account, amount: 5, cause: 'opening' }));
    expect(isConstraintViolation(error, CHECK_VIOLATION, 'transfers_between_two_accounts')).toBe(true);
    expect(await balanceOf(account)).toBe(50);
  });

  it('cannot be updated, deleted or truncated', async () => {
    const from = await customerWith(40);
    const to = await customerWith(0);
    const row = await move({ debit: from, credit: to, amount: 10, cause: 'opening' });
    const refusals = [
      db().update(transfers).set({ amount: 1000 }).where(eq(transfers.id, row.id)),
      db().update(transfers).set({ cause: 'reversal' }),
      db().delete(transfers).where(eq(transfers.id, row.id)),
      db().execute(sql`truncate points.transfers cascade`),
    ];
    for (const refusal of refusals) expect(messageOf(await failureOf(refusal))).toMatch(/append-only/);
    const [kept] = await db().select().from(transfers).where(eq(transfers.id, row.id));
    expect(kept).toEqual(row);
  });

  it('run in parallel in both directions without deadlocking', async () => {
    const left = await customerWith(100);
    const right = await customerWith(100);
    const moves = Array.from({ length: 40 }, (_, index) =>
      index % 2 === 0 ? move({ debit: left, credit: right, amount: 3, cause: 'opening' }) : move({ debit: right, credit: left, amount: 1, cause: 'opening' }),
    );
    await Promise.all(moves);
    expect(await balanceOf(left)).toBe(100 - 20 * 3 + 20 * 1);
    expect(await balanceOf(right)).toBe(100 + 20 * 3 - 20 * 1);
  });

  it('never overdraw an account when spends race for its last points', async () => {
    const spender = await customerWith(50);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => move({ debit: spender, credit: ISSUANCE_ACCOUNT_ID, amount: 10, cause: 'redemption' })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(isConstraintViolation(outcome.reason, CHECK_VIOLATION, 'accounts_balance_not_negative')).toBe(true);
    }
    expect(await balanceOf(spender)).toBe(0);
  });
});

describe('accounts in the database', () => {
  it('refuse a passbook number with a wrong check digit or a wrong shape', async () => {
    const valid = passbookNumber(70_000_000_001);
    const wrongDigit = `${valid.slice(0, 11)}${(Number(valid[11]) + 1) % 10}`;
    for (const [number, constraint] of [
      [wrongDigit, 'accounts_passbook_check_digit'],
      // 13 digits whose Luhn sum is right: only the shape is wrong.
      ['0000000000018', 'accounts_passbook_number_format'],
    ] as const) {
      const error = await failureOf(
        db().insert(accounts).values({ kind: 'customer', holderId: newId(), officeId: XINGLE_OFFICE, passbookNumber: number, openedBy: 'ledger-test' }),
      );
      expect(isConstraintViolation(error, CHECK_VIOLATION, constraint)).toBe(true);
    }
  });

  it('refuse a customer account without a holder, a second issuance account and a second account per person', async () => {
    const noHolder = await failureOf(
      db()
        .insert(accounts)
        .values({ kind: 'customer', holderId: null, officeId: XINGLE_OFFICE, passbookNumber: passbookNumber(70_000_000_002), openedBy: 'ledger-test' }),
    );
    expect(isConstraintViolation(noHolder, CHECK_VIOLATION, 'accounts_holder_iff_customer')).toBe(true);
    const secondIssuance = await failureOf(
      db()
        .insert(accounts)
        .values({ kind: 'issuance', passbookNumber: passbookNumber(70_000_000_003), openedBy: 'ledger-test' }),
    );
    expect(isConstraintViolation(secondIssuance, UNIQUE_VIOLATION, 'accounts_one_issuance')).toBe(true);
    const secondForWang = await failureOf(
      db()
        .insert(accounts)
        .values({ kind: 'customer', holderId: DEMO_ACCOUNTS[0]!.holderId, officeId: XINGLE_OFFICE, passbookNumber: passbookNumber(70_000_000_004), openedBy: 'ledger-test' }),
    );
    expect(isConstraintViolation(secondForWang, UNIQUE_VIOLATION, 'accounts_one_per_holder')).toBe(true);
  });
});

describe('the books', () => {
  it('balance: every account holds its credits minus its debits, and all balances sum to zero', async () => {
    // Runs after the tests above, so it checks the ledger they left behind.
    const rows = await db().select({ id: accounts.id, balance: accounts.balance }).from(accounts);
    const all = await db().select({ debit: transfers.debitAccountId, credit: transfers.creditAccountId, amount: transfers.amount }).from(transfers);
    const expected = new Map(rows.map((row) => [row.id, 0]));
    for (const entry of all) {
      expected.set(entry.debit, (expected.get(entry.debit) ?? 0) - entry.amount);
      expected.set(entry.credit, (expected.get(entry.credit) ?? 0) + entry.amount);
    }
    expect(all.length).toBeGreaterThan(DEMO_ACCOUNTS.length);
    expect(Object.fromEntries(rows.map((row) => [row.id, row.balance]))).toEqual(Object.fromEntries(expected));
    expect(rows.reduce((sum, row) => sum + row.balance, 0)).toBe(0);
  });

  it('carry the demo opening transfers under their fixed ids', async () => {
    const opening = await db()
      .select()
      .from(transfers)
      .where(
        inArray(
          transfers.id,
          DEMO_ACCOUNTS.map((account) => account.openingTransferId),
        ),
      );
    expect(opening).toHaveLength(DEMO_ACCOUNTS.length);
    expect(opening.every((row) => row.cause === 'opening' && row.debitAccountId === ISSUANCE_ACCOUNT_ID)).toBe(true);
  });
});

describe('passbook lines in the ledger', () => {
  it('number each side of a transfer in its account and record the balance it reached', async () => {
    const from = await customerWith(50);
    const to = await customerWith(0);
    const row = await move({ debit: from, credit: to, amount: 20, cause: 'opening' });
    // `from` has its opening line, so this is its second; `to` had none.
    expect(row).toMatchObject({ debitLine: 2, debitBalanceAfter: 30, creditLine: 1, creditBalanceAfter: 20 });
    const [account] = await db().select().from(accounts).where(eq(accounts.id, from));
    expect(account).toMatchObject({ lines: 2, balance: 30 });
  });

  it('refuse a transfer row that does not match the accounts it names', async () => {
    const from = await customerWith(50);
    const to = await customerWith(0);
    // Written without moving the accounts: the trigger sees lines and balances the accounts never reached.
    const error = await failureOf(
      db().insert(transfers).values({
        debitAccountId: from,
        creditAccountId: to,
        amount: 10,
        cause: 'opening',
        debitLine: 2,
        creditLine: 1,
        debitBalanceAfter: 40,
        creditBalanceAfter: 10,
        createdBy: 'ledger-test',
      }),
    );
    expect(isConstraintViolation(error, CHECK_VIOLATION, 'transfers_match_accounts')).toBe(true);
  });
});

describe('reversals in the database', () => {
  const reverse = (original: { id: string; debitAccountId: string; creditAccountId: string; amount: number }, overrides: Partial<TransferInput> = {}) =>
    move({ debit: original.creditAccountId, credit: original.debitAccountId, amount: original.amount, cause: 'reversal', reverses: original.id, ...overrides });

  it('mirror the transfer they reverse, once', async () => {
    const from = await customerWith(60);
    const to = await customerWith(100);
    const original = await move({ debit: from, credit: to, amount: 25, cause: 'opening' });
    const reversal = await reverse(original);
    expect(reversal).toMatchObject({ cause: 'reversal', reversesId: original.id, debitAccountId: to, creditAccountId: from, amount: 25 });
    expect(await balanceOf(from)).toBe(60);
    const again = await failureOf(reverse(original));
    expect(isConstraintViolation(again, UNIQUE_VIOLATION, 'transfers_reversed_once')).toBe(true);
  });

  it('refuse a reversal that does not mirror its original, and the reversal of a reversal', async () => {
    const from = await customerWith(60);
    const to = await customerWith(10);
    const original = await move({ debit: from, credit: to, amount: 25, cause: 'opening' });
    for (const wrong of [{ amount: 24 }, { debit: from, credit: to }]) {
      const error = await failureOf(reverse(original, wrong));
      expect(isConstraintViolation(error, CHECK_VIOLATION, 'transfers_reversal_mirrors_original')).toBe(true);
    }
    const reversal = await reverse(original);
    const error = await failureOf(reverse(reversal));
    expect(isConstraintViolation(error, CHECK_VIOLATION, 'transfers_reversal_mirrors_original')).toBe(true);
    const unmarked = await failureOf(move({ debit: to, credit: from, amount: 5, cause: 'reversal' }));
    expect(isConstraintViolation(unmarked, CHECK_VIOLATION, 'transfers_reversal_iff_reverses')).toBe(true);
  });
});

describe('balances in the database', () => {
  it('keep held points within the balance', async () => {
    const id = await customerWith(30);
    const error = await failureOf(db().update(accounts).set({ held: 31 }).where(eq(accounts.id, id)));
    expect(isConstraintViolation(error, CHECK_VIOLATION, 'accounts_held_within_balance')).toBe(true);
    // Spending points that are held is an overdraft of what is spendable.
    await db().update(accounts).set({ held: 20 }).where(eq(accounts.id, id));
    const spend = await failureOf(move({ debit: id, credit: ISSUANCE_ACCOUNT_ID, amount: 11, cause: 'opening' }));
    expect(isConstraintViolation(spend, CHECK_VIOLATION, 'accounts_held_within_balance')).toBe(true);
    await db().update(accounts).set({ held: 0 }).where(eq(accounts.id, id));
  });

  it("never take a merchant's account below zero", async () => {
    const error = await failureOf(move({ debit: DEMO_MERCHANTS.yonghui.accountId, credit: ISSUANCE_ACCOUNT_ID, amount: 1, cause: 'opening' }));
    expect(isConstraintViolation(error, CHECK_VIOLATION, 'accounts_balance_not_negative')).toBe(true);
  });

  it('never take a charity fund below zero, and keep its statement append-only', async () => {
    const [fund] = await db().select().from(funds).where(eq(funds.id, DEMO_FUND.id));
    const overdraw = await failureOf(db().update(funds).set({ balance: -1 }).where(eq(funds.id, DEMO_FUND.id)));
    expect(isConstraintViolation(overdraw, CHECK_VIOLATION, 'funds_balance_not_negative')).toBe(true);
    expect(fund!.balance).toBeGreaterThan(0);
    for (const refusal of [db().update(fundEntries).set({ amount: 1 }), db().delete(fundEntries)]) {
      expect(messageOf(await failureOf(refusal))).toMatch(/points\.fund_entries is append-only/);
    }
  });
});

describe('the bank tree in the database', () => {
  it('refuses a unit that skips a level, an office without a station and an account opened at a branch', async () => {
    const officeUnderHead = await failureOf(
      db().insert(bankUnits).values({
        kind: 'savings_office',
        name: 'skips the branch',
        parentId: DEMO_BANK.head.id,
        parentKind: 'head_bank',
        bankId: DEMO_BANK.head.id,
        regionId: newId(),
        stationId: newId(),
        createdBy: 'ledger-test',
      }),
    );
    expect(isConstraintViolation(officeUnderHead, CHECK_VIOLATION, 'bank_units_levels')).toBe(true);
    const lyingAboutParent = await failureOf(
      db().insert(bankUnits).values({
        kind: 'savings_office',
        name: 'names a head bank as a branch',
        parentId: DEMO_BANK.head.id,
        parentKind: 'branch',
        bankId: DEMO_BANK.head.id,
        regionId: newId(),
        stationId: newId(),
        createdBy: 'ledger-test',
      }),
    );
    expect(isConstraintViolation(lyingAboutParent, FOREIGN_KEY_VIOLATION, 'bank_units_parent_fk')).toBe(true);
    const noStation = await failureOf(
      db().insert(bankUnits).values({
        kind: 'savings_office',
        name: 'no station',
        parentId: DEMO_BANK.xiyiluBranch.id,
        parentKind: 'branch',
        bankId: DEMO_BANK.head.id,
        regionId: newId(),
        createdBy: 'ledger-test',
      }),
    );
    expect(isConstraintViolation(noStation, CHECK_VIOLATION, 'bank_units_station_iff_office')).toBe(true);
    const atBranch = await failureOf(
      db()
        .insert(accounts)
        .values({ kind: 'customer', holderId: newId(), officeId: DEMO_BANK.xiyiluBranch.id, passbookNumber: passbookNumber(70_000_000_010), openedBy: 'ledger-test' }),
    );
    expect(isConstraintViolation(atBranch, FOREIGN_KEY_VIOLATION, 'accounts_office_fk')).toBe(true);
  });
});

describe('redemptions in the database', () => {
  it('resolve a hold once and never change a resolved redemption', async () => {
    const customer = await customerWith(40);
    const holdId = newId();
    const item = DEMO_MERCHANTS.yonghui.items[2].id;
    await db().transaction(async (tx) => {
      await tx.insert(redemptions).values({
        id: holdId,
        merchantId: DEMO_MERCHANTS.yonghui.id,
        accountId: customer,
        status: 'held',
        totalPoints: 20,
        itemCount: 1,
        heldUntil: new Date(Date.now() + 60_000),
        createdBy: 'ledger-test',
      });
      await tx.execute(sql`insert into points.redemption_lines (redemption_id, item_id, name, quantity, unit_points) values (${holdId}::uuid, ${item}::uuid, '挂面 1kg', 1, 20)`);
      await lockAccounts(tx, [customer]);
      await tx.update(accounts).set({ held: 20 }).where(eq(accounts.id, customer));
    });
    await db().transaction(async (tx) => {
      await tx.update(redemptions).set({ status: 'voided', resolvedAt: new Date(), resolvedBy: 'ledger-test' }).where(eq(redemptions.id, holdId));
      await tx.update(accounts).set({ held: 0 }).where(eq(accounts.id, customer));
    });
    for (const change of [
      db().update(redemptions).set({ status: 'held', resolvedAt: null }).where(eq(redemptions.id, holdId)),
      db().update(redemptions).set({ status: 'expired' }).where(eq(redemptions.id, holdId)),
      db().update(redemptions).set({ totalPoints: 1 }).where(eq(redemptions.id, holdId)),
    ]) {
      expect(isConstraintViolation(await failureOf(change), CHECK_VIOLATION, 'redemptions_resolve_once')).toBe(true);
    }
    expect(messageOf(await failureOf(db().delete(redemptions).where(eq(redemptions.id, holdId))))).toMatch(/append-only/);
  });
});
