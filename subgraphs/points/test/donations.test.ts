/**
 * Mutual aid donations (pointsDonate): a customer gives points to another
 * customer of the same head bank or to the bank's charity fund, within the
 * bank's limits and their available points, never to themselves; a named
 * passbook tells the donor nothing; the recipient learns the donor only when
 * the donor says so; the donation shows in both passbooks, is announced, and
 * the database refuses a donation transfer that no donation row names.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { newId, rowsOf, type Viewer } from '@lianxin/shared';
import { DEMO_YANJIANG_BANK } from '@lianxin/shared/demo';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { DEMO_FUND } from '../src/db/demo.js';
import { ISSUANCE_ACCOUNT_ID } from '../src/db/schema.js';
import { postTransfer, lockAccounts } from '../src/ledger/store.js';
import { codeOf, customerWith, expectBooksToBalance, knownPerson, redemption, run, startPoints, viewers, type PointsTestBed, type UserErrorShape } from './support.js';

let bed: PointsTestBed;

const LIMITS = { POINTS_DONATION_MAX_POINTS: '100', POINTS_DONATION_MAX_PER_DAY: '150', POINTS_DONATION_MAX_PER_MONTH: '200' };

beforeAll(async () => {
  bed = await startPoints(LIMITS);
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

interface Customer {
  personId: string;
  accountId: string;
  passbookNumber: string;
  viewer: Viewer;
}

async function customer(points: number): Promise<Customer> {
  const made = await customerWith(bed, points);
  return { ...made, viewer: viewerOf({ roles: ['volunteer'], personId: made.personId }) };
}

interface DonationShape {
  id: string;
  points: number;
  anonymous: boolean;
  note: string | null;
  donor: { id: string } | null;
  donorAccount: { id: string } | null;
  recipientAccount: { id: string } | null;
  fund: { id: string } | null;
  transfer: { id: string; cause: string; amount: number; reference: string };
}

const DONATION_FIELDS = 'id points anonymous note donor { id } donorAccount { id } recipientAccount { id } fund { id } transfer { id cause amount reference }';

async function donate(viewer: Viewer, input: Record<string, unknown>): Promise<{ donation: DonationShape | null; userErrors: UserErrorShape[] }> {
  const data = await run<{ pointsDonate: { donation: DonationShape | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: PointsDonateInput!) { pointsDonate(input: $input) { donation { ${DONATION_FIELDS} } userErrors { field code message } } }`,
    viewer,
    { input: { idempotencyKey: `donation-${newId()}`, ...input } },
  );
  return data.pointsDonate;
}

async function balanceOf(accountId: string): Promise<{ balance: number; availablePoints: number }> {
  const data = await run<{ account: { balance: number; availablePoints: number } }>(bed, `query ($id: ID!) { account(id: $id) { balance availablePoints } }`, viewers.admin, {
    id: accountId,
  });
  return data.account;
}

/** The error a promise rejects with; fails the test when it resolves. */
async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the database to refuse');
}

/** The Postgres message behind a drizzle error (a refusal at commit comes from the driver itself). */
const messageOf = (error: unknown): string => {
  const cause = (error as { cause?: { message?: string } }).cause;
  return cause?.message ?? String(error);
};

const codes = (errors: readonly UserErrorShape[]) => errors.map((error) => [error.field?.join('.') ?? null, error.code]);

