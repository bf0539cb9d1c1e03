/**
 * Payment codes (付款码) on real Postgres: issued to the account's holder
 * only, consumed once by a redemption (also by parallel tills), bound to
 * their account, expiring, one answer for every code that cannot pay; the
 * passbook path kept for tills their bank allows and for staff who checked
 * the customer's identity, whose redemptions are logged.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { count, eq, sql } from 'drizzle-orm';
import { createLogger, newId, type Viewer } from '@lianxin/shared';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_MERCHANTS } from '../src/db/demo.js';
import { clerkAssistedRedemptions, paymentCodes, redemptions } from '../src/db/schema.js';
import { pointsJobs } from '../src/jobs.js';
import { readPointsSettings } from '../src/settings.js';
import {
  WINDOW_OPEN,
  codeOf,
  customerWith,
  expectBooksToBalance,
  knownPerson,
  pointsOf,
  redemption,
  run,
  startPoints,
  viewers,
  yonghuiItem,
  type PointsTestBed,
  type UserErrorShape,
} from './support.js';

let bed: PointsTestBed;

beforeAll(async () => {
  // The demo tills as the bank leaves them: payment codes only.
  bed = await startPoints({}, { passbookTills: false });
});
beforeEach(() => {
  bed.clock.reset();
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

const yonghui = DEMO_MERCHANTS.yonghui;
const exchange = DEMO_MERCHANTS.exchange;
const key = () => `code-${newId()}`;

const ISSUE = `mutation ($input: PaymentCodeIssueInput!) {
  paymentCodeIssue(input: $input) { paymentCode { code expiresAt account { id } } userErrors { field code message } }
}`;

interface Issued {
  paymentCodeIssue: { paymentCode: { code: string; expiresAt: string; account: { id: string } } | null; userErrors: UserErrorShape[] };
}

const holder = (personId: string): Viewer => viewerOf({ roles: ['resident'], personId });

/** Issues a code as the holder `personId` and returns it. */
async function issuedCode(personId: string, input: Record<string, unknown> = {}): Promise<string> {
  const issued = await run<Issued>(bed, ISSUE, holder(personId), { input });
  expect(issued.paymentCodeIssue.userErrors).toEqual([]);
  return issued.paymentCodeIssue.paymentCode!.code;
}

/** A one-step redemption at Yonghui of `quantity` of `item`, by the till, naming the customer by `customer`. */
const redeemAtYonghui = (customer: Record<string, unknown>, item: string, quantity = 1, idempotencyKey = key()) =>
  redemption(bed, 'redemptionCreate', { ...customer, merchant: yonghui.id, items: [{ item, quantity }], idempotencyKey }, viewers.yonghui);

const BAD_CODE = [{ field: ['input', 'paymentCode'], code: 'PAYMENT_CODE_INVALID', message: 'This payment code cannot be used: ask the customer to show a new one.' }];

async function redemptionsOf(accountId: string): Promise<number> {
  const [row] = await bed.points.database.db.select({ n: count() }).from(redemptions).where(eq(redemptions.accountId, accountId));
  return row?.n ?? 0;
}

