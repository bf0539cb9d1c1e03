/**
 * The bank's statistics: points moved per bank unit and period (the demo's
 * opening points, and today's deposits, redemptions and a reversal made here
 * through the graph), captured redemptions per merchant, the charity fund's
 * contributions per source; who may ask and over what; refusals of a
 * malformed question; one statement each.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { countStatements } from '@lianxin/shared/testing';
import { DEMO_ACCOUNTS, DEMO_BANK, DEMO_FUND, DEMO_MERCHANTS, DEMO_MORE_ACCOUNTS } from '../src/db/demo.js';
import { codeOf, customerWith, expectBooksToBalance, knownRecord, redemption, run, startPoints, viewers, yonghuiItem, type PointsTestBed, type UserErrorShape } from './support.js';

let bed: PointsTestBed;

/** Today in Beijing, the day of everything this file does. */
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  bed = await startPoints();
  // At the Xingle office, today: deposits of 120 and 50 points, one of 30 reversed, and two redemptions at Yonghui (2 × 40 and 1 × 40); a hold that is not captured.
  const first = await customerWith(bed, 120);
  const second = await customerWith(bed, 50);
  const record = await knownRecord(bed, second.personId, 90, 'home_repair');
  const deposited = await run<{ pointsDeposit: { deposit: { points: number; transfer: { id: string } } | null } }>(
    bed,
    `mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { deposit { points transfer { id } } } }`,
    viewers.clerk,
    { input: { serviceRecord: record } },
  );
  expect(deposited.pointsDeposit.deposit?.points).toBe(30);
  const reversed = await run<{ transferReverse: { reversal: { amount: number } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: TransferReverseInput!) { transferReverse(input: $input) { reversal { amount } userErrors { field code message } } }`,
    viewers.clerk,
    { input: { transfer: deposited.pointsDeposit.deposit!.transfer.id, reason: '记录有误' } },
  );
  expect(reversed.transferReverse).toEqual({ reversal: { amount: 30 }, userErrors: [] });
  const item = await yonghuiItem(bed, 40, 10);
  const merchant = DEMO_MERCHANTS.yonghui.id;
  for (const [customer, quantity] of [
    [first, 2],
    [second, 1],
  ] as const) {
    const made = await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: customer.passbookNumber, merchant, items: [{ item, quantity }], idempotencyKey: newId() },
      viewers.yonghui,
    );
    expect(made.redemption?.status).toBe('CAPTURED');
  }
  const held = await redemption(
    bed,
    'redemptionHold',
    { passbookNumber: first.passbookNumber, merchant, items: [{ item, quantity: 1 }], idempotencyKey: newId() },
    viewers.yonghui,
  );
  expect(held.redemption?.status).toBe('HELD');
});
afterEach(() => expectBooksToBalance(bed));
afterAll(async () => {
  await bed?.stop();
});

const FLOW = `query ($f: PointsFlowStatsFilter, $g: PointsFlowGrouping) { pointsFlowStats(filter: $f, groupBy: $g) {
  total { deposited deposits redeemed redemptions reversed reversals opened adjusted net }
  buckets { unit { id kind } period { bucket start end } figures { deposited deposits redeemed redemptions reversed reversals opened adjusted net } }
} }`;
const REDEMPTIONS = `query ($f: RedemptionStatsFilter, $g: RedemptionGrouping) { redemptionStats(filter: $f, groupBy: $g) {
  total { redemptions points items }
  buckets { merchant { id name } period { bucket start end } figures { redemptions points items } }
} }`;
const FUNDS = `query ($f: FundStatsFilter, $g: FundGrouping) { fundStats(filter: $f, groupBy: $g) {
  total { contributed contributions disbursed disbursements }
  buckets { fund { id } source period { bucket start end } figures { contributed contributions disbursed disbursements } }
} }`;

interface FlowFigures {
  deposited: number;
  deposits: number;
  redeemed: number;
  redemptions: number;
  reversed: number;
  reversals: number;
  opened: number;
  adjusted: number;
  net: number;
}
type Period = { bucket: string; start: string | Date; end: string | Date } | null;
interface Flow {
  pointsFlowStats: { total: FlowFigures; buckets: { unit: { id: string; kind: string } | null; period: Period; figures: FlowFigures }[] };
}
interface Redemptions {
  redemptionStats: {
    total: { redemptions: number; points: number; items: number };
    buckets: { merchant: { id: string; name: string } | null; period: Period; figures: { redemptions: number; points: number; items: number } }[];
  };
}
interface FundFigures {
  contributed: number;
  contributions: number;
  disbursed: number;
  disbursements: number;
}
interface Funds {
  fundStats: { total: FundFigures; buckets: { fund: { id: string } | null; source: string | null; period: Period; figures: FundFigures }[] };
}

const day = (value: string | Date): string => (value instanceof Date ? value.toISOString() : value).slice(0, 10);
const ZERO: FlowFigures = { deposited: 0, deposits: 0, redeemed: 0, redemptions: 0, reversed: 0, reversals: 0, opened: 0, adjusted: 0, net: 0 };
const TODAY_AT_XINGLE: FlowFigures = { deposited: 200, deposits: 3, redeemed: 120, redemptions: 2, reversed: 30, reversals: 1, opened: 0, adjusted: 0, net: 50 };

/** The demo's opening points per savings office, from the accounts the demo data opens. */
function openedPerOffice(): Map<string, number> {
  const opened = new Map<string, number>();
  for (const account of [...DEMO_ACCOUNTS, ...DEMO_MORE_ACCOUNTS]) opened.set(account.officeId, (opened.get(account.officeId) ?? 0) + account.openingPoints);
  return opened;
}

describe('pointsFlowStats', () => {
  it('counts today’s deposits, redemptions and reversal at the Xingle office, in today’s bucket of the month', async () => {
    const data = await run<Flow>(bed, FLOW, viewers.analyst, { f: { from: today, to: today }, g: { unit: 'SAVINGS_OFFICE', period: 'MONTH' } });
    expect(data.pointsFlowStats.total).toEqual(TODAY_AT_XINGLE);
    expect(data.pointsFlowStats.buckets).toHaveLength(1);
    const [bucket] = data.pointsFlowStats.buckets;
    const first = `${today.slice(0, 8)}01`;
    const last = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).toISOString().slice(0, 10);
    expect({ ...bucket!, period: { ...bucket!.period!, start: day(bucket!.period!.start), end: day(bucket!.period!.end) } }).toEqual({
      unit: { id: DEMO_BANK.xingleOffice.id, kind: 'SAVINGS_OFFICE' },
      period: { bucket: 'MONTH', start: first, end: last },
      figures: TODAY_AT_XINGLE,
    });
  });

  it('counts the demo’s opening points at each office, and adds them up by branch and head bank', async () => {
    const opened = openedPerOffice();
    const offices = await run<Flow>(bed, FLOW, viewers.analyst, { g: { unit: 'SAVINGS_OFFICE' } });
    const expected = new Map([...opened].map(([office, points]) => [office, { ...ZERO, opened: points, net: points }]));
    const xingle = expected.get(DEMO_BANK.xingleOffice.id)!;
    expected.set(DEMO_BANK.xingleOffice.id, { ...TODAY_AT_XINGLE, opened: xingle.opened, net: xingle.opened + TODAY_AT_XINGLE.net });
    expect(new Map(offices.pointsFlowStats.buckets.map((bucket) => [bucket.unit!.id, bucket.figures]))).toEqual(expected);
    expect(offices.pointsFlowStats.buckets.map((bucket) => bucket.unit!.id)).toEqual([...expected.keys()].sort());
    const everything = [...opened.values()].reduce((sum, points) => sum + points, 0);
    const total = { ...TODAY_AT_XINGLE, opened: everything, net: everything + TODAY_AT_XINGLE.net };
    expect(offices.pointsFlowStats.total).toEqual(total);

    const banks = await run<Flow>(bed, FLOW, viewers.analyst, { g: { unit: 'HEAD_BANK' } });
    expect(banks.pointsFlowStats.buckets).toEqual([{ unit: { id: DEMO_BANK.head.id, kind: 'HEAD_BANK' }, period: null, figures: total }]);
    const branches = await run<Flow>(bed, FLOW, viewers.analyst, { g: { unit: 'BRANCH' }, f: { unit: DEMO_BANK.changleBranch.id } });
    const changle = (opened.get(DEMO_BANK.zimingOffice.id) ?? 0) + (opened.get(DEMO_BANK.xiangyangOffice.id) ?? 0);
    expect(branches.pointsFlowStats.buckets).toEqual([
      { unit: { id: DEMO_BANK.changleBranch.id, kind: 'BRANCH' }, period: null, figures: { ...ZERO, opened: changle, net: changle } },
    ]);
  });

  it('cuts a clerk’s figures to the offices they serve', async () => {
    const mine = await run<Flow>(bed, FLOW, viewers.clerk, { g: { unit: 'SAVINGS_OFFICE' } });
    expect(mine.pointsFlowStats.buckets.map((bucket) => bucket.unit!.id)).toEqual([DEMO_BANK.xingleOffice.id]);
    expect(mine.pointsFlowStats.total).toEqual(mine.pointsFlowStats.buckets[0]!.figures);
    const elsewhere = await run<Flow>(bed, FLOW, viewers.clerk, { f: { unit: DEMO_BANK.zimingOffice.id } });
    expect(elsewhere.pointsFlowStats).toEqual({ total: ZERO, buckets: [] });
  });
});

describe('redemptionStats', () => {
  it('counts the captured redemptions per merchant and day, not the open hold', async () => {
    const data = await run<Redemptions>(bed, REDEMPTIONS, viewers.analyst, { g: { merchant: true, period: 'DAY' } });
    const figures = { redemptions: 2, points: 120, items: 3 };
    expect(data.redemptionStats).toEqual({
      total: figures,
      buckets: [{ merchant: { id: DEMO_MERCHANTS.yonghui.id, name: '永辉超市新城店' }, period: { bucket: 'DAY', start: expect.anything(), end: expect.anything() }, figures }],
    });
    const [bucket] = data.redemptionStats.buckets;
    expect([day(bucket!.period!.start), day(bucket!.period!.end)]).toEqual([today, today]);
    const clerk = await run<Redemptions>(bed, REDEMPTIONS, viewers.clerk, { f: { bank: DEMO_BANK.head.id, from: today } });
    expect(clerk.redemptionStats).toEqual({ total: figures, buckets: [{ merchant: null, period: null, figures }] });
    const other = await run<Redemptions>(bed, REDEMPTIONS, viewers.analyst, { f: { merchant: DEMO_MERCHANTS.charitySupermarket.id } });
    expect(other.redemptionStats).toEqual({ total: { redemptions: 0, points: 0, items: 0 }, buckets: [] });
  });
});

describe('fundStats', () => {
  it('gives the fund’s four contributions by source, and sums its quarters to the total', async () => {
    const data = await run<Funds>(bed, FUNDS, viewers.analyst, { g: { fund: true, source: true } });
    const bySource = (source: string, contributed: number) => ({
      fund: { id: DEMO_FUND.id },
      source,
      period: null,
      figures: { contributed, contributions: 1, disbursed: 0, disbursements: 0 },
    });
    expect(data.fundStats).toEqual({
      total: { contributed: 2_618_000, contributions: 4, disbursed: 0, disbursements: 0 },
      buckets: [bySource('COMPANY', 2_000_000), bySource('PUBLIC', 86_000), bySource('RESIDENTS', 32_000), bySource('SPONSORING_UNIT', 500_000)],
    });
    const quarters = await run<Funds>(bed, FUNDS, viewers.clerk, { g: { period: 'QUARTER' }, f: { fund: DEMO_FUND.id } });
    for (const { period } of quarters.fundStats.buckets) expect([1, 4, 7, 10]).toContain(Number(day(period!.start).slice(5, 7)));
    expect(quarters.fundStats.buckets.reduce((sum, bucket) => sum + bucket.figures.contributed, 0)).toBe(2_618_000);
    expect(quarters.fundStats.total).toEqual(data.fundStats.total);
    const none = await run<Funds>(bed, FUNDS, viewers.analyst, { f: { from: today } });
    expect(none.fundStats).toEqual({ total: { contributed: 0, contributions: 0, disbursed: 0, disbursements: 0 }, buckets: [] });
  });
});

describe('who may ask', () => {
  it('refuses volunteers, merchants, community admins and clerks of no unit, asks anonymous callers to sign in, and refuses a malformed question', async () => {
    for (const query of [FLOW, REDEMPTIONS, FUNDS]) {
      for (const viewer of [viewers.wang, viewers.yonghui, viewers.communityAdmin, viewers.unassignedClerk]) {
        expect(codeOf(await bed.points.execute(query, { viewer }))).toBe('FORBIDDEN');
      }
      expect(codeOf(await bed.points.execute(query, {}))).toBe('UNAUTHENTICATED');
      expect(codeOf(await bed.points.execute(query, { variables: { f: { from: '2026-12-05', to: '2026-12-01' } }, viewer: viewers.analyst }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await bed.points.execute(query, { variables: { f: { from: 'yesterday' } }, viewer: viewers.analyst }))).toBe('BAD_USER_INPUT');
    }
    for (const [query, f] of [
      [FLOW, { unit: 'xingle' }],
      [REDEMPTIONS, { merchant: 'yonghui' }],
      [REDEMPTIONS, { bank: '1' }],
      [FUNDS, { fund: 'fund' }],
    ] as const) {
      expect(codeOf(await bed.points.execute(query, { variables: { f }, viewer: viewers.admin }))).toBe('BAD_USER_INPUT');
    }
  });

  it('answers each question in one statement, however many buckets', async () => {
    for (const [query, g] of [
      [FLOW.replace('unit { id kind }', ''), { unit: 'BRANCH', period: 'DAY' }],
      [REDEMPTIONS.replace('merchant { id name }', ''), { merchant: true, period: 'WEEK' }],
      [FUNDS.replace('fund { id }', ''), { fund: true, source: true, period: 'DAY' }],
    ] as const) {
      const { result, count } = await countStatements(bed.points.analytics, () => bed.points.execute(query, { variables: { g }, viewer: viewers.analyst }));
      expect(result.errors).toBeUndefined();
      expect(count).toBe(1);
    }
  });
});