describe('pointsDonate to a customer', () => {
  it('moves the points by one DONATION transfer that refers to the donation, seen in both passbooks', async () => {
    const [donor, recipient] = [await customer(60), await customer(0)];
    const { donation, userErrors } = await donate(donor.viewer, { to: { passbookNumber: recipient.passbookNumber }, points: 25, note: '给邻居的一点心意' });
    expect(userErrors).toEqual([]);
    expect(donation).toMatchObject({ points: 25, anonymous: true, note: '给邻居的一点心意', donor: { id: donor.personId }, donorAccount: { id: donor.accountId } });
    expect(donation!.transfer).toEqual({ id: expect.any(String), cause: 'DONATION', amount: 25, reference: donation!.id });
    expect(await balanceOf(donor.accountId)).toEqual({ balance: 35, availablePoints: 35 });
    expect(await balanceOf(recipient.accountId)).toEqual({ balance: 25, availablePoints: 25 });

    const passbook = `query ($id: ID!) { account(id: $id) { transfers(first: 1) { edges { node { cause amount donation { id points note donor { id } } } } } } }`;
    type Lines = { account: { transfers: { edges: { node: { cause: string; amount: number; donation: { id: string; donor: { id: string } | null } | null } }[] } } };
    const mine = await run<Lines>(bed, passbook, donor.viewer, { id: donor.accountId });
    expect(mine.account.transfers.edges[0]!.node).toMatchObject({ cause: 'DONATION', amount: -25, donation: { id: donation!.id, donor: { id: donor.personId } } });
    // Anonymous by default: the recipient sees the gift and its note, never who gave it, nor the donor's account.
    const theirs = await run<Lines>(bed, passbook, recipient.viewer, { id: recipient.accountId });
    expect(theirs.account.transfers.edges[0]!.node).toMatchObject({ cause: 'DONATION', amount: 25, donation: { id: donation!.id, note: '给邻居的一点心意', donor: null } });
    const seen = await run<{ transfer: { donation: { donorAccount: unknown; recipientAccount: { id: string } } } }>(
      bed,
      `query ($id: ID!) { transfer(id: $id) { donation { donorAccount { id } recipientAccount { id } } } }`,
      recipient.viewer,
      { id: donation!.transfer.id },
    );
    expect(seen.transfer.donation).toEqual({ donorAccount: null, recipientAccount: { id: recipient.accountId } });
  });

  it('names the donor to the recipient when the donor chooses to', async () => {
    const [donor, recipient] = [await customer(10), await customer(0)];
    const { donation } = await donate(donor.viewer, { to: { passbookNumber: recipient.passbookNumber }, points: 5, anonymous: false });
    const seen = await run<{ transfer: { donation: { anonymous: boolean; donor: { id: string } | null } } }>(
      bed,
      `query ($id: ID!) { transfer(id: $id) { donation { anonymous donor { id } } } }`,
      recipient.viewer,
      { id: donation!.transfer.id },
    );
    expect(seen.transfer.donation).toEqual({ anonymous: false, donor: { id: donor.personId } });
  });

  it('tells the donor nothing about the passbook named: unknown, not a customer, another bank are one NOT_FOUND', async () => {
    const donor = await customer(10);
    const elsewhere = await knownPerson(bed);
    const opened = await run<{ accountOpen: { account: { passbookNumber: string } } }>(
      bed,
      `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { passbookNumber } } }`,
      viewers.admin,
      { input: { holder: elsewhere, office: DEMO_YANJIANG_BANK.offices[0]!.id } },
    );
    const unknown = '899999999985';
    const issuance = '000000000000';
    const answers = [];
    for (const passbookNumber of [unknown, issuance, opened.accountOpen.account.passbookNumber]) {
      answers.push((await donate(donor.viewer, { to: { passbookNumber }, points: 1 })).userErrors);
    }
    expect(new Set(answers.map((errors) => JSON.stringify(errors))).size).toBe(1);
    expect(codes(answers[0]!)).toEqual([['input.to.passbookNumber', 'NOT_FOUND']]);
    expect(answers[0]![0]!.message).not.toMatch(/[0-9]/);
    expect((await balanceOf(donor.accountId)).balance).toBe(10);
  });

  it('refuses giving to oneself, from another account, more than is available, and malformed input', async () => {
    const [donor, other] = [await customer(20), await customer(20)];
    expect(codes((await donate(donor.viewer, { to: { passbookNumber: donor.passbookNumber }, points: 1 })).userErrors)).toEqual([['input.to.passbookNumber', 'NOT_ALLOWED']]);
    // Someone else's account answers as an unknown one (FORBIDDEN); a clerk who sees it still does not give from it.
    const mutation = `mutation ($input: PointsDonateInput!) { pointsDonate(input: $input) { donation { id } } }`;
    for (const from of [other.accountId, newId()]) {
      const input = { from, to: { passbookNumber: other.passbookNumber }, points: 1, idempotencyKey: `donation-${newId()}` };
      expect(codeOf(await bed.points.execute(mutation, { variables: { input }, viewer: donor.viewer }))).toBe('FORBIDDEN');
    }
    expect(codes((await donate(viewers.clerk, { from: other.accountId, to: { passbookNumber: donor.passbookNumber }, points: 1 })).userErrors)).toEqual([
      ['input.from', 'NOT_ALLOWED'],
    ]);
    expect(codes((await donate(donor.viewer, { to: { passbookNumber: other.passbookNumber }, points: 21 })).userErrors)).toEqual([['input.points', 'INSUFFICIENT_POINTS']]);
    expect(codes((await donate(donor.viewer, { to: { passbookNumber: other.passbookNumber, fund: DEMO_FUND.id }, points: 1 })).userErrors)).toEqual([['input.to', 'INVALID']]);
    expect(codes((await donate(donor.viewer, { to: { passbookNumber: '123456789012' }, points: 1 })).userErrors)).toEqual([['input.to.passbookNumber', 'INVALID']]);
    expect(codes((await donate(donor.viewer, { to: { passbookNumber: other.passbookNumber }, points: 0 })).userErrors)).toEqual([['input.points', 'INVALID']]);
    expect(await balanceOf(donor.accountId)).toEqual({ balance: 20, availablePoints: 20 });
    // Without a person, or signed out, there is no passbook to give from.
    const noPerson = await bed.points.execute(
      `mutation { pointsDonate(input: { to: { fund: "${DEMO_FUND.id}" }, points: 1, idempotencyKey: "key-00000001" }) { donation { id } } }`,
      {
        viewer: viewers.admin,
      },
    );
    expect(codeOf(noPerson)).toBe('FORBIDDEN');
    const stranger = viewerOf({ roles: ['resident'], personId: newId() });
    expect(codes((await donate(stranger, { to: { passbookNumber: donor.passbookNumber }, points: 1 })).userErrors)).toEqual([['input.from', 'NOT_FOUND']]);
  });

  it('gives only what open holds leave available', async () => {
    const [donor, recipient] = [await customer(30), await customer(0)];
    const catalogue = await run<{ merchant: { catalog: { edges: { node: { id: string; pricePoints: number } }[] } } }>(
      bed,
      `query { merchant(id: "${viewers.yonghui.merchantId}") { catalog(first: 50) { edges { node { id pricePoints } } } } }`,
      viewers.admin,
    );
    const item = catalogue.merchant.catalog.edges.map((edge) => edge.node).find((node) => node.pricePoints <= 30 && node.pricePoints >= 11);
    if (!item) throw new Error('the demo catalogue has no item between 11 and 30 points');
    const hold = await redemption(
      bed,
      'redemptionHold',
      { passbookNumber: donor.passbookNumber, merchant: viewers.yonghui.merchantId, items: [{ item: item.id, quantity: 1 }], idempotencyKey: `hold-${newId()}` },
      viewers.yonghui,
    );
    expect(hold.userErrors).toEqual([]);
    const available = 30 - item.pricePoints;
    expect(codes((await donate(donor.viewer, { to: { passbookNumber: recipient.passbookNumber }, points: available + 1 })).userErrors)).toEqual([
      ['input.points', 'INSUFFICIENT_POINTS'],
    ]);
    expect((await donate(donor.viewer, { to: { passbookNumber: recipient.passbookNumber }, points: available })).userErrors).toEqual([]);
    await redemption(bed, 'redemptionVoid', { redemption: hold.redemption!.id }, viewers.yonghui);
  });
});

