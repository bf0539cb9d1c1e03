/**
 * The recognition read model fed by events, on real Postgres: the producers'
 * outboxes are created in the test database, events are appended as the
 * producers append them (the payloads of docs/events.md, with every field), and
 * `consumeOnce` applies them; effects are read back through GraphQL and SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, inArray, sql } from 'drizzle-orm';
import { newId, type ConsumeReport, type NewEvent } from '@lianxin/shared';
import { countStatements, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { consumeAll as consumeEvents, publish as publishEvents, startRecognition, type Source } from './support.js';
import type { RecognitionContext } from '../src/context.js';
import { badgeAwards, customerOffices, officeIndicators, personTallies } from '../src/db/schema.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;

beforeAll(async () => {
  // No demo data: every row the assertions see comes from the events below.
  recognition = await startRecognition();
});
afterAll(async () => {
  await recognition?.stop();
});

const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);
const consumeAll = (): Promise<ConsumeReport> => consumeEvents(db());

const REGION = newId();
const CREATED_AT = '2024-03-01T08:00:00.000Z';

/** `service_record.created` with the full documented payload. */
function serviceCreated(volunteerId: string, minutes: number, servedAt: string, recordId = newId()): NewEvent {
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
      correctsId: null,
      regionId: REGION,
      regionPath: [newId(), REGION],
      createdAt: CREATED_AT,
    },
  };
}

/** `service_record.reversed` of record `originalId` (its aggregate, so it follows that record's `created`). */
function serviceReversed(volunteerId: string, originalId: string, originalMinutes: number): NewEvent {
  return {
    type: 'service_record.reversed',
    aggregateType: 'service_record',
    aggregateId: originalId,
    payload: {
      serviceRecordId: newId(),
      reversesId: originalId,
      volunteerId,
      categoryCode: 'repair',
      minutes: -originalMinutes,
      regionId: REGION,
      regionPath: [newId(), REGION],
      createdAt: CREATED_AT,
    },
  };
}

function requestRated(assigneeId: string | null, score: number, teamId: string | null = null): NewEvent {
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
      regionId: REGION,
      regionPath: [newId(), REGION],
      ratedAt: CREATED_AT,
    },
  };
}

function memberAdded(teamId: string, personId: string, joinedAt: string): NewEvent {
  return {
    type: 'team_member.added',
    aggregateType: 'team',
    aggregateId: teamId,
    payload: { teamId, personId, role: 'member', joinedAt, communityId: REGION },
  };
}

function accountOpened(holderId: string, officeId: string, bankId: string): NewEvent {
  const accountId = newId();
  return {
    type: 'account.opened',
    aggregateType: 'account',
    aggregateId: accountId,
    payload: { accountId, holderId, officeId, bankId, openedAt: CREATED_AT },
  };
}

function redemptionMade(holderId: string, officeId: string, bankId: string, points: number): NewEvent {
  const redemptionId = newId();
  return {
    type: 'redemption.made',
    aggregateType: 'redemption',
    aggregateId: redemptionId,
    payload: { redemptionId, accountId: newId(), holderId, officeId, bankId, merchantId: newId(), points, items: 2, madeAt: CREATED_AT },
  };
}

// In process the DateTime scalar is not yet serialised, so a time may still be a Date.
type Tally = { minutes: number; hours: number; services: number; ratings: number; averageRating: number | null; lastServedAt: string | Date | null };
type Indicators = { accountsOpened: number; redemptions: number; pointsRedeemed: number; serviceMinutes: number; serviceHours: number };
const instant = (time: string | Date | null | undefined): string | null => (time == null ? null : new Date(time).toISOString());

const tallyQuery = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id serviceTally { minutes hours services ratings averageRating lastServedAt } } } }`;
const indicatorsQuery = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on BankUnit { id indicators { accountsOpened redemptions pointsRedeemed serviceMinutes serviceHours } } } }`;
const asEntities = (typename: string, ids: readonly string[]) => ({ r: ids.map((id) => ({ __typename: typename, id })) });
const signedIn = viewerOf({ roles: ['volunteer'], personId: newId() });