describe('paymentCodeIssue', () => {
  it('gives the holder an 18-digit code starting 28, valid a minute, that shows neither the account nor the passbook', async () => {
    const customer = await customerWith(bed, 50);
    bed.clock.set('2026-12-05T04:00:00.000Z');
    const issued = await run<Issued>(bed, ISSUE, holder(customer.personId), { input: {} });
    const code = issued.paymentCodeIssue.paymentCode!;
    expect(issued.paymentCodeIssue.userErrors).toEqual([]);
    expect(code.code).toMatch(/^28[0-9]{16}$/);
    expect(new Date(code.expiresAt).toISOString()).toBe('2026-12-05T04:01:00.000Z');
    expect(code.account).toEqual({ id: customer.accountId });
    expect(code.code).not.toContain(customer.passbookNumber);
    // Naming the account gives the same kind of code; each code is new.
    const again = await issuedCode(customer.personId, { account: customer.accountId });
    expect(again).toMatch(/^28[0-9]{16}$/);
    expect(again).not.toBe(code.code);
    // Only the code's hash is stored.
    const stored = await bed.points.database.db.select().from(paymentCodes).where(eq(paymentCodes.accountId, customer.accountId));
    expect(stored).toHaveLength(2);
    expect(JSON.stringify(stored)).not.toContain(code.code);
  });

  it('is the holder’s alone: merchants, other customers and anonymous callers are refused before anything is read', async () => {
    const customer = await customerWith(bed, 10);
    const stranger = await customerWith(bed, 10);
    const merchant = await countStatements(bed.points.database, () => bed.points.execute(ISSUE, { variables: { input: {} }, viewer: viewers.yonghui }));
    expect(codeOf(merchant.result)).toBe('FORBIDDEN');
    expect(merchant.count).toBe(0);
    const anonymous = await bed.points.execute(ISSUE, { variables: { input: {} }, viewer: viewerOf({ roles: [], subject: null }) });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    // Another customer naming the account hears what an unknown account gets.
    const other = await bed.points.execute(ISSUE, { variables: { input: { account: customer.accountId } }, viewer: holder(stranger.personId) });
    const unknown = await bed.points.execute(ISSUE, { variables: { input: { account: newId() } }, viewer: holder(stranger.personId) });
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(codeOf(unknown)).toBe('FORBIDDEN');
    // Staff who may see the account may still not spend it.
    const clerk = await run<Issued>(bed, ISSUE, viewers.clerk, { input: { account: customer.accountId } });
    expect(clerk.paymentCodeIssue).toEqual({ paymentCode: null, userErrors: [{ field: ['input', 'account'], code: 'NOT_ALLOWED', message: expect.any(String) }] });
    // A person with no customer account has nothing to issue for.
    const nobody = await run<Issued>(bed, ISSUE, holder(await knownPerson(bed)), { input: {} });
    expect(nobody.paymentCodeIssue.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'account'], 'NOT_FOUND']]);
    expect(await bed.points.database.db.select().from(paymentCodes).where(eq(paymentCodes.accountId, customer.accountId))).toEqual([]);
  });
});