describe('limits and retries', () => {
  it('keeps each donation, the day and the month within the settings', async () => {
    const [donor, recipient] = [await customer(500), await customer(0)];
    const to = { passbookNumber: recipient.passbookNumber };
    expect(codes((await donate(donor.viewer, { to, points: 101 })).userErrors)).toEqual([['input.points', 'INVALID']]);
    expect((await donate(donor.viewer, { to, points: 100 })).userErrors).toEqual([]);
    expect((await donate(donor.viewer, { to, points: 50 })).userErrors).toEqual([]);
    const over = await donate(donor.viewer, { to, points: 1 });
    expect(codes(over.userErrors)).toEqual([['input.points', 'LIMIT_EXCEEDED']]);
    // Yesterday's gifts count for the month, not for the day.
    await bed.points.database.db.execute(sql`alter table points.donations disable trigger donations_append_only`);
    await bed.points.database.db.execute(
      sql`update points.donations set donated_at = donated_at - interval '1 day' where donor_account_id = ${donor.accountId}::uuid and date_part('day', now() at time zone 'Asia/Shanghai') > 1`,
    );
    await bed.points.database.db.execute(sql`alter table points.donations enable trigger donations_append_only`);
    const movedBack = await rowsOf<{ n: string }>(
      bed.points.database.db,
      sql`select count(*)::text as n from points.donations where donor_account_id = ${donor.accountId}::uuid and donated_at < now() - interval '12 hours'`,
    );
    if (movedBack[0]!.n === '2') {
      expect((await donate(donor.viewer, { to, points: 50 })).userErrors).toEqual([]);
      const monthly = await donate(donor.viewer, { to, points: 1 });
      expect(codes(monthly.userErrors)).toEqual([['input.points', 'LIMIT_EXCEEDED']]);
      expect(monthly.userErrors[0]!.message).toContain('at most 200 points a month');
    }
  });

  it('answers a retry with the first donation, and a different input under the same key with IDEMPOTENCY_CONFLICT', async () => {
    const [donor, recipient] = [await customer(40), await customer(0)];
    const input = { to: { passbookNumber: recipient.passbookNumber }, points: 10, idempotencyKey: `retry-${newId()}` };
    const first = await donate(donor.viewer, input);
    const again = await donate(donor.viewer, input);
    expect(again.donation?.id).toBe(first.donation!.id);
    expect(codes((await donate(donor.viewer, { ...input, points: 11 })).userErrors)).toEqual([['input.idempotencyKey', 'IDEMPOTENCY_CONFLICT']]);
    expect((await balanceOf(donor.accountId)).balance).toBe(30);
  });

  it('of racing donations from one passbook, never gives more than it holds', async () => {
    const [donor, recipient] = [await customer(30), await customer(0)];
    const results = await Promise.all(Array.from({ length: 4 }, () => donate(donor.viewer, { to: { passbookNumber: recipient.passbookNumber }, points: 10 })));
    expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(3);
    expect(results.flatMap((result) => codes(result.userErrors))).toEqual([['input.points', 'INSUFFICIENT_POINTS']]);
    expect((await balanceOf(donor.accountId)).balance).toBe(0);
  });
});

