/**
 * Debts: a service record corrected after its volunteer spent the points.
 * The correction takes back what the account has available and records the
 * rest as a debt (never a negative balance, never a dead letter); the next
 * deposits repay it, oldest debt first, each repayment a passbook line back
 * to the issuance account; the books' audit checks debts and repayments.
 * The correction is applied through the core the `service_record.reversed`
 * handler calls (events.test.ts sends the event itself).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { newId, rowsOf } from '@lianxin/shared';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { DEMO_MERCHANTS } from '../src/db/demo.js';
import { debts, deposits } from '../src/db/schema.js';
import { reverseAnnouncedService } from '../src/deposits/service.js';
import { EVENTS_ACTOR } from '../src/index.js';
import { customerWith, depositFor, expectBooksToBalance, pointsOf, redemption, run, startPoints, viewers, XINGLE_OFFICE, yonghuiItem, type PointsTestBed } from './support.js';

let bed: PointsTestBed;

beforeAll(async () => {
  bed = await startPoints();
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

const db = () => bed.points.database.db;

/** Corrects service record `reversesId` as requests' `service_record.reversed` would; returns the correcting record's id. */
async function correct(reversesId: string): Promise<string> {
  const serviceRecordId = newId();
  await db().transaction((tx) => reverseAnnouncedService(tx, { serviceRecordId, reversesId }, EVENTS_ACTOR));
  return serviceRecordId;
}

/** Deposits `minutes` of home repair (20 points an hour) for `personId`; returns the record's id. */
async function earn(personId: string, minutes: number): Promise<string> {
  const made = await depositFor(bed, personId, minutes, 'home_repair');
  const [row] = await db().select().from(deposits).where(eq(deposits.id, made.deposit!.id));
  return row!.serviceRecordId;
}

/** Spends `points` of the account's at Yonghui. */
async function spend(passbookNumber: string, points: number): Promise<void> {
  const item = await yonghuiItem(bed, points, 1);
  const made = await redemption(
    bed,
    'redemptionCreate',
    { passbookNumber, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: `debts-${newId()}` },
    viewers.yonghui,
  );
  expect(made.redemption?.status).toBe('CAPTURED');
}

const ACCOUNT_DEBTS = `query ($id: ID!) { account(id: $id) {
  balance debt
  debts { amount repaid outstanding settledAt serviceRecord { id } correctedBy { id } reversedTransfer { amount cause } reversal { amount cause } }
  transfers(first: 10) { edges { node { cause amount balanceAfter reference } } }
} }`;

interface AccountDebts {
  account: {
    balance: number;
    debt: number;
    debts: {
      amount: number;
      repaid: number;
      outstanding: number;
      settledAt: string | null;
      serviceRecord: { id: string } | null;
      correctedBy: { id: string } | null;
      reversedTransfer: { amount: number; cause: string };
      reversal: { amount: number; cause: string } | null;
    }[];
    transfers: { edges: { node: { cause: string; amount: number; balanceAfter: number; reference: string | null } }[] };
  } | null;
}