describe('redeeming with a payment code', () => {
  it('spends the code’s account once: a new key with the used code is refused, a replay of the first request returns its redemption', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 30, 10);
    const code = await issuedCode(customer.personId);
    const firstKey = key();
    const first = await redeemAtYonghui({ paymentCode: code }, item, 1, firstKey);
    expect(first.userErrors).toEqual([]);
    expect(first.redemption).toMatchObject({ status: 'CAPTURED', totalPoints: 30 });
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(70);

    const replay = await redeemAtYonghui({ paymentCode: code }, item, 1, firstKey);
    expect(replay).toEqual(first);
    const reused = await redeemAtYonghui({ paymentCode: code }, item, 1);
    expect(reused).toEqual({ redemption: null, userErrors: BAD_CODE });
    // The same key with another input is the usual conflict.
    const conflict = await redeemAtYonghui({ paymentCode: code }, item, 2, firstKey);
    expect(conflict.userErrors.map((error) => error.code)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(70);
    expect(await redemptionsOf(customer.accountId)).toBe(1);
    // The database keeps the code used, whatever the service might try.
    await expect(
      bed.points.database.db.execute(sql`update points.payment_codes set used_at = used_at + interval '1 millisecond' where account_id = ${customer.accountId}::uuid`),
    ).rejects.toHaveProperty('cause.message', expect.stringMatching(/consumed once/));
  });

  it('answers unknown, expired, malformed-but-right-length and used codes alike; a wrong length is INVALID', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 10, 10);
    bed.clock.set('2026-12-05T04:00:00.000Z');
    const expiring = await issuedCode(customer.personId);
    bed.clock.advance(60_000);
    expect(await redeemAtYonghui({ paymentCode: expiring }, item)).toEqual({ redemption: null, userErrors: BAD_CODE });
    bed.clock.set('2026-12-05T04:00:00.000Z');
    const fresh = await issuedCode(customer.personId);
    bed.clock.advance(59_000);
    expect((await redeemAtYonghui({ paymentCode: fresh }, item)).userErrors).toEqual([]);
    expect(await redeemAtYonghui({ paymentCode: `28${'1234567890123456'}` }, item)).toEqual({ redemption: null, userErrors: BAD_CODE });
    expect(await redeemAtYonghui({ paymentCode: '621234567890123456' }, item)).toEqual({ redemption: null, userErrors: BAD_CODE });
    for (const malformed of ['2812345678901234', '28123456789012345a', '']) {
      const refused = await redeemAtYonghui({ paymentCode: malformed }, item);
      expect(refused.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'paymentCode'], 'INVALID']]);
    }
    expect(await redemptionsOf(customer.accountId)).toBe(1);
  });

  it('leaves the code unused when the redemption is refused, so the customer can take less', async () => {
    const customer = await customerWith(bed, 50);
    const item = await yonghuiItem(bed, 30, 1);
    const code = await issuedCode(customer.personId);
    const tooMuch = await redeemAtYonghui({ paymentCode: code }, item, 2);
    expect(tooMuch.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'items', '0', 'quantity'], 'OUT_OF_STOCK']]);
    const expensive = await yonghuiItem(bed, 80, 5);
    const short = await redeemAtYonghui({ paymentCode: code }, expensive);
    expect(short.userErrors).toEqual([{ field: ['input', 'paymentCode'], code: 'INSUFFICIENT_POINTS', message: expect.any(String) }]);
    expect((await redeemAtYonghui({ paymentCode: code }, item)).redemption).toMatchObject({ status: 'CAPTURED', totalPoints: 30 });
  });

  it('binds a code to its account: it spends its holder’s points and no one else’s, and another bank’s customer’s code is unknown here', async () => {
    const alice = await customerWith(bed, 100);
    const bob = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 25, 10);
    const bobsCode = await issuedCode(bob.personId);
    expect((await redeemAtYonghui({ paymentCode: bobsCode }, item)).userErrors).toEqual([]);
    expect((await pointsOf(bed, bob.accountId)).balance).toBe(75);
    expect((await pointsOf(bed, alice.accountId)).balance).toBe(100);

    const elsewhere = await customerOfAnotherBank();
    const foreign = await issuedCode(elsewhere);
    expect(await redeemAtYonghui({ paymentCode: foreign }, item)).toEqual({ redemption: null, userErrors: BAD_CODE });
  });

  it('pays for one redemption when eight tills present it at once', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 10, 100);
    const code = await issuedCode(customer.personId);
    const results = await Promise.all(Array.from({ length: 8 }, () => redeemAtYonghui({ paymentCode: code }, item)));
    const made = results.filter((result) => result.redemption !== null);
    expect(made).toHaveLength(1);
    expect(results.filter((result) => result.redemption === null).map((result) => result.userErrors)).toEqual(Array.from({ length: 7 }, () => BAD_CODE));
    expect(await redemptionsOf(customer.accountId)).toBe(1);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(90);
  });

  it('holds with a code too, and needs exactly one of the code and the passbook number', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 20, 10);
    const code = await issuedCode(customer.personId);
    const held = await redemption(bed, 'redemptionHold', { paymentCode: code, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: key() }, viewers.yonghui);
    expect(held.redemption).toMatchObject({ status: 'HELD', totalPoints: 20 });
    const neither = await redeemAtYonghui({}, item);
    expect(neither.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'paymentCode'], 'REQUIRED']]);
    const both = await redeemAtYonghui({ paymentCode: await issuedCode(customer.personId), passbookNumber: customer.passbookNumber }, item);
    expect(both.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'passbookNumber'], 'INVALID']]);
  });
});

const SET_ACCEPTANCE = `mutation ($input: MerchantPassbookAcceptanceSetInput!) {
  merchantPassbookAcceptanceSet(input: $input) { merchant { id acceptsPassbookNumbers } userErrors { field code message } }
}`;

interface AcceptanceSet {
  merchantPassbookAcceptanceSet: { merchant: { id: string; acceptsPassbookNumbers: boolean } | null; userErrors: UserErrorShape[] };
}

