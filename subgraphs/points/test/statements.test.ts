/** Settlement statements on real Postgres: closed once per merchant and month, lines on one statement only, confirmed, disputed, paid and announced. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { createLogger, newId, required, rowsOf, type Viewer } from '@lianxin/shared';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK } from '../src/db/demo.js';
import { pointsJobs } from '../src/jobs.js';
import { readPointsSettings } from '../src/settings.js';
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
  type PointsTestBed,
  type UserErrorShape,
} from './support.js';

let bed: PointsTestBed;
/** A clerk of the head bank unit itself. */
let headClerk: Viewer;

beforeAll(async () => {
  bed = await startPoints();
  headClerk = viewerOf({ roles: ['bank_clerk'], personId: await knownPerson(bed) });
  const assigned = await run<{ bankClerkAssign: { userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: BankClerkAssignInput!) { bankClerkAssign(input: $input) { userErrors { field code message } } }`,
    viewers.admin,
    { input: { unit: DEMO_BANK.head.id, person: headClerk.personId } },
  );
  expect(assigned.bankClerkAssign.userErrors).toEqual([]);
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

/** 10 November 2026, noon in Beijing. */
const IN_NOVEMBER = new Date('2026-11-10T04:00:00.000Z');
/** 1 December 2026, 00:00 in Beijing: November has just ended. */
const DECEMBER_FIRST = new Date('2026-11-30T16:00:00.000Z');

interface Shop {
  id: string;
  viewer: Viewer;
  rice: string;
}

async function newShop(): Promise<Shop> {
  const created = await run<{ merchantCreate: { merchant: { id: string } } }>(
    bed,
    `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id } userErrors { field code message } } }`,
    viewers.admin,
    { input: { bank: DEMO_BANK.head.id, organization: newId(), name: `statement shop ${newId()}`, alwaysOpen: true } },
  );
  const id = created.merchantCreate.merchant.id;
  // Its customers key in passbook numbers: the statement, not the payment code, is what these tests are about.
  await acceptPassbookNumbers(bed, id);
  const viewer = viewerOf({ roles: ['merchant'], merchantId: id });
  const item = await run<{ catalogItemCreate: { catalogItem: { id: string } } }>(
    bed,
    `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } userErrors { field code message } } }`,
    viewer,
    { input: { merchant: id, name: '大米', pricePoints: 10, stock: 1000 } },
  );
  return { id, viewer, rice: item.catalogItemCreate.catalogItem.id };
}

/** A captured redemption of `quantity` rice at `shop` by a new customer, at the clock's time. */
async function captured(shop: Shop, quantity: number) {
  const customer = await customerWith(bed, 1000);
  const made = await redemption(
    bed,
    'redemptionCreate',
    { passbookNumber: customer.passbookNumber, merchant: shop.id, items: [{ item: shop.rice, quantity }], idempotencyKey: `statement-${newId()}` },
    shop.viewer,
  );
  expect(made.userErrors).toEqual([]);
  return { customer, redemptionId: made.redemption!.id };
}

async function refunded(shop: Shop, redemptionId: string, quantity: number): Promise<string> {
  const data = await run<{ redemptionRefund: { refund: { id: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: RedemptionRefundInput!) { redemptionRefund(input: $input) { refund { id } userErrors { field code message } } }`,
    shop.viewer,
    { input: { redemption: redemptionId, lines: [{ item: shop.rice, quantity }], idempotencyKey: `refund-${newId()}` } },
  );
  expect(data.redemptionRefund.userErrors).toEqual([]);
  return data.redemptionRefund.refund!.id;
}

interface StatementShape {
  id: string;
  periodFrom: string;
  periodTo: string;
  status: string;
  redemptionCount: number;
  refundCount: number;
  points: number;
  refundedPoints: number;
  netPoints: number;
  fenPerPoint: number;
  amountFen: number;
  closedAt: string;
  confirmedAt: string | null;
  paidAt: string | null;
  paymentReference: string | null;
  history: { status: string }[];
  lines: { edges: { node: { id: string; kind: string; points: number; itemCount: number; memberId: string; redemption: { id: string }; refund: { id: string } | null } }[] };
}