describe('a correction after the points were spent', () => {
  it('takes back what is available, records the rest as a debt, and the next deposits repay it first', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = await earn(volunteer.personId, 60); // 20 points
    await spend(volunteer.passbookNumber, 15);
    const correction = await correct(record);

    const after = await run<AccountDebts>(bed, ACCOUNT_DEBTS, viewers.clerk, { id: volunteer.accountId });
    expect(after.account).toMatchObject({ balance: 0, debt: 15 });
    expect(after.account!.debts).toEqual([
      {
        amount: 15,
        repaid: 0,
        outstanding: 15,
        settledAt: null,
        serviceRecord: { id: record },
        correctedBy: { id: correction },
        reversedTransfer: { amount: 20, cause: 'SERVICE_RECORD' },
        reversal: { amount: 5, cause: 'REVERSAL' },
      },
    ]);
    expect(after.account!.transfers.edges[0]!.node).toEqual({ cause: 'REVERSAL', amount: -5, balanceAfter: 0, reference: record });

    // 10 points deposited: all of them repay the debt, which statistics count as points reversed.
    const reversedSoFar = async () =>
      (await run<{ pointsFlowStats: { total: { reversed: number; deposited: number } } }>(bed, `{ pointsFlowStats { total { reversed deposited } } }`, viewers.analyst))
        .pointsFlowStats.total;
    const before = await reversedSoFar();
    await earn(volunteer.personId, 30);
    expect(await reversedSoFar()).toEqual({ reversed: before.reversed + 10, deposited: before.deposited + 10 });
    const partly = await run<AccountDebts>(bed, ACCOUNT_DEBTS, viewers.clerk, { id: volunteer.accountId });
    expect(partly.account).toMatchObject({ balance: 0, debt: 5 });
    const [debt] = await db().select().from(debts).where(eq(debts.accountId, volunteer.accountId));
    expect(partly.account!.transfers.edges.slice(0, 2).map((edge) => edge.node)).toEqual([
      { cause: 'DEBT_REPAYMENT', amount: -10, balanceAfter: 0, reference: debt!.id },
      { cause: 'SERVICE_RECORD', amount: 10, balanceAfter: 10, reference: expect.any(String) },
    ]);

    // 20 more: 5 settle the debt, 15 stay with the holder.
    await earn(volunteer.personId, 60);
    const settled = await run<AccountDebts>(bed, ACCOUNT_DEBTS, viewerOf({ roles: ['volunteer'], personId: volunteer.personId }), { id: volunteer.accountId });
    expect(settled.account).toMatchObject({ balance: 15, debt: 0 });
    expect(settled.account!.debts).toEqual([expect.objectContaining({ amount: 15, repaid: 15, outstanding: 0, settledAt: expect.anything() })]);

    // Each repayment is traced to its debt and its deposit.
    const repayments = await rowsOf<{ amount: string; deposit_id: string; transfer_id: string }>(
      db(),
      sql`select amount::text, deposit_id, transfer_id from points.debt_repayments where debt_id = ${debt!.id}::uuid order by created_at`,
    );
    expect(repayments.map((row) => Number(row.amount))).toEqual([10, 5]);
  });

  it('records the whole deposit as a debt when nothing is available, and holds are respected', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = await earn(volunteer.personId, 60); // 20 points
    const item = await yonghuiItem(bed, 20, 1);
    const held = await redemption(
      bed,
      'redemptionHold',
      { passbookNumber: volunteer.passbookNumber, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: `debts-${newId()}` },
      viewers.yonghui,
    );
    expect(held.redemption?.status).toBe('HELD');
    await correct(record);
    // Replayed: nothing more happens.
    await correct(record);

    const after = await run<AccountDebts>(bed, ACCOUNT_DEBTS, viewers.clerk, { id: volunteer.accountId });
    expect(after.account).toMatchObject({ balance: 20, debt: 20 });
    expect(after.account!.debts).toEqual([expect.objectContaining({ amount: 20, repaid: 0, reversal: null })]);
    expect(await pointsOf(bed, volunteer.accountId)).toEqual({ balance: 20, heldPoints: 20, availablePoints: 0 });

    // The merchant still captures what it holds.
    const captured = await redemption(bed, 'redemptionCapture', { redemption: held.redemption!.id }, viewers.yonghui);
    expect(captured.redemption?.status).toBe('CAPTURED');

    // A clerk may not reverse the deposit again.
    const [deposit] = await db().select().from(deposits).where(eq(deposits.serviceRecordId, record));
    const reversed = await run<{ transferReverse: { userErrors: { code: string }[] } }>(
      bed,
      `mutation ($input: TransferReverseInput!) { transferReverse(input: $input) { userErrors { code } } }`,
      viewers.clerk,
      { input: { transfer: deposit!.transferId, reason: 'again' } },
    );
    expect(reversed.transferReverse.userErrors).toEqual([{ code: 'ALREADY_EXISTS' }]);
  });

  it('repays the oldest debt first', async () => {
    const volunteer = await customerWith(bed, 0);
    const first = await earn(volunteer.personId, 30); // 10
    const second = await earn(volunteer.personId, 60); // 20
    await spend(volunteer.passbookNumber, 30);
    await correct(first);
    await correct(second);
    await earn(volunteer.personId, 45); // 15
    const rows = await db().select().from(debts).where(eq(debts.accountId, volunteer.accountId)).orderBy(debts.createdAt);
    expect(rows.map((row) => [row.serviceRecordId, row.amount, row.repaid])).toEqual([
      [first, 10, 10],
      [second, 20, 5],
    ]);
    expect(rows[0]!.settledAt).not.toBeNull();
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
  });

  it('is safe when a deposit and a correction race', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = await earn(volunteer.personId, 60); // 20
    await spend(volunteer.passbookNumber, 20);
    await Promise.all([correct(record), earn(volunteer.personId, 30), earn(volunteer.personId, 30)]);
    // Whichever came first, 20 were owed or taken back, and 20 deposited: nothing left, nothing owed, never below zero.
    const after = await run<AccountDebts>(bed, ACCOUNT_DEBTS, viewers.admin, { id: volunteer.accountId });
    expect(after.account).toMatchObject({ balance: 0, debt: 0 });
  });
});

