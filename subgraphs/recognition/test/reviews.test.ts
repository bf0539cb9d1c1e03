/**
 * Reviews and office star ratings on real Postgres: a head bank's offices and
 * customers built from the bank's and requests' events, their 2025 rated on
 * the five indicators against a table worked out by hand (default rules, then
 * the bank's own weights with a quota); the year and a quarter closed by an
 * admin, by two admins at once (one review) and by the scheduled close; what a
 * review froze staying as it was; the event points reads; who may; refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { newId, rowsOf, type NewEvent } from '@lianxin/shared';
import { viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import {
  DISTRICT,
  EAST,
  STREET,
  WEST,
  accountOpened,
  bankUnitOpened,
  consumeAll as consumeEvents,
  merchantJoined,
  publish as publishEvents,
  redemptionMade,
  requestRated,
  serviceCreated,
  startRecognition,
  type Source,
  regionTree,
} from './support.js';
import type { RecognitionContext } from '../src/context.js';
import { closeEndedReviews } from '../src/reviews/service.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;
const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);

async function consumeAll(): Promise<void> {
  const total = await consumeEvents(db());
  expect(total.deadLettered).toBe(0);
}

// One head bank over the district with an office in each region of the tree; a second bank with one office.
const BANK = newId();
const [O1, O2, O3, O4] = [newId(), newId(), newId(), newId()];
const OTHER_BANK = newId();
const O5 = newId();
const OFFICE_OF: Record<string, string> = { [O1]: 'O1', [O2]: 'O2', [O3]: 'O3', [O4]: 'O4' };
// Customers: four at O1, two at O2, one at O3, none at O4; one at the other bank's office.
const [P1, P2, P3, P4, P5, P6, P7, P8] = Array.from({ length: 8 }, () => newId()) as [string, string, string, string, string, string, string, string];
const TEAM = newId();
const [ACT1, ACT2, ACT3] = [newId(), newId(), newId()];
const office = (officeId: string, bankId = BANK) => ({ officeId, bankId });

beforeAll(async () => {
  recognition = await startRecognition();
  await publish('people', ...regionTree());
  await publish(
    'points',
    bankUnitOpened(BANK, BANK, DISTRICT, 'head_bank'),
    bankUnitOpened(O1, BANK, EAST),
    bankUnitOpened(O2, BANK, WEST),
    bankUnitOpened(O3, BANK, STREET),
    bankUnitOpened(O4, BANK, DISTRICT),
    bankUnitOpened(OTHER_BANK, OTHER_BANK, DISTRICT, 'head_bank'),
    bankUnitOpened(O5, OTHER_BANK, EAST),
    ...[P1, P2, P3, P4].map((person) => accountOpened(person, O1, BANK, '2025-02-01T02:00:00.000Z')),
    ...[P5, P6].map((person) => accountOpened(person, O2, BANK, '2025-03-01T02:00:00.000Z')),
    accountOpened(P7, O3, BANK, '2025-04-01T02:00:00.000Z'),
    accountOpened(P8, O5, OTHER_BANK, '2025-04-01T02:00:00.000Z'),
  );
  await consumeAll();
  // Service in 2025: P1 600 minutes at an activity in EAST (O1's project), P5 300 + 300 at two activities in WEST
  // (O2's two projects), P7 155 minutes in the street (no activity); P8 of the other bank 900 minutes.
  await publish(
    'requests',
    serviceCreated(P1, 600, '2025-05-10T02:00:00.000Z', { region: EAST, activityId: ACT1, teamId: TEAM }),
    serviceCreated(P5, 300, '2025-11-10T02:00:00.000Z', { region: WEST, activityId: ACT2 }),
    serviceCreated(P5, 300, '2025-12-10T02:00:00.000Z', { region: WEST, activityId: ACT3 }),
    serviceCreated(P7, 155, '2025-06-10T02:00:00.000Z', { region: STREET }),
    serviceCreated(P8, 900, '2025-06-10T02:00:00.000Z', { region: EAST }),
    ...[5, 5, 4, 5, 5].map((score) => requestRated(P1, score, '2025-05-11T02:00:00.000Z', EAST, TEAM)),
  );
  // Redeemed: 200 at O1, 400 at O2, 100 at O3. Merchants recruited: one by O1, two by O4.
  await publish(
    'points',
    redemptionMade(P1, office(O1), 200, '2025-07-01T02:00:00.000Z'),
    redemptionMade(P6, office(O2), 400, '2025-07-01T02:00:00.000Z'),
    redemptionMade(P7, office(O3), 100, '2025-07-01T02:00:00.000Z'),
    merchantJoined(BANK, O1, '2025-08-01T02:00:00.000Z'),
    merchantJoined(BANK, O4, '2025-08-01T02:00:00.000Z'),
    merchantJoined(BANK, O4, '2025-09-01T02:00:00.000Z'),
  );
  await consumeAll();
});
afterAll(async () => {
  await recognition?.stop();
});

const platformAdmin = viewerOf({ roles: ['platform_admin'] });
const volunteer = viewerOf({ roles: ['volunteer'], personId: P1 });
const districtAdmin = viewerOf({ roles: ['station_admin'], regionIds: [DISTRICT] });
const otherAdmin = viewerOf({ roles: ['station_admin'], regionIds: [newId()] });

const RATING = `query ($reps: [_Any!]!, $year: Int!) {
  _entities(representations: $reps) {
    ... on BankUnit { id rating(year: $year) { year stars rank offices score provisional frozenAt explanation indicators { name value best weight score } } }
  }
}`;

interface Indicator {
  name: string;
  value: number;
  best: number;
  weight: number;
  score: number;
}
interface Rating {
  year: number;
  stars: number;
  rank: number;
  offices: number;
  score: number;
  provisional: boolean;
  frozenAt: string | null;
  explanation: string;
  indicators: Indicator[];
}

async function ratingsOf(year: number, offices = [O1, O2, O3, O4]): Promise<Record<string, Rating | null>> {
  const result = await recognition.execute(RATING, {
    variables: { reps: offices.map((id) => ({ __typename: 'BankUnit', id })), year },
    viewer: volunteer,
  });
  expect(result.errors).toBeUndefined();
  const units = (result.data as { _entities: { id: string; rating: Rating | null }[] })._entities;
  return Object.fromEntries(units.map((unit) => [OFFICE_OF[unit.id] ?? unit.id, unit.rating]));
}

/** Each office as [stars, rank, score], by name. */
const table = (ratings: Record<string, Rating | null>) =>
  Object.fromEntries(Object.entries(ratings).map(([name, rating]) => [name, rating && [rating.stars, rating.rank, rating.score]]));

