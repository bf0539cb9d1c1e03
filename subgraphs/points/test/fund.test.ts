/** The charity fund (尚善公益基金): money in fen, fed four ways, paying for service requests, never below zero. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_FUND } from '../src/db/demo.js';
import { codeOf, expectBooksToBalance, run, startPoints, viewers, type PointsTestBed, type UserErrorShape } from './support.js';

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

const demoBalance = DEMO_FUND.entries.reduce((sum, entry) => sum + (entry.kind === 'contribution' ? entry.amount : -entry.amount), 0);

interface EntryShape {
  line: number;
  kind: string;
  amount: number;
  balanceAfter: number;
  source: string | null;
  contributor: string | null;
  serviceRequest: { id: string } | null;
}

const ENTRY = 'line kind amount balanceAfter source contributor serviceRequest { id }';

async function newFund(name = `测试基金 ${newId()}`): Promise<string> {
  const data = await run<{ fundCreate: { fund: { id: string; balance: number } } }>(
    bed,
    `mutation ($input: FundCreateInput!) { fundCreate(input: $input) { fund { id balance } userErrors { code } } }`,
    viewers.admin,
    { input: { bank: DEMO_BANK.head.id, name } },
  );
  return data.fundCreate.fund.id;
}

const CONTRIBUTE = `mutation ($input: FundContributeInput!) { fundContribute(input: $input) { entry { ${ENTRY} } fund { balance } userErrors { field code message } } }`;
const DISBURSE = `mutation ($input: FundDisburseInput!) { fundDisburse(input: $input) { entry { ${ENTRY} } fund { balance } userErrors { field code message } } }`;

type MovePayload = { entry: EntryShape | null; fund: { balance: number } | null; userErrors: UserErrorShape[] };

const contribute = async (input: Record<string, unknown>, viewer = viewers.clerk) =>
  (await run<{ fundContribute: MovePayload }>(bed, CONTRIBUTE, viewer, { input })).fundContribute;
const disburse = async (input: Record<string, unknown>, viewer = viewers.clerk) => (await run<{ fundDisburse: MovePayload }>(bed, DISBURSE, viewer, { input })).fundDisburse;

describe('the charity fund', () => {
  it('shows its statement to its bank’s staff: newest line first, with balances after and sources', async () => {
    const data = await run<{ fund: { name: string; balance: number; statement: { totalCount: number; edges: { node: EntryShape }[] } } }>(
      bed,
      `query ($id: ID!) { fund(id: $id) { name balance statement(first: 10) { totalCount edges { node { ${ENTRY} } } } } }`,
      viewers.clerk,
      { id: DEMO_FUND.id },
    );
    expect(data.fund).toMatchObject({ name: '尚善公益基金', balance: demoBalance });
    expect(data.fund.statement.totalCount).toBe(DEMO_FUND.entries.length);
    // What the fund paid for the demo's requests follows from requests' events, which this subgraph alone does not read.
    expect(data.fund.statement.edges[0]!.node).toEqual({
      line: 4,
      kind: 'CONTRIBUTION',
      amount: 32_000,
      balanceAfter: demoBalance,
      source: 'RESIDENTS',
      contributor: '兴乐社区居民',
      serviceRequest: null,
    });
    expect(data.fund.statement.edges.map((edge) => edge.node.source)).toEqual(['RESIDENTS', 'PUBLIC', 'COMPANY', 'SPONSORING_UNIT']);
  });

  it('shows its name and balance to anyone signed in, and its statement only to its bank’s staff', async () => {
    const statement = `query ($id: ID!) { fund(id: $id) { statement { totalCount } } }`;
    for (const viewer of [viewers.wang, viewers.yonghui, viewers.communityAdmin, viewers.unassignedClerk, viewers.analyst]) {
      expect(codeOf(await bed.points.execute(statement, { variables: { id: DEMO_FUND.id }, viewer }))).toBe('FORBIDDEN');
    }
    const open = await run<{ fund: { name: string; balance: number } }>(bed, `query ($id: ID!) { fund(id: $id) { name balance } }`, viewers.wang, { id: DEMO_FUND.id });
    expect(open.fund.name).toBe('尚善公益基金');
    expect(codeOf(await bed.points.execute(`query ($id: ID!) { fund(id: $id) { name } }`, { variables: { id: DEMO_FUND.id } }))).toBe('UNAUTHENTICATED');
    const listed = await run<{ funds: { edges: { node: { id: string } }[] } }>(bed, `{ funds { edges { node { id } } } }`, viewers.zhang);
    expect(listed.funds.edges.map((edge) => edge.node.id)).toContain(DEMO_FUND.id);
  });

  it('takes contributions from its four sources, named or anonymous', async () => {
    const fund = await newFund();
    const named = await contribute({ fund, source: 'COMPANY', contributor: '永辉超市', amount: 20_000_00, memo: '共建' });
    expect(named).toMatchObject({
      entry: { line: 1, kind: 'CONTRIBUTION', amount: 2_000_000, balanceAfter: 2_000_000, source: 'COMPANY', contributor: '永辉超市' },
      fund: { balance: 2_000_000 },
    });
    const anonymous = await contribute({ fund, source: 'PUBLIC', amount: 5_000 });
    expect(anonymous.entry).toMatchObject({ line: 2, contributor: null, balanceAfter: 2_005_000 });
    for (const [input, field] of [
      [{ fund, source: 'RESIDENTS', amount: 0 }, 'amount'],
      [{ fund, source: 'RESIDENTS', amount: 12.5 }, 'amount'],
      [{ fund: 'shangshan', source: 'RESIDENTS', amount: 100 }, 'fund'],
    ] as const) {
      const refused = await bed.points.execute(CONTRIBUTE, { variables: { input }, viewer: viewers.clerk });
      // A fractional amount is not even a Money: GraphQL refuses it before the service sees it.
      if (refused.errors) expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      else expect((refused.data as { fundContribute: MovePayload }).fundContribute.userErrors.map((error) => error.field)).toEqual([['input', field]]);
    }
  });

  it('pays for a service request once: a replay returns the first payment, another amount is a conflict', async () => {
    const fund = await newFund();
    await contribute({ fund, source: 'SPONSORING_UNIT', amount: 10_000 });
    const serviceRequest = newId();
    const paid = await disburse({ fund, serviceRequest, amount: 3_000, memo: '材料费' });
    expect(paid).toMatchObject({ entry: { kind: 'DISBURSEMENT', amount: 3_000, balanceAfter: 7_000, serviceRequest: { id: serviceRequest } }, userErrors: [] });
    expect(await disburse({ fund, serviceRequest, amount: 3_000 })).toEqual(paid);
    const other = await disburse({ fund, serviceRequest, amount: 4_000 });
    expect(other.userErrors.map(({ field, code }) => ({ field, code }))).toEqual([{ field: ['input', 'serviceRequest'], code: 'IDEMPOTENCY_CONFLICT' }]);
    const elsewhere = await disburse({ fund: await newFund(), serviceRequest, amount: 3_000 }, viewers.admin);
    expect(elsewhere.userErrors.map((error) => error.code)).toEqual(['IDEMPOTENCY_CONFLICT']);
  });

  it('never pays out more than it holds, even when payments race', async () => {
    const fund = await newFund();
    await contribute({ fund, source: 'RESIDENTS', amount: 1_000 });
    const results = await Promise.all(Array.from({ length: 10 }, () => disburse({ fund, serviceRequest: newId(), amount: 150 })));
    expect(results.filter((result) => result.entry !== null)).toHaveLength(6);
    expect(results.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(Array.from({ length: 4 }, () => 'INSUFFICIENT_FUNDS'));
    const left = await run<{ fund: { balance: number } }>(bed, `query ($id: ID!) { fund(id: $id) { balance } }`, viewers.clerk, { id: fund });
    expect(left.fund.balance).toBe(100);
  });

  it('is kept by its bank’s clerks and platform admins only', async () => {
    const input = { fund: DEMO_FUND.id, source: 'PUBLIC', amount: 100 };
    const disbursal = { fund: DEMO_FUND.id, serviceRequest: newId(), amount: 1 };
    for (const viewer of [viewers.communityAdmin, viewers.yonghui, viewerOf({ roles: ['resident'], personId: newId() })]) {
      expect(codeOf(await bed.points.execute(CONTRIBUTE, { variables: { input }, viewer }))).toBe('FORBIDDEN');
      expect(codeOf(await bed.points.execute(DISBURSE, { variables: { input: disbursal }, viewer }))).toBe('FORBIDDEN');
    }
    // A clerk of no unit of the fund's bank sees the fund (funds are open to anyone signed in) and may not keep its books.
    const notAllowed = [{ field: ['input', 'fund'], code: 'NOT_ALLOWED', message: "Only the fund's bank staff and platform admins keep its books." }];
    expect((await run<{ fundContribute: MovePayload }>(bed, CONTRIBUTE, viewers.unassignedClerk, { input })).fundContribute.userErrors).toEqual(notAllowed);
    expect((await run<{ fundDisburse: MovePayload }>(bed, DISBURSE, viewers.unassignedClerk, { input: disbursal })).fundDisburse.userErrors).toEqual(notAllowed);
    expect((await contribute(input, viewers.admin)).userErrors).toEqual([]);
    const twice = await bed.points.execute(`mutation { fundCreate(input: { bank: "${DEMO_BANK.head.id}", name: "尚善公益基金" }) { fund { id } userErrors { field code } } }`, {
      viewer: viewers.admin,
    });
    expect(twice.data).toEqual({ fundCreate: { fund: null, userErrors: [{ field: ['input', 'name'], code: 'ALREADY_EXISTS' }] } });
    expect(codeOf(await bed.points.execute(`mutation { fundCreate(input: { bank: "${DEMO_BANK.head.id}", name: "x" }) { fund { id } } }`, { viewer: viewers.clerk }))).toBe(
      'FORBIDDEN',
    );
  });
});