const STATEMENT_FIELDS = `id periodFrom periodTo status redemptionCount refundCount points refundedPoints netPoints fenPerPoint amountFen closedAt
  confirmedAt paidAt paymentReference history { status }
  lines(first: 100) { edges { node { id kind points itemCount memberId redemption { id } refund { id } } } }`;

interface StatementPayload {
  statement: StatementShape | null;
  userErrors: UserErrorShape[];
}

async function close(merchant: string, month: string, viewer: Viewer = headClerk): Promise<StatementPayload> {
  const data = await run<{ settlementStatementClose: StatementPayload }>(
    bed,
    `mutation ($input: SettlementStatementCloseInput!) { settlementStatementClose(input: $input) { statement { ${STATEMENT_FIELDS} } userErrors { field code message } } }`,
    viewer,
    { input: { merchant, month } },
  );
  return data.settlementStatementClose;
}

async function step(mutation: 'settlementStatementConfirm' | 'settlementStatementMarkPaid', input: Record<string, unknown>, viewer: Viewer): Promise<StatementPayload> {
  const type = mutation === 'settlementStatementConfirm' ? 'SettlementStatementInput' : 'SettlementStatementMarkPaidInput';
  const data = await run<Record<string, StatementPayload>>(
    bed,
    `mutation ($input: ${type}!) { ${mutation}(input: $input) { statement { ${STATEMENT_FIELDS} } userErrors { field code message } } }`,
    viewer,
    { input },
  );
  return data[mutation]!;
}

interface DisputePayload {
  dispute: { id: string; reason: string; resolution: string | null; line: { id: string } } | null;
  userErrors: UserErrorShape[];
}

async function dispute(line: string, viewer: Viewer): Promise<DisputePayload> {
  const data = await run<{ settlementLineDispute: DisputePayload }>(
    bed,
    `mutation ($input: SettlementLineDisputeInput!) { settlementLineDispute(input: $input) { dispute { id reason resolution line { id } } userErrors { field code message } } }`,
    viewer,
    { input: { line, reason: '这笔不是我们店的' } },
  );
  return data.settlementLineDispute;
}

async function resolve(disputeId: string, viewer: Viewer): Promise<DisputePayload> {
  const data = await run<{ settlementLineDisputeResolve: DisputePayload }>(
    bed,
    `mutation ($input: SettlementLineDisputeResolveInput!) { settlementLineDisputeResolve(input: $input) { dispute { id reason resolution line { id } } userErrors { field code message } } }`,
    viewer,
    { input: { dispute: disputeId, resolution: '已核对,款项无误' } },
  );
  return data.settlementLineDisputeResolve;
}