describe('pointsDonate to a fund', () => {
  it("takes the points out of circulation in the fund's name, and refuses a fund of another bank", async () => {
    const donor = await customer(20);
    const { donation, userErrors } = await donate(donor.viewer, { to: { fund: DEMO_FUND.id }, points: 8 });
    expect(userErrors).toEqual([]);
    expect(donation).toMatchObject({ fund: { id: DEMO_FUND.id }, recipientAccount: null, points: 8 });
    const [row] = await rowsOf<{ credit_account_id: string }>(
      bed.points.database.db,
      sql`select credit_account_id from points.transfers where id = ${donation!.transfer.id}::uuid`,
    );
    expect(row!.credit_account_id).toBe(ISSUANCE_ACCOUNT_ID);
    const otherFund = await run<{ fundCreate: { fund: { id: string } } }>(bed, `mutation ($input: FundCreateInput!) { fundCreate(input: $input) { fund { id } } }`, viewers.admin, {
      input: { bank: DEMO_YANJIANG_BANK.head.id, name: `雁江公益基金 ${newId()}` },
    });
    expect(codes((await donate(donor.viewer, { to: { fund: otherFund.fundCreate.fund.id }, points: 1 })).userErrors)).toEqual([['input.to.fund', 'NOT_ALLOWED']]);
    expect(codes((await donate(donor.viewer, { to: { fund: newId() }, points: 1 })).userErrors)).toEqual([['input.to.fund', 'NOT_FOUND']]);
  });
});