const CLOSE = `mutation ($input: ReviewCloseInput!) {
  reviewClose(input: $input) { alreadyClosed review { id period { bucket start end } scheduled } userErrors { field code message } }
}`;

interface ClosePayload {
  alreadyClosed: boolean | null;
  review: { id: string; period: { bucket: string; start: string; end: string }; scheduled: boolean } | null;
  userErrors: { field: string[] | null; code: string; message: string }[];
}

async function close(period: { bucket: string; start: string }, viewer = platformAdmin, bank = BANK): Promise<ClosePayload> {
  const result = await recognition.execute(CLOSE, { variables: { input: { bank, period } }, viewer });
  expect(result.errors).toBeUndefined();
  return (result.data as { reviewClose: ClosePayload }).reviewClose;
}

const YEAR_2025 = { bucket: 'YEAR', start: '2025-01-01' };
const Q4_2025 = { bucket: 'QUARTER', start: '2025-10-01' };

describe('office star ratings', () => {
  it('rates the offices of the bank on the five indicators by default rules, as worked out by hand', async () => {
    // Best of the bank: 4 accounts, 600 minutes, 2 projects, 400 points, 2 merchants; every weight 20.
    // O1: 20 + 20 + 10 + 10 + 10 = 70.00; O2: 10 + 20 + 20 + 20 + 0 = 70.00 (sharing rank 1);
    // O4: 0 + 0 + 0 + 0 + 20 = 20.00; O3: 5 + floor(20 × 155 ÷ 600, two decimals) 5.16 + 0 + 5 + 0 = 15.16.
    // Thresholds 20 / 40 / 60 / 75 / 90: three stars, three stars, one star, none.
    const ratings = await ratingsOf(2025);
    expect(table(ratings)).toEqual({ O1: [3, 1, 70], O2: [3, 1, 70], O4: [1, 3, 20], O3: [0, 4, 15.16] });
    const o3 = ratings['O3']!;
    expect(o3).toMatchObject({ year: 2025, offices: 4, provisional: true, frozenAt: null });
    expect(o3.indicators).toEqual([
      { name: 'ACCOUNTS_REGISTERED', value: 1, best: 4, weight: 20, score: 5 },
      { name: 'SERVICE_HOURS', value: 2.58, best: 10, weight: 20, score: 5.16 },
      { name: 'PROJECTS', value: 0, best: 2, weight: 20, score: 0 },
      { name: 'POINTS_REDEEMED', value: 100, best: 400, weight: 20, score: 5 },
      { name: 'MERCHANTS_RECRUITED', value: 0, best: 2, weight: 20, score: 0 },
    ]);
    expect(o3.explanation).toBe('Score 15.16 of 100, rank 4 of 4 offices of the bank. Below the one-star threshold (20): no star.');
    expect(ratings['O1']!.explanation).toBe('Score 70.00 of 100, rank 1 of 4 offices of the bank (shared by 2). Three stars: the three stars threshold is 60.');
  });

  it('gives a year with nothing counted zero for every office, and no rating to a head bank', async () => {
    expect(table(await ratingsOf(2024))).toEqual({ O1: [0, 1, 0], O2: [0, 1, 0], O3: [0, 1, 0], O4: [0, 1, 0] });
    expect((await ratingsOf(2025, [BANK]))[BANK]).toBeNull();
  });

  it("rates by the bank's own weights, thresholds and quotas once set, ties falling together when a quota cannot hold them", async () => {
    const SET = `mutation ($input: OfficeRatingSchemeSetInput!) {
      officeRatingSchemeSet(input: $input) { scheme { isDefault thresholds quotas weights { indicator weight } } userErrors { field code message } }
    }`;
    const weights = (values: number[]) =>
      ['ACCOUNTS_REGISTERED', 'SERVICE_HOURS', 'PROJECTS', 'POINTS_REDEEMED', 'MERCHANTS_RECRUITED'].map((indicator, index) => ({ indicator, weight: values[index] }));
    const set = async (input: Record<string, unknown>, viewer = platformAdmin) => {
      const result = await recognition.execute(SET, { variables: { input: { bank: BANK, ...input } }, viewer });
      expect(result.errors).toBeUndefined();
      return (result.data as { officeRatingSchemeSet: { scheme: unknown; userErrors: { field: string[]; code: string }[] } }).officeRatingSchemeSet;
    };
    // Refusals first: weights that do not add up, thresholds that decrease, a quota list of the wrong length, outside scope.
    expect((await set({ weights: weights([30, 25, 15, 20, 5]), thresholds: [10, 30, 50, 65, 75] })).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'weights'], code: 'INVALID' }),
    ]);
    expect((await set({ weights: weights([30, 25, 15, 20, 10]), thresholds: [10, 30, 50, 75, 65] })).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'thresholds'], code: 'INVALID' }),
    ]);
    expect((await set({ weights: weights([30, 25, 15, 20, 10]), thresholds: [10, 30, 50, 65, 75], quotas: [1] })).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'quotas'], code: 'INVALID' }),
    ]);
    expect((await set({ weights: weights([30, 25, 15, 20, 10]), thresholds: [10, 30, 50, 65, 75] }, otherAdmin)).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'bank'], code: 'NOT_ALLOWED' }),
    ]);

    // Weights 30 / 25 / 15 / 20 / 10, thresholds 10 / 30 / 50 / 65 / 75, at most one five-star office.
    // O1: 30 + 25 + 7.5 + 10 + 5 = 77.50, five stars; O2: 15 + 25 + 15 + 20 + 0 = 75.00, reaches five but the quota
    // is full: four; O3: 7.5 + floor(25 × 155 ÷ 600) 6.45 + 0 + 5 + 0 = 18.95, one star; O4: 10.00, one star.
    const done = await set({ weights: weights([30, 25, 15, 20, 10]), thresholds: [10, 30, 50, 65, 75], quotas: [null, null, null, null, 1] }, districtAdmin);
    expect(done.userErrors).toEqual([]);
    expect(done.scheme).toMatchObject({ isDefault: false, thresholds: [10, 30, 50, 65, 75], quotas: [null, null, null, null, 1] });
    const ratings = await ratingsOf(2025);
    expect(table(ratings)).toEqual({ O1: [5, 1, 77.5], O2: [4, 2, 75], O3: [1, 3, 18.95], O4: [1, 4, 10] });
    expect(ratings['O2']!.explanation).toBe(
      'Score 75.00 of 100, rank 2 of 4 offices of the bank. The score reaches the five stars threshold (75), but the quota of 1 office at that level is full. Four stars: the four stars threshold is 65.',
    );
  });
});