async function setRate(fenPerPoint: number, viewer: Viewer = headClerk) {
  const data = await run<{ bankSettlementRateSet: { bankUnit: { id: string; fenPerPoint: number } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: BankSettlementRateSetInput!) { bankSettlementRateSet(input: $input) { bankUnit { id fenPerPoint } userErrors { field code message } } }`,
    viewer,
    { input: { bank: DEMO_BANK.head.id, fenPerPoint } },
  );
  return data.bankSettlementRateSet;
}

describe('closing a month', () => {
  it('freezes the month’s captures and refunds as lines with their totals, at the head bank’s rate, once', async () => {
    expect((await setRate(5)).bankUnit).toEqual({ id: DEMO_BANK.head.id, fenPerPoint: 5 });
    const shop = await newShop();
    bed.clock.set(IN_NOVEMBER);
    const first = await captured(shop, 3);
    const second = await captured(shop, 2);
    const refundId = await refunded(shop, first.redemptionId, 1);
    bed.clock.set(DECEMBER_FIRST);

    const closed = await close(shop.id, '2026-11');
    expect(closed.userErrors).toEqual([]);
    const statement = closed.statement!;
    expect(statement).toMatchObject({
      periodFrom: '2026-11-01',
      periodTo: '2026-11-30',
      status: 'CLOSED',
      redemptionCount: 2,
      refundCount: 1,
      points: 50,
      refundedPoints: 10,
      netPoints: 40,
      fenPerPoint: 5,
      amountFen: 200,
      confirmedAt: null,
      paidAt: null,
      history: [{ status: 'CLOSED' }],
    });
    const lines = statement.lines.edges.map((edge) => edge.node);
    expect(lines.map((line) => [line.kind, line.points, line.itemCount, line.redemption.id, line.refund?.id ?? null])).toEqual([
      ['REDEMPTION', 30, 3, first.redemptionId, null],
      ['REDEMPTION', 20, 2, second.redemptionId, null],
      ['REFUND', -10, 1, first.redemptionId, refundId],
    ]);
    // Customers appear by their member id at this merchant: the same for a capture and its refund.
    expect(lines[0]!.memberId).toMatch(/\S/);
    expect(lines[2]!.memberId).toBe(lines[0]!.memberId);
    expect(lines[1]!.memberId).not.toBe(lines[0]!.memberId);

    // Closing again, even at another rate, returns the statement as it was closed.
    await setRate(7);
    bed.clock.advance(3600 * 1000);
    const again = await close(shop.id, '2026-11', viewers.admin);
    expect(again).toEqual(closed);
    await setRate(0);

    const published = await rowsOf<{ type: string; aggregate_type: string; payload: Record<string, unknown> }>(
      bed.points.database.db,
      sql`select type, aggregate_type, payload from points.outbox where type = 'settlement.statement_closed' and aggregate_id = ${shop.id}`,
    );
    expect(published).toEqual([
      {
        type: 'settlement.statement_closed',
        aggregate_type: 'merchant',
        payload: {
          statementId: statement.id,
          merchantId: shop.id,
          bankId: DEMO_BANK.head.id,
          periodFrom: '2026-11-01',
          periodTo: '2026-11-30',
          points: 50,
          refundedPoints: 10,
          netPoints: 40,
          amountFen: 200,
          closedAt: DECEMBER_FIRST.toISOString(),
        },
      },
    ]);
  });

  it('leaves what is made after the close to the next statement, and refuses months not yet over or before the latest', async () => {
    const shop = await newShop();
    bed.clock.set(IN_NOVEMBER);
    const november = await captured(shop, 1);
    bed.clock.set(new Date('2026-11-30T15:00:00.000Z'));
    expect((await close(shop.id, '2026-11')).userErrors).toMatchObject([{ field: ['input', 'month'], code: 'INVALID_STATE' }]);
    bed.clock.set(DECEMBER_FIRST);
    const closed = (await close(shop.id, '2026-11')).statement!;
    expect(closed.redemptionCount).toBe(1);

    bed.clock.advance(3600 * 1000);
    const december = await captured(shop, 4);
    const refundId = await refunded(shop, november.redemptionId, 1);
    bed.clock.set(new Date('2027-01-02T00:00:00.000Z'));
    const next = (await close(shop.id, '2026-12')).statement!;
    expect(next).toMatchObject({ periodFrom: '2026-12-01', periodTo: '2026-12-31', redemptionCount: 1, refundCount: 1, points: 40, refundedPoints: 10, netPoints: 30 });
    expect(next.lines.edges.map((edge) => edge.node.refund?.id ?? edge.node.redemption.id)).toEqual([december.redemptionId, refundId]);
    // November stays as it closed.
    expect((await close(shop.id, '2026-11')).statement).toEqual(closed);
    // A month before the latest statement is refused: its lines went to the later one.
    expect((await close(shop.id, '2026-10')).userErrors).toMatchObject([{ field: ['input', 'month'], code: 'INVALID_STATE' }]);
    expect((await close(shop.id, '2026-13')).userErrors).toMatchObject([{ field: ['input', 'month'], code: 'INVALID' }]);
  });

  it('lists a merchant’s statements newest first with their count, in one statement for many merchants', async () => {
    const shop = await newShop();
    bed.clock.set(IN_NOVEMBER);
    await captured(shop, 1);
    bed.clock.set(new Date('2027-02-01T00:00:00.000Z'));
    for (const month of ['2026-11', '2026-12', '2027-01']) expect((await close(shop.id, month)).userErrors).toEqual([]);
    const data = await run<{
      merchant: { statements: { totalCount: number; edges: { node: { periodFrom: string; redemptionCount: number } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    }>(
      bed,
      `query ($id: ID!) { merchant(id: $id) { statements(first: 2) { totalCount edges { node { periodFrom redemptionCount } } pageInfo { hasNextPage endCursor } } } }`,
      shop.viewer,
      { id: shop.id },
    );
    expect(data.merchant.statements).toMatchObject({
      totalCount: 3,
      edges: [{ node: { periodFrom: '2027-01-01', redemptionCount: 0 } }, { node: { periodFrom: '2026-12-01', redemptionCount: 0 } }],
      pageInfo: { hasNextPage: true },
    });
    const rest = await run<{ merchant: { statements: { edges: { node: { periodFrom: string; redemptionCount: number } }[] } } }>(
      bed,
      `query ($id: ID!, $after: String) { merchant(id: $id) { statements(first: 2, after: $after) { edges { node { periodFrom redemptionCount } } } } }`,
      shop.viewer,
      { id: shop.id, after: data.merchant.statements.pageInfo.endCursor },
    );
    expect(rest.merchant.statements.edges).toEqual([{ node: { periodFrom: '2026-11-01', redemptionCount: 1 } }]);

    const counted = await countStatements(bed.points.database, () =>
      run(
        bed,
        `{ merchants(first: 50) { edges { node { statements(first: 5) { totalCount edges { node { status lines(first: 5) { edges { node { kind } } } } } } } } } }`,
        viewers.admin,
      ),
    );
    const again = await countStatements(bed.points.database, () =>
      run(
        bed,
        `{ merchants(first: 5) { edges { node { statements(first: 5) { totalCount edges { node { status lines(first: 5) { edges { node { kind } } } } } } } } } }`,
        viewers.admin,
      ),
    );
    expect(counted.count).toBe(again.count);
  });
});

describe('after the close', () => {
  it('is confirmed by the merchant, disputed and resolved, then paid by the head bank, each step in its turn', async () => {
    const shop = await newShop();
    bed.clock.set(IN_NOVEMBER);
    await captured(shop, 2);
    bed.clock.set(DECEMBER_FIRST);
    const statement = (await close(shop.id, '2026-11')).statement!;
    const line = statement.lines.edges[0]!.node.id;

    // Paid before confirmed, and a clerk confirming: refused, with the statement as it stands.
    const early = await step('settlementStatementMarkPaid', { statement: statement.id, paymentReference: 'PAY-1' }, headClerk);
    expect(early.userErrors).toMatchObject([{ field: ['input', 'statement'], code: 'INVALID_STATE' }]);
    expect(early.statement).toMatchObject({ id: statement.id, status: 'CLOSED' });
    expect((await step('settlementStatementConfirm', { statement: statement.id }, headClerk)).userErrors).toMatchObject([{ code: 'NOT_ALLOWED' }]);

    // A dispute stops the confirmation until the bank resolves it.
    const opened = await dispute(line, shop.viewer);
    expect(opened.userErrors).toEqual([]);
    expect(opened.dispute).toMatchObject({ reason: '这笔不是我们店的', resolution: null, line: { id: line } });
    expect((await step('settlementStatementConfirm', { statement: statement.id }, shop.viewer)).userErrors).toMatchObject([{ code: 'INVALID_STATE' }]);
    expect((await resolve(opened.dispute!.id, shop.viewer)).userErrors).toMatchObject([{ code: 'NOT_ALLOWED' }]);
    expect((await resolve(opened.dispute!.id, headClerk)).dispute).toMatchObject({ resolution: '已核对,款项无误' });
    expect((await resolve(opened.dispute!.id, headClerk)).userErrors).toMatchObject([{ code: 'INVALID_STATE' }]);

    const confirmed = await step('settlementStatementConfirm', { statement: statement.id }, shop.viewer);
    expect(confirmed.statement).toMatchObject({ status: 'CONFIRMED', history: [{ status: 'CLOSED' }, { status: 'CONFIRMED' }] });
    expect((await step('settlementStatementConfirm', { statement: statement.id }, shop.viewer)).statement).toEqual(confirmed.statement);
    expect((await dispute(line, shop.viewer)).userErrors).toMatchObject([{ field: ['input', 'line'], code: 'INVALID_STATE' }]);
    expect((await step('settlementStatementMarkPaid', { statement: statement.id, paymentReference: 'PAY-1' }, shop.viewer)).userErrors).toMatchObject([{ code: 'NOT_ALLOWED' }]);

    const paid = await step('settlementStatementMarkPaid', { statement: statement.id, paymentReference: 'PAY-1' }, headClerk);
    expect(paid.statement).toMatchObject({ status: 'PAID', paymentReference: 'PAY-1', paidAt: DECEMBER_FIRST });
    expect((await step('settlementStatementMarkPaid', { statement: statement.id, paymentReference: 'PAY-1' }, headClerk)).statement).toEqual(paid.statement);
    expect((await step('settlementStatementMarkPaid', { statement: statement.id, paymentReference: 'PAY-2' }, headClerk)).userErrors).toMatchObject([{ code: 'INVALID_STATE' }]);
    expect((await step('settlementStatementConfirm', { statement: statement.id }, shop.viewer)).userErrors).toMatchObject([{ code: 'INVALID_STATE' }]);
  });

  it('answers another merchant as it answers an unknown id, and lets only the head bank close', async () => {
    const shop = await newShop();
    const other = await newShop();
    bed.clock.set(IN_NOVEMBER);
    await captured(shop, 1);
    bed.clock.set(DECEMBER_FIRST);
    expect((await close(shop.id, '2026-11', shop.viewer)).userErrors).toMatchObject([{ field: ['input', 'merchant'], code: 'NOT_ALLOWED' }]);
    expect((await close(shop.id, '2026-11', viewers.clerk)).userErrors).toMatchObject([{ field: ['input', 'merchant'], code: 'NOT_ALLOWED' }]);
    expect((await setRate(3, viewers.clerk)).userErrors).toMatchObject([{ field: ['input', 'bank'], code: 'NOT_ALLOWED' }]);
    const statement = (await close(shop.id, '2026-11')).statement!;

    const query = `query ($id: ID!) { settlementStatement(id: $id) { id } }`;
    const theirs = await bed.points.execute(query, { variables: { id: statement.id }, viewer: other.viewer });
    const unknown = await bed.points.execute(query, { variables: { id: newId() }, viewer: other.viewer });
    expect(codeOf(theirs)).toBe('FORBIDDEN');
    expect(theirs.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
    const confirm = `mutation ($input: SettlementStatementInput!) { settlementStatementConfirm(input: $input) { statement { id } } }`;
    const confirmOther = await bed.points.execute(confirm, { variables: { input: { statement: statement.id } }, viewer: other.viewer });
    const confirmUnknown = await bed.points.execute(confirm, { variables: { input: { statement: newId() } }, viewer: other.viewer });
    expect(codeOf(confirmOther)).toBe('FORBIDDEN');
    expect(confirmOther.errors?.[0]?.message).toBe(confirmUnknown.errors?.[0]?.message);
    // The office clerk of the same bank reads it (the merchant's books) but does not pay it.
    expect((await run<{ settlementStatement: { id: string } }>(bed, query, viewers.clerk, { id: statement.id })).settlementStatement.id).toBe(statement.id);
  });

  it('writes the lines as CSV: BOM, header, one CRLF row per line, refunds negative, disputes marked', async () => {
    const shop = await newShop();
    bed.clock.set(IN_NOVEMBER);
    const made = await captured(shop, 2);
    bed.clock.advance(60 * 1000);
    const refundId = await refunded(shop, made.redemptionId, 1);
    bed.clock.set(DECEMBER_FIRST);
    const statement = (await close(shop.id, '2026-11')).statement!;
    const refundLine = statement.lines.edges[1]!.node;
    expect((await dispute(refundLine.id, shop.viewer)).userErrors).toEqual([]);
    const data = await run<{ settlementStatement: { csv: string } }>(bed, `query ($id: ID!) { settlementStatement(id: $id) { csv } }`, shop.viewer, { id: statement.id });
    const member = refundLine.memberId;
    expect(data.settlementStatement.csv).toBe(
      '\uFEFFkind,source,time,member,items,points,disputed\r\n' +
        `redemption,${made.redemptionId},2026-11-10T12:00:00.000+08:00,${member},2,20,no\r\n` +
        `refund,${refundId},2026-11-10T12:01:00.000+08:00,${member},1,-10,yes\r\n`,
    );
  });
});

describe('the monthly job', () => {
  it('closes last month for every merchant on the 2nd, and closes nothing twice', async () => {
    const shop = await newShop();
    bed.clock.set(new Date('2027-02-10T04:00:00.000Z'));
    const made = await captured(shop, 3);
    // 2 March 2027, 02:00 in Beijing.
    bed.clock.set(new Date('2027-03-01T18:00:00.000Z'));
    const settings = { ...readPointsSettings({}), now: bed.clock.now };
    const job = required(
      pointsJobs({ db: bed.points.database.db, settings, logger: createLogger('points', 'silent') }).find((candidate) => candidate.name === 'settlement-close'),
      'the settlement-close job',
    );
    expect(await job.run()).toBeGreaterThan(0);
    expect(await job.run()).toBe(0);
    const data = await run<{
      merchant: { statements: { edges: { node: { periodFrom: string; closedBy: string; lines: { edges: { node: { redemption: { id: string } } }[] } } }[] } };
    }>(bed, `query ($id: ID!) { merchant(id: $id) { statements { edges { node { periodFrom closedBy lines { edges { node { redemption { id } } } } } } } } }`, shop.viewer, {
      id: shop.id,
    });
    expect(data.merchant.statements.edges).toEqual([
      { node: { periodFrom: '2027-02-01', closedBy: 'settlement-close', lines: { edges: [{ node: { redemption: { id: made.redemptionId } } }] } } },
    ]);
  });
});

describe('the database', () => {
  it('keeps a capture on one statement, and a closed statement’s lines and totals as they are', async () => {
    const shop = await newShop();
    bed.clock.set(IN_NOVEMBER);
    const made = await captured(shop, 1);
    bed.clock.set(DECEMBER_FIRST);
    const statement = (await close(shop.id, '2026-11')).statement!;
    bed.clock.set(new Date('2027-01-02T00:00:00.000Z'));
    const next = (await close(shop.id, '2026-12')).statement!;
    const db = bed.points.database.db;
    const copy = (statementId: string) =>
      db.execute(sql`insert into points.settlement_lines (id, statement_id, kind, redemption_id, account_id, at, item_count, points)
        select ${newId()}::uuid, ${statementId}::uuid, 'redemption', r.id, r.account_id, r.resolved_at, r.item_count, r.total_points
        from points.redemptions r where r.id = ${made.redemptionId}::uuid`);
    await expect(copy(next.id)).rejects.toThrow();
    await expect(copy(statement.id)).rejects.toThrow();
    await expect(db.execute(sql`update points.settlement_statements set points = 0 where id = ${statement.id}::uuid`)).rejects.toThrow();
    await expect(db.execute(sql`delete from points.settlement_lines where statement_id = ${statement.id}::uuid`)).rejects.toThrow();
    // A statement whose totals are not its lines' does not commit.
    await expect(
      db.transaction(async (tx) => {
        const id = newId();
        await tx.execute(sql`insert into points.settlement_statements (id, merchant_id, bank_id, period_from, period_to, redemption_count, refund_count,
            points, refunded_points, net_points, fen_per_point, amount_fen, closed_at, closed_by)
          values (${id}::uuid, ${shop.id}::uuid, ${DEMO_BANK.head.id}::uuid, '2027-01-01', '2027-01-31', 1, 0, 10, 0, 10, 0, 0, now(), 'test')`);
        await tx.execute(sql`insert into points.settlement_statement_steps (statement_id, status, at, by) values (${id}::uuid, 'closed', now(), 'test')`);
      }),
    ).rejects.toThrow(/total its lines/);
  });
});