describe('the event and the database', () => {
  it('announces points.donated with ids and points only', async () => {
    const [donor, recipient] = [await customer(10), await customer(0)];
    const { donation } = await donate(donor.viewer, { to: { passbookNumber: recipient.passbookNumber }, points: 3, anonymous: false, note: '加油' });
    const events = await rowsOf<{ type: string; aggregate_type: string; payload: Record<string, unknown> }>(
      bed.points.database.db,
      sql`select type, aggregate_type, payload from points.outbox where aggregate_id = ${donation!.id}`,
    );
    expect(events).toEqual([
      {
        type: 'points.donated',
        aggregate_type: 'donation',
        payload: {
          donationId: donation!.id,
          fromAccountId: donor.accountId,
          fromOfficeId: expect.any(String),
          toAccountId: recipient.accountId,
          toOfficeId: expect.any(String),
          fundId: null,
          bankId: expect.any(String),
          points: 3,
          donatedAt: expect.any(String),
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(donor.personId);
    expect(JSON.stringify(events)).not.toContain('加油');
  });

  it('refuses a donation transfer no donation names, a donation not matched by its transfer, and any change to a donation', async () => {
    const [donor, recipient] = [await customer(10), await customer(0)];
    const db = bed.points.database.db;
    const bare = db.transaction(async (tx) => {
      await lockAccounts(tx, [donor.accountId, recipient.accountId]);
      await postTransfer(tx, { debit: donor.accountId, credit: recipient.accountId, amount: 1, cause: 'donation', createdBy: 'test' });
    });
    expect(messageOf(await failureOf(bare))).toContain('no donation names it');
    const { donation } = await donate(donor.viewer, { to: { passbookNumber: recipient.passbookNumber }, points: 2 });
    expect(messageOf(await failureOf(db.execute(sql`update points.donations set amount = 1 where id = ${donation!.id}::uuid`)))).toMatch(/append-only|ledger/i);
    expect(messageOf(await failureOf(db.execute(sql`delete from points.donations where id = ${donation!.id}::uuid`)))).toMatch(/append-only|ledger/i);
    // A second row for the same transfer, or one whose amount its transfer does not pay, is refused.
    const forged = sql`insert into points.donations (donor_account_id, donor_holder_id, donor_office_id, bank_id, recipient_account_id, recipient_office_id, amount, idempotency_key, transfer_id, created_by)
      select donor_account_id, donor_holder_id, donor_office_id, bank_id, recipient_account_id, recipient_office_id, 5, 'forged-key-1', transfer_id, 'test'
      from points.donations where id = ${donation!.id}::uuid`;
    expect(messageOf(await failureOf(db.execute(forged)))).toMatch(/donations_one_per_transfer|not matched by its transfer/);
  });
});

describe('reading donations', () => {
  it('reads a page of passbook lines with their donations in a constant number of statements', async () => {
    const donor = await customer(50);
    const recipients = [await customer(0), await customer(0), await customer(0), await customer(0)];
    const query = `query ($id: ID!, $first: Int!) { account(id: $id) { transfers(first: $first) { edges { node { donation { id points donor { id } fund { id } } transfer { donation { id } } } } } } }`;
    const count = (first: number) => countStatements(bed.points.database, () => bed.points.execute(query, { variables: { id: donor.accountId, first }, viewer: donor.viewer }));
    await donate(donor.viewer, { to: { fund: DEMO_FUND.id }, points: 1 });
    await donate(donor.viewer, { to: { passbookNumber: recipients[0]!.passbookNumber }, points: 1 });
    const few = await count(2);
    for (const recipient of recipients.slice(1)) await donate(donor.viewer, { to: { passbookNumber: recipient.passbookNumber }, points: 1 });
    const many = await count(8);
    expect(many.result.errors).toBeUndefined();
    expect((many.result.data as { account: { transfers: { edges: unknown[] } } }).account.transfers.edges).toHaveLength(6);
    expect(many.count).toBe(few.count);
  });

  it('shows a donation to a clerk of either office, and to no one else', async () => {
    const [donor, recipient] = [await customer(10), await customer(0)];
    const { donation } = await donate(donor.viewer, { to: { passbookNumber: recipient.passbookNumber }, points: 1 });
    const query = `query ($id: ID!) { transfer(id: $id) { donation { id donor { id } } } }`;
    const clerk = await run<{ transfer: { donation: { id: string; donor: { id: string } | null } } }>(bed, query, viewers.clerk, { id: donation!.transfer.id });
    expect(clerk.transfer.donation).toEqual({ id: donation!.id, donor: { id: donor.personId } });
    const outsider = await bed.points.execute(query, { variables: { id: donation!.transfer.id }, viewer: viewers.zhang });
    expect(codeOf(outsider)).toBe('FORBIDDEN');
  });
});
