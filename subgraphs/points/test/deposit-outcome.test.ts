/**
 * `ServiceRecord.depositOutcome`: what became of a record at the bank, each
 * status reached through the real consumer applying the requests subgraph's
 * events on real Postgres; who may read it; the decisions' table as the
 * database keeps it; and the statements a page of records costs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { asc, eq, sql } from 'drizzle-orm';
import { appendEvent, consumeOnce, databaseTransport, newId, retryPolicy, rowsOf, type ConsumeReport, type Database, type EventConsumer, type Viewer } from '@lianxin/shared';
import { DEMO_REGIONS } from '@lianxin/shared/demo';
import { countStatements, createEventTables, viewerOf, waitFor } from '@lianxin/shared/testing';
import { DEMO_BANK } from '../src/db/demo.js';
import { depositDecisions, deposits } from '../src/db/schema.js';
import { EVENTS_ACTOR, pointsConsumer } from '../src/index.js';
import {
  customerWith,
  expectBooksToBalance,
  knownPerson,
  knownRecord,
  run,
  serviceRecordCreated,
  serviceRecordReversed,
  startPoints,
  viewers,
  type AnnouncedRecord,
  type PointsTestBed,
  type UserErrorShape,
} from './support.js';

let bed: PointsTestBed;
let db: Database;

beforeAll(async () => {
  bed = await startPoints();
  db = bed.points.database.db;
  // The producers' outboxes, as the requests, people and recognition subgraphs' migrations would make them.
  await createEventTables(db, 'requests', { outbox: true });
  await createEventTables(db, 'people', { outbox: true });
  await createEventTables(db, 'recognition', { outbox: true });
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

/** The demo regions from the root down to 东院1号楼, in the Xingle office's community. */
const XINGLE_PLACE = [DEMO_REGIONS.xincheng.id, DEMO_REGIONS.xiyilu.id, DEMO_REGIONS.xingle.id, DEMO_REGIONS.xingleCompoundEast.id, DEMO_REGIONS.eastBuilding1.id];

/** A `service_record.created` as requests writes it (test support): an hour of home repair in 东院1号楼 unless told otherwise. */
const created = (volunteerId: string, options: { category?: string; minutes?: number; place?: string[] } = {}): AnnouncedRecord =>
  serviceRecordCreated(volunteerId, options.place ?? XINGLE_PLACE, options);

/** Appends `events` to `requests.outbox` in one transaction, as the producer's change would. */
async function publish(...events: AnnouncedRecord['event'][]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const event of events) await appendEvent(tx, 'requests', event);
  });
}

/** The points consumer as it runs, but a failed event waits an hour: no assertion depends on timing. */
const consumer: EventConsumer = {
  ...pointsConsumer,
  retry: retryPolicy({ maxAttempts: pointsConsumer.retry.maxAttempts, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 }),
};

const pass = (): Promise<ConsumeReport> => consumeOnce({ db, consumer, transport: databaseTransport() });

/** Passes until every event in the outbox is received and a pass finds nothing to do. */
async function drain(): Promise<void> {
  await waitFor(
    'the points consumer to catch up with the requests outbox',
    async () => {
      const report = await pass();
      const [behind] = await rowsOf<{ missing: boolean }>(
        db,
        sql`select exists (select 1 from requests.outbox o where not exists (select 1 from points.inbox i where i.event_id = o.id)) as missing`,
      );
      return Object.values(report).every((count) => count === 0) && behind?.missing === false;
    },
    { timeoutMs: 30_000 },
  );
}

/** Publishes the events and waits until points applied them. */
async function announce(...events: AnnouncedRecord['event'][]): Promise<void> {
  await publish(...events);
  await drain();
}

interface OutcomeShape {
  status: string;
  reason: string | null;
  decidedAt: string | null;
  deposit: { points: number; transfer: { id: string; reversedBy: { id: string } | null } } | null;
}

