/**
 * A refused bank mutation answers with the object it named as it now
 * stands, beside the user errors: a hold another till captured a moment ago,
 * an adjustment decided already, the fund that fell short. Only as the
 * matching query would show it to the caller: an object they may not see,
 * an id that names none and a malformed id come back null, and so does what
 * a refused mutation would have made (an entry, a reversal), unless an
 * earlier one stands. A success is the changed object, as before.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, type Viewer } from '@lianxin/shared';
import { viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_MERCHANTS } from '../src/db/demo.js';
import { codeOf, customerWith, expectBooksToBalance, knownPerson, redemption, run, startPoints, viewers, yonghuiItem, type PointsTestBed, type UserErrorShape } from './support.js';

let bed: PointsTestBed;
/** A second clerk of the Xingle office, beside 林晓, to decide her requests. */
let secondClerk: Viewer;

const UNKNOWN = '00000000-0000-7000-8000-00000000beef';
const yonghui = DEMO_MERCHANTS.yonghui;

beforeAll(async () => {
  bed = await startPoints();
  secondClerk = viewerOf({ roles: ['bank_clerk'], personId: await knownPerson(bed) });
  const assigned = await run<{ bankClerkAssign: { userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: BankClerkAssignInput!) { bankClerkAssign(input: $input) { userErrors { field code message } } }`,
    viewers.admin,
    { input: { unit: DEMO_BANK.xingleOffice.id, person: secondClerk.personId } },
  );
  expect(assigned.bankClerkAssign.userErrors).toEqual([]);
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

/** The field codes of a payload's user errors, for short expectations. */
const errorsOf = (payload: { userErrors: UserErrorShape[] }) => payload.userErrors.map(({ field, code }) => ({ field, code }));

describe('redemptionCapture and redemptionVoid', () => {
  const hold = async (customer: { passbookNumber: string }, item: string) => {
    const held = await redemption(
      bed,
      'redemptionHold',
      { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: `payload-${newId()}` },
      viewers.yonghui,
    );
    expect(held.userErrors).toEqual([]);
    return held.redemption!;
  };

  it('answer a hold resolved before with the redemption as it now stands', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 10, 5);
    const captured = await hold(customer, item);
    const voided = await hold(customer, item);

    const capture = await redemption(bed, 'redemptionCapture', { redemption: captured.id }, viewers.yonghui);
    expect(capture).toEqual({ redemption: expect.objectContaining({ id: captured.id, status: 'CAPTURED', totalPoints: 10 }), userErrors: [] });
    expect((await redemption(bed, 'redemptionVoid', { redemption: voided.id }, viewers.yonghui)).redemption?.status).toBe('VOIDED');

    expect(await redemption(bed, 'redemptionVoid', { redemption: captured.id }, viewers.yonghui)).toEqual({
      redemption: capture.redemption,
      userErrors: [{ field: ['input', 'redemption'], code: 'INVALID_STATE', message: 'The redemption is captured: it can no longer be voided.' }],
    });
    // The id as the till typed it, in capitals: the same redemption.
    const late = await redemption(bed, 'redemptionCapture', { redemption: voided.id.toUpperCase() }, viewers.yonghui);
    expect(late.redemption).toMatchObject({ id: voided.id, status: 'VOIDED' });
    expect(errorsOf(late)).toEqual([{ field: ['input', 'redemption'], code: 'INVALID_STATE' }]);
    // A clerk of the customer's office sees the hold but does not settle it for the shop.
    expect(await redemption(bed, 'redemptionCapture', { redemption: captured.id }, viewers.clerk)).toEqual({
      redemption: capture.redemption,
      userErrors: [{ field: ['input', 'redemption'], code: 'NOT_ALLOWED', message: 'Only the merchant itself resolves its holds.' }],
    });
  });

  it('answer an id that names none, or a malformed one, with null; another till hears nothing at all', async () => {
    const unknown = await redemption(bed, 'redemptionCapture', { redemption: UNKNOWN }, viewers.admin);
    expect(unknown).toEqual({ redemption: null, userErrors: [{ field: ['input', 'redemption'], code: 'NOT_FOUND', message: 'There is no such redemption.' }] });
    const malformed = await redemption(bed, 'redemptionVoid', { redemption: 'hold-1' }, viewers.yonghui);
    expect(malformed.redemption).toBeNull();
    expect(errorsOf(malformed)).toEqual([{ field: ['input', 'redemption'], code: 'INVALID' }]);
    const customer = await customerWith(bed, 20);
    const held = await hold(customer, await yonghuiItem(bed, 10, 5));
    const other = await bed.points.execute(`mutation ($input: RedemptionResolveInput!) { redemptionCapture(input: $input) { redemption { id status } userErrors { code } } }`, {
      variables: { input: { redemption: held.id } },
      viewer: viewers.charity,
    });
    expect([codeOf(other), other.data]).toEqual(['FORBIDDEN', { redemptionCapture: null }]);
  });
});

describe('adjustmentApprove and adjustmentReject', () => {
  const FIELDS = 'adjustment { id status rejectionReason } userErrors { field code }';
  const decide = async (mutation: 'adjustmentApprove' | 'adjustmentReject', input: Record<string, unknown>, viewer: Viewer) => {
    const type = mutation === 'adjustmentApprove' ? 'AdjustmentApproveInput' : 'AdjustmentRejectInput';
    const data = await run<Record<string, { adjustment: { id: string; status: string; rejectionReason: string | null } | null; userErrors: UserErrorShape[] }>>(
      bed,
      `mutation ($input: ${type}!) { ${mutation}(input: $input) { ${FIELDS} } }`,
      viewer,
      { input },
    );
    return data[mutation]!;
  };
  const requested = async (accountId: string): Promise<string> => {
    const data = await run<{ adjustmentRequest: { adjustment: { id: string } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: AdjustmentRequestInput!) { adjustmentRequest(input: $input) { adjustment { id } userErrors { field code } } }`,
      viewers.clerk,
      { input: { account: accountId, points: 5, reason: '补录' } },
    );
    expect(data.adjustmentRequest.userErrors).toEqual([]);
    return data.adjustmentRequest.adjustment!.id;
  };

  it('answer an adjustment decided before with it as it now stands; a request refused stays null', async () => {
    const customer = await customerWith(bed, 0);
    const id = await requested(customer.accountId);
    expect(await decide('adjustmentReject', { adjustment: id, reason: '重复申请' }, secondClerk)).toEqual({
      adjustment: { id, status: 'REJECTED', rejectionReason: '重复申请' },
      userErrors: [],
    });
    expect(await decide('adjustmentApprove', { adjustment: id }, viewers.admin)).toEqual({
      adjustment: { id, status: 'REJECTED', rejectionReason: '重复申请' },
      userErrors: [{ field: ['input', 'adjustment'], code: 'INVALID_STATE' }],
    });
    // The one who asked may not decide: the request, still waiting.
    const waiting = await requested(customer.accountId);
    expect(await decide('adjustmentApprove', { adjustment: waiting.toUpperCase() }, viewers.clerk)).toEqual({
      adjustment: { id: waiting, status: 'REQUESTED', rejectionReason: null },
      userErrors: [{ field: ['input', 'adjustment'], code: 'NOT_ALLOWED' }],
    });
    const refusedRequest = await run<{ adjustmentRequest: { adjustment: { id: string } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: AdjustmentRequestInput!) { adjustmentRequest(input: $input) { adjustment { id } userErrors { field code } } }`,
      viewers.clerk,
      { input: { account: customer.accountId, points: 0, reason: '补录' } },
    );
    expect(refusedRequest.adjustmentRequest).toEqual({ adjustment: null, userErrors: [{ field: ['input', 'points'], code: 'INVALID' }] });
  });

  it('answer null to a clerk who may not see the adjustment, for an id that names none and for a malformed one', async () => {
    const customer = await customerWith(bed, 0);
    const id = await requested(customer.accountId);
    // The reason is refused before the adjustment is looked at: the clerk of no office sees nothing of it, as `adjustment(id)` shows them nothing.
    expect(codeOf(await bed.points.execute(`query ($id: ID!) { adjustment(id: $id) { id } }`, { variables: { id }, viewer: viewers.unassignedClerk }))).toBe('FORBIDDEN');
    expect(await decide('adjustmentReject', { adjustment: id, reason: ' ' }, viewers.unassignedClerk)).toEqual({
      adjustment: null,
      userErrors: [{ field: ['input', 'reason'], code: 'REQUIRED' }],
    });
    expect(await decide('adjustmentReject', { adjustment: id, reason: ' ' }, secondClerk)).toEqual({
      adjustment: { id, status: 'REQUESTED', rejectionReason: null },
      userErrors: [{ field: ['input', 'reason'], code: 'REQUIRED' }],
    });
    expect(await decide('adjustmentApprove', { adjustment: UNKNOWN }, viewers.admin)).toEqual({
      adjustment: null,
      userErrors: [{ field: ['input', 'adjustment'], code: 'NOT_FOUND' }],
    });
    expect(await decide('adjustmentApprove', { adjustment: 'adjustment-1' }, viewers.clerk)).toEqual({
      adjustment: null,
      userErrors: [{ field: ['input', 'adjustment'], code: 'INVALID' }],
    });
  });
});

describe('transferReverse', () => {
  const REVERSE = `mutation ($input: TransferReverseInput!) { transferReverse(input: $input) { reversal { id cause amount reverses { id } } userErrors { field code } } }`;
  type Reversal = { id: string; cause: string; amount: number; reverses: { id: string } };
  const reverse = async (transfer: string, viewer: Viewer = viewers.clerk, reason = '录入错误') =>
    (await run<{ transferReverse: { reversal: Reversal | null; userErrors: UserErrorShape[] } }>(bed, REVERSE, viewer, { input: { transfer, reason } })).transferReverse;

  it('answers a transfer reversed before with that reversal, and one never reversed with null', async () => {
    const customer = await customerWith(bed, 20);
    const lines = await run<{ account: { transfers: { edges: { node: { transfer: { id: string } } }[] } } }>(
      bed,
      `query ($id: ID!) { account(id: $id) { transfers(first: 1) { edges { node { transfer { id } } } } } }`,
      viewers.admin,
      { id: customer.accountId },
    );
    const deposit = lines.account.transfers.edges[0]!.node.transfer.id;
    // Refused for its reason, never reversed: no reversal to show.
    expect(await reverse(deposit, viewers.clerk, ' ')).toEqual({ reversal: null, userErrors: [{ field: ['input', 'reason'], code: 'REQUIRED' }] });
    const first = await reverse(deposit);
    expect(first).toEqual({ reversal: { id: expect.any(String), cause: 'REVERSAL', amount: 20, reverses: { id: deposit } }, userErrors: [] });
    expect(await reverse(deposit, viewers.admin)).toEqual({ reversal: first.reversal, userErrors: [{ field: ['input', 'transfer'], code: 'ALREADY_EXISTS' }] });
    // A reversal is not reversed, and has no reversal of its own.
    expect(await reverse(first.reversal!.id)).toEqual({ reversal: null, userErrors: [{ field: ['input', 'transfer'], code: 'INVALID_STATE' }] });
  });

  it('answers an id that names none, or a malformed one, with null', async () => {
    expect(await reverse(UNKNOWN, viewers.admin)).toEqual({ reversal: null, userErrors: [{ field: ['input', 'transfer'], code: 'NOT_FOUND' }] });
    expect(await reverse('transfer-1')).toEqual({ reversal: null, userErrors: [{ field: ['input', 'transfer'], code: 'INVALID' }] });
  });
});

describe('fundContribute and fundDisburse', () => {
  const MOVE = (mutation: 'fundContribute' | 'fundDisburse') =>
    `mutation ($input: ${mutation === 'fundContribute' ? 'FundContributeInput' : 'FundDisburseInput'}!) { ${mutation}(input: $input) {
      entry { kind amount balanceAfter } fund { id balance } userErrors { field code } } }`;
  type Move = { entry: { kind: string; amount: number; balanceAfter: number } | null; fund: { id: string; balance: number } | null; userErrors: UserErrorShape[] };
  const move = async (mutation: 'fundContribute' | 'fundDisburse', input: Record<string, unknown>, viewer: Viewer = viewers.clerk) =>
    (await run<Record<string, Move>>(bed, MOVE(mutation), viewer, { input }))[mutation]!;

  it('answer a refused movement with no entry and the fund as it now stands', async () => {
    const created = await run<{ fundCreate: { fund: { id: string } } }>(
      bed,
      `mutation ($input: FundCreateInput!) { fundCreate(input: $input) { fund { id } userErrors { code } } }`,
      viewers.admin,
      { input: { bank: DEMO_BANK.head.id, name: `测试基金 ${newId()}` } },
    );
    const fund = created.fundCreate.fund.id;
    expect(await move('fundContribute', { fund, source: 'PUBLIC', amount: 500 })).toEqual({
      entry: { kind: 'CONTRIBUTION', amount: 500, balanceAfter: 500 },
      fund: { id: fund, balance: 500 },
      userErrors: [],
    });
    expect(await move('fundDisburse', { fund, serviceRequest: newId(), amount: 800 })).toEqual({
      entry: null,
      fund: { id: fund, balance: 500 },
      userErrors: [{ field: ['input', 'amount'], code: 'INSUFFICIENT_FUNDS' }],
    });
    // Funds are open to anyone signed in: a clerk who does not keep its books still sees its balance.
    expect(await move('fundContribute', { fund, source: 'PUBLIC', amount: 100 }, viewers.unassignedClerk)).toEqual({
      entry: null,
      fund: { id: fund, balance: 500 },
      userErrors: [{ field: ['input', 'fund'], code: 'NOT_ALLOWED' }],
    });
  });

  it('answer an id that names none, or a malformed one, with neither entry nor fund', async () => {
    expect(await move('fundContribute', { fund: UNKNOWN, source: 'PUBLIC', amount: 100 })).toEqual({
      entry: null,
      fund: null,
      userErrors: [{ field: ['input', 'fund'], code: 'NOT_FOUND' }],
    });
    expect(await move('fundDisburse', { fund: 'fund-1', serviceRequest: newId(), amount: 100 })).toEqual({
      entry: null,
      fund: null,
      userErrors: [{ field: ['input', 'fund'], code: 'INVALID' }],
    });
  });
});

describe('catalogItemUpdate', () => {
  const UPDATE = `mutation ($input: CatalogItemUpdateInput!) { catalogItemUpdate(input: $input) { catalogItem { id pricePoints active } userErrors { field code } } }`;
  type Update = { catalogItem: { id: string; pricePoints: number; active: boolean } | null; userErrors: UserErrorShape[] };
  const update = async (input: Record<string, unknown>, viewer: Viewer = viewers.yonghui) =>
    (await run<{ catalogItemUpdate: Update }>(bed, UPDATE, viewer, { input })).catalogItemUpdate;

  it('answers a refused change with the item as it now stands (items are public), and a success with the change', async () => {
    const item = await yonghuiItem(bed, 12, 3);
    expect(await update({ item, pricePoints: 15 })).toEqual({ catalogItem: { id: item, pricePoints: 15, active: true }, userErrors: [] });
    expect(await update({ item, pricePoints: 0 })).toEqual({
      catalogItem: { id: item, pricePoints: 15, active: true },
      userErrors: [{ field: ['input', 'pricePoints'], code: 'INVALID' }],
    });
    expect(await update({ item, active: false }, viewers.charity)).toEqual({
      catalogItem: { id: item, pricePoints: 15, active: true },
      userErrors: [{ field: ['input', 'item'], code: 'NOT_ALLOWED' }],
    });
  });

  it('answers an id that names none, or a malformed one, with null', async () => {
    expect(await update({ item: UNKNOWN, active: false })).toEqual({ catalogItem: null, userErrors: [{ field: ['input', 'item'], code: 'NOT_FOUND' }] });
    expect(await update({ item: 'item-1', active: false })).toEqual({ catalogItem: null, userErrors: [{ field: ['input', 'item'], code: 'INVALID' }] });
  });
});

describe('bankClerkAssign and depositRuleSet', () => {
  it('answer with the public unit and rule as they stand, and null for a unit that is none', async () => {
    const ASSIGN = `mutation ($input: BankClerkAssignInput!) { bankClerkAssign(input: $input) { bankUnit { id kind } userErrors { field code } } }`;
    const assign = async (input: Record<string, unknown>) =>
      (await run<{ bankClerkAssign: { bankUnit: { id: string; kind: string } | null; userErrors: UserErrorShape[] } }>(bed, ASSIGN, viewers.admin, { input })).bankClerkAssign;
    expect(await assign({ unit: DEMO_BANK.xingleOffice.id, person: 'person-1' })).toEqual({
      bankUnit: { id: DEMO_BANK.xingleOffice.id, kind: 'SAVINGS_OFFICE' },
      userErrors: [{ field: ['input', 'person'], code: 'INVALID' }],
    });
    expect(await assign({ unit: UNKNOWN, person: secondClerk.personId })).toEqual({ bankUnit: null, userErrors: [{ field: ['input', 'unit'], code: 'NOT_FOUND' }] });
    expect(await assign({ unit: 'unit-1', person: secondClerk.personId })).toEqual({ bankUnit: null, userErrors: [{ field: ['input', 'unit'], code: 'INVALID' }] });

    const SET = `mutation ($input: DepositRuleSetInput!) { depositRuleSet(input: $input) { rule { category pointsPerHour } userErrors { field code } } }`;
    const set = async (input: Record<string, unknown>) =>
      (await run<{ depositRuleSet: { rule: { category: string; pointsPerHour: number } | null; userErrors: UserErrorShape[] } }>(bed, SET, viewers.admin, { input }))
        .depositRuleSet;
    const category = `payload_${newId().slice(-8).replace(/-/g, '')}`;
    // No rule for the category yet: nothing to show.
    expect(await set({ bank: DEMO_BANK.head.id, category, pointsPerHour: 0 })).toEqual({ rule: null, userErrors: [{ field: ['input', 'pointsPerHour'], code: 'INVALID' }] });
    expect(await set({ bank: DEMO_BANK.head.id, category, pointsPerHour: 12 })).toEqual({ rule: { category, pointsPerHour: 12 }, userErrors: [] });
    expect(await set({ bank: DEMO_BANK.head.id, category, pointsPerHour: 10_001 })).toEqual({
      rule: { category, pointsPerHour: 12 },
      userErrors: [{ field: ['input', 'pointsPerHour'], code: 'INVALID' }],
    });
  });
});