async function talliesOf(...personIds: string[]): Promise<Tally[]> {
  const { data, errors } = await recognition.execute(tallyQuery, { variables: asEntities('Person', personIds) });
  expect(errors).toBeUndefined();
  return (data as { _entities: { serviceTally: Tally }[] })._entities.map((person) => ({
    ...person.serviceTally,
    lastServedAt: instant(person.serviceTally.lastServedAt),
  }));
}

async function indicatorsOf(...officeIds: string[]): Promise<Indicators[]> {
  const { data, errors } = await recognition.execute(indicatorsQuery, { variables: asEntities('BankUnit', officeIds), viewer: signedIn });
  expect(errors).toBeUndefined();
  return (data as { _entities: { indicators: Indicators }[] })._entities.map((unit) => unit.indicators);
}

async function deadLettersOf(eventIds: readonly string[]): Promise<{ event_id: string; error: string }[]> {
  const result: unknown = await db().execute(
    sql`select event_id::text as event_id, error from recognition.dead_letters where event_id in (${sql.join(
      eventIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}) order by dead_at`,
  );
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { event_id: string; error: string }[];
}

const ZERO_TALLY: Tally = { minutes: 0, hours: 0, services: 0, ratings: 0, averageRating: null, lastServedAt: null };

describe('per-person service tallies', () => {
  it('adds created services, takes reversed ones back and averages the ratings of the assignee', async () => {
    const volunteer = newId();
    const first = newId();
    await publish('requests', serviceCreated(volunteer, 60, '2024-03-01T02:00:00.000Z', first), serviceCreated(volunteer, 50, '2024-03-05T06:30:00.000Z'));
    await publish('requests', requestRated(volunteer, 5), requestRated(volunteer, 4, newId()), requestRated(volunteer, 4));
    expect(await consumeAll()).toMatchObject({ received: 5, applied: 5, failed: 0, deadLettered: 0 });
    expect(await talliesOf(volunteer)).toEqual([{ minutes: 110, hours: 1.8, services: 2, ratings: 3, averageRating: 4.33, lastServedAt: '2024-03-05T06:30:00.000Z' }]);

    // A correction: the first record reversed (its own aggregate, after its `created`), the rest stands.
    await publish('requests', serviceReversed(volunteer, first, 60));
    expect(await consumeAll()).toMatchObject({ applied: 1, deadLettered: 0 });
    expect(await talliesOf(volunteer)).toEqual([{ minutes: 50, hours: 0.8, services: 1, ratings: 3, averageRating: 4.33, lastServedAt: '2024-03-05T06:30:00.000Z' }]);
    const [row] = await db().select().from(personTallies).where(eq(personTallies.personId, volunteer));
    expect(row?.firstServedAt?.toISOString()).toBe('2024-03-01T02:00:00.000Z');
  });

  it('forgets the service instants when every service is reversed', async () => {
    const volunteer = newId();
    const record = newId();
    await publish('requests', serviceCreated(volunteer, 30, '2024-04-01T02:00:00.000Z', record));
    await publish('requests', serviceReversed(volunteer, record, 30));
    await consumeAll();
    expect(await talliesOf(volunteer)).toEqual([ZERO_TALLY]);
    const [row] = await db().select().from(personTallies).where(eq(personTallies.personId, volunteer));
    expect(row).toMatchObject({ serviceMinutes: 0, services: 0, firstServedAt: null, lastServedAt: null });
  });

  it('credits nobody for a rating of a request served by a team alone, and shows zeroes for a person never counted', async () => {
    const before = await db().$count(personTallies);
    await publish('requests', requestRated(null, 5, newId()));
    expect(await consumeAll()).toMatchObject({ applied: 1, deadLettered: 0 });
    expect(await db().$count(personTallies)).toBe(before);
    expect(await talliesOf(newId(), 'not-a-uuid')).toEqual([ZERO_TALLY, ZERO_TALLY]);
  });

  it('is public: an anonymous viewer reads a tally', async () => {
    const { errors } = await recognition.execute(tallyQuery, { variables: asEntities('Person', [newId()]) });
    expect(errors).toBeUndefined();
  });
});

