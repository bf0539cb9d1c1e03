/**
 * The analysts' questions about the bank, through the gateway with an
 * analyst token, with figures checked against the demo data read straight
 * from the points tables: (iii) points deposited vs redeemed per savings
 * office per month, (vi) redemptions per merchant per week, (viii) fund
 * contributions by source per quarter. The demo's deposits come from its
 * service records' events, applied before the first answer; the redemptions
 * are made here by a merchant's till through `redemptionCreate`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, rowsOf } from '@lianxin/shared';
import { DEMO_SAMPLE_PERSON_ID, demoId } from '@lianxin/shared/demo';
import { sql } from 'drizzle-orm';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import { paymentCodeFor } from './support/points.js';

/** The demo's fixed ids, as the points demo data writes them (see subgraphs/points/src/db/demo/). */
const YONGHUI = demoId(23, 1);
/** Yonghui's 挂面 1kg at 20 points and 洗衣液 2kg at 40. */
const NOODLES = demoId(24, 3);
const DETERGENT = demoId(24, 4);

let graph: TestGraph;
let analyst: string;

beforeAll(async () => {
  graph = await startTestGraph();
  analyst = await graph.token({ roles: ['analyst'] });
});
afterAll(async () => {
  await graph?.stop();
});

function data<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data as T;
}

const db = () => graph.graph.subgraphs.points.database.db;

