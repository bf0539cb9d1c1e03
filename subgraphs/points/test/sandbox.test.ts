/**
 * The sandbox: a sandbox merchant redeems only sandbox accounts' points,
 * which are not real and come from the sandbox issuance account; real
 * merchants never take a sandbox passbook and a sandbox merchant never a
 * real one (the answer a passbook of another bank gets); the database keeps
 * sandbox and real accounts out of each other's transfers; no event,
 * statistic or analyst figure counts sandbox points.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { newId, rowsOf, type Viewer } from '@lianxin/shared';
import { viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_MERCHANTS, DEMO_SANDBOX_MERCHANT } from '../src/db/demo.js';
import { ISSUANCE_ACCOUNT_ID, SANDBOX_ISSUANCE_ACCOUNT_ID } from '../src/db/schema.js';
import { postTransfer } from '../src/ledger/store.js';
import { codeOf, expectBooksToBalance, redemption, run, startPoints, viewers, wangAccount, type PointsTestBed, type UserErrorShape } from './support.js';

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

/** What the database said when `attempt` failed (drizzle wraps its error around the server's). */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return cause instanceof Error ? cause.message : String(cause);
  }
  throw new Error('the database accepted it');
}
const sandboxTill = viewerOf({ roles: ['merchant'], merchantId: DEMO_SANDBOX_MERCHANT.id });
const SANDBOX_ITEM = DEMO_SANDBOX_MERCHANT.items[0].id;

const CREATE = `mutation ($input: SandboxAccountCreateInput!) { sandboxAccountCreate(input: $input) { passbookNumber points userErrors { field code message } } }`;

interface Created {
  sandboxAccountCreate: { passbookNumber: string | null; points: number | null; userErrors: UserErrorShape[] } | null;
}

const createAccount = (viewer: Viewer, input: Record<string, unknown>) => bed.points.execute(CREATE, { variables: { input }, viewer });

async function sandboxPassbook(points: number): Promise<string> {
  const data = await run<Created>(bed, CREATE, sandboxTill, { input: { merchant: DEMO_SANDBOX_MERCHANT.id, points } });
  expect(data.sandboxAccountCreate?.userErrors).toEqual([]);
  return data.sandboxAccountCreate!.passbookNumber!;
}

const redeemAt = (merchant: string, item: string, passbookNumber: string, viewer: Viewer) =>
  redemption(bed, 'redemptionCreate', { passbookNumber, merchant, items: [{ item, quantity: 1 }], idempotencyKey: `sandbox-${newId()}` }, viewer);

