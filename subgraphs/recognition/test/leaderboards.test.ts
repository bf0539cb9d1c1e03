/**
 * `leaderboard` on real Postgres: events appended as their producers append
 * them (requests, points, people) and consumed, then every kind for persons,
 * teams and offices read through GraphQL and compared with figures worked
 * out by hand from the events below; ties sharing a rank; scopes; a person
 * who opted out shown as "a volunteer" in their rank; access; refusals; one
 * statement per board.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { newId, rowsOf, type NewEvent } from '@lianxin/shared';
import { countStatements, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { consumeAll as consumeEvents, publish as publishEvents, regionCreated, startRecognition, type Source } from './support.js';
import type { RecognitionContext } from '../src/context.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;

const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);

/** Consumer passes until every published event is applied, and no dead letter left. */
async function consumeAll(): Promise<void> {
  await consumeEvents(db());
  const [letters] = await rowsOf<{ n: number }>(db(), sql`select count(*)::int as n from recognition.dead_letters`);
  expect(letters?.n).toBe(0);
}

// A district → street → two communities; two teams; two head banks with an office each.
const DISTRICT = newId();
const STREET = newId();
const EAST = newId();
const WEST = newId();
const PATHS: Record<string, string[]> = { [EAST]: [DISTRICT, STREET, EAST], [WEST]: [DISTRICT, STREET, WEST] };
const pathOf = (region: string): string[] => PATHS[region] ?? [region];
const [A, B, C, D] = [newId(), newId(), newId(), newId()].sort() as [string, string, string, string];
const [T1, T2] = [newId(), newId()].sort() as [string, string];
const [O1, O2] = [newId(), newId()].sort() as [string, string];
const BANK1 = newId();
const BANK2 = newId();

function serviceCreated(volunteerId: string, minutes: number, servedAt: string, region: string, teamId: string | null, recordId = newId()): NewEvent {
  return {
    type: 'service_record.created',
    aggregateType: 'service_record',
    aggregateId: recordId,
    payload: {
      serviceRecordId: recordId,
      volunteerId,
      categoryCode: 'repair',
      minutes,
      servedAt,
      requestId: newId(),
      activityId: null,
      teamId,
      correctsId: null,
      regionId: region,
      regionPath: pathOf(region),
      createdAt: servedAt,
    },
  };
}

function serviceReversed(volunteerId: string, originalId: string, minutes: number, region: string): NewEvent {
  return {
    type: 'service_record.reversed',
    aggregateType: 'service_record',
    aggregateId: originalId,
    payload: {
      serviceRecordId: newId(),
      reversesId: originalId,
      volunteerId,
      categoryCode: 'repair',
      minutes: -minutes,
      regionId: region,
      regionPath: pathOf(region),
      createdAt: '2024-04-20T02:00:00.000Z',
    },
  };
}

function rated(assigneeId: string, teamId: string, score: number, region: string): NewEvent {
  const requestId = newId();
  return {
    type: 'service_request.rated',
    aggregateType: 'service_request',
    aggregateId: requestId,
    payload: {
      requestId,
      assigneeId,
      teamId,
      requesterId: newId(),
      ratedById: newId(),
      score,
      categoryCode: 'repair',
      regionId: region,
      regionPath: pathOf(region),
      ratedAt: '2024-04-22T02:00:00.000Z',
    },
  };
}

function unitOpened(unitId: string, kind: string, bankId: string): NewEvent {
  return {
    type: 'bank_unit.opened',
    aggregateType: 'bank_unit',
    aggregateId: unitId,
    payload: { unitId, kind, bankId, parentId: kind === 'head_bank' ? null : newId(), regionId: STREET, openedAt: '2023-01-01T00:00:00.000Z' },
  };
}

function accountOpened(holderId: string, officeId: string, bankId: string): NewEvent {
  const accountId = newId();
  return { type: 'account.opened', aggregateType: 'account', aggregateId: accountId, payload: { accountId, holderId, officeId, bankId, openedAt: '2024-01-02T00:00:00.000Z' } };
}

