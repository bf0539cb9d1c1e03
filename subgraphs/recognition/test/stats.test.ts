/**
 * `serviceTallyStats` and `volunteerLeaderboard` over the facts the consumer
 * writes: requests' and people's events are appended as the producers append
 * them (every documented field) and consumed, then the statistics are read
 * through GraphQL with exact figures: region levels, Beijing days and
 * quarters, a reversal netting out its original, ratings of a team's
 * service, scope, refusals, one statement per question.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { newId, type NewEvent } from '@lianxin/shared';
import { countStatements, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { consumeAll as consumeEvents, publish as publishEvents, startRecognition, type Source } from './support.js';
import type { RecognitionContext } from '../src/context.js';
import { personTallies, serviceFacts } from '../src/db/schema.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;
const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);

/** Consumer passes until every published event is applied. */
async function consumeAll(): Promise<void> {
  await consumeEvents(db());
}

// A district with two streets, a community in each, and a building in the first community.
const DISTRICT = newId();
const STREET_1 = newId();
const STREET_2 = newId();
const COMMUNITY_1 = newId();
const COMMUNITY_2 = newId();
const BUILDING = newId();
const PATH_C1 = [DISTRICT, STREET_1, COMMUNITY_1, BUILDING];
const PATH_C2 = [DISTRICT, STREET_2, COMMUNITY_2];
const PATH_S1 = [DISTRICT, STREET_1];
const [A, B, C] = [newId(), newId(), newId()].sort() as [string, string, string];

function regionCreated(regionId: string, kind: string, path: string[]): NewEvent {
  return { type: 'region.created', aggregateType: 'region', aggregateId: regionId, payload: { regionId, parentId: path.at(-1) ?? null, kind, path } };
}

function serviceCreated(volunteerId: string, minutes: number, servedAt: string, regionPath: string[], recordId = newId()): NewEvent {
  return {
    type: 'service_record.created',
    aggregateType: 'service_record',
    aggregateId: recordId,
    payload: {
      serviceRecordId: recordId,
      volunteerId,
      categoryCode: 'home_repair',
      minutes,
      servedAt,
      requestId: newId(),
      activityId: null,
      correctsId: null,
      regionId: regionPath.at(-1) ?? null,
      regionPath,
      createdAt: '2024-04-10T08:00:00.000Z',
    },
  };
}

function serviceReversed(volunteerId: string, originalId: string, minutes: number, regionPath: string[]): NewEvent {
  return {
    type: 'service_record.reversed',
    aggregateType: 'service_record',
    aggregateId: originalId,
    payload: {
      serviceRecordId: newId(),
      reversesId: originalId,
      volunteerId,
      categoryCode: 'home_repair',
      minutes: -minutes,
      regionId: regionPath.at(-1) ?? null,
      regionPath,
      // Reversed weeks later: the reversal still counts on its original's day.
      createdAt: '2024-05-20T08:00:00.000Z',
    },
  };
}

function requestRated(assigneeId: string | null, score: number, ratedAt: string, regionPath: string[]): NewEvent {
  const requestId = newId();
  return {
    type: 'service_request.rated',
    aggregateType: 'service_request',
    aggregateId: requestId,
    payload: {
      requestId,
      assigneeId,
      teamId: assigneeId ? null : newId(),
      requesterId: newId(),
      ratedById: newId(),
      score,
      categoryCode: 'home_repair',
      regionId: regionPath.at(-1) ?? null,
      regionPath,
      ratedAt,
    },
  };
}

const REVERSED = newId();
const A_FIRST = newId();

beforeAll(async () => {
  recognition = await startRecognition();
  await publish(
    'people',
    regionCreated(DISTRICT, 'district', []),
    regionCreated(STREET_1, 'street', [DISTRICT]),
    regionCreated(STREET_2, 'street', [DISTRICT]),
    regionCreated(COMMUNITY_1, 'community', [DISTRICT, STREET_1]),
    regionCreated(COMMUNITY_2, 'community', [DISTRICT, STREET_2]),
    regionCreated(BUILDING, 'building', [DISTRICT, STREET_1, COMMUNITY_1]),
  );
  const aFirst = serviceCreated(A, 120, '2024-03-10T02:00:00.000Z', PATH_C1, A_FIRST);
  await publish(
    'requests',
    aFirst,
    serviceCreated(A, 60, '2024-04-02T02:00:00.000Z', PATH_C2),
    // 01:00 on 1 April in Beijing: the second quarter, though still March in UTC.
    serviceCreated(B, 90, '2024-03-31T17:00:00.000Z', PATH_C1),
    // Placed at the street itself, above any community.
    serviceCreated(B, 30, '2024-03-20T02:00:00.000Z', PATH_S1),
    serviceCreated(C, 150, '2024-03-05T02:00:00.000Z', PATH_C1, REVERSED),
    requestRated(A, 5, '2024-03-10T06:00:00.000Z', PATH_C1),
    // A team served it alone: no one's tally, yet a rating of the community's service.
    requestRated(null, 4, '2024-03-11T06:00:00.000Z', PATH_C1),
    requestRated(A, 3, '2024-04-03T06:00:00.000Z', PATH_C2),
  );
  await publish('requests', serviceReversed(C, REVERSED, 150, PATH_C1));
  // The same record announced again (a redelivery under a new event id) adds nothing.
  await publish('requests', { ...aFirst });
  await consumeAll();
});
afterAll(async () => {
  await recognition?.stop();
});