/** The Beijing calendar day of an instant. */
const beijingDay = (at: Date | string): string => new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const monthOf = (at: Date | string): string => `${beijingDay(at).slice(0, 8)}01`;
const quarterOf = (at: Date | string): string => {
  const day = beijingDay(at);
  return `${day.slice(0, 5)}${String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
};
const weekOf = (at: Date | string): string => {
  const day = new Date(`${beijingDay(at)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
};
const dateText = (value: string | Date): string => (value instanceof Date ? value.toISOString() : value).slice(0, 10);

/** Redeems `quantity` of `item` at Yonghui from the sample volunteer 王建国's account, with Yonghui's own till token and a payment code he shows. */
async function redeemAtYonghui(item: string, quantity: number): Promise<void> {
  const paymentCode = await paymentCodeFor(graph, DEMO_SAMPLE_PERSON_ID);
  const token = await graph.token({ roles: ['merchant'], merchantId: YONGHUI });
  const made = data(
    await graph.query<{ redemptionCreate: { redemption: { status: string } | null; userErrors: { code: string }[] } }>(
      `mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { redemption { status } userErrors { code } } }`,
      { variables: { input: { paymentCode, merchant: YONGHUI, items: [{ item, quantity }], idempotencyKey: newId() } }, token },
    ),
  );
  expect(made.redemptionCreate).toEqual({ redemption: { status: 'CAPTURED' }, userErrors: [] });
}

const DEPOSITED_VS_REDEEMED = `query {
  pointsFlowStats(groupBy: { unit: SAVINGS_OFFICE, period: MONTH }) {
    total { deposited deposits redeemed redemptions reversed }
    buckets { unit { id name kind } period { start end } figures { deposited deposits redeemed redemptions reversed } }
  }
}`;

interface FlowFigures {
  deposited: number;
  deposits: number;
  redeemed: number;
  redemptions: number;
  reversed: number;
}
interface FlowAnswer {
  pointsFlowStats: {
    total: FlowFigures;
    buckets: { unit: { id: string; name: string; kind: string }; period: { start: string | Date; end: string | Date }; figures: FlowFigures }[];
  };
}

/** Deposits, redemptions and reversals per office and Beijing month, from the ledger's rows and the accounts' offices, as an analyst would by hand. */
async function expectedFlows(): Promise<Map<string, FlowFigures>> {
  const accounts = new Map(
    (await rowsOf<{ id: string; kind: string; office_id: string | null }>(db(), sql`select id, kind, office_id from points.accounts`)).map((row) => [row.id, row]),
  );
  const transfers = await rowsOf<{ cause: string; amount: string; debit_account_id: string; credit_account_id: string; created_at: string | Date }>(
    db(),
    sql`select cause, amount::text as amount, debit_account_id, credit_account_id, created_at from points.transfers`,
  );
  const flows = new Map<string, FlowFigures>();
  const add = (accountId: string, at: string | Date, change: Partial<FlowFigures>) => {
    const account = accounts.get(accountId);
    if (account?.kind !== 'customer') return;
    const key = `${account.office_id}|${monthOf(at)}`;
    const figures = flows.get(key) ?? { deposited: 0, deposits: 0, redeemed: 0, redemptions: 0, reversed: 0 };
    for (const [name, value] of Object.entries(change) as [keyof FlowFigures, number][]) figures[name] += value;
    flows.set(key, figures);
  };
  for (const transfer of transfers) {
    const amount = Number(transfer.amount);
    // Every transfer makes a bucket for the office and month of each customer it touches (openings and adjustments too), with nothing in these figures.
    add(transfer.credit_account_id, transfer.created_at, {});
    add(transfer.debit_account_id, transfer.created_at, {});
    if (transfer.cause === 'service_record') add(transfer.credit_account_id, transfer.created_at, { deposited: amount, deposits: 1 });
    else if (transfer.cause === 'redemption') add(transfer.debit_account_id, transfer.created_at, { redeemed: amount, redemptions: 1 });
    else if (transfer.cause === 'reversal') add(transfer.debit_account_id, transfer.created_at, { reversed: amount });
  }
  return flows;
}

describe('(iii) points deposited vs redeemed per savings office per month', () => {
  it('answers with the ledger’s figures for every office and month, each office named through the graph', async () => {
    await redeemAtYonghui(NOODLES, 2);
    const answer = data(await graph.query<FlowAnswer>(DEPOSITED_VS_REDEEMED, { token: analyst })).pointsFlowStats;
    const expected = await expectedFlows();
    expect(new Map(answer.buckets.map((bucket) => [`${bucket.unit.id}|${dateText(bucket.period.start)}`, bucket.figures]))).toEqual(expected);
    for (const bucket of answer.buckets) {
      expect(bucket.unit.kind).toBe('SAVINGS_OFFICE');
      expect(bucket.unit.name).toMatch(/储蓄所$/);
    }
    const sum = (name: keyof FlowFigures) => [...expected.values()].reduce((total, figures) => total + figures[name], 0);
    expect(answer.total).toEqual({ deposited: sum('deposited'), deposits: sum('deposits'), redeemed: sum('redeemed'), redemptions: sum('redemptions'), reversed: sum('reversed') });
    // The demo's service records were deposited from their events; the redemption just made is this month's at Xingle.
    expect(answer.total.deposits).toBeGreaterThan(0);
    const xingleNow = answer.buckets.find((bucket) => bucket.unit.name === '兴乐社区储蓄所' && dateText(bucket.period.start) === monthOf(new Date()));
    expect(xingleNow?.figures.redeemed).toBeGreaterThanOrEqual(40);
  });

  it('is refused to a volunteer and a merchant’s till, and asks an anonymous caller to sign in', async () => {
    for (const token of [await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID }), await graph.token({ roles: ['merchant'], merchantId: YONGHUI })]) {
      expect((await graph.query(DEPOSITED_VS_REDEEMED, { token })).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
    expect((await graph.query(DEPOSITED_VS_REDEEMED)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

const REDEMPTIONS_PER_WEEK = `query {
  redemptionStats(groupBy: { merchant: true, period: WEEK }) {
    total { redemptions points items }
    buckets { merchant { id name } period { start end } figures { redemptions points items } }
  }
}`;

interface RedemptionFigures {
  redemptions: number;
  points: number;
  items: number;
}
interface RedemptionAnswer {
  redemptionStats: {
    total: RedemptionFigures;
    buckets: { merchant: { id: string; name: string }; period: { start: string | Date; end: string | Date }; figures: RedemptionFigures }[];
  };
}

async function redemptionsPerWeek(): Promise<RedemptionAnswer['redemptionStats']> {
  return data(await graph.query<RedemptionAnswer>(REDEMPTIONS_PER_WEEK, { token: analyst })).redemptionStats;
}

describe('(vi) redemptions per merchant per week', () => {
  it('counts the captured redemptions of each merchant and week, as the redemptions table holds them', async () => {
    const before = await redemptionsPerWeek();
    await redeemAtYonghui(NOODLES, 1);
    await redeemAtYonghui(DETERGENT, 2);
    const answer = await redemptionsPerWeek();

    const rows = await rowsOf<{ merchant_id: string; status: string; total_points: string; item_count: number; resolved_at: string | Date | null }>(
      db(),
      sql`select merchant_id, status, total_points::text as total_points, item_count, resolved_at from points.redemptions`,
    );
    const expected = new Map<string, RedemptionFigures>();
    for (const row of rows.filter((redemption) => redemption.status === 'captured')) {
      const key = `${row.merchant_id}|${weekOf(row.resolved_at!)}`;
      const figures = expected.get(key) ?? { redemptions: 0, points: 0, items: 0 };
      expected.set(key, { redemptions: figures.redemptions + 1, points: figures.points + Number(row.total_points), items: figures.items + row.item_count });
    }
    expect(new Map(answer.buckets.map((bucket) => [`${bucket.merchant.id}|${dateText(bucket.period.start)}`, bucket.figures]))).toEqual(expected);

    // This week's Yonghui bucket grew by exactly what was just redeemed: 1 × 20 and 2 × 40 points.
    const thisWeek = (stats: RedemptionAnswer['redemptionStats']) =>
      stats.buckets.find((bucket) => bucket.merchant.id === YONGHUI && dateText(bucket.period.start) === weekOf(new Date()))?.figures ?? { redemptions: 0, points: 0, items: 0 };
    const [was, now] = [thisWeek(before), thisWeek(answer)];
    expect({ redemptions: now.redemptions - was.redemptions, points: now.points - was.points, items: now.items - was.items }).toEqual({ redemptions: 2, points: 100, items: 3 });
    expect(answer.total.points - before.total.points).toBe(100);
    const week = answer.buckets.find((bucket) => bucket.merchant.id === YONGHUI && dateText(bucket.period.start) === weekOf(new Date()))!;
    expect(week.merchant.name).toBe('永辉超市新城店');
    const start = new Date(`${dateText(week.period.start)}T00:00:00Z`);
    expect(start.getUTCDay()).toBe(1);
    expect((new Date(`${dateText(week.period.end)}T00:00:00Z`).getTime() - start.getTime()) / 86_400_000).toBe(6);
  });
});

const CONTRIBUTIONS_PER_QUARTER = `query {
  fundStats(groupBy: { source: true, period: QUARTER }) {
    total { contributed contributions disbursed disbursements }
    buckets { source period { start end } figures { contributed contributions disbursed disbursements } }
  }
}`;

interface FundFigures {
  contributed: number;
  contributions: number;
  disbursed: number;
  disbursements: number;
}
interface FundAnswer {
  fundStats: { total: FundFigures; buckets: { source: string | null; period: { start: string | Date; end: string | Date }; figures: FundFigures }[] };
}

describe('(viii) fund contributions by source per quarter', () => {
  it('gives each source’s contributions per quarter and the disbursements apart, as the fund’s statement holds them', async () => {
    const answer = data(await graph.query<FundAnswer>(CONTRIBUTIONS_PER_QUARTER, { token: analyst })).fundStats;
    const entries = await rowsOf<{ kind: string; amount: string; source: string | null; created_at: string | Date }>(
      db(),
      sql`select kind, amount::text as amount, source, created_at from points.fund_entries`,
    );
    const expected = new Map<string, FundFigures>();
    for (const entry of entries) {
      const key = `${entry.source?.toUpperCase() ?? null}|${quarterOf(entry.created_at)}`;
      const figures = expected.get(key) ?? { contributed: 0, contributions: 0, disbursed: 0, disbursements: 0 };
      if (entry.kind === 'contribution') expected.set(key, { ...figures, contributed: figures.contributed + Number(entry.amount), contributions: figures.contributions + 1 });
      else expected.set(key, { ...figures, disbursed: figures.disbursed + Number(entry.amount), disbursements: figures.disbursements + 1 });
    }
    expect(new Map(answer.buckets.map((bucket) => [`${bucket.source}|${dateText(bucket.period.start)}`, bucket.figures]))).toEqual(expected);

    // The demo fund's four contributions (四个一点), in fen, whatever quarters they fell in.
    const bySource = new Map<string | null, number>();
    for (const bucket of answer.buckets) bySource.set(bucket.source, (bySource.get(bucket.source) ?? 0) + bucket.figures.contributed);
    expect(Object.fromEntries([...bySource].filter(([source]) => source !== null))).toEqual({ SPONSORING_UNIT: 500_000, COMPANY: 2_000_000, PUBLIC: 86_000, RESIDENTS: 32_000 });
    expect(answer.total.contributed).toBe(2_618_000);
    expect(answer.total.contributions).toBe(4);
    for (const bucket of answer.buckets) expect(bucket.source === null).toBe(bucket.figures.contributions === 0);
  });
});