describe('the database', () => {
  it('refuses a repayment beyond the debt and any change to a debt but its repayment', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = await earn(volunteer.personId, 60);
    await spend(volunteer.passbookNumber, 20);
    await correct(record);
    const [debt] = await db().select().from(debts).where(eq(debts.accountId, volunteer.accountId));
    await expect(db().execute(sql`update points.debts set repaid = 21 where id = ${debt!.id}::uuid`)).rejects.toThrow();
    await expect(db().execute(sql`update points.debts set amount = 1 where id = ${debt!.id}::uuid`)).rejects.toThrow();
    await expect(db().execute(sql`delete from points.debts where id = ${debt!.id}::uuid`)).rejects.toThrow();
    // A repayment needs its transfer: points never leave for a debt without one.
    const [deposit] = await db().select().from(deposits).where(eq(deposits.serviceRecordId, record));
    await expect(
      db().execute(
        sql`insert into points.debt_repayments (id, debt_id, deposit_id, transfer_id, amount) values (${newId()}::uuid, ${debt!.id}::uuid, ${deposit!.id}::uuid, ${deposit!.transferId}::uuid, 5)`,
      ),
    ).rejects.toThrow();
  });
});

describe('reading debts', () => {
  it('reads the debts and debt of a page of accounts in a constant number of statements, and shows them to the holder', async () => {
    const owing = await customerWith(bed, 0);
    const record = await earn(owing.personId, 60);
    await spend(owing.passbookNumber, 20);
    await correct(record);
    const query = `query ($office: ID!, $first: Int!) { bankUnit(id: $office) { accounts(first: $first) { edges { node { debt debts { amount outstanding } } } } } }`;
    const page = (first: number) => countStatements(bed.points.database, () => bed.points.execute(query, { variables: { office: XINGLE_OFFICE, first }, viewer: viewers.admin }));
    const small = await page(2);
    const large = await page(50);
    expect(small.result.errors).toBeUndefined();
    expect(large.result.errors).toBeUndefined();
    expect(large.count).toBe(small.count);

    const holder = viewerOf({ roles: ['volunteer'], personId: owing.personId });
    expect((await run<AccountDebts>(bed, ACCOUNT_DEBTS, holder, { id: owing.accountId })).account).toMatchObject({ debt: 20 });
    const stranger = await bed.points.execute(`query ($id: ID!) { account(id: $id) { debt } }`, { variables: { id: owing.accountId }, viewer: viewers.zhang });
    expect(stranger.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
