/**
 * Events, both ways. Produced: each change docs/events.md lists for
 * requests writes its event in its own transaction, with the documented
 * aggregate, sequence and payload (compared whole, so no field slips in);
 * other changes and refused ones write none. Consumed: the people
 * subgraph's events, appended to a `people` outbox in the test database and
 * delivered by the real database transport, keep the directory current, so
 * the real services decide by them; a redelivery changes nothing, and a
 * payload of the wrong shape is dead-lettered while later events apply.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asc, eq, sql } from 'drizzle-orm';
import {
  appendEvent,
  consumeOnce,
  databaseTransport,
  envelopeOf,
  newId,
  rowsOf,
  type ConsumeReport,
  type Database,
  type EventColumns,
  type EventEnvelope,
  type JsonObject,
  type NewEvent,
  type Viewer,
} from '@lianxin/shared';
import { demoId } from '@lianxin/shared/demo';
import { createEventTables, viewerOf, waitFor } from '@lianxin/shared/testing';
import {
  directoryBuildingCaptains,
  directoryHouseholdMembers,
  directoryPersons,
  directoryRegions,
  directoryTeamMembers,
  directoryTeams,
  fundCharges,
  serviceRecords,
  serviceRequests,
} from '../src/db/schema.js';
import { requestsConsumer } from '../src/index.js';
import {
  EAST_BUILDING_1,
  LEXIUJIANG,
  XINGLE,
  ZIMING,
  act,
  fileRequest,
  must,
  qiseguangVolunteer,
  requestAt,
  run,
  startRequests,
  topLevelCodeOf,
  viewers,
  wangJianguo,
  zhangXiuying,
  zhengXiaohong,
  type RequestsTestBed,
  type UserErrorShape,
} from './support.js';

let bed: RequestsTestBed;
let db: Database;

beforeAll(async () => {
  bed = await startRequests();
  db = bed.requests.database.db;
  // The producer's outbox, as people's migration creates it; requests' own inbox comes from its migration.
  await createEventTables(db, 'people', { outbox: true });
});
afterAll(async () => {
  await bed?.stop();
});

// ---------------------------------------------------------------------------
// Reading what requests published
// ---------------------------------------------------------------------------

type Published = Pick<EventEnvelope, 'type' | 'aggregateType' | 'aggregateId' | 'sequence' | 'payload'>;

/**
 * Every event in requests' outbox, in the order written. Read from the table
 * itself rather than through a transport: a transport waits for the oldest
 * transaction in the whole cluster, which other test files share.
 */
async function outbox(): Promise<Published[]> {
  const rows = await rowsOf<EventColumns & { id: string }>(
    db,
    sql`select id::text as id, type, aggregate_type, aggregate_id, sequence::text as sequence, payload::text as payload,
          to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at
        from requests.outbox order by position`,
  );
  return rows.map((row) => {
    const { type, aggregateType, aggregateId, sequence, payload } = envelopeOf(row.id, 'requests', row);
    return { type, aggregateType, aggregateId, sequence, payload };
  });
}

/** The events `work` wrote. */
async function eventsOf(work: () => Promise<unknown>): Promise<Published[]> {
  const before = (await outbox()).length;
  await work();
  return (await outbox()).slice(before);
}

async function recordsOfRequest(requestId: string) {
  return db.select().from(serviceRecords).where(eq(serviceRecords.requestId, requestId)).orderBy(asc(serviceRecords.createdAt), asc(serviceRecords.id));
}

/** The documented `service_record.created` payload of a stored service record; `teamId` is its request's dispatched team. */
function createdPayload(record: typeof serviceRecords.$inferSelect, teamId: string | null): JsonObject {
  return {
    serviceRecordId: record.id,
    volunteerId: record.volunteerId,
    categoryCode: record.categoryCode,
    minutes: record.minutes,
    servedAt: record.servedAt.toISOString(),
    requestId: record.requestId,
    activityId: record.activityId,
    dutyShiftId: record.dutyShiftId,
    wishId: record.wishId,
    teamId,
    correctsId: record.correctsId,
    regionId: record.regionId,
    regionPath: record.regionPath,
    createdAt: record.createdAt.toISOString(),
  };
}