describe('a sandbox merchant', () => {
  it('opens sandbox accounts with sandbox points from the sandbox issuance account, and redeems them', async () => {
    const passbookNumber = await sandboxPassbook(100);
    const [account] = await rowsOf<{ id: string; sandbox: boolean; balance: string }>(
      db(),
      sql`select id, sandbox, balance::text from points.accounts where passbook_number = ${passbookNumber}`,
    );
    expect(account).toMatchObject({ sandbox: true, balance: '100' });
    const [credit] = await rowsOf<{ debit_account_id: string; cause: string; reference: string }>(
      db(),
      sql`select debit_account_id, cause, reference from points.transfers where credit_account_id = ${account!.id}::uuid`,
    );
    expect(credit).toEqual({ debit_account_id: SANDBOX_ISSUANCE_ACCOUNT_ID, cause: 'sandbox', reference: DEMO_SANDBOX_MERCHANT.id });

    const made = await redeemAt(DEMO_SANDBOX_MERCHANT.id, SANDBOX_ITEM, passbookNumber, sandboxTill);
    expect(made.userErrors).toEqual([]);
    expect(made.redemption).toMatchObject({ status: 'CAPTURED', totalPoints: 10 });
    // Not real: nothing is announced of the account or its redemption.
    const announced = await rowsOf<{ n: number }>(db(), sql`select count(*)::int as n from points.outbox where aggregate_id in (${account!.id}, ${made.redemption!.id})`);
    expect(announced[0]?.n).toBe(0);
  });

  it('and a real merchant never take each other’s passbooks: the answer a passbook of another bank gets', async () => {
    const passbookNumber = await sandboxPassbook(50);
    const real = await redeemAt(DEMO_MERCHANTS.yonghui.id, DEMO_MERCHANTS.yonghui.items[2].id, passbookNumber, viewers.yonghui);
    expect(real.userErrors).toEqual([{ field: ['input', 'passbookNumber'], code: 'NOT_FOUND', message: 'No customer of this bank has this passbook number.' }]);
    const sandbox = await redeemAt(DEMO_SANDBOX_MERCHANT.id, SANDBOX_ITEM, wangAccount.passbookNumber, sandboxTill);
    expect(sandbox.userErrors).toEqual(real.userErrors);
    // Holds too.
    const held = await redemption(
      bed,
      'redemptionHold',
      { passbookNumber, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item: DEMO_MERCHANTS.yonghui.items[2].id, quantity: 1 }], idempotencyKey: `sandbox-${newId()}` },
      viewers.yonghui,
    );
    expect(held.userErrors.map((error) => error.code)).toEqual(['NOT_FOUND']);
  });

  it('pays with payment codes it issues for its sandbox accounts, as a till will in production; no other code or passbook', async () => {
    const ISSUE = `mutation ($input: SandboxPaymentCodeIssueInput!) { sandboxPaymentCodeIssue(input: $input) { paymentCode { code expiresAt } userErrors { field code message } } }`;
    type Issued = { sandboxPaymentCodeIssue: { paymentCode: { code: string } | null; userErrors: UserErrorShape[] } | null };
    // The sandbox till takes codes only, as a real till does by default.
    await run(bed, `mutation { merchantPassbookAcceptanceSet(input: { merchant: "${DEMO_SANDBOX_MERCHANT.id}", accepts: false }) { userErrors { code } } }`, viewers.admin);
    const passbookNumber = await sandboxPassbook(40);
    const byPassbook = await redeemAt(DEMO_SANDBOX_MERCHANT.id, SANDBOX_ITEM, passbookNumber, sandboxTill);
    expect(byPassbook.userErrors.map((error) => error.code)).toEqual(['PAYMENT_CODE_REQUIRED']);

    const issued = await run<Issued>(bed, ISSUE, sandboxTill, { input: { merchant: DEMO_SANDBOX_MERCHANT.id, passbookNumber } });
    expect(issued.sandboxPaymentCodeIssue?.userErrors).toEqual([]);
    const paymentCode = issued.sandboxPaymentCodeIssue!.paymentCode!.code;
    expect(paymentCode).toMatch(/^28[0-9]{16}$/);
    // A sandbox code is no good at a real till, and pays once at the sandbox one.
    const atReal = await redemption(
      bed,
      'redemptionCreate',
      { paymentCode, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item: DEMO_MERCHANTS.yonghui.items[2].id, quantity: 1 }], idempotencyKey: `sandbox-${newId()}` },
      viewers.yonghui,
    );
    expect(atReal.userErrors.map((error) => error.code)).toEqual(['PAYMENT_CODE_INVALID']);
    const paid = await redemption(
      bed,
      'redemptionCreate',
      { paymentCode, merchant: DEMO_SANDBOX_MERCHANT.id, items: [{ item: SANDBOX_ITEM, quantity: 1 }], idempotencyKey: `sandbox-${newId()}` },
      sandboxTill,
    );
    expect(paid.userErrors).toEqual([]);
    expect(paid.redemption?.status).toBe('CAPTURED');

    // A real passbook is not the sandbox's to issue for; a real merchant has no sandbox; another merchant's token names none but its own.
    const real = await run<Issued>(bed, ISSUE, sandboxTill, { input: { merchant: DEMO_SANDBOX_MERCHANT.id, passbookNumber: wangAccount.passbookNumber } });
    expect(real.sandboxPaymentCodeIssue?.userErrors).toEqual([
      { field: ['input', 'passbookNumber'], code: 'NOT_FOUND', message: 'No sandbox account of this bank has this passbook number.' },
    ]);
    const notSandbox = await run<Issued>(bed, ISSUE, viewers.yonghui, { input: { merchant: DEMO_MERCHANTS.yonghui.id, passbookNumber } });
    expect(notSandbox.sandboxPaymentCodeIssue?.userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    const other = await bed.points.execute(ISSUE, { variables: { input: { merchant: DEMO_SANDBOX_MERCHANT.id, passbookNumber } }, viewer: viewers.yonghui });
    expect(codeOf(other)).toBe('FORBIDDEN');
    const badNumber = await run<Issued>(bed, ISSUE, sandboxTill, { input: { merchant: DEMO_SANDBOX_MERCHANT.id, passbookNumber: '12ab' } });
    expect(badNumber.sandboxPaymentCodeIssue?.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'passbookNumber'], 'INVALID']]);
  });

  it('opens sandbox accounts for itself and platform admins only; a real merchant has none', async () => {
    const asAdmin = await run<Created>(bed, CREATE, viewers.admin, { input: { merchant: DEMO_SANDBOX_MERCHANT.id, points: 5 } });
    expect(asAdmin.sandboxAccountCreate).toMatchObject({ points: 5, userErrors: [] });
    const real = await run<Created>(bed, CREATE, viewers.yonghui, { input: { merchant: DEMO_MERCHANTS.yonghui.id, points: 5 } });
    expect(real.sandboxAccountCreate).toEqual({
      passbookNumber: null,
      points: null,
      userErrors: [{ field: ['input', 'merchant'], code: 'NOT_ALLOWED', message: expect.any(String) }],
    });
    expect(codeOf(await createAccount(viewers.yonghui, { merchant: DEMO_SANDBOX_MERCHANT.id, points: 5 }))).toBe('FORBIDDEN');
    expect(codeOf(await createAccount(viewers.clerk, { merchant: DEMO_SANDBOX_MERCHANT.id, points: 5 }))).toBe('FORBIDDEN');
    const tooMany = await run<Created>(bed, CREATE, sandboxTill, { input: { merchant: DEMO_SANDBOX_MERCHANT.id, points: 100_001 } });
    expect(tooMany.sandboxAccountCreate?.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'points'], 'INVALID']]);
  });

  it('is left out of the merchants a customer browses, unless the list asks for sandbox ones', async () => {
    const LIST = `query ($f: MerchantFilter) { merchants(filter: $f, first: 100) { edges { node { id sandbox } } } }`;
    const listed = async (filter: Record<string, unknown> | null) =>
      (await run<{ merchants: { edges: { node: { id: string; sandbox: boolean } }[] } }>(bed, LIST, viewers.zhang, { f: filter })).merchants.edges.map((edge) => edge.node);
    const real = await listed(null);
    expect(real.map((merchant) => merchant.id)).toContain(DEMO_MERCHANTS.yonghui.id);
    expect(real.every((merchant) => !merchant.sandbox)).toBe(true);
    const sandbox = await listed({ sandbox: true });
    expect(sandbox.map((merchant) => merchant.id)).toContain(DEMO_SANDBOX_MERCHANT.id);
    expect(sandbox.every((merchant) => merchant.sandbox)).toBe(true);
  });

  it('is created as one by a platform admin, with a sandbox account, and is not announced', async () => {
    const created = await run<{ merchantCreate: { merchant: { id: string; sandbox: boolean; account: { sandbox: boolean } } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id sandbox account { sandbox } } userErrors { field code message } } }`,
      viewers.admin,
      { input: { bank: DEMO_BANK.head.id, organization: newId(), name: `沙箱 ${newId()}`, sandbox: true, office: DEMO_BANK.xingleOffice.id } },
    );
    expect(created.merchantCreate.merchant).toMatchObject({ sandbox: true, account: { sandbox: true } });
    const joined = await rowsOf<{ n: number }>(db(), sql`select count(*)::int as n from points.outbox where aggregate_id = ${created.merchantCreate.merchant!.id}`);
    expect(joined[0]?.n).toBe(0);
  });
});

describe('the database', () => {
  it('never joins a sandbox account to a real one, issues sandbox points only from the sandbox issuance account, and keeps sandbox fixed', async () => {
    const passbookNumber = await sandboxPassbook(20);
    const [sandboxAccount] = await rowsOf<{ id: string }>(db(), sql`select id from points.accounts where passbook_number = ${passbookNumber}`);
    const move = (debit: string, credit: string, cause: 'donation' | 'sandbox') =>
      db().transaction(async (tx) => {
        await tx.execute(sql`select 1 from points.accounts where id in (${debit}::uuid, ${credit}::uuid) for update`);
        await postTransfer(tx, { debit, credit, amount: 1, cause, createdBy: 'test' });
      });
    expect(await refusal(move(sandboxAccount!.id, wangAccount.id, 'donation'))).toMatch(/sandbox account to a real one/);
    expect(await refusal(move(ISSUANCE_ACCOUNT_ID, sandboxAccount!.id, 'sandbox'))).toMatch(/sandbox account to a real one/);
    expect(await refusal(move(ISSUANCE_ACCOUNT_ID, wangAccount.id, 'sandbox'))).toMatch(/sandbox issuance account/);
    expect(await refusal(db().execute(sql`update points.merchants set sandbox = false where id = ${DEMO_SANDBOX_MERCHANT.id}::uuid`))).toMatch(/for good/);
    expect(await refusal(db().execute(sql`update points.accounts set sandbox = false where id = ${sandboxAccount!.id}::uuid`))).toMatch(/for good/);
  });
});

describe('figures', () => {
  const FLOW = `{ pointsFlowStats { total { opened redeemed redemptions net } } redemptionStats { total { redemptions points } } }`;
  const analyst = () => run<Record<string, unknown>>(bed, FLOW, viewers.analyst);

  it('leave sandbox points out of statistics and analysts’ views', async () => {
    const before = await analyst();
    const passbookNumber = await sandboxPassbook(30);
    await redeemAt(DEMO_SANDBOX_MERCHANT.id, SANDBOX_ITEM, passbookNumber, sandboxTill);
    expect(await analyst()).toEqual(before);
    const [seen] = await rowsOf<{ n: number }>(
      db(),
      sql`select (select count(*) from points.analytics_redemptions where merchant_id = ${DEMO_SANDBOX_MERCHANT.id}::uuid)
            + (select count(*) from points.analytics_merchants where merchant_id = ${DEMO_SANDBOX_MERCHANT.id}::uuid)
            + (select count(*) from points.analytics_points_flows f join points.accounts a on a.passbook_number = ${passbookNumber} join points.transfers t on t.id = f.transfer_id
                where a.id in (t.debit_account_id, t.credit_account_id)) as n`,
    );
    expect(Number(seen?.n)).toBe(0);
  });
});