const OUTCOME = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRecord { id
  depositOutcome { status reason decidedAt deposit { points transfer { id reversedBy { id } } } } } } }`;

/** A record as the gateway hands it to points for `depositOutcome`: its id and the volunteer requests shows for it. */
const representation = (record: { id: string; volunteerId: string | null }) => ({
  __typename: 'ServiceRecord',
  id: record.id,
  volunteer: record.volunteerId === null ? null : { id: record.volunteerId },
});

/** The outcomes of `records`, in order, as `viewer` reads them. */
async function outcomes(viewer: Viewer, ...records: { id: string; volunteerId: string | null }[]): Promise<(OutcomeShape | null)[]> {
  const answer = await run<{ _entities: { id: string; depositOutcome: OutcomeShape | null }[] }>(bed, OUTCOME, viewer, { r: records.map(representation) });
  // As the wire carries it: instants as ISO strings.
  const data = JSON.parse(JSON.stringify(answer)) as typeof answer;
  expect(data._entities.map((entity) => entity.id)).toEqual(records.map((record) => record.id));
  return data._entities.map((entity) => entity.depositOutcome);
}

async function outcomeOf(record: { id: string; volunteerId: string | null }, viewer: Viewer = viewers.admin): Promise<OutcomeShape | null> {
  const [outcome] = await outcomes(viewer, record);
  return outcome ?? null;
}

const decisionsOf = (serviceRecordId: string) =>
  db.select().from(depositDecisions).where(eq(depositDecisions.serviceRecordId, serviceRecordId)).orderBy(asc(depositDecisions.decidedAt), asc(depositDecisions.id));

const depositOf = async (serviceRecordId: string) => (await db.select().from(deposits).where(eq(deposits.serviceRecordId, serviceRecordId)))[0];

const volunteerViewer = (personId: string): Viewer => viewerOf({ roles: ['volunteer'], personId });

const DEPOSIT = `mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { deposit { id points } userErrors { field code message } } }`;

async function pointsDeposit(serviceRecord: string, viewer: Viewer = viewers.clerk) {
  return (await run<{ pointsDeposit: { deposit: { id: string; points: number } | null; userErrors: UserErrorShape[] } }>(bed, DEPOSIT, viewer, { input: { serviceRecord } }))
    .pointsDeposit;
}

/** A deposit rule category no bank has a rule for. */
const newCategory = (): string => `test_${newId().slice(-12)}`;

describe('the status of a record the bank heard of', () => {
  it('is DEPOSITED when the record was deposited on arrival, decided when the deposit was made, with no decision recorded', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = created(volunteer.personId, { minutes: 95 });
    await announce(record.event);

    const deposit = await depositOf(record.id);
    expect(deposit?.amount).toBe(31);
    expect(await outcomeOf(record, volunteerViewer(volunteer.personId))).toEqual({
      status: 'DEPOSITED',
      reason: null,
      decidedAt: deposit!.createdAt.toISOString(),
      deposit: { points: 31, transfer: { id: deposit!.transferId, reversedBy: null } },
    });
    expect(await decisionsOf(record.id)).toEqual([]);
  });

  it('is TOO_SHORT, with the rule’s rate, when the minutes earn less than a whole point', async () => {
    const volunteer = await customerWith(bed, 0);
    // 11 minutes of 'other' at 5 points an hour is 0.92 of a point; 2 minutes of home repair at 20 an hour is 0.67.
    const short = created(volunteer.personId, { category: 'other', minutes: 11 });
    const shorter = created(volunteer.personId, { minutes: 1 });
    await announce(short.event, shorter.event);

    const [first, second] = await outcomes(volunteerViewer(volunteer.personId), short, shorter);
    expect(first).toEqual({ status: 'TOO_SHORT', reason: 'Too short to earn a whole point: 11 minutes at 5 points an hour.', decidedAt: expect.any(String), deposit: null });
    expect(second).toEqual({ status: 'TOO_SHORT', reason: 'Too short to earn a whole point: 1 minute at 20 points an hour.', decidedAt: expect.any(String), deposit: null });
    const [decision] = await decisionsOf(short.id);
    expect(decision).toEqual({
      id: expect.any(String),
      serviceRecordId: short.id,
      status: 'too_short',
      reason: first!.reason,
      pointsPerHour: 5,
      decidedAt: new Date(first!.decidedAt!),
      decidedBy: EVENTS_ACTOR,
    });
    expect(await depositOf(short.id)).toBeUndefined();
  });

  it('is NO_RULE while the bank has no rule for the category, then DEPOSITED once staff deposit it, the decision kept', async () => {
    const volunteer = await customerWith(bed, 0);
    const category = newCategory();
    const record = created(volunteer.personId, { category, minutes: 90 });
    await announce(record.event);

    const waiting = await outcomeOf(record, volunteerViewer(volunteer.personId));
    expect(waiting).toEqual({
      status: 'NO_RULE',
      reason: `The bank has no deposit rule for ${category} yet: once it sets one, bank staff deposit the record.`,
      decidedAt: expect.any(String),
      deposit: null,
    });
    expect((await decisionsOf(record.id)).map((row) => [row.status, row.pointsPerHour])).toEqual([['no_rule', null]]);

    const set = await run<{ depositRuleSet: { userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: DepositRuleSetInput!) { depositRuleSet(input: $input) { userErrors { field code message } } }`,
      viewers.admin,
      { input: { bank: DEMO_BANK.head.id, category, pointsPerHour: 40 } },
    );
    expect(set.depositRuleSet.userErrors).toEqual([]);
    const made = await pointsDeposit(record.id);
    expect(made).toEqual({ deposit: { id: expect.any(String), points: 60 }, userErrors: [] });

    const deposit = await depositOf(record.id);
    expect(await outcomeOf(record, volunteerViewer(volunteer.personId))).toEqual({
      status: 'DEPOSITED',
      reason: null,
      decidedAt: deposit!.createdAt.toISOString(),
      deposit: { points: 60, transfer: { id: deposit!.transferId, reversedBy: null } },
    });
    // The earlier decision stands as it was made: the deposit outranks it.
    expect((await decisionsOf(record.id)).map((row) => row.status)).toEqual(['no_rule']);
  });

  it('is NO_ACCOUNT when no savings office covers the place of a volunteer without a passbook, then DEPOSITED once staff open one and deposit it', async () => {
    const volunteer = await knownPerson(bed);
    const record = created(volunteer, { minutes: 30, place: [newId(), newId()] });
    await announce(record.event);

    const expected = {
      status: 'NO_ACCOUNT',
      reason: 'The volunteer has no passbook, and no savings office covers the place of this service: once they have a passbook, bank staff deposit the record.',
      decidedAt: expect.any(String),
      deposit: null,
    };
    expect(await outcomeOf(record, volunteerViewer(volunteer))).toEqual(expected);
    // No passbook: no clerk serves the volunteer yet.
    expect(await outcomeOf(record, viewers.clerk)).toBeNull();

    const opened = await run<{ accountOpen: { account: { id: string } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id } userErrors { field code message } } }`,
      viewers.clerk,
      { input: { holder: volunteer } },
    );
    expect(opened.accountOpen.userErrors).toEqual([]);
    // Now the clerk serves the passbook, and reads what the volunteer reads.
    expect(await outcomeOf(record, viewers.clerk)).toEqual(expected);
    expect((await pointsDeposit(record.id)).deposit?.points).toBe(10);
    expect(await outcomeOf(record, volunteerViewer(volunteer))).toMatchObject({ status: 'DEPOSITED', reason: null, deposit: { points: 10 } });
    expect((await decisionsOf(record.id)).map((row) => row.status)).toEqual(['no_account']);
  });

  it('is REVERSED once requests reverses a deposited record, with the deposit whose points were taken back', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = created(volunteer.personId, { minutes: 60 });
    await announce(record.event);
    await announce(serviceRecordReversed(record));

    const deposit = await depositOf(record.id);
    const outcome = await outcomeOf(record, volunteerViewer(volunteer.personId));
    const [decision] = await decisionsOf(record.id);
    expect(outcome).toEqual({
      status: 'REVERSED',
      reason: 'This service record was reversed: it earns no points, and the 20 points deposited for it were taken back.',
      decidedAt: decision!.decidedAt.toISOString(),
      deposit: { points: 20, transfer: { id: deposit!.transferId, reversedBy: { id: expect.any(String) } } },
    });
    expect(await decisionsOf(record.id)).toEqual([
      {
        id: expect.any(String),
        serviceRecordId: record.id,
        status: 'reversed',
        reason: outcome!.reason,
        pointsPerHour: null,
        decidedAt: expect.any(Date),
        decidedBy: EVENTS_ACTOR,
      },
    ]);
  });

  it('is REVERSED for a waiting record reversed, and for one whose reversal arrived before it; staff can no longer deposit either', async () => {
    const volunteer = await customerWith(bed, 0);
    const waiting = created(volunteer.personId, { category: newCategory() });
    await announce(waiting.event);
    expect((await outcomeOf(waiting))?.status).toBe('NO_RULE');
    await announce(serviceRecordReversed(waiting));

    // The reversal first, as a dead-lettered creation replayed later would have it: nothing to take back, then nothing deposited.
    const late = created(volunteer.personId, { minutes: 60 });
    await announce(serviceRecordReversed(late), late.event);

    const plain = { status: 'REVERSED', reason: 'This service record was reversed: it earns no points.', decidedAt: expect.any(String), deposit: null };
    expect(await outcomes(volunteerViewer(volunteer.personId), waiting, late)).toEqual([plain, plain]);
    expect((await decisionsOf(waiting.id)).map((row) => row.status)).toEqual(['no_rule', 'reversed']);
    expect((await decisionsOf(late.id)).map((row) => row.status)).toEqual(['reversed']);
    expect(await depositOf(late.id)).toBeUndefined();
    for (const record of [waiting, late]) {
      expect((await pointsDeposit(record.id, viewers.admin)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    }
  });
});

describe('a record the bank has not decided on', () => {
  it('is PENDING while requests’ announcement has not arrived, to the volunteer requests names and to platform admins', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = { id: newId(), volunteerId: volunteer.personId };
    const pending = { status: 'PENDING', reason: 'The bank has not heard of this service record yet: its points follow when it does.', decidedAt: null, deposit: null };
    expect(await outcomeOf(record, volunteerViewer(volunteer.personId))).toEqual(pending);
    expect(await outcomeOf(record, viewers.admin)).toEqual(pending);
    // The clerks who serve the volunteer's passbook see it too.
    expect(await outcomeOf(record, viewers.clerk)).toEqual(pending);
    // Whose record it is, nobody said: only a platform admin may read it.
    expect(await outcomeOf({ id: record.id, volunteerId: null }, volunteerViewer(volunteer.personId))).toBeNull();
    expect(await outcomeOf({ id: record.id, volunteerId: null }, viewers.admin)).toEqual(pending);

    // Then it arrives and is deposited.
    const arrived = created(volunteer.personId, { minutes: 60 });
    await announce(arrived.event);
    expect(await outcomeOf({ id: arrived.id, volunteerId: volunteer.personId }, volunteerViewer(volunteer.personId))).toMatchObject({
      status: 'DEPOSITED',
      deposit: { points: 20 },
    });
    // The bank's own copy names the volunteer, however the id is written and whether or not requests named anyone.
    expect(await outcomeOf({ id: arrived.id.toUpperCase(), volunteerId: null }, volunteerViewer(volunteer.personId))).toMatchObject({
      status: 'DEPOSITED',
      deposit: { points: 20 },
    });
  });

  it('is PENDING for a record the bank kept before it recorded its decisions', async () => {
    const volunteer = await customerWith(bed, 0);
    const kept = await knownRecord(bed, volunteer.personId, 60, 'home_repair');
    expect(await outcomeOf({ id: kept, volunteerId: volunteer.personId }, volunteerViewer(volunteer.personId))).toEqual({
      status: 'PENDING',
      reason: 'The bank keeps this service record and has not deposited it yet.',
      decidedAt: null,
      deposit: null,
    });
  });
});

describe('who reads it', () => {
  it('is the volunteer, the clerks who serve their passbook and platform admins; anyone else gets null whatever the record’s state', async () => {
    const volunteer = await customerWith(bed, 0);
    const deposited = created(volunteer.personId, { minutes: 60 });
    const waiting = created(volunteer.personId, { category: newCategory() });
    const short = created(volunteer.personId, { category: 'other', minutes: 11 });
    await announce(deposited.event, waiting.event, short.event);
    const unknown = { id: newId(), volunteerId: volunteer.personId };
    const records = [deposited, waiting, short, unknown];
    const statuses = ['DEPOSITED', 'NO_RULE', 'TOO_SHORT', 'PENDING'];

    for (const viewer of [volunteerViewer(volunteer.personId), viewers.clerk, viewers.admin]) {
      expect((await outcomes(viewer, ...records)).map((outcome) => outcome?.status)).toEqual(statuses);
    }
    for (const viewer of [viewers.zhang, viewers.unassignedClerk, viewers.communityAdmin, viewers.yonghui, viewers.analyst, viewers.resident(), viewerOf({ roles: [] })]) {
      expect(await outcomes(viewer, ...records)).toEqual([null, null, null, null]);
    }
    const anonymous = await bed.points.execute(OUTCOME, { variables: { r: records.map(representation) } });
    expect(anonymous).toEqual({ data: { _entities: records.map((record) => ({ id: record.id, depositOutcome: null })) } });
    // A stranger named as the volunteer of a record the bank knows is still a stranger: the bank's own copy says whose it is.
    const claimed = records.map((record) => ({ id: record.id, volunteerId: viewers.zhang.personId }));
    expect(await outcomes(viewers.zhang, ...claimed)).toEqual([null, null, null, { status: 'PENDING', reason: expect.any(String), decidedAt: null, deposit: null }]);
  });
});

describe('deposit_decisions', () => {
  it('gets no second decision when an event is redelivered, a record announced twice or a reversal twice', async () => {
    const volunteer = await customerWith(bed, 0);
    const short = created(volunteer.personId, { category: 'other', minutes: 11 });
    const waiting = created(volunteer.personId, { category: newCategory() });
    await announce(short.event, waiting.event);
    const before = await decisionsOf(short.id);
    expect(before.map((row) => row.status)).toEqual(['too_short']);

    // Redelivery: the cursor rewound to the start of the outbox hands every event over again.
    await db.execute(sql`update points.inbox_cursors set transaction_id = '0', position = 0 where source = 'requests'`);
    await drain();
    // The same record in a second event, and the waiting record reversed twice.
    await announce({ ...short.event }, serviceRecordReversed(waiting), serviceRecordReversed(waiting));

    expect(await decisionsOf(short.id)).toEqual(before);
    expect((await decisionsOf(waiting.id)).map((row) => row.status)).toEqual(['no_rule', 'reversed']);
    const [received] = await rowsOf<{ events: number }>(db, sql`select count(*)::int as events from points.inbox where aggregate_id = ${short.id}`);
    expect(received?.events).toBe(2);
  });

  it('is append-only and holds its own rules', async () => {
    const volunteer = await customerWith(bed, 0);
    const short = created(volunteer.personId, { category: 'other', minutes: 11 });
    await announce(short.event);
    const causeOf = async (work: Promise<unknown>): Promise<string> =>
      work.then(
        () => 'no error',
        (caught: unknown) => String((caught as { cause?: unknown }).cause ?? caught),
      );

    expect(await causeOf(db.update(depositDecisions).set({ reason: 'Deposited after all.' }).where(eq(depositDecisions.serviceRecordId, short.id)))).toContain(
      'points.deposit_decisions is append-only: UPDATE refused',
    );
    expect(await causeOf(db.delete(depositDecisions).where(eq(depositDecisions.serviceRecordId, short.id)))).toContain('points.deposit_decisions is append-only: DELETE refused');
    expect(await causeOf(db.execute(sql`truncate points.deposit_decisions`))).toContain('points.deposit_decisions is append-only: TRUNCATE refused');

    const row = { serviceRecordId: short.id, reason: 'x', pointsPerHour: null, decidedBy: 'test' };
    expect(await causeOf(db.insert(depositDecisions).values({ ...row, status: 'too_short' }))).toContain('deposit_decisions_rate_iff_too_short');
    expect(await causeOf(db.insert(depositDecisions).values({ ...row, status: 'no_rule', pointsPerHour: 5 }))).toContain('deposit_decisions_rate_iff_too_short');
    expect(await causeOf(db.insert(depositDecisions).values({ ...row, status: 'no_rule', reason: '  ' }))).toContain('deposit_decisions_reason_length');
    expect(await causeOf(db.insert(depositDecisions).values({ ...row, serviceRecordId: newId(), status: 'no_rule' }))).toContain('deposit_decisions_service_record_id');
    expect((await decisionsOf(short.id)).map((decision) => decision.status)).toEqual(['too_short']);
  });
});

describe('batching', () => {
  it('reads the outcomes of a page of records in the same few statements however many there are', async () => {
    const [first, second] = [await customerWith(bed, 0), await customerWith(bed, 0)];
    const page: AnnouncedRecord[] = [];
    for (const volunteer of [first.personId, second.personId]) {
      page.push(
        created(volunteer, { minutes: 60 }),
        created(volunteer, { category: newCategory() }),
        created(volunteer, { category: 'other', minutes: 11 }),
        created(volunteer, { minutes: 45 }),
        created(volunteer, { minutes: 120 }),
        created(volunteer, { category: 'other', minutes: 5 }),
      );
    }
    await announce(...page.map((record) => record.event));
    await announce(serviceRecordReversed(page[3]!), serviceRecordReversed(page[9]!));
    const unknown = { id: newId(), volunteerId: first.personId };

    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRecord { depositOutcome { status reason decidedAt deposit { points minutes } } } } }`;
    const count = (records: { id: string; volunteerId: string | null }[], viewer: Viewer) =>
      countStatements(bed.points.database, () => bed.points.execute(query, { variables: { r: records.map(representation) }, viewer }));
    // The records, then the clerk's readers (the volunteers' passbooks and the offices the clerk serves), then deposits and decisions.
    for (const [viewer, statements] of [
      [viewers.clerk, 5],
      [viewers.admin, 3],
    ] as const) {
      const few = await count([page[0]!, page[1]!], viewer);
      const many = await count([...page, unknown], viewer);
      expect(many.result.errors).toBeUndefined();
      const read = (many.result.data as { _entities: { depositOutcome: OutcomeShape | null }[] })._entities.map((entity) => entity.depositOutcome?.status);
      const perVolunteer = ['DEPOSITED', 'NO_RULE', 'TOO_SHORT', 'REVERSED', 'DEPOSITED', 'TOO_SHORT'];
      expect(read).toEqual([...perVolunteer, ...perVolunteer, 'PENDING']);
      expect(few.count).toBe(statements);
      expect(many.count).toBe(statements);
    }
  });
});
