/**
 * Who may see and do what in the bank, as one matrix: every kind of viewer
 * against every kind of read and write. A cell is `ok` when the operation
 * passes authorisation (it may still be refused as a business matter), the
 * top-level code it is stopped with (FORBIDDEN also for an object the viewer
 * may not see, as for one that does not exist), or `NOT_ALLOWED` when the
 * viewer sees the object but may not act on it this way.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ANONYMOUS, newId, type Viewer } from '@lianxin/shared';
import { DEMO_BANK, DEMO_FUND, DEMO_MERCHANTS } from '../src/db/demo.js';
import { expectBooksToBalance, knownRecord, redemption, run, startPoints, viewers, wang, wangAccount, yonghuiItem, type PointsTestBed } from './support.js';

let bed: PointsTestBed;
let wangsRedemption: string;
let soldOut: string;
/** A record of 王建国's too short for a point: a deposit that passes the gate is refused as business. */
let wangsRecord: string;

beforeAll(async () => {
  bed = await startPoints();
  const item = await yonghuiItem(bed, 5, 10);
  const made = await redemption(
    bed,
    'redemptionCreate',
    { passbookNumber: wangAccount.passbookNumber, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: `access-${newId()}` },
    viewers.yonghui,
  );
  wangsRedemption = made.redemption!.id;
  soldOut = await yonghuiItem(bed, 5, 0);
  wangsRecord = await knownRecord(bed, wang.id, 11, 'other');
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

const VIEWERS: Record<string, Viewer> = {
  anonymous: ANONYMOUS,
  customer: viewers.wang,
  otherCustomer: viewers.zhang,
  merchant: viewers.yonghui,
  otherMerchant: viewers.charity,
  clerk: viewers.clerk,
  clerkElsewhere: viewers.unassignedClerk,
  platformAdmin: viewers.admin,
  analyst: viewers.analyst,
  communityAdmin: viewers.communityAdmin,
};

/** Runs `query` as `viewer`; ok unless a top-level error stops it or a mutation refuses the viewer's authority over what it names. */
async function outcome(viewer: Viewer, query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const result = await bed.points.execute(query, { variables, viewer });
  const code = result.errors?.[0]?.extensions?.['code'];
  if (code !== undefined) return typeof code === 'string' ? code : JSON.stringify(code);
  const payload = Object.values(result.data ?? {})[0] as { userErrors?: { code: string }[] } | null;
  return payload?.userErrors?.find((error) => error.code === 'NOT_ALLOWED' || error.code === 'NOT_FOUND')?.code ?? 'ok';
}

const yonghui = DEMO_MERCHANTS.yonghui.id;

/** Each operation, run as a viewer; mutations are shaped to be refused as business after they pass the gate, so the matrix leaves the books as they were. */
const OPERATIONS: Record<string, (viewer: Viewer) => Promise<string>> = {
  "read the customer's account": (viewer) => outcome(viewer, `query ($id: ID!) { account(id: $id) { balance } }`, { id: wangAccount.id }),
  "read the customer's passbook": (viewer) => outcome(viewer, `query ($id: ID!) { account(id: $id) { transfers(first: 5) { totalCount } } }`, { id: wangAccount.id }),
  "read the customer's redemption": (viewer) => outcome(viewer, `query ($id: ID!) { redemption(id: $id) { memberId totalPoints } }`, { id: wangsRedemption }),
  "read the redemption's customer account": (viewer) => outcome(viewer, `query ($id: ID!) { redemption(id: $id) { account { balance } } }`, { id: wangsRedemption }),
  "read the merchant's redemptions": (viewer) =>
    outcome(viewer, `query ($id: ID!) { merchant(id: $id) { redemptions(first: 5) { edges { node { memberId } } } } }`, { id: yonghui }),
  "read the merchant's settlement": (viewer) =>
    outcome(viewer, `query ($id: ID!) { merchant(id: $id) { settlement(period: { from: "2026-01-01", to: "2026-12-31" }) { points } } }`, { id: yonghui }),
  "read the merchant's account": (viewer) => outcome(viewer, `query ($id: ID!) { merchant(id: $id) { account { balance } } }`, { id: yonghui }),
  "read the merchant's catalogue": (viewer) => outcome(viewer, `query ($id: ID!) { merchant(id: $id) { catalog { edges { node { name pricePoints stock } } } } }`, { id: yonghui }),
  'read the bank tree': (viewer) => outcome(viewer, `{ bankUnits { edges { node { name children { edges { node { name } } } } } } }`),
  "read the fund's balance": (viewer) => outcome(viewer, `query ($id: ID!) { fund(id: $id) { balance } }`, { id: DEMO_FUND.id }),
  "read the fund's statement": (viewer) => outcome(viewer, `query ($id: ID!) { fund(id: $id) { statement { totalCount } } }`, { id: DEMO_FUND.id }),
  'redeem at the merchant': (viewer) =>
    outcome(viewer, `mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { userErrors { code } } }`, {
      input: { passbookNumber: wangAccount.passbookNumber, merchant: yonghui, items: [{ item: soldOut, quantity: 1 }], idempotencyKey: `access-${newId()}` },
    }),
  'deposit for the customer': (viewer) =>
    outcome(viewer, `mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { userErrors { code } } }`, {
      input: { serviceRecord: wangsRecord },
    }),
  'open an account for the customer': (viewer) =>
    outcome(viewer, `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { userErrors { code } } }`, {
      input: { holder: wang.id, office: DEMO_BANK.xingleOffice.id },
    }),
};

const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
const N = 'NOT_ALLOWED';

/** Columns: anonymous, customer, otherCustomer, merchant, otherMerchant, clerk, clerkElsewhere, platformAdmin, analyst, communityAdmin. */
const EXPECTED: Record<string, string[]> = {
  "read the customer's account": [U, 'ok', F, F, F, 'ok', F, 'ok', F, F],
  "read the customer's passbook": [U, 'ok', F, F, F, 'ok', F, 'ok', F, F],
  "read the customer's redemption": [U, 'ok', F, 'ok', F, 'ok', F, 'ok', F, F],
  "read the redemption's customer account": [U, 'ok', F, F, F, 'ok', F, 'ok', F, F],
  "read the merchant's redemptions": [U, F, F, 'ok', F, 'ok', F, 'ok', F, F],
  "read the merchant's settlement": [U, F, F, 'ok', F, 'ok', F, 'ok', F, F],
  "read the merchant's account": [U, F, F, 'ok', F, 'ok', F, 'ok', F, F],
  "read the merchant's catalogue": ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  'read the bank tree': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  "read the fund's balance": [U, 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  "read the fund's statement": [U, F, F, F, F, 'ok', F, 'ok', F, F],
  // Another merchant's till is stopped by its token; clerks see the (public) merchant, and do not run its till.
  'redeem at the merchant': [U, F, F, 'ok', F, N, N, 'ok', F, F],
  // A clerk who does not serve the customer's office learns nothing of the record: the answer for an unknown one.
  'deposit for the customer': [U, F, F, F, F, 'ok', F, 'ok', F, F],
  // The customer may open their own; of everyone else, only the staff who serve the office (a clerk elsewhere sees the office, and may not open there).
  'open an account for the customer': [U, 'ok', F, F, F, 'ok', N, 'ok', F, F],
};

describe('the authorisation matrix', () => {
  it('lets each kind of viewer do exactly what the bank allows', async () => {
    const names = Object.keys(VIEWERS);
    const actual: Record<string, Record<string, string>> = {};
    const expected: Record<string, Record<string, string>> = {};
    for (const [operation, perform] of Object.entries(OPERATIONS)) {
      actual[operation] = {};
      expected[operation] = {};
      for (const [index, name] of names.entries()) {
        actual[operation][name] = await perform(VIEWERS[name]!);
        expected[operation][name] = EXPECTED[operation]![index]!;
      }
    }
    expect(actual).toEqual(expected);
    // Nothing in the matrix moved a point: 王建国 still has his opening points less the one redemption.
    const balance = await run<{ account: { balance: number } }>(bed, `query ($id: ID!) { account(id: $id) { balance } }`, viewers.admin, { id: wangAccount.id });
    expect(balance.account.balance).toBe(wangAccount.openingPoints - 5);
  });
});