function deposited(holderId: string, officeId: string, bankId: string, points: number, teamId: string): NewEvent {
  const depositId = newId();
  const accountId = newId();
  return {
    type: 'deposit.made',
    aggregateType: 'account',
    aggregateId: accountId,
    payload: {
      depositId,
      accountId,
      holderId,
      officeId,
      bankId,
      serviceRecordId: newId(),
      points,
      categoryCode: 'repair',
      regionId: EAST,
      regionPath: pathOf(EAST),
      teamId,
      madeAt: '2024-04-25T02:00:00.000Z',
    },
  };
}

function optOutSet(personId: string, optedOut: boolean): NewEvent {
  return {
    type: 'person.leaderboard_opt_out_set',
    aggregateType: 'person',
    aggregateId: personId,
    payload: { personId, optedOut, changedAt: new Date().toISOString() },
  };
}

const REVERSED = newId();

beforeAll(async () => {
  recognition = await startRecognition();
  await publish(
    'people',
    regionCreated(DISTRICT, 'district', [DISTRICT]),
    regionCreated(STREET, 'street', [DISTRICT, STREET]),
    regionCreated(EAST, 'community', [DISTRICT, STREET, EAST]),
    regionCreated(WEST, 'community', [DISTRICT, STREET, WEST]),
  );
  await publish(
    'points',
    unitOpened(BANK1, 'head_bank', BANK1),
    unitOpened(BANK2, 'head_bank', BANK2),
    unitOpened(O1, 'savings_office', BANK1),
    unitOpened(O2, 'savings_office', BANK2),
    accountOpened(A, O1, BANK1),
    accountOpened(B, O1, BANK1),
    accountOpened(C, O2, BANK2),
  );
  await consumeAll();
  // April 2024 (Beijing): A 120 + 60 min, B 180 min (and 60 reversed), C 90 + 30 min; D 600 min in March.
  // 2024-03-31T16:30Z is 1 April in Beijing: it counts in April.
  await publish(
    'requests',
    serviceCreated(A, 120, '2024-04-03T02:00:00.000Z', EAST, T1),
    serviceCreated(A, 60, '2024-04-04T02:00:00.000Z', WEST, null),
    serviceCreated(B, 180, '2024-03-31T16:30:00.000Z', EAST, T1),
    serviceCreated(B, 60, '2024-04-05T02:00:00.000Z', WEST, null, REVERSED),
    serviceCreated(C, 90, '2024-04-06T02:00:00.000Z', WEST, T2),
    serviceCreated(C, 30, '2024-04-07T02:00:00.000Z', WEST, T2),
    serviceCreated(D, 600, '2024-03-20T02:00:00.000Z', EAST, null),
  );
  await consumeAll();
  await publish(
    'requests',
    serviceReversed(B, REVERSED, 60, WEST),
    // A: 5, 5, 4, 4, 5 (4.6 over 5); B: six fives (5.0 over 6); C: four fives, one too few to rank.
    ...[5, 5, 4, 4, 5].map((score) => rated(A, T1, score, EAST)),
    ...[5, 5, 5, 5, 5, 5].map((score) => rated(B, T1, score, EAST)),
    ...[5, 5, 5, 5].map((score) => rated(C, T2, score, WEST)),
  );
  await publish('points', deposited(A, O1, BANK1, 100, T1), deposited(B, O1, BANK1, 50, T1), deposited(C, O2, BANK2, 100, T2));
  await consumeAll();
});
afterAll(async () => {
  await recognition?.stop();
});

const BOARD = `query ($kind: LeaderboardKind!, $subject: LeaderboardSubject!, $period: LeaderboardPeriodInput!, $scope: LeaderboardScopeInput, $first: Int) {
  leaderboard(kind: $kind, subject: $subject, period: $period, scope: $scope, first: $first) {
    kind subject minimumRatings period { bucket start end }
    entries { rank person { id } team { id } office { id } anonymous value ratings }
  }
}`;
const APRIL = { bucket: 'MONTH', start: '2024-04-01' };
const YEAR = { bucket: 'YEAR', start: '2024-01-01' };
const volunteer = viewerOf({ roles: ['volunteer'], personId: C });

interface Entry {
  rank: number;
  person: { id: string } | null;
  team: { id: string } | null;
  office: { id: string } | null;
  anonymous: boolean;
  value: number;
  ratings: number | null;
}