describe('the passbook path', () => {
  it('is closed to a till until its head bank opens it', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 10, 10);
    const refused = await redeemAtYonghui({ passbookNumber: customer.passbookNumber }, item);
    expect(refused).toEqual({ redemption: null, userErrors: [{ field: ['input', 'passbookNumber'], code: 'PAYMENT_CODE_REQUIRED', message: expect.any(String) }] });

    // Who may decide: the head bank's own clerks and platform admins.
    const headClerk = await clerkOf(DEMO_BANK.head.id);
    const set = (viewer: Viewer, merchant: string, accepts: boolean) => bed.points.execute(SET_ACCEPTANCE, { variables: { input: { merchant, accepts } }, viewer });
    expect(codeOf(await set(viewers.yonghui, yonghui.id, true))).toBe('FORBIDDEN');
    const officeClerk = (await set(viewers.clerk, yonghui.id, true)).data as unknown as AcceptanceSet;
    expect(officeClerk.merchantPassbookAcceptanceSet).toEqual({ merchant: null, userErrors: [{ field: ['input', 'merchant'], code: 'NOT_ALLOWED', message: expect.any(String) }] });
    const unknown = (await set(headClerk, newId(), true)).data as unknown as AcceptanceSet;
    expect(unknown.merchantPassbookAcceptanceSet.userErrors.map((error) => error.code)).toEqual(['NOT_FOUND']);
    const opened = (await set(headClerk, yonghui.id, true)).data as unknown as AcceptanceSet;
    expect(opened.merchantPassbookAcceptanceSet).toEqual({ merchant: { id: yonghui.id, acceptsPassbookNumbers: true }, userErrors: [] });
    try {
      expect((await redeemAtYonghui({ passbookNumber: customer.passbookNumber }, item)).redemption).toMatchObject({ status: 'CAPTURED' });
    } finally {
      const closed = (await set(viewers.admin, yonghui.id, false)).data as unknown as AcceptanceSet;
      expect(closed.merchantPassbookAcceptanceSet.merchant).toEqual({ id: yonghui.id, acceptsPassbookNumbers: false });
    }
    // A till cannot claim it checked anyone's identity.
    const claimed = await redeemAtYonghui({ paymentCode: await issuedCode(customer.personId), clerkConfirmation: { identityChecked: true } }, item);
    expect(claimed.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'clerkConfirmation'], 'NOT_ALLOWED']]);
  });

  it('is open to clerks at the central exchange who confirm the customer’s identity, and each such redemption is logged for the bank', async () => {
    const customer = await customerWith(bed, 1000);
    bed.clock.set(WINDOW_OPEN);
    const cooker = exchange.items[0];
    const atExchange = (viewer: Viewer, extra: Record<string, unknown>) =>
      redemption(
        bed,
        'redemptionCreate',
        { passbookNumber: customer.passbookNumber, merchant: exchange.id, items: [{ item: cooker.id, quantity: 1 }], idempotencyKey: key(), ...extra },
        viewer,
      );
    expect((await atExchange(viewers.clerk, {})).userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'clerkConfirmation'], 'REQUIRED']]);
    expect((await atExchange(viewers.clerk, { clerkConfirmation: { identityChecked: false } })).userErrors.map((error) => [error.field, error.code])).toEqual([
      [['input', 'clerkConfirmation', 'identityChecked'], 'REQUIRED'],
    ]);
    const made = await atExchange(viewers.clerk, { clerkConfirmation: { identityChecked: true } });
    expect(made.redemption).toMatchObject({ status: 'CAPTURED' });
    const id = made.redemption!.id;

    const ASSISTANCE = `query ($id: ID!) { redemption(id: $id) { clerkAssistance { clerk { id } identityChecked byPaymentCode account { id } createdAt } } }`;
    const read = (viewer: Viewer) => run<{ redemption: { clerkAssistance: unknown } }>(bed, ASSISTANCE, viewer, { id });
    const expected = { clerk: { id: viewers.clerk.personId }, identityChecked: true, byPaymentCode: false, account: { id: customer.accountId }, createdAt: WINDOW_OPEN };
    expect((await read(viewers.clerk)).redemption.clerkAssistance).toEqual(expected);
    expect((await read(viewers.admin)).redemption.clerkAssistance).toEqual(expected);
    // The customer sees their redemption, not the bank's log.
    expect((await read(holder(customer.personId))).redemption.clerkAssistance).toBeNull();

    // A platform admin's redemption is logged too; a code needs no confirmation.
    const byAdmin = await redemption(
      bed,
      'redemptionCreate',
      { paymentCode: await issuedCode(customer.personId), merchant: exchange.id, items: [{ item: cooker.id, quantity: 1 }], idempotencyKey: key() },
      viewers.admin,
    );
    expect(byAdmin.userErrors).toEqual([]);
    const logged = await bed.points.database.db.select().from(clerkAssistedRedemptions).where(eq(clerkAssistedRedemptions.accountId, customer.accountId));
    expect(logged.map((row) => [row.redemptionId, row.clerk, row.identityChecked, row.byPaymentCode]).sort()).toEqual(
      [
        [id, viewers.clerk.subject, true, false],
        [byAdmin.redemption!.id, viewers.admin.subject, false, true],
      ].sort(),
    );
    // The log is append-only, and a passbook entry without an identity check cannot be written.
    await expect(bed.points.database.db.execute(sql`delete from points.clerk_assisted_redemptions where account_id = ${customer.accountId}::uuid`)).rejects.toHaveProperty(
      'cause.message',
      expect.stringMatching(/append-only/),
    );
    await expect(
      bed.points.database.db.insert(clerkAssistedRedemptions).values({ ...logged[0]!, redemptionId: newId(), identityChecked: false, byPaymentCode: false }),
    ).rejects.toHaveProperty('cause.message', expect.stringMatching(/clerk_assisted_redemptions_identity_or_code/));
  });

  it('reads the log of many redemptions in as many statements as of one', async () => {
    const customer = await customerWith(bed, 1200);
    bed.clock.set(WINDOW_OPEN);
    const cooker = exchange.items[0];
    const PAGE = `query ($id: ID!, $first: Int!) { merchant(id: $id) { redemptions(first: $first) { edges { node { id clerkAssistance { identityChecked } } } } } }`;
    for (let made = 0; made < 3; made += 1) {
      const result = await redemption(
        bed,
        'redemptionCreate',
        { paymentCode: await issuedCode(customer.personId), merchant: exchange.id, items: [{ item: cooker.id, quantity: 1 }], idempotencyKey: key() },
        viewers.clerk,
      );
      expect(result.userErrors).toEqual([]);
    }
    const statementsFor = async (first: number) => (await countStatements(bed.points.database, () => run(bed, PAGE, viewers.clerk, { id: exchange.id, first }))).count;
    expect(await statementsFor(3)).toBe(await statementsFor(1));
  });
});

