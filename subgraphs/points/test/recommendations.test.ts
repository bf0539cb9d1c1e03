/**
 * The head bank's yearly central exchange recommendation list (docs/bank.md):
 * recognition's `review.closed` published into its outbox and applied by the
 * real points consumer on real Postgres; balances taken from the ledger at
 * the year's end; the list read and decided in the graph, with its authority
 * and input rules; the database's own once-only rules.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import { ANONYMOUS, consumeOnce, databaseTransport, newId, outboxPublisher, rowsOf, type ConsumeReport, type Database, type Viewer } from '@lianxin/shared';
import { createEventTables, viewerOf, waitFor } from '@lianxin/shared/testing';
import { DEMO_BANK } from '../src/db/demo.js';
import { centralExchangeRecommendationDecisions, centralExchangeRecommendations, ISSUANCE_ACCOUNT_ID } from '../src/db/schema.js';
import { pointsConsumer } from '../src/index.js';
import { transfer } from '../src/ledger/store.js';
import { recommendForClosedYear } from '../src/recommendations/service.js';
import { codeOf, customerWith, expectBooksToBalance, knownPerson, run, startPoints, viewers, type PointsTestBed, type UserErrorShape } from './support.js';

let bed: PointsTestBed;
let db: Database;

beforeAll(async () => {
  bed = await startPoints();
  db = bed.points.database.db;
  // Every producer points consumes, as their migrations would make their outboxes.
  for (const source of ['requests', 'people', 'recognition']) await createEventTables(db, source, { outbox: true });
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

// ---------------------------------------------------------------------------
// Recognition, as far as points sees it: `review.closed` in its outbox.

type Bucket = 'month' | 'quarter' | 'year';

/** Recognition's event, with the payload docs/events.md fixes. */
type RecognitionEvents = {
  'review.closed': {
    aggregate: 'review';
    payload: { reviewId: string; bankId: string; bucket: Bucket; periodStart: string; periodEnd: string; endsAt: string; closedAt: string };
  };
};

const publishRecognition = outboxPublisher<RecognitionEvents>('recognition');

/** The end of `year`: 1 January of the next year, 00:00 Beijing time. */
const yearEnd = (year: number): Date => new Date(`${year + 1}-01-01T00:00:00+08:00`);

/** The last period of `year` of each length: December, the fourth quarter, the year. */
const PERIOD_STARTS: Record<Bucket, (year: number) => string> = { month: (year) => `${year}-12-01`, quarter: (year) => `${year}-10-01`, year: (year) => `${year}-01-01` };

/** Appends recognition's `review.closed` for the period of `bucket` ending with `year`, in one transaction, as recognition's close would. */
async function closeReview(bankId: string, bucket: Bucket, year: number, reviewId: string = newId()): Promise<string> {
  await db.transaction((tx) =>
    publishRecognition(tx, 'review.closed', 'review', reviewId, {
      reviewId,
      bankId,
      bucket,
      periodStart: PERIOD_STARTS[bucket](year),
      periodEnd: `${year + 1}-01-01`,
      endsAt: yearEnd(year).toISOString(),
      closedAt: new Date().toISOString(),
    }),
  );
  return reviewId;
}

const pass = (): Promise<ConsumeReport> => consumeOnce({ db, consumer: pointsConsumer, transport: databaseTransport() });

/** Consumer passes until every event of recognition's outbox is in points' inbox and a pass finds nothing to do. */
async function drain(): Promise<void> {
  await waitFor('the points consumer to catch up with the recognition outbox', async () => {
    const report = await pass();
    const [behind] = await rowsOf<{ missing: boolean }>(
      db,
      sql`select exists (select 1 from recognition.outbox o where not exists (select 1 from points.inbox i where i.event_id = o.id)) as missing`,
    );
    return Object.values(report).every((count) => count === 0) && behind?.missing === false;
  });
}

// ---------------------------------------------------------------------------
// Balances with a history: transfers written at the instants a test names.

/** Moves `amount` points into (positive) or out of (negative) a customer account at instant `at`, through the ledger. */
async function move(accountId: string, amount: number, at: Date): Promise<void> {
  await db.transaction((tx) =>
    transfer(tx, {
      debit: amount > 0 ? ISSUANCE_ACCOUNT_ID : accountId,
      credit: amount > 0 ? accountId : ISSUANCE_ACCOUNT_ID,
      amount: Math.abs(amount),
      cause: 'opening',
      createdBy: 'test',
      createdAt: at,
    }),
  );
}

