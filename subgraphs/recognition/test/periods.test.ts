/**
 * The read model by period, on real Postgres: person and team months and
 * office years, fed only by events appended to the producers' outboxes
 * (the payloads of docs/events.md, with every field) and applied by
 * `consumeOnce`. Every expected figure is worked out by hand from the
 * events in the test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, asc, eq, sql } from 'drizzle-orm';
import { newId, type ConsumeReport, type NewEvent } from '@lianxin/shared';
import { type SubgraphHarness } from '@lianxin/shared/testing';
import {
  DISTRICT,
  EAST,
  PATHS,
  STREET,
  WEST,
  consumeAll as consumeEvents,
  publish as publishEvents,
  requestRated,
  serviceCreated,
  serviceReversed,
  startRecognition,
  bankUnitOpened,
  accountOpened,
  depositMade,
  depositReversed,
  redemptionMade,
  merchantJoined,
  type Source,
} from './support.js';
import type { RecognitionContext } from '../src/context.js';
import { officeYearTallies, personMonthTallies, personTallies, teamMonthTallies } from '../src/db/schema.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;

beforeAll(async () => {
  recognition = await startRecognition();
});
afterAll(async () => {
  await recognition?.stop();
});

const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);

/** Consumer passes until every published event is applied, none of them dead-lettered. */
async function consumeAll(): Promise<ConsumeReport> {
  const total = await consumeEvents(db());
  expect(total.deadLettered).toBe(0);
  return total;
}

/** A person's cells, by month, category, region and team, without the bookkeeping columns. */
async function cellsOf(personId: string) {
  const rows = await db()
    .select()
    .from(personMonthTallies)
    .where(eq(personMonthTallies.personId, personId))
    .orderBy(asc(personMonthTallies.month), asc(personMonthTallies.categoryCode), asc(personMonthTallies.regionId), asc(personMonthTallies.teamId));
  return rows.map(({ id: _id, updatedAt: _updatedAt, personId: _personId, ...cell }) => cell);
}

const zero = { serviceMinutes: 0, services: 0, activities: 0, ratings: 0, ratingSum: 0, pointsDeposited: 0, pointsRedeemed: 0 };

async function teamMonths(teamId: string) {
  const rows = await db().select().from(teamMonthTallies).where(eq(teamMonthTallies.teamId, teamId)).orderBy(asc(teamMonthTallies.month));
  return rows.map(({ updatedAt: _updatedAt, teamId: _teamId, ...cell }) => cell);
}

async function officeYears(officeId: string) {
  const rows = await db().select().from(officeYearTallies).where(eq(officeYearTallies.officeId, officeId)).orderBy(asc(officeYearTallies.year));
  return rows.map(({ updatedAt: _updatedAt, officeId: _officeId, bankId: _bankId, ...cell }) => cell);
}