describe('the payment-code purge', () => {
  it('deletes codes a day after they expired, and no others', async () => {
    const customer = await customerWith(bed, 10);
    bed.clock.set('2026-11-01T00:00:00.000Z');
    await issuedCode(customer.personId);
    bed.clock.reset();
    await issuedCode(customer.personId);
    const settings = { ...readPointsSettings({}), now: bed.clock.now };
    const purge = pointsJobs({ db: bed.points.database.db, settings, logger: createLogger('points', 'silent') }).find((job) => job.name === 'payment-code-purge')!;
    expect(await purge.run()).toBeGreaterThanOrEqual(1);
    const left = await bed.points.database.db.select().from(paymentCodes).where(eq(paymentCodes.accountId, customer.accountId));
    expect(left).toHaveLength(1);
  });
});

/** A clerk assigned to `unit`. */
async function clerkOf(unit: string): Promise<Viewer> {
  const person = await knownPerson(bed);
  const data = await run<{ bankClerkAssign: { userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: BankClerkAssignInput!) { bankClerkAssign(input: $input) { userErrors { field code message } } }`,
    viewers.admin,
    { input: { unit, person } },
  );
  expect(data.bankClerkAssign.userErrors).toEqual([]);
  return viewerOf({ roles: ['bank_clerk'], personId: person });
}

/** A person with a customer account at a savings office of a second head bank; returns the person. */
async function customerOfAnotherBank(): Promise<string> {
  const unit = async (input: Record<string, unknown>) => {
    const data = await run<{ bankUnitCreate: { bankUnit: { id: string } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: BankUnitCreateInput!) { bankUnitCreate(input: $input) { bankUnit { id } userErrors { field code message } } }`,
      viewers.admin,
      { input: { region: newId(), ...input } },
    );
    expect(data.bankUnitCreate.userErrors).toEqual([]);
    return data.bankUnitCreate.bankUnit!.id;
  };
  const head = await unit({ kind: 'HEAD_BANK', name: `雁江区公益银行 ${newId()}`, redemptionWindow: 'ALWAYS_OPEN' });
  const branch = await unit({ kind: 'BRANCH', name: '宝台镇分行', parent: head });
  const office = await unit({ kind: 'SAVINGS_OFFICE', name: '宝台村储蓄所', parent: branch, station: newId() });
  const person = await knownPerson(bed);
  const opened = await run<{ accountOpen: { userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { userErrors { field code message } } }`,
    viewers.admin,
    { input: { holder: person, office } },
  );
  expect(opened.accountOpen.userErrors).toEqual([]);
  return person;
}