describe('closing a review', () => {
  it('closes the year once: rankings and ratings frozen, an event for points, the same review the second time', async () => {
    const before = await ratingsOf(2025);
    const first = await close(YEAR_2025);
    expect(first.userErrors).toEqual([]);
    expect(first).toMatchObject({ alreadyClosed: false, review: { period: { bucket: 'YEAR', start: '2025-01-01', end: '2025-12-31' }, scheduled: false } });
    const again = await close(YEAR_2025, districtAdmin);
    expect(again).toMatchObject({ alreadyClosed: true, review: { id: first.review!.id } });

    const frozen = await ratingsOf(2025);
    for (const name of ['O1', 'O2', 'O3', 'O4']) {
      expect(frozen[name]).toMatchObject({ ...before[name], provisional: false, frozenAt: expect.anything() });
    }
    const [event] = await rowsOf<{ payload: Record<string, unknown> }>(
      db(),
      sql`select payload from recognition.outbox where type = 'review.closed' and aggregate_id = ${first.review!.id}`,
    );
    expect(event?.payload).toMatchObject({
      reviewId: first.review!.id,
      bankId: BANK,
      bucket: 'year',
      periodStart: '2025-01-01',
      periodEnd: '2026-01-01',
      endsAt: '2025-12-31T16:00:00.000Z',
    });
  });

  it('shows what the review froze: the bank’s customers, the teams of its area, its offices, and its ratings', async () => {
    const QUERY = `query ($bank: ID!, $period: LeaderboardPeriodInput!) {
      review(bank: $bank, period: $period) {
        id closedAt
        hours: rankings(subject: PERSON, kind: HOURS) { rank person { id } anonymous value }
        rating: rankings(subject: PERSON, kind: RATING) { rank person { id } value ratings }
        teams: rankings(subject: TEAM, kind: HOURS) { rank team { id } value }
        offices: rankings(subject: OFFICE, kind: HOURS) { rank office { id } value }
        officeRatings { office { id } stars rank provisional }
      }
    }`;
    const result = await recognition.execute(QUERY, { variables: { bank: BANK, period: YEAR_2025 }, viewer: volunteer });
    expect(result.errors).toBeUndefined();
    const review = (result.data as { review: Record<string, { rank: number; person?: { id: string } | null; value?: number }[]> }).review;
    // P8 is the other bank's customer: not ranked here.
    expect(review['hours']).toEqual(
      [
        { rank: 1, person: { id: P5 }, anonymous: false, value: 10 },
        { rank: 1, person: { id: P1 }, anonymous: false, value: 10 },
        { rank: 3, person: { id: P7 }, anonymous: false, value: 2.58 },
      ].sort((a, b) => a.rank - b.rank || a.person.id.localeCompare(b.person.id)),
    );
    expect(review['rating']).toEqual([{ rank: 1, person: { id: P1 }, value: 4.8, ratings: 5 }]);
    expect(review['teams']).toEqual([{ rank: 1, team: { id: TEAM }, value: 10 }]);
    expect(review['offices']).toEqual(
      [
        { rank: 1, office: { id: O1 }, value: 10 },
        { rank: 1, office: { id: O2 }, value: 10 },
        { rank: 3, office: { id: O3 }, value: 2.58 },
      ].sort((a, b) => a.rank - b.rank || a.office.id.localeCompare(b.office.id)),
    );
    expect(review['officeRatings']).toEqual([
      { office: { id: O1 }, stars: 5, rank: 1, provisional: false },
      { office: { id: O2 }, stars: 4, rank: 2, provisional: false },
      { office: { id: O3 }, stars: 1, rank: 3, provisional: false },
      { office: { id: O4 }, stars: 1, rank: 4, provisional: false },
    ]);
  });

  it('keeps what it froze: later service and a new scheme change the provisional year, not the closed one; the database refuses edits', async () => {
    await publish('requests', serviceCreated(P7, 6000, '2025-12-20T02:00:00.000Z', { region: STREET }));
    await consumeAll();
    const ratings = await ratingsOf(2025);
    expect(table(ratings)).toEqual({ O1: [5, 1, 77.5], O2: [4, 2, 75], O3: [1, 3, 18.95], O4: [1, 4, 10] });
    const causeOf = (work: Promise<unknown>): Promise<string> =>
      work.then(
        () => 'no error',
        (caught: unknown) => String((caught as { cause?: unknown }).cause ?? caught),
      );
    expect(await causeOf(db().execute(sql`update recognition.office_ratings set stars = 5`))).toContain('recognition.office_ratings is append-only: UPDATE refused');
    expect(await causeOf(db().execute(sql`delete from recognition.review_rankings`))).toContain('recognition.review_rankings is append-only: DELETE refused');
    expect(await causeOf(db().execute(sql`truncate recognition.review_cycles cascade`))).toContain('recognition.review_cycles is append-only: TRUNCATE refused');
  });

  it('makes one review of two closes at once', async () => {
    const [a, b] = await Promise.all([close(Q4_2025), close(Q4_2025, districtAdmin)]);
    expect([a.alreadyClosed, b.alreadyClosed].sort()).toEqual([false, true]);
    expect(a.review!.id).toBe(b.review!.id);
    const [counts] = await rowsOf<{ reviews: number; rankings: number; events: number }>(
      db(),
      sql`select (select count(*)::int from recognition.review_cycles where bank_id = ${BANK} and bucket = 'quarter') as reviews,
                 (select count(*)::int from recognition.review_rankings where review_id = ${a.review!.id}) as rankings,
                 (select count(*)::int from recognition.outbox where type = 'review.closed' and aggregate_id = ${a.review!.id}) as events`,
    );
    // Q4: P5 (two services, 600 minutes) and P7's late 6,000 minutes; persons on hours, services and points; no team, no rating.
    expect(counts).toEqual({ reviews: 1, rankings: 4, events: 1 });
  });

  it('closes by schedule each bank’s latest ended month, quarter and year once, however often it runs', async () => {
    const newYear = new Date('2026-01-01T00:05:00+08:00');
    // Both banks: December 2025 and (for the other bank) Q4 and 2025; this bank's Q4 and 2025 are closed already.
    expect(await closeEndedReviews(db(), newYear)).toBe(4);
    expect(await closeEndedReviews(db(), newYear)).toBe(0);
    const LIST = `query ($bank: ID!) { reviews(bank: $bank) { period { bucket start } scheduled } }`;
    const result = await recognition.execute(LIST, { variables: { bank: BANK }, viewer: volunteer });
    expect((result.data as { reviews: unknown[] }).reviews).toEqual([
      { period: { bucket: 'MONTH', start: '2025-12-01' }, scheduled: true },
      { period: { bucket: 'QUARTER', start: '2025-10-01' }, scheduled: false },
      { period: { bucket: 'YEAR', start: '2025-01-01' }, scheduled: false },
    ]);
  });

  it('refuses a period not ended, not a period, an unknown bank, and those who may not', async () => {
    const codes = async (input: Record<string, unknown>, viewer = platformAdmin) => {
      const result = await recognition.execute(CLOSE, { variables: { input: { bank: BANK, period: YEAR_2025, ...input } }, viewer });
      const payload = (result.data as { reviewClose: ClosePayload | null } | null)?.reviewClose;
      return payload?.userErrors.map((error) => [error.field?.join('.'), error.code]) ?? result.errors?.map((error) => error.extensions?.['code']);
    };
    expect(await codes({ period: { bucket: 'YEAR', start: '2999-01-01' } })).toEqual([['input.period', 'INVALID_STATE']]);
    expect(await codes({ period: { bucket: 'QUARTER', start: '2025-02-01' } })).toEqual([['input.period', 'INVALID']]);
    expect(await codes({ period: { bucket: 'DAY', start: '2025-02-01' } })).toEqual([['input.period', 'INVALID']]);
    expect(await codes({ bank: newId() })).toEqual([['input.bank', 'NOT_FOUND']]);
    expect(await codes({ bank: O1 })).toEqual([['input.bank', 'NOT_FOUND']]);
    expect(await codes({ bank: 'not-an-id' })).toEqual([['input.bank', 'INVALID']]);
    expect(await codes({}, otherAdmin)).toEqual([['input.bank', 'NOT_ALLOWED']]);
    expect(await codes({}, volunteer)).toEqual(['FORBIDDEN']);
    const anonymous = await recognition.execute(CLOSE, { variables: { input: { bank: BANK, period: YEAR_2025 } } });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const reading = await recognition.execute(`{ review(bank: "x", period: { bucket: YEAR, start: "2025-01-01" }) { id } }`, { viewer: volunteer });
    expect(reading.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const year = await recognition.execute(RATING, { variables: { reps: [{ __typename: 'BankUnit', id: O1 }], year: 1900 }, viewer: volunteer });
    expect(year.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('hides from a frozen ranking a person who opts out afterwards', async () => {
    await publish('people', {
      type: 'person.leaderboard_opt_out_set',
      aggregateType: 'person',
      aggregateId: P7,
      payload: { personId: P7, optedOut: true, changedAt: new Date().toISOString() },
    });
    await consumeAll();
    const result = await recognition.execute(
      `query ($bank: ID!) { review(bank: $bank, period: { bucket: YEAR, start: "2025-01-01" }) { rankings(subject: PERSON, kind: HOURS) { rank person { id } anonymous } } }`,
      {
        variables: { bank: BANK },
        viewer: volunteer,
      },
    );
    const entries = (result.data as { review: { rankings: { rank: number; person: unknown; anonymous: boolean }[] } }).review.rankings;
    expect(entries.at(-1)).toEqual({ rank: 3, person: null, anonymous: true });
  });
});