const STATS = `query ($f: ServiceTallyStatsFilter, $g: ServiceTallyGrouping) { serviceTallyStats(filter: $f, groupBy: $g) {
  total { minutes hours services volunteers ratings averageRating }
  buckets { region { id } period { bucket start end } figures { minutes hours services volunteers ratings averageRating } }
} }`;
const BOARD = `query ($f: VolunteerLeaderboardFilter, $first: Int) { volunteerLeaderboard(filter: $f, first: $first) {
  rank volunteer { id } minutes hours services
} }`;

interface Figures {
  minutes: number;
  hours: number;
  services: number;
  volunteers: number;
  ratings: number;
  averageRating: number | null;
}
interface Stats {
  serviceTallyStats: {
    total: Figures;
    buckets: { region: { id: string } | null; period: { bucket: string; start: string | Date; end: string | Date } | null; figures: Figures }[];
  };
}
interface Board {
  volunteerLeaderboard: { rank: number; volunteer: { id: string }; minutes: number; hours: number; services: number }[];
}

const analyst = viewerOf({ roles: ['analyst'] });
const volunteer = viewerOf({ roles: ['volunteer'], personId: B });
const day = (value: string | Date): string => (value instanceof Date ? value.toISOString() : value).slice(0, 10);

async function run<T>(query: string, viewer: ReturnType<typeof viewerOf>, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await recognition.execute(query, { variables, viewer });
  expect(result.errors).toBeUndefined();
  return result.data as T;
}
async function codeOf(query: string, viewer: ReturnType<typeof viewerOf> | undefined, variables: Record<string, unknown> = {}): Promise<unknown> {
  const result = await recognition.execute(query, { variables, ...(viewer ? { viewer } : {}) });
  return result.errors?.[0]?.extensions?.['code'];
}

describe('the facts', () => {
  it('holds one row per record, the reversal on its original’s day, and agrees with the tallies', async () => {
    const facts = await db().select().from(serviceFacts);
    expect(facts).toHaveLength(6);
    expect(facts.filter((fact) => fact.serviceRecordId === A_FIRST)).toHaveLength(1);
    const reversal = facts.find((fact) => fact.reversesId === REVERSED);
    expect(reversal).toMatchObject({ volunteerId: C, minutes: -150, servedOn: '2024-03-05', regionPath: PATH_C1, categoryCode: 'home_repair' });
    expect(facts.find((fact) => fact.volunteerId === B && fact.minutes === 90)?.servedOn).toBe('2024-04-01');
    const [a] = await db().select().from(personTallies).where(eq(personTallies.personId, A));
    expect(a).toMatchObject({ serviceMinutes: 180, services: 2, ratings: 2, ratingSum: 8 });
  });
});