describe('person months', () => {
  it('keeps minutes, net services, activities, ratings and points per Beijing month, category, place and team', async () => {
    const [volunteer, team, activity] = [newId(), newId(), newId()];
    const office = { officeId: newId(), bankId: newId() };
    await publish(
      'requests',
      // 31 March 23:30 Beijing is still March; 16:30Z on 31 March is 1 April 00:30 in Beijing.
      serviceCreated(volunteer, 60, '2024-03-31T15:30:00.000Z', { region: EAST }),
      serviceCreated(volunteer, 30, '2024-03-31T16:30:00.000Z', { region: EAST }),
      serviceCreated(volunteer, 45, '2024-04-10T02:00:00.000Z', { region: EAST, teamId: team }),
      serviceCreated(volunteer, 120, '2024-04-12T02:00:00.000Z', { region: WEST, category: 'cleaning', activityId: activity }),
      requestRated(volunteer, 4, '2024-04-10T05:00:00.000Z', EAST, team),
      requestRated(volunteer, 5, '2024-04-11T05:00:00.000Z', EAST),
    );
    await publish(
      'points',
      depositMade(volunteer, office, 9, '2024-04-10T06:00:00.000Z', { region: EAST, teamId: team }),
      redemptionMade(volunteer, office, 7, '2024-04-20T06:00:00.000Z'),
    );
    await consumeAll();

    const regionPath = (region: string) => PATHS[region];
    // Ordered by month, category, region and team, nulls last.
    expect(await cellsOf(volunteer)).toEqual([
      { month: '2024-03-01', categoryCode: 'repair', regionId: EAST, regionPath: regionPath(EAST), teamId: null, ...zero, serviceMinutes: 60, services: 1 },
      { month: '2024-04-01', categoryCode: 'cleaning', regionId: WEST, regionPath: regionPath(WEST), teamId: null, ...zero, serviceMinutes: 120, services: 1, activities: 1 },
      {
        month: '2024-04-01',
        categoryCode: 'repair',
        regionId: EAST,
        regionPath: regionPath(EAST),
        teamId: team,
        ...zero,
        serviceMinutes: 45,
        services: 1,
        ratings: 1,
        ratingSum: 4,
        pointsDeposited: 9,
      },
      {
        month: '2024-04-01',
        categoryCode: 'repair',
        regionId: EAST,
        regionPath: regionPath(EAST),
        teamId: null,
        ...zero,
        serviceMinutes: 30,
        services: 1,
        ratings: 1,
        ratingSum: 5,
      },
      { month: '2024-04-01', categoryCode: null, regionId: null, regionPath: [], teamId: null, ...zero, pointsRedeemed: 7 },
    ]);

    // A region subtree is one condition on the path: April in the street (both communities), and in the east alone.
    const inSubtree = async (region: string) => {
      const [row] = await db()
        .select({ minutes: sql<number>`sum(${personMonthTallies.serviceMinutes})::int` })
        .from(personMonthTallies)
        .where(and(eq(personMonthTallies.personId, volunteer), eq(personMonthTallies.month, '2024-04-01'), sql`${personMonthTallies.regionPath} @> array[${region}]::uuid[]`));
      return row?.minutes;
    };
    expect([await inSubtree(STREET), await inSubtree(EAST), await inSubtree(WEST)]).toEqual([195, 75, 120]);

    // The lifetime tally is what it always was.
    const [lifetime] = await db().select().from(personTallies).where(eq(personTallies.personId, volunteer));
    expect(lifetime).toMatchObject({ serviceMinutes: 255, services: 4, ratings: 2, ratingSum: 9 });
  });

  it('takes a reversal that comes in a later month back from the original month and cell', async () => {
    const [volunteer, team, record] = [newId(), newId(), newId()];
    await publish('requests', serviceCreated(volunteer, 50, '2024-05-20T02:00:00.000Z', { region: WEST, teamId: team, recordId: record }));
    await publish('requests', serviceCreated(volunteer, 20, '2024-06-03T02:00:00.000Z', { region: WEST, teamId: team }));
    await consumeAll();
    await publish('requests', serviceReversed(volunteer, record, 50, WEST, '2024-07-02T02:00:00.000Z'));
    await consumeAll();

    expect(await cellsOf(volunteer)).toEqual([
      { month: '2024-05-01', categoryCode: 'repair', regionId: WEST, regionPath: PATHS[WEST], teamId: team, ...zero },
      { month: '2024-06-01', categoryCode: 'repair', regionId: WEST, regionPath: PATHS[WEST], teamId: team, ...zero, serviceMinutes: 20, services: 1 },
    ]);
    expect(await teamMonths(team)).toEqual([
      { month: '2024-05-01', serviceMinutes: 0, services: 0, ratings: 0, ratingSum: 0, pointsDeposited: 0 },
      { month: '2024-06-01', serviceMinutes: 20, services: 1, ratings: 0, ratingSum: 0, pointsDeposited: 0 },
    ]);
  });
});