interface Correction {
  reversal: { id: string } | null;
  replacement: { id: string } | null;
  userErrors: UserErrorShape[];
}

async function correct(input: Record<string, unknown>): Promise<Correction> {
  const data = await run<{ serviceRecordCorrect: Correction }>(
    bed,
    `mutation ($input: ServiceRecordCorrectInput!) { serviceRecordCorrect(input: $input) { reversal { id } replacement { id } userErrors { field code message } } }`,
    viewers.lin,
    { input },
  );
  return data.serviceRecordCorrect;
}

/** A home repair accepted by 王建国 and quoted; its quote token as the gateway would read it for a household of `hardship`. */
async function quotedRepair(labour: number, materials: number, hardship: 'SPECIAL_HARDSHIP' | 'LOW_INCOME' | 'ORDINARY'): Promise<{ request: string; token: string }> {
  const request = await requestAt(bed, 'accepted', 'home_repair');
  await must(bed, 'serviceRequestQuote', { request, labour, materials }, viewers.wang);
  const representation = { __typename: 'ServiceRequest', id: request, requester: { household: { id: demoId(45, 99), hardshipLevel: hardship } } };
  const data = await run<{ _entities: { quote: { token: string } }[] }>(
    bed,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRequest { quote { token } } } }`,
    viewers.zheng,
    { r: [representation] },
  );
  return { request, token: data._entities[0]!.quote.token };
}

describe('publishing', () => {
  it("announces the demo data's records once each, nothing for filing and review; dispatch, acceptance and start each announce their step on the request", async () => {
    const demo = await outbox();
    const records = await db.select().from(serviceRecords);
    const announced = demo.filter((event) => event.aggregateType === 'service_record').map((event) => event.payload['serviceRecordId'] as string);
    expect(announced.sort()).toEqual(records.map((record) => record.id).sort());
    const steps = await eventsOf(() => requestAt(bed, 'in_service'));
    expect(steps.map(({ type, aggregateType, sequence }) => ({ type, aggregateType, sequence }))).toEqual([
      { type: 'service_request.dispatched', aggregateType: 'service_request', sequence: 1 },
      { type: 'service_request.accepted', aggregateType: 'service_request', sequence: 2 },
      { type: 'service_request.started', aggregateType: 'service_request', sequence: 3 },
    ]);
    // Ids and the category's public name: nothing personal.
    expect(steps[0]!.payload).toMatchObject({ requestId: steps[0]!.aggregateId, categoryCode: 'cleaning', dispatchedTeamId: LEXIUJIANG });
  });

  it('writes one service_record.created when a request is completed', async () => {
    const request = await requestAt(bed, 'in_service');
    const all = await eventsOf(() => must(bed, 'serviceRequestComplete', { request, note: '打扫干净了。' }, viewers.wang));
    expect(all.map((event) => event.type)).toEqual(['service_record.created', 'service_request.completed']);
    const events = all.filter((event) => event.aggregateType === 'service_record');
    const [record] = await recordsOfRequest(request);
    expect(record).toMatchObject({ volunteerId: wangJianguo.id, categoryCode: 'cleaning', requestId: request, regionId: expect.any(String) });
    expect(events).toEqual([
      { type: 'service_record.created', aggregateType: 'service_record', aggregateId: record!.id, sequence: 1, payload: createdPayload(record!, LEXIUJIANG) },
    ]);
    // Spelled out once, so the documented field list is checked against something other than the helper.
    expect(Object.keys(events[0]!.payload).sort()).toEqual(
      [
        'activityId',
        'categoryCode',
        'correctsId',
        'createdAt',
        'dutyShiftId',
        'minutes',
        'regionId',
        'regionPath',
        'requestId',
        'servedAt',
        'serviceRecordId',
        'teamId',
        'volunteerId',
        'wishId',
      ].sort(),
    );
    expect(events[0]!.payload).toMatchObject({ activityId: null, dutyShiftId: null, teamId: LEXIUJIANG, correctsId: null, regionPath: [...record!.regionPath] });
  });

  it('writes service_record.reversed on the original record’s aggregate, after its created, and created for the replacement', async () => {
    const request = await requestAt(bed, 'completed');
    const [original] = await recordsOfRequest(request);
    let corrected: Correction | undefined;
    const events = await eventsOf(async () => {
      corrected = await correct({ record: original!.id, minutes: 45, reason: '实际服务45分钟。' });
    });
    expect(corrected!.userErrors).toEqual([]);
    const [, reversal, replacement] = await recordsOfRequest(request);
    expect(reversal).toMatchObject({ id: corrected!.reversal!.id, kind: 'reversal', reversesId: original!.id });
    expect(replacement).toMatchObject({ id: corrected!.replacement!.id, kind: 'service', correctsId: original!.id, minutes: 45 });
    expect(events).toEqual([
      {
        type: 'service_record.reversed',
        aggregateType: 'service_record',
        aggregateId: original!.id,
        sequence: 2,
        payload: {
          serviceRecordId: reversal!.id,
          reversesId: original!.id,
          volunteerId: wangJianguo.id,
          categoryCode: 'cleaning',
          minutes: -original!.minutes,
          regionId: original!.regionId,
          regionPath: original!.regionPath,
          createdAt: reversal!.createdAt.toISOString(),
        },
      },
      { type: 'service_record.created', aggregateType: 'service_record', aggregateId: replacement!.id, sequence: 1, payload: createdPayload(replacement!, LEXIUJIANG) },
    ]);
    expect(events[1]!.payload).toMatchObject({ correctsId: original!.id, minutes: 45 });
  });

  it('writes service_request.rated with the team the request was dispatched to', async () => {
    const request = await requestAt(bed, 'completed');
    const events = await eventsOf(() => must(bed, 'serviceRequestRate', { request, score: 4 }, viewers.zheng));
    // Dispatched, accepted, started and completed come before it on the request's aggregate.
    const [row] = await db.select().from(serviceRequests).where(eq(serviceRequests.id, request));
    expect(events).toEqual(
      [
        {
          type: 'service_request.rated',
          aggregateType: 'service_request',
          aggregateId: request,
          sequence: 1,
          payload: {
            requestId: request,
            assigneeId: wangJianguo.id,
            teamId: LEXIUJIANG,
            requesterId: zhengXiaohong.id,
            ratedById: zhengXiaohong.id,
            score: 4,
            categoryCode: 'cleaning',
            regionId: row!.regionId,
            regionPath: row!.regionPath,
            ratedAt: row!.ratedAt!.toISOString(),
          },
        },
      ].map((event) => ({ ...event, sequence: 5 })),
    );
  });

  it('writes fund_charge.created when a special-hardship repair is completed, and orders the rating after it', async () => {
    const { request, token } = await quotedRepair(6000, 2500, 'SPECIAL_HARDSHIP');
    await must(bed, 'serviceRequestQuoteAgree', { request, quoteToken: token }, viewers.zheng);
    await must(bed, 'serviceRequestStart', { request }, viewers.wang);
    const completion = await eventsOf(() => must(bed, 'serviceRequestComplete', { request, note: '修好了。' }, viewers.wang));
    const [record] = await recordsOfRequest(request);
    const [charge] = await db.select().from(fundCharges).where(eq(fundCharges.requestId, request));
    expect(completion).toEqual([
      { type: 'service_record.created', aggregateType: 'service_record', aggregateId: record!.id, sequence: 1, payload: createdPayload(record!, LEXIUJIANG) },
      {
        type: 'fund_charge.created',
        aggregateType: 'service_request',
        aggregateId: request,
        sequence: 5,
        payload: {
          fundChargeId: charge!.id,
          requestId: request,
          amountFen: 8500,
          regionId: charge!.regionId,
          regionPath: charge!.regionPath,
          createdAt: charge!.createdAt.toISOString(),
        },
      },
      // After dispatched, accepted, quoted and started (1–4) and the charge (5).
      { type: 'service_request.completed', aggregateType: 'service_request', aggregateId: request, sequence: 6, payload: expect.objectContaining({ requestId: request }) },
    ]);
    const rating = await eventsOf(() => must(bed, 'serviceRequestRate', { request, score: 5 }, viewers.zheng));
    expect(rating.map(({ type, aggregateId, sequence }) => ({ type, aggregateId, sequence }))).toEqual([{ type: 'service_request.rated', aggregateId: request, sequence: 7 }]);
  });

  it('writes no fund charge event for an ordinary household, whose price leaves nothing to the fund', async () => {
    const { request, token } = await quotedRepair(5000, 1000, 'ORDINARY');
    await must(bed, 'serviceRequestQuoteAgree', { request, quoteToken: token }, viewers.zheng);
    await must(bed, 'serviceRequestStart', { request }, viewers.wang);
    const events = await eventsOf(() => must(bed, 'serviceRequestComplete', { request, note: '修好了。' }, viewers.wang));
    expect(events.map((event) => event.type)).toEqual(['service_record.created', 'service_request.completed']);
  });

  it('writes nothing for refused changes: an illegal transition, the wrong volunteer, a second correction', async () => {
    const inService = await requestAt(bed, 'in_service');
    const completed = await requestAt(bed, 'completed');
    const [original] = await recordsOfRequest(completed);
    expect((await correct({ record: original!.id, reason: '撤销。' })).userErrors).toEqual([]);
    const events = await eventsOf(async () => {
      expect((await act(bed, 'serviceRequestRate', { request: inService, score: 5 }, viewers.zheng)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
      const wrongVolunteer = viewerOf({ roles: ['volunteer'], personId: zhangXiuying.id });
      expect((await act(bed, 'serviceRequestComplete', { request: inService, note: '不是我接的。' }, wrongVolunteer)).userErrors.map((error) => error.code)).toEqual([
        'NOT_ALLOWED',
      ]);
      expect((await correct({ record: original!.id, minutes: 30, reason: '再改一次。' })).userErrors.map((error) => error.code)).toEqual(['ALREADY_EXISTS']);
    });
    expect(events).toEqual([]);
  });
});

describe('publishing activity hours', () => {
  const HOUR = 3600_000;
  const volunteer = viewerOf({ roles: ['volunteer'], personId: zhangXiuying.id });

  async function doorCode(activity: string, which: 'checkInCode' | 'checkOutCode'): Promise<string> {
    const data = await run<{ activity: Record<string, { payload: string }> }>(bed, `query ($id: ID!) { activity(id: $id) { ${which} { payload } } }`, viewers.lin, {
      id: activity,
    });
    return data.activity[which]!.payload;
  }

  async function mutate(name: string, inputType: string, selection: string, input: Record<string, unknown>, viewer: Viewer): Promise<{ userErrors: UserErrorShape[] }> {
    const data = await run<Record<string, { userErrors: UserErrorShape[] }>>(
      bed,
      `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { field code message } } }`,
      viewer,
      { input },
    );
    return data[name]!;
  }

  it('writes service_record.created for approved hours, and nothing when the approval is refused part-way', async () => {
    const startsAt = new Date(Date.now() + 72 * HOUR);
    const endsAt = new Date(startsAt.getTime() + 2 * HOUR);
    const created = await run<{ activityCreate: { activity: { id: string } } }>(
      bed,
      `mutation ($input: ActivityCreateInput!) { activityCreate(input: $input) { activity { id } } }`,
      viewers.lin,
      { input: { title: '事件活动', category: 'cleaning', place: XINGLE, startsAt, endsAt, capacity: 5 } },
    );
    const activity = created.activityCreate.activity.id;
    expect((await mutate('activitySignUp', 'ActivitySignUpInput', 'signup { status }', { activity }, volunteer)).userErrors).toEqual([]);
    try {
      bed.clock.set(new Date(startsAt.getTime() + 5 * 60_000));
      expect((await mutate('activityCheckIn', 'ActivityCheckInInput', 'attendance { minutes }', { code: await doorCode(activity, 'checkInCode') }, volunteer)).userErrors).toEqual(
        [],
      );
      bed.clock.set(new Date(startsAt.getTime() + 65 * 60_000));
      expect(
        (await mutate('activityCheckOut', 'ActivityCheckOutInput', 'attendance { minutes }', { code: await doorCode(activity, 'checkOutCode') }, volunteer)).userErrors,
      ).toEqual([]);
      bed.clock.set(new Date(endsAt.getTime() + 60_000));
      const approve = (attendances: { person: string }[]) =>
        mutate('activityHoursApprove', 'ActivityHoursApproveInput', 'serviceRecords { id }', { activity, attendances }, viewers.lin);

      // The first volunteer's record and event are written, then the second is refused: the transaction takes both back.
      const refused = await eventsOf(async () => {
        expect((await approve([{ person: zhangXiuying.id }, { person: newId() }])).userErrors.map((error) => error.code)).toEqual(['NOT_FOUND']);
      });
      expect(refused).toEqual([]);

      const approved = await eventsOf(async () => {
        expect((await approve([{ person: zhangXiuying.id }])).userErrors).toEqual([]);
      });
      const [record] = await db.select().from(serviceRecords).where(eq(serviceRecords.activityId, activity));
      expect(record).toMatchObject({ volunteerId: zhangXiuying.id, minutes: 60, requestId: null });
      expect(approved).toEqual([{ type: 'service_record.created', aggregateType: 'service_record', aggregateId: record!.id, sequence: 1, payload: createdPayload(record!, null) }]);
      expect(approved[0]!.payload).toMatchObject({ activityId: activity, requestId: null, regionId: XINGLE });
    } finally {
      bed.clock.reset();
    }
  });
});

// ---------------------------------------------------------------------------
// Consuming people's events
// ---------------------------------------------------------------------------

/** A people event, as the people subgraph appends it. */
const peopleEvent = (type: string, aggregateType: string, aggregateId: string, payload: JsonObject): NewEvent => ({ type, aggregateType, aggregateId, payload });

/** Appends `events` to people's outbox in one transaction, in order. */
async function publish(...events: NewEvent[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const event of events) await appendEvent(tx, 'people', event);
  });
}

/** Whether requests has received everything in people's outbox and has nothing left to apply. */
async function caughtUp(): Promise<boolean> {
  const [row] = await rowsOf<{ done: boolean }>(
    db,
    sql`select not exists (
          select 1 from people.outbox o
          where not exists (
            select 1 from requests.inbox_cursors c where c.source = 'people' and (c.transaction_id, c.position) >= (o.transaction_id, o.position)
          )
        ) and not exists (select 1 from requests.inbox where status = 'pending') as done`,
  );
  return row?.done === true;
}

/**
 * Runs the consumer, one pass at a time, until it has received and applied
 * all of people's events; returns what the passes did. It loops rather than
 * running once because the transport reads only events of transactions older
 * than every one still running in the cluster, which other test files share.
 */
async function deliver(): Promise<ConsumeReport> {
  const total: ConsumeReport = { received: 0, applied: 0, skipped: 0, failed: 0, deadLettered: 0 };
  await waitFor(
    'people events received and applied by requests',
    async () => {
      const report = await consumeOnce({ db, consumer: requestsConsumer, transport: databaseTransport() });
      total.received += report.received;
      total.applied += report.applied;
      total.skipped += report.skipped;
      total.failed += report.failed;
      total.deadLettered += report.deadLettered;
      return caughtUp();
    },
    { timeoutMs: 50_000 },
  );
  return total;
}

async function regionRow(id: string) {
  const [row] = await db.select().from(directoryRegions).where(eq(directoryRegions.id, id));
  return row;
}

async function membersOf(teamId: string) {
  return db
    .select({ personId: directoryTeamMembers.personId, role: directoryTeamMembers.role })
    .from(directoryTeamMembers)
    .where(eq(directoryTeamMembers.teamId, teamId))
    .orderBy(asc(directoryTeamMembers.personId));
}

async function householdOf(personId: string): Promise<string | null> {
  const [row] = await db.select().from(directoryHouseholdMembers).where(eq(directoryHouseholdMembers.personId, personId));
  return row?.householdId ?? null;
}

/** The whole directory, for comparing before and after a redelivery. */
async function directorySnapshot() {
  return {
    regions: await db.select().from(directoryRegions).orderBy(asc(directoryRegions.id)),
    teams: await db.select().from(directoryTeams).orderBy(asc(directoryTeams.id)),
    members: await db.select().from(directoryTeamMembers).orderBy(asc(directoryTeamMembers.teamId), asc(directoryTeamMembers.personId)),
    households: await db.select().from(directoryHouseholdMembers).orderBy(asc(directoryHouseholdMembers.personId)),
    persons: await db.select().from(directoryPersons).orderBy(asc(directoryPersons.id)),
    captains: await db.select().from(directoryBuildingCaptains).orderBy(asc(directoryBuildingCaptains.buildingId)),
  };
}

const joinedAt = new Date('2026-03-01T01:00:00.000Z').toISOString();

describe('consuming people’s events', () => {
  it('lets a volunteer who joined a team accept work dispatched to it, through the real service', async () => {
    const outsider = viewers.outsider;
    const request = await requestAt(bed, 'dispatched');
    // Not yet a member, the volunteer may not even see the team's work.
    expect(await topLevelCodeOf(bed, 'serviceRequestAccept', { request }, outsider)).toBe('FORBIDDEN');

    await publish(peopleEvent('team_member.added', 'team', LEXIUJIANG, { teamId: LEXIUJIANG, personId: qiseguangVolunteer.id, role: 'member', joinedAt, communityId: XINGLE }));
    expect(await deliver()).toMatchObject({ received: 1, applied: 1, deadLettered: 0 });
    expect(await membersOf(LEXIUJIANG)).toContainEqual({ personId: qiseguangVolunteer.id, role: 'member' });

    expect(await must(bed, 'serviceRequestAccept', { request }, outsider)).toMatchObject({ status: 'ACCEPTED', assignee: { id: qiseguangVolunteer.id } });
  });

  it('knows a person once person.registered is applied: their writes are refused until then, and accepted after', async () => {
    const person = newId();
    const registeredAt = new Date('2026-03-01T02:30:00.000Z').toISOString();
    const newcomer = viewerOf({ roles: ['resident'], personId: person });
    const post = () =>
      run<{ microWishPost: { microWish: { id: string } | null; userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: MicroWishPostInput!) { microWishPost(input: $input) { microWish { id } userErrors { field code message } } }`,
        newcomer,
        { input: { title: '一副老花镜', story: '看不清药盒上的字。', place: EAST_BUILDING_1 } },
      );
    // Registered in people a moment ago, the event not yet here: refused like someone never registered.
    await publish(peopleEvent('person.registered', 'person', person, { personId: person, registeredAt }));
    expect((await post()).microWishPost).toEqual({
      microWish: null,
      userErrors: [{ field: null, code: 'NOT_FOUND', message: expect.stringContaining('not (yet) known') }],
    });

    expect(await deliver()).toMatchObject({ received: 1, applied: 1, deadLettered: 0 });
    expect(await db.select().from(directoryPersons).where(eq(directoryPersons.id, person))).toEqual([
      { id: person, registeredAt: new Date(registeredAt), minor: false, guardianConsent: false },
    ]);
    expect((await post()).microWishPost).toMatchObject({ microWish: { id: expect.any(String) }, userErrors: [] });

    // Announced again (a replayed dead letter, another event id): still one row, with the first instant.
    await publish(peopleEvent('person.registered', 'person', person, { personId: person, registeredAt: new Date().toISOString() }));
    expect(await deliver()).toMatchObject({ received: 1, applied: 1 });
    expect(await db.select().from(directoryPersons).where(eq(directoryPersons.id, person))).toEqual([
      { id: person, registeredAt: new Date(registeredAt), minor: false, guardianConsent: false },
    ]);
  });

  it('keeps teams: created, members added and removed, the captaincy handed over', async () => {
    const team = newId();
    const [captain, member, leaver] = [newId(), newId(), newId()];
    await publish(
      peopleEvent('team.created', 'team', team, { teamId: team, communityId: XINGLE, name: '事件队', kind: 'volunteer' }),
      peopleEvent('team_member.added', 'team', team, { teamId: team, personId: captain, role: 'captain', joinedAt, communityId: XINGLE }),
      peopleEvent('team_member.added', 'team', team, { teamId: team, personId: member, role: 'member', joinedAt, communityId: XINGLE }),
      peopleEvent('team_member.added', 'team', team, { teamId: team, personId: leaver, role: 'member', joinedAt, communityId: XINGLE }),
      peopleEvent('team.captain_changed', 'team', team, { teamId: team, captainId: member, previousCaptainId: captain }),
      peopleEvent('team_member.removed', 'team', team, { teamId: team, personId: leaver, leftAt: joinedAt }),
    );
    expect(await deliver()).toMatchObject({ received: 6, applied: 6, deadLettered: 0 });
    expect(await db.select().from(directoryTeams).where(eq(directoryTeams.id, team))).toEqual([{ id: team, communityId: XINGLE }]);
    expect(await membersOf(team)).toEqual(
      [
        { personId: captain, role: 'member' },
        { personId: member, role: 'captain' },
      ].sort((a, b) => a.personId.localeCompare(b.personId)),
    );
  });

  it('moves a region and every region below it, and places what is filed there by the new path', async () => {
    const compound = newId();
    const building = newId();
    const xinglePath = [...(await regionRow(XINGLE))!.path, XINGLE];
    const zimingPath = [...(await regionRow(ZIMING))!.path, ZIMING];
    await publish(
      peopleEvent('region.created', 'region', compound, { regionId: compound, parentId: XINGLE, kind: 'compound', path: xinglePath }),
      peopleEvent('region.created', 'region', building, { regionId: building, parentId: compound, kind: 'building', path: [...xinglePath, compound] }),
    );
    await deliver();
    expect(await regionRow(building)).toEqual({ id: building, parentId: compound, kind: 'building', path: [...xinglePath, compound] });

    await publish(peopleEvent('region.moved', 'region', compound, { regionId: compound, parentId: ZIMING, path: zimingPath }));
    expect(await deliver()).toMatchObject({ received: 1, applied: 1 });
    expect(await regionRow(compound)).toEqual({ id: compound, parentId: ZIMING, kind: 'compound', path: zimingPath });
    expect(await regionRow(building)).toEqual({ id: building, parentId: compound, kind: 'building', path: [...zimingPath, compound] });

    // A room created under the building before the move, its event applied after it: its path follows the building's current one.
    const room = newId();
    await publish(peopleEvent('region.created', 'region', room, { regionId: room, parentId: building, kind: 'room', path: [...xinglePath, compound, building] }));
    await deliver();
    expect((await regionRow(room))!.path).toEqual([...zimingPath, compound, building]);

    // The real service places a request by the directory: filed at the building, it now lies in Ziming.
    const request = await fileRequest(bed, { place: building });
    const [row] = await db.select().from(serviceRequests).where(eq(serviceRequests.id, request));
    expect(row!.regionPath).toEqual([...zimingPath, compound, building]);
  });

  it('keeps households (one at a time per person) and building captains', async () => {
    const [person, other] = [newId(), newId()];
    const [first, second] = [newId(), newId()];
    const captain = newId();
    await publish(
      peopleEvent('household_member.added', 'household', first, { householdId: first, personId: person }),
      peopleEvent('household_member.added', 'household', first, { householdId: first, personId: other }),
      peopleEvent('household_member.added', 'household', second, { householdId: second, personId: person }),
      peopleEvent('household_member.removed', 'household', first, { householdId: first, personId: other }),
      // A removal from the household the person already left does not take them out of their new one.
      peopleEvent('household_member.removed', 'household', first, { householdId: first, personId: person }),
      peopleEvent('building_captain.assigned', 'region', EAST_BUILDING_1, { buildingId: EAST_BUILDING_1, personId: captain }),
    );
    expect(await deliver()).toMatchObject({ received: 6, applied: 6, deadLettered: 0 });
    expect(await householdOf(person)).toBe(second);
    expect(await householdOf(other)).toBeNull();
    expect(await db.select().from(directoryBuildingCaptains).where(eq(directoryBuildingCaptains.buildingId, EAST_BUILDING_1))).toEqual([
      { buildingId: EAST_BUILDING_1, personId: captain },
    ]);
  });

  it('has one effect however often an event arrives: a rewound cursor, or the same fact announced twice', async () => {
    await deliver();
    const before = await directorySnapshot();
    const [inboxBefore] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from requests.inbox`);
    await db.execute(sql`update requests.inbox_cursors set transaction_id = '0', position = 0`);
    expect(await deliver()).toEqual({ received: 0, applied: 0, skipped: 0, failed: 0, deadLettered: 0 });
    expect(await directorySnapshot()).toEqual(before);
    const [inboxAfter] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from requests.inbox`);
    expect(inboxAfter!.n).toBe(inboxBefore!.n);

    // Two events (two ids, so the inbox keeps both) saying the same thing: the handlers' upserts leave one row.
    const person = newId();
    const household = newId();
    const added = () => peopleEvent('household_member.added', 'household', household, { householdId: household, personId: person });
    const joined = () => peopleEvent('team_member.added', 'team', LEXIUJIANG, { teamId: LEXIUJIANG, personId: person, role: 'member', joinedAt, communityId: XINGLE });
    await publish(added(), added(), joined(), joined());
    expect(await deliver()).toMatchObject({ received: 4, applied: 4 });
    expect(await db.select().from(directoryHouseholdMembers).where(eq(directoryHouseholdMembers.personId, person))).toEqual([{ householdId: household, personId: person }]);
    expect((await membersOf(LEXIUJIANG)).filter((member) => member.personId === person)).toEqual([{ personId: person, role: 'member' }]);
  });

  it('dead-letters a payload of the wrong shape, and an event naming what the directory does not know, while later events apply', async () => {
    const team = newId();
    const [later, elsewhere, household] = [newId(), newId(), newId()];
    const unknownRegion = newId();
    await publish(
      peopleEvent('team.created', 'team', team, { teamId: team, communityId: XINGLE, name: '坏事件队', kind: 'volunteer' }),
      peopleEvent('team_member.added', 'team', team, { teamId: team, personId: 'not-a-person', role: 'member', joinedAt, communityId: XINGLE }),
      peopleEvent('team_member.added', 'team', team, { teamId: team, personId: later, role: 'member', joinedAt, communityId: XINGLE }),
      peopleEvent('region.moved', 'region', unknownRegion, { regionId: unknownRegion, parentId: XINGLE, path: [] }),
      peopleEvent('household_member.added', 'household', household, { householdId: household, personId: elsewhere }),
      peopleEvent('person.registered', 'person', elsewhere, { personId: elsewhere, registeredAt: 'yesterday' }),
    );
    expect(await deliver()).toMatchObject({ received: 6, applied: 3, deadLettered: 3, failed: 0 });
    const letters = await rowsOf<{ type: string; aggregate_id: string; error: string }>(
      db,
      sql`select i.type, i.aggregate_id, d.error from requests.dead_letters d join requests.inbox i on i.event_id = d.event_id
          where i.aggregate_id in (${team}, ${unknownRegion}, ${elsewhere}) order by i.position`,
    );
    expect(letters.map((letter) => ({ ...letter }))).toEqual([
      { type: 'team_member.added', aggregate_id: team, error: expect.stringMatching(/^UnprocessableEventError: payload of team_member.added: personId/) },
      { type: 'region.moved', aggregate_id: unknownRegion, error: expect.stringMatching(/^UnprocessableEventError: region .* is not in the directory/) },
      { type: 'person.registered', aggregate_id: elsewhere, error: expect.stringMatching(/^UnprocessableEventError: payload of person.registered: registeredAt/) },
    ]);
    // The team's later event passed the dead one; other aggregates were never held up.
    expect(await membersOf(team)).toEqual([{ personId: later, role: 'member' }]);
    expect(await householdOf(elsewhere)).toBe(household);
    expect(await regionRow(unknownRegion)).toBeUndefined();
    expect(await db.select().from(directoryPersons).where(eq(directoryPersons.id, elsewhere))).toEqual([]);
  });
});
