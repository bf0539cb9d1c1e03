import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { count, eq, inArray, sql } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import { startSubgraphHarness, type SubgraphHarness } from '@lianxin/shared/testing';
import { passbookNumber } from '../src/accounts/passbook.js';
import type { PointsContext } from '../src/context.js';
import { DEMO_ACCOUNTS } from '../src/db/demo.js';
import { CHECK_VIOLATION, UNIQUE_VIOLATION, isConstraintViolation } from '@lianxin/shared';
import { ISSUANCE_ACCOUNT_ID, ISSUANCE_PASSBOOK_NUMBER, accounts, transfers } from '../src/db/schema.js';
import { pointsSubgraph } from '../src/index.js';
import { transfer, type TransferInput } from '../src/ledger/store.js';

let points: SubgraphHarness<PointsContext>;

beforeAll(async () => {
  points = await startSubgraphHarness(pointsSubgraph);
});
afterAll(async () => {
  await points?.stop();
});

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
  await db().insert(accounts).values({ id, kind: 'customer', holderId: newId(), passbookNumber: passbookNumber(serial), openedBy: 'ledger-test' });
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
    expect(issuance!.balance).toBe(-DEMO_ACCOUNTS.reduce((sum, account) => sum + account.openingPoints, 0));
  });
});

describe('transfers', () => {
  it('move points between two accounts and are written once', async () => {
    const from = await customerWith(100);
    const to = await customerWith(0);
    const before = await transferCount();
    const row = await move({ debit: from, credit: to, amount: 30, cause: 'donation', reference: 'gift for 刘桂芳' });
    expect(row).toMatchObject({ debitAccountId: from, creditAccountId: to, amount: 30, cause: 'donation', reference: 'gift for 刘桂芳' });
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
      const error = await failureOf(move({ debit: account, credit: other, amount, cause: 'adjustment' }));
      expect(isConstraintViolation(error, CHECK_VIOLATION, 'transfers_amount_positive')).toBe(true);
    }
    const error = await failureOf(move({ debit: account, credit: account, amount: 5, cause: 'adjustment' }));
    expect(isConstraintViolation(error, CHECK_VIOLATION, 'transfers_between_two_accounts')).toBe(true);
    expect(await balanceOf(account)).toBe(50);
  });

  it('cannot be updated, deleted or truncated', async () => {
    const from = await customerWith(40);
    const to = await customerWith(0);
    const row = await move({ debit: from, credit: to, amount: 10, cause: 'donation' });
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
      index % 2 === 0
        ? move({ debit: left, credit: right, amount: 3, cause: 'donation' })
        : move({ debit: right, credit: left, amount: 1, cause: 'donation' }),
    );
    await Promise.all(moves);
    expect(await balanceOf(left)).toBe(100 - 20 * 3 + 20 * 1);
    expect(await balanceOf(right)).toBe(100 + 20 * 3 - 20 * 1);
  });

  it('never overdraw an account when spends race for its last points', async () => {
    const spender = await customerWith(50);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => move({ debit: spender, credit: ISSUANCE_ACCOUNT_ID, amount: 10, cause: 'redemption' })),
    );
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
        db().insert(accounts).values({ kind: 'customer', holderId: newId(), passbookNumber: number, openedBy: 'ledger-test' }),
      );
      expect(isConstraintViolation(error, CHECK_VIOLATION, constraint)).toBe(true);
    }
  });

  it('refuse a customer account without a holder, a second issuance account and a second account per person', async () => {
    const noHolder = await failureOf(
      db().insert(accounts).values({ kind: 'customer', holderId: null, passbookNumber: passbookNumber(70_000_000_002), openedBy: 'ledger-test' }),
    );
    expect(isConstraintViolation(noHolder, CHECK_VIOLATION, 'accounts_holder_iff_customer')).toBe(true);
    const secondIssuance = await failureOf(
      db().insert(accounts).values({ kind: 'issuance', passbookNumber: passbookNumber(70_000_000_003), openedBy: 'ledger-test' }),
    );
    expect(isConstraintViolation(secondIssuance, UNIQUE_VIOLATION, 'accounts_one_issuance')).toBe(true);
    const secondForWang = await failureOf(
      db().insert(accounts).values({ kind: 'customer', holderId: DEMO_ACCOUNTS[0]!.holderId, passbookNumber: passbookNumber(70_000_000_004), openedBy: 'ledger-test' }),
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
      .where(inArray(transfers.id, DEMO_ACCOUNTS.map((account) => account.openingTransferId)));
    expect(opening).toHaveLength(DEMO_ACCOUNTS.length);
    expect(opening.every((row) => row.cause === 'opening' && row.debitAccountId === ISSUANCE_ACCOUNT_ID)).toBe(true);
  });
});