describe('team months', () => {
  it("counts its members' services for requests dispatched to it, its ratings (served alone too) and its points", async () => {
    const [team, first, second] = [newId(), newId(), newId()];
    const office = { officeId: newId(), bankId: newId() };
    await publish(
      'requests',
      serviceCreated(first, 40, '2024-08-01T02:00:00.000Z', { region: EAST, teamId: team }),
      serviceCreated(second, 25, '2024-08-15T02:00:00.000Z', { region: WEST, teamId: team }),
      serviceCreated(second, 300, '2024-08-16T02:00:00.000Z', { region: WEST }),
      serviceCreated(first, 15, '2024-09-01T02:00:00.000Z', { region: EAST, teamId: team }),
      requestRated(first, 5, '2024-08-02T02:00:00.000Z', EAST, team),
      requestRated(null, 3, '2024-08-20T02:00:00.000Z', EAST, team),
    );
    await publish('points', depositMade(first, office, 6, '2024-08-01T03:00:00.000Z', { region: EAST, teamId: team }));
    await consumeAll();
    expect(await teamMonths(team)).toEqual([
      { month: '2024-08-01', serviceMinutes: 65, services: 2, ratings: 2, ratingSum: 8, pointsDeposited: 6 },
      { month: '2024-09-01', serviceMinutes: 15, services: 1, ratings: 0, ratingSum: 0, pointsDeposited: 0 },
    ]);
    // "Served with the team N times": the member's cells of the team.
    const [served] = await db()
      .select({ services: sql<number>`sum(${personMonthTallies.services})::int` })
      .from(personMonthTallies)
      .where(and(eq(personMonthTallies.teamId, team), eq(personMonthTallies.personId, first)));
    expect(served?.services).toBe(2);
  });
});

describe('office years', () => {
  it('counts accounts, customers’ minutes, points, merchants and projects per Beijing year, and takes reversals back from the original year', async () => {
    const [office, neighbour, bank] = [newId(), newId(), newId()];
    const atOffice = { officeId: office, bankId: bank };
    const [veteran, newcomer] = [newId(), newId()];
    const [activity, otherActivity, lateRecord] = [newId(), newId(), newId()];
    const [depositId, accountId] = [newId(), newId()];
    // The office's area is the street; its neighbour's is the west community, nearer the west's places.
    await publish('points', bankUnitOpened(office, bank, STREET), bankUnitOpened(neighbour, bank, WEST));
    await consumeAll();
    await publish(
      'requests',
      // Served in 2023 (31 December 16:30Z is 1 January 2024 in Beijing) before the veteran had an account.
      serviceCreated(veteran, 100, '2023-12-31T15:30:00.000Z', { region: EAST }),
      serviceCreated(veteran, 10, '2023-12-31T16:30:00.000Z', { region: EAST }),
      // Two services of one activity in the office's area: one project. One in the neighbour's: not the office's.
      serviceCreated(newcomer, 60, '2024-03-02T02:00:00.000Z', { region: EAST, activityId: activity }),
      serviceCreated(veteran, 60, '2024-03-02T02:00:00.000Z', { region: EAST, activityId: activity, recordId: lateRecord }),
      serviceCreated(newcomer, 30, '2024-03-03T02:00:00.000Z', { region: WEST, activityId: otherActivity }),
    );
    await consumeAll();
    await publish(
      'points',
      accountOpened(veteran, office, bank, '2024-01-05T02:00:00.000Z'),
      accountOpened(newcomer, office, bank, '2023-12-20T02:00:00.000Z'),
      depositMade(veteran, atOffice, 20, '2023-12-31T17:00:00.000Z', { region: EAST, depositId, accountId }),
      redemptionMade(veteran, atOffice, 8, '2024-02-01T02:00:00.000Z'),
      merchantJoined(bank, office, '2024-02-01T02:00:00.000Z'),
      merchantJoined(bank, null, '2024-02-01T02:00:00.000Z'),
    );
    await consumeAll();
    const counts = { accountsOpened: 0, serviceMinutes: 0, pointsDeposited: 0, redemptions: 0, pointsRedeemed: 0, merchantsJoined: 0, projects: 0 };
    // The veteran's 100 minutes are 2023's and the rest 2024's, credited when the account opened; the newcomer's
    // services came before their account's event too, and are credited to the years served.
    expect(await officeYears(office)).toEqual([
      { year: 2023, ...counts, accountsOpened: 1, serviceMinutes: 100 },
      { year: 2024, ...counts, accountsOpened: 1, serviceMinutes: 10 + 60 + 60 + 30, pointsDeposited: 20, redemptions: 1, pointsRedeemed: 8, merchantsJoined: 1, projects: 1 },
    ]);
    expect((await officeYears(neighbour)).map((year) => [year.year, year.projects])).toEqual([[2024, 1]]);

    // In 2025 the deposit and one service of the activity are reversed: 2024 gives them back, the project stays.
    await publish('points', depositReversed(veteran, atOffice, 20, depositId, accountId, '2025-01-10T02:00:00.000Z'));
    await publish('requests', serviceReversed(veteran, lateRecord, 60, EAST, '2025-01-10T02:00:00.000Z'));
    await consumeAll();
    expect(await officeYears(office)).toEqual([
      { year: 2023, ...counts, accountsOpened: 1, serviceMinutes: 100 },
      { year: 2024, ...counts, accountsOpened: 1, serviceMinutes: 10 + 60 + 30, redemptions: 1, pointsRedeemed: 8, merchantsJoined: 1, projects: 1 },
    ]);
    // The deposit's cell is the veteran's January 2024 at the east, which also holds the 10 minutes served then.
    expect((await cellsOf(veteran)).filter((cell) => cell.month === '2024-01-01')).toEqual([
      { month: '2024-01-01', categoryCode: 'repair', regionId: EAST, regionPath: PATHS[EAST], teamId: null, ...zero, serviceMinutes: 10, services: 1 },
    ]);
  });

  it("gives up a project when every service of the activity in the office's area is reversed", async () => {
    const [office, bank, volunteer, activity, record] = [newId(), newId(), newId(), newId(), newId()];
    const region = newId();
    PATHS[region] = [DISTRICT, region];
    await publish('points', bankUnitOpened(office, bank, region));
    await consumeAll();
    await publish('requests', serviceCreated(volunteer, 45, '2024-10-01T02:00:00.000Z', { region, activityId: activity, recordId: record }));
    await consumeAll();
    expect((await officeYears(office)).map((year) => year.projects)).toEqual([1]);
    await publish('requests', serviceReversed(volunteer, record, 45, region, '2024-11-01T02:00:00.000Z'));
    await consumeAll();
    expect((await officeYears(office)).map((year) => year.projects)).toEqual([0]);
  });
});

