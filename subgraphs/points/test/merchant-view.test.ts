/**
 * What a merchant's till hears: refusals and reads that carry no balance, no
 * customer and nothing of another merchant, and that are the same whatever
 * the state of what the till may not see (a passbook that does not exist,
 * is not a customer's or is another bank's; another merchant's hold, held,
 * captured or voided).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, type Viewer } from '@lianxin/shared';
import { viewerOf } from '@lianxin/shared/testing';
import { passbookNumber } from '../src/accounts/passbook.js';
import { DEMO_BANK, DEMO_MERCHANTS } from '../src/db/demo.js';
import { ISSUANCE_PASSBOOK_NUMBER } from '../src/db/schema.js';
import {
  acceptPassbookNumbers,
  codeOf,
  customerWith,
  expectBooksToBalance,
  knownPerson,
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
  bed = await startPoints();
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

const yonghui = DEMO_MERCHANTS.yonghui;
const key = () => `till-${newId()}`;
const otherAdmin = viewerOf({ roles: ['platform_admin'], subject: 'test-platform_admin-2' });

async function must<T>(query: string, viewer: Viewer, input: Record<string, unknown>): Promise<T> {
  const data = await run<Record<string, T & { userErrors: UserErrorShape[] }>>(bed, query, viewer, { input });
  const payload = Object.values(data)[0]!;
  expect(payload.userErrors).toEqual([]);
  return payload;
}

/** A customer of a second head bank, holding 500 points (credited by an adjustment there). */
async function customerOfAnotherBank(): Promise<{ passbookNumber: string }> {
  const unit = (input: Record<string, unknown>) =>
    must<{ bankUnit: { id: string } }>(
      `mutation ($input: BankUnitCreateInput!) { bankUnitCreate(input: $input) { bankUnit { id } userErrors { field code message } } }`,
      viewers.admin,
      input,
    );
  const head = await unit({ kind: 'HEAD_BANK', name: `雁江区公益银行 ${newId()}`, region: newId(), redemptionWindow: 'ALWAYS_OPEN' });
  const branch = await unit({ kind: 'BRANCH', name: '宝台镇分行', parent: head.bankUnit.id, region: newId() });
  const office = await unit({ kind: 'SAVINGS_OFFICE', name: '宝台村储蓄所', parent: branch.bankUnit.id, region: newId(), station: newId() });
  const opened = await must<{ account: { id: string; passbookNumber: string } }>(
    `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id passbookNumber } userErrors { field code message } } }`,
    viewers.admin,
    { holder: await knownPerson(bed), office: office.bankUnit.id },
  );
  const asked = await must<{ adjustment: { id: string } }>(
    `mutation ($input: AdjustmentRequestInput!) { adjustmentRequest(input: $input) { adjustment { id } userErrors { field code message } } }`,
    viewers.admin,
    { account: opened.account.id, points: 500, reason: '跨行测试' },
  );
  await must(`mutation ($input: AdjustmentApproveInput!) { adjustmentApprove(input: $input) { adjustment { id } userErrors { field code message } } }`, otherAdmin, {
    adjustment: asked.adjustment.id,
  });
  return { passbookNumber: opened.account.passbookNumber };
}

/** Everything a response says, for looking for numbers and ids that must not be there. */
const textOf = (value: unknown): string => JSON.stringify(value);