describe('serviceTallyStats', () => {
  it('groups by street and Beijing quarter, with the total over all', async () => {
    const data = await run<Stats>(STATS, analyst, { g: { region: 'STREET', period: 'QUARTER' } });
    expect(data.serviceTallyStats.total).toEqual({ minutes: 300, hours: 5, services: 4, volunteers: 2, ratings: 3, averageRating: 4 });
    const buckets = data.serviceTallyStats.buckets.map((bucket) => ({ ...bucket, period: { ...bucket.period!, start: day(bucket.period!.start), end: day(bucket.period!.end) } }));
    const q1 = { bucket: 'QUARTER', start: '2024-01-01', end: '2024-03-31' };
    const q2 = { bucket: 'QUARTER', start: '2024-04-01', end: '2024-06-30' };
    expect(buckets).toHaveLength(3);
    expect(buckets).toEqual(
      expect.arrayContaining([
        { region: { id: STREET_1 }, period: q1, figures: { minutes: 150, hours: 2.5, services: 2, volunteers: 2, ratings: 2, averageRating: 4.5 } },
        { region: { id: STREET_1 }, period: q2, figures: { minutes: 90, hours: 1.5, services: 1, volunteers: 1, ratings: 0, averageRating: null } },
        { region: { id: STREET_2 }, period: q2, figures: { minutes: 60, hours: 1, services: 1, volunteers: 1, ratings: 1, averageRating: 3 } },
      ]),
    );
  });

  it('groups by community, what was placed above one in a bucket without a region', async () => {
    const data = await run<Stats>(STATS, analyst, { g: { region: 'COMMUNITY' } });
    const byRegion = new Map(data.serviceTallyStats.buckets.map((bucket) => [bucket.region?.id ?? null, bucket.figures]));
    expect(byRegion).toEqual(
      new Map([
        [COMMUNITY_1, { minutes: 210, hours: 3.5, services: 2, volunteers: 2, ratings: 2, averageRating: 4.5 }],
        [COMMUNITY_2, { minutes: 60, hours: 1, services: 1, volunteers: 1, ratings: 1, averageRating: 3 }],
        [null, { minutes: 30, hours: 0.5, services: 1, volunteers: 1, ratings: 0, averageRating: null }],
      ]),
    );
    expect(data.serviceTallyStats.buckets.at(-1)?.region).toBeNull();
  });

  it('narrows by region and Beijing days, and cuts a community admin to their scope', async () => {
    const march = await run<Stats>(STATS, analyst, { f: { region: COMMUNITY_1, from: '2024-03-01', to: '2024-03-31' } });
    const marchFigures = { minutes: 120, hours: 2, services: 1, volunteers: 1, ratings: 2, averageRating: 4.5 };
    expect(march.serviceTallyStats).toEqual({ total: marchFigures, buckets: [{ region: null, period: null, figures: marchFigures }] });
    const admin = viewerOf({ roles: ['community_admin'], regionIds: [COMMUNITY_2] });
    const mine = await run<Stats>(STATS, admin, { f: { region: COMMUNITY_1 } });
    expect(mine.serviceTallyStats.total).toEqual({ minutes: 0, hours: 0, services: 0, volunteers: 0, ratings: 0, averageRating: null });
    const all = await run<Stats>(STATS, admin);
    expect(all.serviceTallyStats.total).toEqual({ minutes: 60, hours: 1, services: 1, volunteers: 1, ratings: 1, averageRating: 3 });
    const other = await run<Stats>(STATS, analyst, { f: { categories: ['cleaning'] } });
    expect(other.serviceTallyStats.total.minutes).toBe(0);
  });

  it('is refused to volunteers and admins without a region, asks anonymous callers to sign in, and refuses a malformed question', async () => {
    expect(await codeOf(STATS, volunteer)).toBe('FORBIDDEN');
    expect(await codeOf(STATS, viewerOf({ roles: ['station_admin'] }))).toBe('FORBIDDEN');
    expect(await codeOf(STATS, undefined)).toBe('UNAUTHENTICATED');
    for (const f of [{ region: 'street-1' }, { from: '2024-04-01', to: '2024-03-01' }, { from: 'yesterday' }]) {
      expect(await codeOf(STATS, analyst, { f })).toBe('BAD_USER_INPUT');
    }
  });

  it('answers in one statement', async () => {
    const { result, count } = await countStatements(recognition.analytics, () =>
      recognition.execute(STATS, { variables: { g: { region: 'COMMUNITY', period: 'DAY' } }, viewer: analyst }),
    );
    expect(result.errors).toBeUndefined();
    expect(count).toBe(1);
  });
});

describe('volunteerLeaderboard', () => {
  it('ranks by hours where and when they were served; a wholly reversed volunteer is not ranked', async () => {
    const all = await run<Board>(BOARD, volunteer);
    expect(all.volunteerLeaderboard).toEqual([
      { rank: 1, volunteer: { id: A }, minutes: 180, hours: 3, services: 2 },
      { rank: 2, volunteer: { id: B }, minutes: 120, hours: 2, services: 2 },
    ]);
    const q1 = await run<Board>(BOARD, analyst, { f: { region: STREET_1, from: '2024-01-01', to: '2024-03-31' } });
    expect(q1.volunteerLeaderboard).toEqual([
      { rank: 1, volunteer: { id: A }, minutes: 120, hours: 2, services: 1 },
      { rank: 2, volunteer: { id: B }, minutes: 30, hours: 0.5, services: 1 },
    ]);
    // With 1 April (Beijing) B's 90 minutes count too: a tie shares the rank.
    const tied = await run<Board>(BOARD, analyst, { f: { region: STREET_1, to: '2024-04-01' } });
    expect(tied.volunteerLeaderboard.map((entry) => [entry.rank, entry.volunteer.id, entry.minutes])).toEqual([
      [1, A, 120],
      [1, B, 120],
    ]);
    const top = await run<Board>(BOARD, analyst, { first: 1 });
    expect(top.volunteerLeaderboard.map((entry) => entry.volunteer.id)).toEqual([A]);
    const empty = await run<Board>(BOARD, analyst, { f: { from: '2025-01-01' } });
    expect(empty.volunteerLeaderboard).toEqual([]);
  });

  it('asks anonymous callers to sign in, refuses a malformed question, and answers in one statement', async () => {
    expect(await codeOf(BOARD, undefined)).toBe('UNAUTHENTICATED');
    for (const variables of [{ first: 0 }, { first: 101 }, { f: { region: 'x' } }, { f: { from: '2024-04-01', to: '2024-03-01' } }]) {
      expect(await codeOf(BOARD, analyst, variables)).toBe('BAD_USER_INPUT');
    }
    const { result, count } = await countStatements(recognition.analytics, () => recognition.execute(BOARD, { variables: { first: 10 }, viewer: volunteer }));
    expect(result.errors).toBeUndefined();
    expect(count).toBe(1);
  });
});