async function board(variables: Record<string, unknown>): Promise<{ minimumRatings: number | null; period: { start: unknown; end: unknown }; entries: Entry[] }> {
  const result = await recognition.execute(BOARD, { variables, viewer: volunteer });
  expect(result.errors).toBeUndefined();
  return (result.data as { leaderboard: { minimumRatings: number | null; period: { start: unknown; end: unknown }; entries: Entry[] } }).leaderboard;
}

/** Each entry as [rank, id, value]. */
async function ranks(variables: Record<string, unknown>): Promise<[number, string | null, number][]> {
  const { entries } = await board(variables);
  return entries.map((entry) => [entry.rank, entry.person?.id ?? entry.team?.id ?? entry.office?.id ?? null, entry.value]);
}

async function codeOf(variables: Record<string, unknown>, viewer: ReturnType<typeof viewerOf> | null = volunteer): Promise<unknown> {
  const result = await recognition.execute(BOARD, { variables, ...(viewer ? { viewer } : {}) });
  return result.errors?.[0]?.extensions?.['code'];
}

describe('persons', () => {
  it('ranks hours, equal time sharing a rank, the reversal and other months left out', async () => {
    expect(await ranks({ kind: 'HOURS', subject: 'PERSON', period: APRIL })).toEqual([
      [1, A, 3],
      [1, B, 3],
      [3, C, 2],
    ]);
    expect(await ranks({ kind: 'HOURS', subject: 'PERSON', period: { bucket: 'QUARTER', start: '2024-01-01' } })).toEqual([[1, D, 10]]);
  });

  it('ranks services, the reversed one not counted', async () => {
    expect(await ranks({ kind: 'SERVICES', subject: 'PERSON', period: APRIL })).toEqual([
      [1, A, 2],
      [1, C, 2],
      [3, B, 1],
    ]);
  });

  it('ranks the average rating of those with at least the minimum number of ratings', async () => {
    const result = await board({ kind: 'RATING', subject: 'PERSON', period: APRIL });
    expect(result.minimumRatings).toBe(5);
    expect(result.entries.map((entry) => [entry.rank, entry.person?.id, entry.value, entry.ratings])).toEqual([
      [1, B, 5, 6],
      [2, A, 4.6, 5],
    ]);
  });

  it('ranks points deposited', async () => {
    expect(await ranks({ kind: 'POINTS', subject: 'PERSON', period: APRIL })).toEqual([
      [1, A, 100],
      [1, C, 100],
      [3, B, 50],
    ]);
  });

  it('narrows to a region subtree, a team, a head bank’s customers', async () => {
    expect(await ranks({ kind: 'HOURS', subject: 'PERSON', period: APRIL, scope: { region: EAST } })).toEqual([
      [1, B, 3],
      [2, A, 2],
    ]);
    expect(await ranks({ kind: 'HOURS', subject: 'PERSON', period: APRIL, scope: { region: DISTRICT } })).toHaveLength(3);
    expect(await ranks({ kind: 'SERVICES', subject: 'PERSON', period: APRIL, scope: { team: T2 } })).toEqual([[1, C, 2]]);
    expect(await ranks({ kind: 'HOURS', subject: 'PERSON', period: APRIL, scope: { bank: BANK1 } })).toEqual([
      [1, A, 3],
      [1, B, 3],
    ]);
  });

  it('gives the first entries only, ranked among all', async () => {
    expect(await ranks({ kind: 'SERVICES', subject: 'PERSON', period: APRIL, first: 2 })).toEqual([
      [1, A, 2],
      [1, C, 2],
    ]);
  });
});