/** A new customer of the Xingle office (the demo bank, whose central exchange takes 200 points and more) with no points yet. */
const xingleCustomer = () => customerWith(bed, 0);

const at = (iso: string): Date => new Date(iso);

// ---------------------------------------------------------------------------
// The graph.

interface RecommendationShape {
  id: string;
  year: number;
  balance: number;
  threshold: number;
  status: string;
  decidedAt: string | null;
  reason: string | null;
  customer: { id: string } | null;
  account: { id: string } | null;
  decidedBy: { id: string } | null;
  bank: { id: string };
}

const FIELDS = 'id year balance threshold status decidedAt reason customer { id } account { id } decidedBy { id } bank { id }';

const LIST = `query ($unit: ID!, $year: Int!, $status: CentralExchangeRecommendationStatus, $first: Int, $after: String) {
  bankUnit(id: $unit) { centralExchangeRecommendations(year: $year, status: $status, first: $first, after: $after) {
    edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;

const DECIDE = `mutation ($input: CentralExchangeRecommendationDecideInput!) {
  centralExchangeRecommendationDecide(input: $input) { recommendation { ${FIELDS} } userErrors { field code message } } }`;

type ListData = {
  bankUnit: { centralExchangeRecommendations: { edges: { cursor: string; node: RecommendationShape }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
};
type DecideData = { centralExchangeRecommendationDecide: { recommendation: RecommendationShape | null; userErrors: UserErrorShape[] } };

async function list(unit: string, year: number, viewer: Viewer = viewers.admin, extra: { status?: string; first?: number; after?: string } = {}): Promise<RecommendationShape[]> {
  const data = await run<ListData>(bed, LIST, viewer, { unit, year, ...extra });
  return data.bankUnit.centralExchangeRecommendations.edges.map((edge) => edge.node);
}

async function decide(viewer: Viewer, recommendation: string, decision: 'ACCEPT' | 'DECLINE', reason?: string) {
  const data = await run<DecideData>(bed, DECIDE, viewer, { input: { recommendation, decision, ...(reason === undefined ? {} : { reason }) } });
  return data.centralExchangeRecommendationDecide;
}

/** The recommendation of `accountId` on `unit`'s list for `year`, read as a platform admin; undefined when not listed. */
async function recommendationOf(unit: string, year: number, accountId: string): Promise<RecommendationShape | undefined> {
  return (await list(unit, year, viewers.admin, { first: 100 })).find((row) => row.account?.id === accountId);
}

/** How many rows the database holds for an account in a bank's list for a year. */
async function rowsFor(bankId: string, year: number, accountId: string): Promise<number> {
  const rows = await db
    .select({ id: centralExchangeRecommendations.id })
    .from(centralExchangeRecommendations)
    .where(and(eq(centralExchangeRecommendations.bankId, bankId), eq(centralExchangeRecommendations.year, year), eq(centralExchangeRecommendations.accountId, accountId)));
  return rows.length;
}

// ---------------------------------------------------------------------------
// A second bank, and the demo bank's own staff.

type Payload = Record<string, { id: string } | null | UserErrorShape[]>;

/** Runs a creating mutation (as a platform admin) and returns the id of what it made in `key`. */
async function created(field: string, inputType: string, input: Record<string, unknown>, key: string): Promise<string> {
  const data = await run<Record<string, Payload>>(
    bed,
    `mutation ($input: ${inputType}!) { ${field}(input: $input) { ${key} { id } userErrors { field code message } } }`,
    viewers.admin,
    { input },
  );
  const payload = data[field]!;
  const made = payload[key] as { id: string } | null;
  if (!made) throw new Error(`${field} refused: ${JSON.stringify(payload['userErrors'])}`);
  return made.id;
}

/** A head bank with a branch and a savings office; with a central exchange taking `exchangeMinimum` points and more unless null. */
async function newBank(exchangeMinimum: number | null): Promise<{ head: string; branch: string; office: string }> {
  const name = `测试银行 ${newId()}`;
  const unit = (input: Record<string, unknown>) => created('bankUnitCreate', 'BankUnitCreateInput', { region: newId(), ...input }, 'bankUnit');
  const head = await unit({ kind: 'HEAD_BANK', name });
  const branch = await unit({ kind: 'BRANCH', name: `${name} 分行`, parent: head });
  const office = await unit({ kind: 'SAVINGS_OFFICE', name: `${name} 储蓄所`, parent: branch, station: newId() });
  if (exchangeMinimum !== null) {
    await created('merchantCreate', 'MerchantCreateInput', { bank: head, kind: 'CENTRAL_EXCHANGE', name: `${name} 集中兑换`, minimumBalance: exchangeMinimum }, 'merchant');
  }
  return { head, branch, office };
}

/** A customer with an account at `office`, opened by a platform admin; returns the account id. */
async function customerAt(office: string): Promise<string> {
  const holder = await knownPerson(bed);
  return created('accountOpen', 'AccountOpenInput', { holder, office }, 'account');
}

/** A person made a bank clerk of `unit`, as a viewer. */
async function clerkOf(unit: string, personId?: string): Promise<Viewer> {
  const person = await knownPerson(bed, ...(personId ? [personId] : []));
  await created('bankClerkAssign', 'BankClerkAssignInput', { unit, person }, 'bankUnit');
  return viewerOf({ roles: ['bank_clerk'], personId: person });
}

const HEAD = DEMO_BANK.head.id;

let otherBank: { head: string; branch: string; office: string };
let headClerk: Viewer;
let otherHeadClerk: Viewer;
let otherOfficeClerk: Viewer;

beforeAll(async () => {
  otherBank = await newBank(100);
  headClerk = await clerkOf(HEAD);
  otherHeadClerk = await clerkOf(otherBank.head);
  otherOfficeClerk = await clerkOf(otherBank.office);
});

// ---------------------------------------------------------------------------

describe('the list a year close makes', () => {
  it('puts forward the customers whose balance at the year end, from the ledger, reached the exchange threshold, and no other bank’s', async () => {
    const year = 2021;
    const end = yearEnd(year);
    // 150 + 50 a millisecond before the end = 200, the threshold; 500 at the end itself is the next year's.
    const boundary = await xingleCustomer();
    await move(boundary.accountId, 150, at('2021-06-01T02:00:00Z'));
    await move(boundary.accountId, 50, new Date(end.getTime() - 1));
    await move(boundary.accountId, 500, end);
    // 300 − 101 = 199: one short.
    const short = await xingleCustomer();
    await move(short.accountId, 300, at('2021-06-01T02:00:00Z'));
    await move(short.accountId, -101, at('2021-11-15T02:00:00Z'));
    // 199 at the end; 1000 more after it does not count.
    const late = await xingleCustomer();
    await move(late.accountId, 199, at('2021-03-01T02:00:00Z'));
    await move(late.accountId, 1000, at('2022-02-01T02:00:00Z'));
    const rich = await xingleCustomer();
    await move(rich.accountId, 5000, at('2021-06-01T02:00:00Z'));
    // Another bank's customer, well above either threshold.
    const elsewhere = await customerAt(otherBank.office);
    await move(elsewhere, 5000, at('2021-06-01T02:00:00Z'));
    expect(await recommendationOf(HEAD, year, rich.accountId)).toBeUndefined();

    const reviewId = await closeReview(HEAD, 'year', year);
    await drain();

    const listed = await list(HEAD, year, viewers.admin, { first: 100 });
    const accounts = listed.map((row) => row.account?.id);
    expect(accounts).toEqual(expect.arrayContaining([boundary.accountId, rich.accountId]));
    expect(accounts).not.toContain(short.accountId);
    expect(accounts).not.toContain(late.accountId);
    expect(accounts).not.toContain(elsewhere);
    // Highest balance first.
    expect(accounts.indexOf(rich.accountId)).toBeLessThan(accounts.indexOf(boundary.accountId));
    expect(await recommendationOf(HEAD, year, boundary.accountId)).toEqual({
      id: expect.any(String),
      year,
      balance: 200,
      threshold: 200,
      status: 'PROPOSED',
      decidedAt: null,
      reason: null,
      customer: { id: boundary.personId },
      account: { id: boundary.accountId },
      decidedBy: null,
      bank: { id: HEAD },
    });
    expect((await recommendationOf(HEAD, year, rich.accountId))?.balance).toBe(5000);
    const [row] = await db.select().from(centralExchangeRecommendations).where(eq(centralExchangeRecommendations.accountId, rich.accountId));
    expect(row).toMatchObject({ reviewId, endsAt: end, threshold: 200, balance: 5000 });

    // The other bank's close lists its own customer against its own threshold, and none of the demo bank's.
    await closeReview(otherBank.head, 'year', year);
    await drain();
    const theirs = await list(otherBank.head, year);
    expect(theirs.map((entry) => entry.account?.id)).toEqual([elsewhere]);
    expect(theirs[0]).toMatchObject({ balance: 5000, threshold: 100, bank: { id: otherBank.head } });
  });

  it('makes nothing of a month or quarter close', async () => {
    const year = 2022;
    const customer = await xingleCustomer();
    await move(customer.accountId, 1000, at('2022-05-01T02:00:00Z'));
    await closeReview(HEAD, 'month', year);
    await closeReview(HEAD, 'quarter', year);
    await drain();
    expect(await rowsFor(HEAD, year, customer.accountId)).toBe(0);
    const [applied] = await rowsOf<{ n: string }>(
      db,
      sql`select count(*)::text as n from points.inbox where source = 'recognition' and type = 'review.closed' and status = 'applied'`,
    );
    expect(Number(applied?.n)).toBeGreaterThanOrEqual(2);

    await closeReview(HEAD, 'year', year);
    await drain();
    expect(await rowsFor(HEAD, year, customer.accountId)).toBe(1);
  });

  it('lists a customer once however often the year is closed', async () => {
    const year = 2023;
    const customer = await xingleCustomer();
    await move(customer.accountId, 400, at('2023-05-01T02:00:00Z'));
    const reviewId = newId();
    // The same close twice (two events of one review), and then the same again applied by hand.
    await closeReview(HEAD, 'year', year, reviewId);
    await closeReview(HEAD, 'year', year, reviewId);
    await drain();
    expect(await rowsFor(HEAD, year, customer.accountId)).toBe(1);
    const again = await db.transaction((tx) => recommendForClosedYear(tx, { reviewId, bankId: HEAD, year, endsAt: yearEnd(year) }, 'test'));
    expect(again).toBe(0);
    expect(await rowsFor(HEAD, year, customer.accountId)).toBe(1);
  });

  it('makes no list for a bank without a central exchange', async () => {
    const year = 2021;
    const bank = await newBank(null);
    const customer = await customerAt(bank.office);
    await move(customer, 100_000, at('2021-06-01T02:00:00Z'));
    await closeReview(bank.head, 'year', year);
    await drain();
    expect(await rowsFor(bank.head, year, customer)).toBe(0);
    expect(await list(bank.head, year)).toEqual([]);
  });

  it('dead-letters a year close whose bounds are not a calendar year ending at endsAt', async () => {
    const reviewId = newId();
    await db.transaction((tx) =>
      publishRecognition(tx, 'review.closed', 'review', reviewId, {
        reviewId,
        bankId: HEAD,
        bucket: 'year',
        periodStart: '2024-01-01',
        periodEnd: '2025-01-01',
        endsAt: '2025-01-01T00:00:00.000Z',
        closedAt: new Date().toISOString(),
      }),
    );
    await drain();
    const [letter] = await rowsOf<{ error: string }>(
      db,
      sql`select d.error from points.dead_letters d join points.inbox i on i.event_id = d.event_id where i.aggregate_id = ${reviewId}`,
    );
    expect(letter?.error).toMatch(/not the start of 2025-01-01/);
  });
});

describe('reading the list', () => {
  const year = 2021;

  it('answers platform admins and every clerk who serves the bank; others are refused', async () => {
    const office = await list(HEAD, year, viewers.clerk, { first: 100 });
    expect(office.length).toBeGreaterThan(0);
    expect((await list(DEMO_BANK.xingleOffice.id, year)).length).toBe(0);
    for (const viewer of [otherOfficeClerk, otherHeadClerk, viewers.unassignedClerk, viewers.resident(), viewers.wang, viewers.analyst]) {
      expect(codeOf(await bed.points.execute(LIST, { variables: { unit: HEAD, year }, viewer }))).toBe('FORBIDDEN');
    }
    expect(codeOf(await bed.points.execute(LIST, { variables: { unit: HEAD, year }, viewer: ANONYMOUS }))).toBe('UNAUTHENTICATED');
  });

  it('pages by balance and filters by status', async () => {
    const all = await list(HEAD, year, viewers.admin, { first: 100 });
    expect(all.length).toBeGreaterThanOrEqual(2);
    const first = await run<ListData>(bed, LIST, viewers.admin, { unit: HEAD, year, first: 1 });
    const page = first.bankUnit.centralExchangeRecommendations;
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await list(HEAD, year, viewers.admin, { first: 100, after: page.pageInfo.endCursor! });
    expect([page.edges[0]!.node, ...rest].map((row) => row.id)).toEqual(all.map((row) => row.id));
    expect((await list(HEAD, year, viewers.admin, { status: 'PROPOSED', first: 100 })).every((row) => row.status === 'PROPOSED')).toBe(true);
  });

  it('refuses a year out of range and a forged cursor as bad input', async () => {
    for (const bad of [1999, 2101]) {
      expect(codeOf(await bed.points.execute(LIST, { variables: { unit: HEAD, year: bad }, viewer: viewers.admin }))).toBe('BAD_USER_INPUT');
    }
    const forged = Buffer.from(JSON.stringify(['many', newId()])).toString('base64url');
    expect(codeOf(await bed.points.execute(LIST, { variables: { unit: HEAD, year, after: forged }, viewer: viewers.admin }))).toBe('BAD_USER_INPUT');
  });
});

describe('centralExchangeRecommendationDecide', () => {
  const year = 2024;
  let first: string;
  let second: string;

  beforeAll(async () => {
    const one = await xingleCustomer();
    const two = await xingleCustomer();
    await move(one.accountId, 300, at('2024-03-01T02:00:00Z'));
    await move(two.accountId, 250, at('2024-03-01T02:00:00Z'));
    await closeReview(HEAD, 'year', year);
    await drain();
    first = (await recommendationOf(HEAD, year, one.accountId))!.id;
    second = (await recommendationOf(HEAD, year, two.accountId))!.id;
  });

  it('is decided once by the head bank: the same decision again returns it, another is ALREADY_DECIDED', async () => {
    const accepted = await decide(headClerk, first, 'ACCEPT', '积分突出，推荐参加集中兑换');
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.recommendation).toMatchObject({ id: first, status: 'ACCEPTED', reason: '积分突出，推荐参加集中兑换', decidedBy: { id: headClerk.personId } });
    expect(accepted.recommendation?.decidedAt).not.toBeNull();

    const again = await decide(headClerk, first, 'ACCEPT');
    expect(again.userErrors).toEqual([]);
    expect(again.recommendation).toEqual(accepted.recommendation);

    const other = await decide(viewers.admin, first, 'DECLINE', 'changed my mind');
    expect(other.userErrors).toEqual([{ field: ['input', 'recommendation'], code: 'ALREADY_DECIDED', message: expect.any(String) }]);
    expect(other.recommendation).toMatchObject({ id: first, status: 'ACCEPTED' });

    const declined = await decide(viewers.admin, second, 'DECLINE');
    expect(declined.recommendation).toMatchObject({ id: second, status: 'DECLINED', reason: null, decidedBy: null });
    expect((await list(HEAD, year, viewers.admin, { status: 'ACCEPTED', first: 100 })).map((row) => row.id)).toEqual([first]);

    const decisions = await db.select().from(centralExchangeRecommendationDecisions).where(eq(centralExchangeRecommendationDecisions.recommendationId, first));
    expect(decisions).toHaveLength(1);
  });

  it('keeps recommendations and decisions as they were written', async () => {
    /** The database's own words for a refused statement ("no error" when it went through). */
    const causeOf = async (work: Promise<unknown>): Promise<string> =>
      work.then(
        () => 'no error',
        (caught: unknown) => String((caught as { cause?: unknown }).cause ?? caught),
      );
    const recommendations = 'points.central_exchange_recommendations is append-only';
    const decisions = 'points.central_exchange_recommendation_decisions is append-only';
    expect(await causeOf(db.update(centralExchangeRecommendations).set({ balance: 1 }).where(eq(centralExchangeRecommendations.id, first)))).toContain(
      `${recommendations}: UPDATE refused`,
    );
    expect(await causeOf(db.delete(centralExchangeRecommendations).where(eq(centralExchangeRecommendations.id, first)))).toContain(`${recommendations}: DELETE refused`);
    expect(await causeOf(db.execute(sql`truncate points.central_exchange_recommendations cascade`))).toContain(`${recommendations}: TRUNCATE refused`);
    expect(
      await causeOf(db.update(centralExchangeRecommendationDecisions).set({ decision: 'declined' }).where(eq(centralExchangeRecommendationDecisions.recommendationId, first))),
    ).toContain(`${decisions}: UPDATE refused`);
    expect(await causeOf(db.delete(centralExchangeRecommendationDecisions).where(eq(centralExchangeRecommendationDecisions.recommendationId, first)))).toContain(
      `${decisions}: DELETE refused`,
    );
    // A second decision is refused by the key, whatever the service does.
    expect(await causeOf(db.insert(centralExchangeRecommendationDecisions).values({ recommendationId: first, decision: 'declined', decidedBy: 'test' }))).toContain(
      'central_exchange_recommendation_decisions_once',
    );
  });

  it('is refused to anyone but the head bank’s own staff, before anything is read', async () => {
    const unknown = newId();
    for (const viewer of [viewers.clerk, otherOfficeClerk, viewers.unassignedClerk, viewers.resident(), viewers.wang]) {
      for (const recommendation of [second, unknown]) {
        const result = await bed.points.execute(DECIDE, { variables: { input: { recommendation, decision: 'ACCEPT' } }, viewer });
        expect(codeOf(result)).toBe('FORBIDDEN');
      }
    }
    // Another head bank's clerk hears of this bank's recommendation what they hear of no recommendation at all.
    const theirs = await bed.points.execute(DECIDE, { variables: { input: { recommendation: second, decision: 'ACCEPT' } }, viewer: otherHeadClerk });
    const nothing = await bed.points.execute(DECIDE, { variables: { input: { recommendation: unknown, decision: 'ACCEPT' } }, viewer: otherHeadClerk });
    expect(codeOf(theirs)).toBe('FORBIDDEN');
    expect(theirs.errors?.[0]?.message).toBe(nothing.errors?.[0]?.message);
    expect(codeOf(await bed.points.execute(DECIDE, { variables: { input: { recommendation: second, decision: 'ACCEPT' } }, viewer: ANONYMOUS }))).toBe('UNAUTHENTICATED');
    // A platform admin sees everything, so is told the id names nothing.
    expect(await decide(viewers.admin, unknown, 'ACCEPT')).toEqual({
      recommendation: null,
      userErrors: [{ field: ['input', 'recommendation'], code: 'NOT_FOUND', message: expect.any(String) }],
    });
  });

  it('is not decided by its own customer', async () => {
    const own = await xingleCustomer();
    await move(own.accountId, 900, at('2024-07-01T02:00:00Z'));
    await db.transaction((tx) => recommendForClosedYear(tx, { reviewId: newId(), bankId: HEAD, year, endsAt: yearEnd(year) }, 'test'));
    const recommendation = (await recommendationOf(HEAD, year, own.accountId))!.id;
    const self = await clerkOf(HEAD, own.personId);
    const refused = await decide(self, recommendation, 'ACCEPT');
    expect(refused.userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect(refused.recommendation).toMatchObject({ id: recommendation, status: 'PROPOSED' });
  });

  it('answers bad input with user errors, never a failure', async () => {
    const malformed = await decide(viewers.admin, 'not-an-id', 'ACCEPT');
    expect(malformed).toEqual({ recommendation: null, userErrors: [{ field: ['input', 'recommendation'], code: 'INVALID', message: expect.any(String) }] });
    expect((await decide(headClerk, 'not-an-id', 'ACCEPT')).userErrors.map((error) => error.code)).toEqual(['INVALID']);
    const tooLong = await decide(headClerk, second, 'ACCEPT', '长'.repeat(501));
    expect(tooLong.userErrors).toEqual([{ field: ['input', 'reason'], code: 'INVALID', message: expect.any(String) }]);
    expect(codeOf(await bed.points.execute(DECIDE, { variables: { input: { recommendation: second, decision: 'MAYBE' } }, viewer: viewers.admin }))).toBe('BAD_USER_INPUT');
  });
});