describe('refusals a till hears', () => {
  it('name no balance when the points fall short, on a one-step redemption and on a hold', async () => {
    const customer = await customerWith(bed, 137);
    const item = await yonghuiItem(bed, 100, 10);
    const answers = [];
    for (const mutation of ['redemptionCreate', 'redemptionHold'] as const) {
      const refused = await redemption(
        bed,
        mutation,
        { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 2 }], idempotencyKey: key() },
        viewers.yonghui,
      );
      expect(refused.redemption).toBeNull();
      expect(refused.userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_POINTS']);
      expect(textOf(refused)).not.toMatch(/137|\b200\b/);
      answers.push(refused.userErrors);
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it('say the same when a merchant’s minimum balance is not met as when the total is not covered', async () => {
    const made = await must<{ merchant: { id: string } }>(
      `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id } userErrors { field code message } } }`,
      viewers.admin,
      { bank: DEMO_BANK.head.id, organization: newId(), name: `高积分商户 ${newId()}`, alwaysOpen: true, minimumBalance: 300 },
    );
    const till = viewerOf({ roles: ['merchant'], merchantId: made.merchant.id });
    const item = await must<{ catalogItem: { id: string } }>(
      `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } userErrors { field code message } } }`,
      till,
      { merchant: made.merchant.id, name: '电饭煲', pricePoints: 400, stock: 5 },
    );
    await acceptPassbookNumbers(bed, made.merchant.id);
    const belowMinimum = await customerWith(bed, 250);
    const aboveMinimum = await customerWith(bed, 350);
    const answers = [];
    for (const customer of [belowMinimum, aboveMinimum]) {
      const refused = await redemption(
        bed,
        'redemptionHold',
        { passbookNumber: customer.passbookNumber, merchant: made.merchant.id, items: [{ item: item.catalogItem.id, quantity: 1 }], idempotencyKey: key() },
        till,
      );
      expect(textOf(refused)).not.toMatch(/250|300|350/);
      answers.push(refused.userErrors);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.map((error) => error.code)).toEqual(['INSUFFICIENT_POINTS']);
  });

  it('tell a passbook no one has, one that is not a customer’s and a customer of another bank apart from nothing', async () => {
    const item = await yonghuiItem(bed, 1, 100);
    const elsewhere = await customerOfAnotherBank();
    const passbooks = [passbookNumber(89_999_999_999), passbookNumber(yonghui.serial), ISSUANCE_PASSBOOK_NUMBER, elsewhere.passbookNumber];
    for (const mutation of ['redemptionCreate', 'redemptionHold'] as const) {
      const answers = new Set<string>();
      for (const number of passbooks) {
        const refused = await redemption(bed, mutation, { passbookNumber: number, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: key() }, viewers.yonghui);
        expect(refused.redemption).toBeNull();
        answers.add(textOf(refused.userErrors));
      }
      expect([...answers]).toEqual([textOf([{ field: ['input', 'passbookNumber'], code: 'NOT_FOUND', message: 'No customer of this bank has this passbook number.' }])]);
    }
    // Nor does asking for the account tell them apart: a till may read no customer's account.
    const byNumber = `query ($n: String!) { accountByPassbook(passbookNumber: $n) { id } }`;
    const reads = new Set<string>();
    for (const number of [passbookNumber(89_999_999_999), elsewhere.passbookNumber, (await customerWith(bed, 1)).passbookNumber]) {
      const read = await bed.points.execute(byNumber, { variables: { n: number }, viewer: viewers.yonghui });
      reads.add(textOf(read.errors?.map((error) => [error.extensions?.['code'], error.message])));
    }
    expect(reads.size).toBe(1);
  });

  it('refuse a till naming another merchant before anything is read, whether that merchant exists or not', async () => {
    const customer = await customerWith(bed, 10);
    const item = await yonghuiItem(bed, 1, 10);
    const answers = new Set<string>();
    for (const merchant of [yonghui.id, newId()]) {
      const redeem = await bed.points.execute(`mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { userErrors { code } } }`, {
        variables: { input: { passbookNumber: customer.passbookNumber, merchant, items: [{ item, quantity: 1 }], idempotencyKey: key() } },
        viewer: viewers.charity,
      });
      const list = await bed.points.execute(`mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { userErrors { code } } }`, {
        variables: { input: { merchant, name: 'x', pricePoints: 1, stock: 1 } },
        viewer: viewers.charity,
      });
      expect(codeOf(redeem)).toBe('FORBIDDEN');
      expect(codeOf(list)).toBe('FORBIDDEN');
      answers.add(textOf([redeem.errors?.[0]?.message, list.errors?.[0]?.message]));
    }
    expect(answers.size).toBe(1);
  });
});

describe('another merchant’s redemptions', () => {
  it('are to a till what an unknown id is, held, captured or voided, whether it captures, voids or reads them', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 5, 20);
    const hold = async () =>
      (
        await redemption(
          bed,
          'redemptionHold',
          { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: key() },
          viewers.yonghui,
        )
      ).redemption!.id;
    const held = await hold();
    const captured = await hold();
    expect((await redemption(bed, 'redemptionCapture', { redemption: captured }, viewers.yonghui)).redemption?.status).toBe('CAPTURED');
    const voided = await hold();
    expect((await redemption(bed, 'redemptionVoid', { redemption: voided }, viewers.yonghui)).redemption?.status).toBe('VOIDED');
    const oneStep = (
      await redemption(
        bed,
        'redemptionCreate',
        { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: key() },
        viewers.yonghui,
      )
    ).redemption!.id;

    const expected = [{ message: 'There is no such redemption, or you may not see it.', code: 'FORBIDDEN' }];
    const resolve = async (mutation: 'redemptionCapture' | 'redemptionVoid', id: string) => {
      const result = await bed.points.execute(`mutation ($input: RedemptionResolveInput!) { ${mutation}(input: $input) { userErrors { code } } }`, {
        variables: { input: { redemption: id } },
        viewer: viewers.charity,
      });
      return result.errors?.map((error) => ({ message: error.message, code: error.extensions?.['code'] }));
    };
    const reads = new Set<string>();
    for (const id of [held, captured, voided, oneStep, newId()]) {
      expect(await resolve('redemptionCapture', id)).toEqual(expected);
      expect(await resolve('redemptionVoid', id)).toEqual(expected);
      const read = await bed.points.execute(`query ($id: ID!) { redemption(id: $id) { status memberId } }`, { variables: { id }, viewer: viewers.charity });
      expect(codeOf(read)).toBe('FORBIDDEN');
      reads.add(textOf(read.errors?.map((error) => error.message)));
    }
    expect(reads.size).toBe(1);
    // The hold the other till tried to capture is Yonghui's still.
    expect((await redemption(bed, 'redemptionCapture', { redemption: held }, viewers.yonghui)).redemption?.status).toBe('CAPTURED');
  });

  it('are refused to a clerk who may see but not resolve them, and to other roles before anything is read', async () => {
    const customer = await customerWith(bed, 20);
    const item = await yonghuiItem(bed, 5, 5);
    const held = (
      await redemption(
        bed,
        'redemptionHold',
        { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: key() },
        viewers.yonghui,
      )
    ).redemption!.id;
    const capture = `mutation ($input: RedemptionResolveInput!) { redemptionCapture(input: $input) { userErrors { code } } }`;
    // 林晓 clerks at the customer's office: she may see the hold (so it comes back as it stands), not settle it for the shop.
    expect(await redemption(bed, 'redemptionCapture', { redemption: held }, viewers.clerk)).toEqual({
      redemption: expect.objectContaining({ id: held, status: 'HELD', totalPoints: 5 }),
      userErrors: [{ field: ['input', 'redemption'], code: 'NOT_ALLOWED', message: 'Only the merchant itself resolves its holds.' }],
    });
    for (const id of [held, newId()]) {
      for (const viewer of [viewerOf({ roles: ['volunteer'], personId: customer.personId }), viewers.analyst, viewers.communityAdmin]) {
        const refused = await bed.points.execute(capture, { variables: { input: { redemption: id } }, viewer });
        expect(codeOf(refused)).toBe('FORBIDDEN');
        expect(refused.errors?.[0]?.message).toBe('Your role may not resolve holds.');
      }
    }
    expect((await redemption(bed, 'redemptionVoid', { redemption: held }, viewers.yonghui)).redemption?.status).toBe('VOIDED');
  });
});