describe('teams and offices', () => {
  it('ranks teams on each kind from their months', async () => {
    expect(await ranks({ kind: 'HOURS', subject: 'TEAM', period: APRIL })).toEqual([
      [1, T1, 5],
      [2, T2, 2],
    ]);
    expect(await ranks({ kind: 'SERVICES', subject: 'TEAM', period: APRIL })).toEqual([
      [1, T1, 2],
      [1, T2, 2],
    ]);
    // T1: 23 + 30 over 11 ratings = 4.818…; T2 has four.
    expect(await ranks({ kind: 'RATING', subject: 'TEAM', period: APRIL })).toEqual([[1, T1, 4.82]]);
    expect(await ranks({ kind: 'POINTS', subject: 'TEAM', period: APRIL })).toEqual([
      [1, T1, 150],
      [2, T2, 100],
    ]);
    expect(await ranks({ kind: 'HOURS', subject: 'TEAM', period: APRIL, scope: { region: WEST } })).toEqual([[1, T2, 2]]);
  });

  it('ranks offices by year on hours and points, within a head bank', async () => {
    // O1: A 180 + B 180 minutes, 150 points; O2: C 120 minutes, 100 points. D is no one's customer.
    expect(await ranks({ kind: 'HOURS', subject: 'OFFICE', period: YEAR })).toEqual([
      [1, O1, 6],
      [2, O2, 2],
    ]);
    expect(await ranks({ kind: 'POINTS', subject: 'OFFICE', period: YEAR })).toEqual([
      [1, O1, 150],
      [2, O2, 100],
    ]);
    expect(await ranks({ kind: 'POINTS', subject: 'OFFICE', period: YEAR, scope: { bank: BANK2 } })).toEqual([[1, O2, 100]]);
  });
});

describe('opting out', () => {
  it('shows a person who opted out as a volunteer in their rank, and by name again once they opt back in', async () => {
    await publish('people', optOutSet(A, true));
    await consumeAll();
    const { entries } = await board({ kind: 'HOURS', subject: 'PERSON', period: APRIL });
    expect(entries.map((entry) => [entry.rank, entry.person?.id ?? null, entry.anonymous, entry.value])).toEqual([
      [1, null, true, 3],
      [1, B, false, 3],
      [3, C, false, 2],
    ]);
    await publish('people', optOutSet(A, false));
    await consumeAll();
    expect((await board({ kind: 'HOURS', subject: 'PERSON', period: APRIL })).entries[0]).toMatchObject({ person: { id: A }, anonymous: false });
  });
});

describe('access and refusals', () => {
  it('is for anyone signed in', async () => {
    expect(await codeOf({ kind: 'HOURS', subject: 'PERSON', period: APRIL }, null)).toBe('UNAUTHENTICATED');
  });

  it('refuses a bad scope, period or size', async () => {
    const refused: Record<string, unknown>[] = [
      { kind: 'HOURS', subject: 'PERSON', period: APRIL, scope: { region: newId() } },
      { kind: 'HOURS', subject: 'PERSON', period: APRIL, scope: { region: 'east' } },
      { kind: 'HOURS', subject: 'PERSON', period: APRIL, scope: { bank: O1 } },
      { kind: 'HOURS', subject: 'PERSON', period: APRIL, scope: { region: EAST, team: T1 } },
      { kind: 'HOURS', subject: 'TEAM', period: APRIL, scope: { bank: BANK1 } },
      { kind: 'HOURS', subject: 'OFFICE', period: YEAR, scope: { region: EAST } },
      { kind: 'SERVICES', subject: 'OFFICE', period: YEAR },
      { kind: 'HOURS', subject: 'OFFICE', period: APRIL },
      { kind: 'HOURS', subject: 'PERSON', period: { bucket: 'QUARTER', start: '2024-02-01' } },
      { kind: 'HOURS', subject: 'PERSON', period: { bucket: 'WEEK', start: '2024-04-01' } },
      { kind: 'HOURS', subject: 'PERSON', period: APRIL, first: 0 },
      { kind: 'HOURS', subject: 'PERSON', period: APRIL, first: 101 },
    ];
    for (const variables of refused) expect([variables, await codeOf(variables)]).toEqual([variables, 'BAD_USER_INPUT']);
  });

  it('answers a board, its scope checked, in one statement', async () => {
    for (const scope of [null, { region: STREET }, { bank: BANK1 }]) {
      const { result, count } = await countStatements(recognition.database, () =>
        recognition.execute(BOARD, { variables: { kind: 'RATING', subject: 'PERSON', period: APRIL, scope }, viewer: volunteer }),
      );
      expect(result.errors).toBeUndefined();
      expect(count).toBe(1);
    }
  });
});