describe('the team badge (team_served)', () => {
  it('is not awarded for joining alone; serving with the team after joining awards it once, even for a second team', async () => {
    const person = newId();
    const [teamA, teamB] = [newId(), newId()];
    await publish('people', memberAdded(teamA, person, '2024-01-10T01:00:00.000Z'));
    await publish('people', memberAdded(teamB, person, '2024-02-20T01:00:00.000Z'));
    expect(await consumeAll()).toMatchObject({ received: 2, applied: 2, deadLettered: 0 });
    expect(await db().select().from(badgeAwards).where(eq(badgeAwards.holderId, person))).toEqual([]);

    const withTeam = (teamId: string, servedAt: string): NewEvent => {
      const event = serviceCreated(person, 30, servedAt);
      return { ...event, payload: { ...event.payload, teamId } };
    };
    await publish('requests', withTeam(teamA, '2024-03-01T01:00:00.000Z'), withTeam(teamB, '2024-03-02T01:00:00.000Z'));
    await consumeAll();
    const awards = await db().select().from(badgeAwards).where(eq(badgeAwards.holderId, person));
    expect(awards.map((award) => [award.badgeCode, award.awardedAt.toISOString(), award.tally])).toEqual([
      ['team_served', '2024-03-01T01:00:00.000Z', { teamId: teamA, services: 1 }],
    ]);
    const { data, errors } = await recognition.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { badges { code name } } } }`, {
      variables: asEntities('Person', [person]),
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [{ badges: [{ code: 'team_served', name: '服务队服务徽章' }] }] });
  });

  it('ignores the other people events it receives', async () => {
    const household = newId();
    await publish('people', {
      type: 'household_member.added',
      aggregateType: 'household',
      aggregateId: household,
      payload: { householdId: household, personId: newId() },
    });
    expect(await consumeAll()).toMatchObject({ received: 1, applied: 0, skipped: 1, deadLettered: 0 });
  });
});

describe('savings-office indicators', () => {
  it('counts accounts and redemptions, and the service minutes of the office customers, served before their account too', async () => {
    const [office, otherOffice, bank] = [newId(), newId(), newId()];
    const [veteran, newcomer, elsewhere] = [newId(), newId(), newId()];
    // The veteran served before any account existed (points opens one on the first deposit, after this event).
    await publish('requests', serviceCreated(veteran, 90, '2024-05-01T02:00:00.000Z'));
    await consumeAll();
    await publish('points', accountOpened(veteran, office, bank), accountOpened(newcomer, office, bank), accountOpened(elsewhere, otherOffice, bank));
    await publish('points', redemptionMade(veteran, office, bank, 120), redemptionMade(newcomer, office, bank, 80));
    await consumeAll();
    expect(await indicatorsOf(office)).toEqual([{ accountsOpened: 2, redemptions: 2, pointsRedeemed: 200, serviceMinutes: 90, serviceHours: 1.5 }]);

    // Later service (and its reversal) moves the customer's office with it; another office's customer does not.
    const record = newId();
    await publish('requests', serviceCreated(newcomer, 45, '2024-05-02T02:00:00.000Z', record), serviceCreated(elsewhere, 20, '2024-05-02T03:00:00.000Z'));
    await consumeAll();
    expect(await indicatorsOf(office, otherOffice)).toEqual([
      { accountsOpened: 2, redemptions: 2, pointsRedeemed: 200, serviceMinutes: 135, serviceHours: 2.3 },
      { accountsOpened: 1, redemptions: 0, pointsRedeemed: 0, serviceMinutes: 20, serviceHours: 0.3 },
    ]);
    await publish('requests', serviceReversed(newcomer, record, 45));
    await consumeAll();
    expect((await indicatorsOf(office))[0]?.serviceMinutes).toBe(90);

    const [row] = await db().select().from(officeIndicators).where(eq(officeIndicators.officeId, office));
    expect(row?.bankId).toBe(bank);
    const customers = await db()
      .select()
      .from(customerOffices)
      .where(inArray(customerOffices.personId, [veteran, newcomer]));
    expect(customers.map((customer) => customer.officeId)).toEqual([office, office]);
  });

  it("moves a customer's minutes along when they open an account at another office", async () => {
    const [from, to, bank] = [newId(), newId(), newId()];
    const customer = newId();
    await publish('points', accountOpened(customer, from, bank));
    await publish('requests', serviceCreated(customer, 70, '2024-05-03T02:00:00.000Z'));
    await consumeAll();
    await publish('points', accountOpened(customer, to, bank));
    await consumeAll();
    expect((await indicatorsOf(from, to)).map((office) => [office.accountsOpened, office.serviceMinutes])).toEqual([
      [1, 0],
      [1, 70],
    ]);
  });

  it('shows zeroes for a unit no event named, and refuses anonymous viewers', async () => {
    expect(await indicatorsOf(newId())).toEqual([{ accountsOpened: 0, redemptions: 0, pointsRedeemed: 0, serviceMinutes: 0, serviceHours: 0 }]);
    const anonymous = await recognition.execute(indicatorsQuery, { variables: asEntities('BankUnit', [newId()]) });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('delivery', () => {
  it('applies every event once when the outboxes are delivered again', async () => {
    const volunteer = newId();
    const person = newId();
    const office = newId();
    await publish('requests', serviceCreated(volunteer, 40, '2024-06-01T02:00:00.000Z'), requestRated(volunteer, 3));
    await publish('people', memberAdded(newId(), person, '2024-06-01T01:00:00.000Z'));
    await publish('points', accountOpened(volunteer, office, newId()), redemptionMade(volunteer, office, newId(), 10));
    await consumeAll();
    const snapshot = async () => ({
      tallies: await db().select().from(personTallies).orderBy(personTallies.personId),
      offices: await db().select().from(officeIndicators).orderBy(officeIndicators.officeId),
      badges: await db().$count(badgeAwards),
    });
    const before = await snapshot();
    expect(before.offices.find((row) => row.officeId === office)).toMatchObject({ accountsOpened: 1, redemptions: 1, pointsRedeemed: 10, serviceMinutes: 40 });

    // Every source read again from its beginning: each event is already in the inbox.
    await db().execute(sql`update recognition.inbox_cursors set transaction_id = '0', position = 0`);
    const again = await consumeAll();
    expect(again).toEqual({ received: 0, applied: 0, skipped: 0, failed: 0, deadLettered: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('dead-letters a payload of the wrong shape and applies the events behind it', async () => {
    const volunteer = newId();
    const poisoned = newId();
    const poison: NewEvent = serviceCreated(volunteer, 60, '2024-07-01T02:00:00.000Z', poisoned);
    poison.payload = { ...poison.payload, minutes: 'sixty' };
    // Behind it: its own aggregate's reversal (whose service was never counted) and another record of the volunteer.
    await publish('requests', poison);
    await publish('requests', serviceReversed(volunteer, poisoned, 60), serviceCreated(volunteer, 25, '2024-07-02T02:00:00.000Z'));
    const report = await consumeAll();
    expect(report).toMatchObject({ received: 3, applied: 2, failed: 0, deadLettered: 1 });

    const inbox: unknown = await db().execute(sql`select event_id::text as event_id, type, status from recognition.inbox where aggregate_id = ${poisoned} order by sequence`);
    const rows = (Array.isArray(inbox) ? inbox : (inbox as { rows: unknown[] }).rows) as { event_id: string; type: string; status: string }[];
    expect(rows.map((row) => [row.type, row.status])).toEqual([
      ['service_record.created', 'dead'],
      ['service_record.reversed', 'applied'],
    ]);
    const letters = await deadLettersOf(rows.map((row) => row.event_id));
    expect(letters).toHaveLength(1);
    expect(letters[0]?.error).toMatch(/UnprocessableEventError: payload of service_record\.created: minutes/);
    // Only the good record counts; the reversal took nothing away.
    expect(await talliesOf(volunteer)).toEqual([{ minutes: 25, hours: 0.4, services: 1, ratings: 0, averageRating: null, lastServedAt: '2024-07-02T02:00:00.000Z' }]);
  });

  it('does not count a record whose reversal was applied first (a replayed dead letter, or a record from before events)', async () => {
    const volunteer = newId();
    const record = newId();
    await publish('requests', serviceCreated(volunteer, 40, '2024-07-03T02:00:00.000Z'));
    await consumeAll();
    // The reversal of a record recognition never heard of, then (replayed late) that record's creation.
    await publish('requests', serviceReversed(volunteer, record, 90));
    await consumeAll();
    await publish('requests', serviceCreated(volunteer, 90, '2024-07-04T02:00:00.000Z', record));
    await consumeAll();
    expect(await talliesOf(volunteer)).toEqual([{ minutes: 40, hours: 0.7, services: 1, ratings: 0, averageRating: null, lastServedAt: '2024-07-03T02:00:00.000Z' }]);
  });
});

describe('the database', () => {
  /** The SQLSTATE Postgres refused `statement` with, or null when it was accepted. */
  async function refusalOf(statement: PromiseLike<unknown>): Promise<string | null> {
    try {
      await statement;
      return null;
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      return typeof cause?.code === 'string' ? cause.code : 'unknown';
    }
  }
  const CHECK_VIOLATION = '23514';

  it('refuses counts below zero and rating sums no set of 1–5 scores can make', async () => {
    expect(await refusalOf(db().insert(personTallies).values({ personId: newId(), serviceMinutes: -1 }))).toBe(CHECK_VIOLATION);
    expect(await refusalOf(db().insert(personTallies).values({ personId: newId(), services: -1 }))).toBe(CHECK_VIOLATION);
    expect(await refusalOf(db().insert(personTallies).values({ personId: newId(), ratings: 2, ratingSum: 11 }))).toBe(CHECK_VIOLATION);
    expect(await refusalOf(db().insert(personTallies).values({ personId: newId(), ratings: 2, ratingSum: 1 }))).toBe(CHECK_VIOLATION);
    const office = { officeId: newId(), bankId: newId() };
    for (const negative of [{ accountsOpened: -1 }, { redemptions: -1 }, { pointsRedeemed: -5 }, { serviceMinutes: -1 }]) {
      expect(
        await refusalOf(
          db()
            .insert(officeIndicators)
            .values({ ...office, ...negative }),
        ),
      ).toBe(CHECK_VIOLATION);
    }
  });
});

describe('federation contract', () => {
  it("loads a whole batch of persons' tallies in one statement, for 1 person as for 20", async () => {
    const persons = Array.from({ length: 20 }, () => newId());
    // Half of them have served; the others answer zeroes from the same statement.
    await publish('requests', ...persons.slice(0, 10).map((person, n) => serviceCreated(person, 10 * (n + 1), '2024-08-01T02:00:00.000Z')));
    await consumeAll();

    const one = await countStatements(recognition.database, () => recognition.execute(tallyQuery, { variables: asEntities('Person', persons.slice(0, 1)) }));
    const twenty = await countStatements(recognition.database, () => recognition.execute(tallyQuery, { variables: asEntities('Person', persons) }));
    expect(one.result.errors).toBeUndefined();
    expect(twenty.result.errors).toBeUndefined();
    const entities = (twenty.result.data as { _entities: { id: string; serviceTally: Tally }[] })._entities;
    expect(entities.map((entity) => entity.id)).toEqual(persons);
    expect(entities.map((entity) => entity.serviceTally.minutes)).toEqual([...persons.slice(0, 10).map((_, n) => 10 * (n + 1)), ...Array<number>(10).fill(0)]);
    expect(one.count).toBe(1);
    expect(twenty.count).toBe(1);
  });

  it('resolves BankUnit references without SQL and their indicators in one statement per batch', async () => {
    const offices = Array.from({ length: 5 }, () => newId());
    const bare = await countStatements(recognition.database, () =>
      recognition.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on BankUnit { id } } }`, {
        variables: asEntities('BankUnit', offices),
        viewer: signedIn,
      }),
    );
    expect(bare.result.data).toEqual({ _entities: offices.map((id) => ({ id })) });
    expect(bare.count).toBe(0);
    const withIndicators = await countStatements(recognition.database, () => indicatorsOf(...offices));
    expect(withIndicators.result).toHaveLength(5);
    expect(withIndicators.count).toBe(1);
  });
});