describe('delivery', () => {
  it('applies every event once when the outboxes are delivered again, and a deposit reversal that came first cancels its deposit', async () => {
    const [holder, depositId, accountId] = [newId(), newId(), newId()];
    const office = { officeId: newId(), bankId: newId() };
    // The reversal arrives alone (its deposit's event dead-lettered): remembered, then the deposit counts nothing.
    await publish('points', depositReversed(holder, office, 12, depositId, accountId, '2024-12-01T02:00:00.000Z'));
    await consumeAll();
    await publish('points', depositMade(holder, office, 12, '2024-11-30T02:00:00.000Z', { region: EAST, depositId, accountId: newId() }));
    await consumeAll();
    expect(await cellsOf(holder)).toEqual([]);

    const snapshot = async () => ({
      persons: await db().select().from(personMonthTallies).orderBy(asc(personMonthTallies.id)),
      teams: await db().select().from(teamMonthTallies).orderBy(asc(teamMonthTallies.teamId), asc(teamMonthTallies.month)),
      offices: await db().select().from(officeYearTallies).orderBy(asc(officeYearTallies.officeId), asc(officeYearTallies.year)),
    });
    const before = await snapshot();
    expect(before.persons.length).toBeGreaterThan(0);
    await db().execute(sql`update recognition.inbox_cursors set transaction_id = '0', position = 0`);
    const again = await consumeAll();
    expect(again).toEqual({ received: 0, applied: 0, skipped: 0, failed: 0, deadLettered: 0 });
    expect(await snapshot()).toEqual(before);
  });
});
