/**
 * Caseloads (包干) as people's caretaker assignment makes them: people's
 * `household.caretaker_changed`, appended to a `people` outbox and delivered
 * by the real consumer, opens, moves and ends a household's assignment, and
 * a redelivery changes nothing. The caseload volunteer then files requests
 * and posts wishes on behalf of their households' members (and of no one
 * else's), and a visit files the needs it found as requests, with the visit,
 * in one transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { appendEvent, consumeOnce, databaseTransport, newId, rowsOf, type Database, type JsonObject, type Viewer } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS } from '@lianxin/shared/demo';
import { createEventTables, viewerOf, waitFor } from '@lianxin/shared/testing';
import { caseloadAssignments, caseloadVisitRequests, caseloadVisits, microWishes, serviceRequests } from '../src/db/schema.js';
import { requestsConsumer } from '../src/index.js';
import { EAST_BUILDING_1, changeCaretaker, codeOf, knowPersons, linXiao, run, startRequests, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;
let db: Database;
let volunteer: Viewer;

// An ordinary Xingle household the demo gives no caretaker, and the household of 刘桂芳, which is in another volunteer's caseload.
const mine = DEMO_HOUSEHOLDS[8]!;
const theirs = DEMO_HOUSEHOLDS[0]!;

beforeAll(async () => {
  bed = await startRequests();
  db = bed.requests.database.db;
  await createEventTables(db, 'people', { outbox: true });
  volunteer = viewerOf({ roles: ['volunteer'], personId: newId(), regionIds: [] });
  await knowPersons(bed, [volunteer.personId!]);
});
afterAll(async () => {
  await bed?.stop();
});

/** Appends people's caretaker change to its outbox. */
async function caretakerChanged(householdId: string, caretakerId: string | null, regionId: string = EAST_BUILDING_1): Promise<void> {
  const payload: JsonObject = { householdId, caretakerId, regionId, changedAt: new Date().toISOString(), changedById: linXiao.id };
  await db.transaction(async (tx) => {
    await appendEvent(tx, 'people', { type: 'household.caretaker_changed', aggregateType: 'household', aggregateId: householdId, payload });
  });
}

/** Runs the real consumer until it has received and applied everything in people's outbox. */
async function deliver(): Promise<void> {
  await waitFor(
    'people events applied by requests',
    async () => {
      await consumeOnce({ db, consumer: requestsConsumer, transport: databaseTransport() });
      const [row] = await rowsOf<{ done: boolean }>(
        db,
        sql`select not exists (
              select 1 from people.outbox o
              where not exists (select 1 from requests.inbox_cursors c where c.source = 'people' and (c.transaction_id, c.position) >= (o.transaction_id, o.position))
            ) and not exists (select 1 from requests.inbox where status = 'pending') as done`,
      );
      return row?.done === true;
    },
    { timeoutMs: 50_000 },
  );
}

const assignmentsOf = (householdId: string) =>
  db
    .select({ volunteerId: caseloadAssignments.volunteerId, assignedById: caseloadAssignments.assignedById, ended: sql<boolean>`${caseloadAssignments.endedAt} is not null` })
    .from(caseloadAssignments)
    .where(eq(caseloadAssignments.householdId, householdId))
    .orderBy(asc(caseloadAssignments.assignedAt), asc(caseloadAssignments.id));

describe('people’s caretaker events', () => {
  it('open, move and end a household’s assignment; delivered again they change nothing; an unknown region is dead-lettered', async () => {
    const household = DEMO_HOUSEHOLDS[12]!.id;
    const [first, second] = [newId(), newId()];
    const before = await assignmentsOf(household);
    await caretakerChanged(household, first);
    await deliver();
    expect((await assignmentsOf(household)).slice(before.length)).toEqual([{ volunteerId: first, assignedById: linXiao.id, ended: false }]);
    // The consumer's own redelivery of an event it applied is refused by its inbox; a second change to the same caretaker is a no-op here too.
    await caretakerChanged(household, first);
    await caretakerChanged(household, second);
    await caretakerChanged(household, null);
    await deliver();
    expect((await assignmentsOf(household)).slice(before.length)).toEqual([
      { volunteerId: first, assignedById: linXiao.id, ended: true },
      { volunteerId: second, assignedById: linXiao.id, ended: true },
    ]);
    const [current] = await db
      .select({ total: count() })
      .from(caseloadAssignments)
      .where(and(eq(caseloadAssignments.householdId, household), isNull(caseloadAssignments.endedAt)));
    expect(current!.total).toBe(0);

    const unplaced = DEMO_HOUSEHOLDS[13]!.id;
    const beforeUnplaced = await assignmentsOf(unplaced);
    await caretakerChanged(unplaced, first, newId());
    await deliver();
    expect(await assignmentsOf(unplaced)).toEqual(beforeUnplaced);
    const [dead] = await rowsOf<{ total: number }>(db, sql`select count(*)::int as total from requests.inbox where status = 'dead' and aggregate_id = ${unplaced}`);
    expect(dead!.total).toBe(1);
  });
});

const CREATE = `mutation ($input: ServiceRequestCreateInput!) { serviceRequestCreate(input: $input) { serviceRequest { id channel requester { id } filedBy { id } } userErrors { field code message } } }`;
const POST_WISH = `mutation ($input: MicroWishPostInput!) { microWishPost(input: $input) { microWish { id } userErrors { field code message } } }`;

describe('filing on behalf', () => {
  it('the caseload volunteer files requests and posts wishes for their households’ members, and for no one else', async () => {
    const member = mine.members[0]!.personId;
    const stranger = theirs.members[0]!.personId;
    const request = { category: 'cleaning', description: '帮忙打扫厨房。' };
    const wish = { title: '一台收音机', story: '老人想听戏。', place: EAST_BUILDING_1 };

    // Before the household is theirs, they may not file for its members.
    expect(codeOf(await bed.requests.execute(CREATE, { variables: { input: { ...request, requester: member } }, viewer: volunteer }))).toBe('FORBIDDEN');
    await changeCaretaker(bed, mine.id, volunteer.personId);

    const filed = await run<{
      serviceRequestCreate: { serviceRequest: { channel: string; requester: { id: string }; filedBy: { id: string } } | null; userErrors: UserErrorShape[] };
    }>(bed, CREATE, volunteer, { input: { ...request, requester: member } });
    expect(filed.serviceRequestCreate).toEqual({
      serviceRequest: { id: expect.any(String), channel: 'GRID_WORKER', requester: { id: member }, filedBy: { id: volunteer.personId } },
      userErrors: [],
    });
    const posted = await run<{ microWishPost: { microWish: { id: string } | null; userErrors: UserErrorShape[] } }>(bed, POST_WISH, volunteer, {
      input: { ...wish, wisher: member },
    });
    expect(posted.microWishPost.userErrors).toEqual([]);
    const [stored] = await db.select().from(microWishes).where(eq(microWishes.id, posted.microWishPost.microWish!.id));
    expect({ wisher: stored!.wisherId, postedBy: stored!.postedById }).toEqual({ wisher: member, postedBy: volunteer.personId });

    // Another household's member, an unknown person, a made-up id: refused before anything is written.
    const before = await db.select({ total: count() }).from(serviceRequests);
    for (const requester of [stranger, newId()]) {
      expect(codeOf(await bed.requests.execute(CREATE, { variables: { input: { ...request, requester } }, viewer: volunteer }))).toBe('FORBIDDEN');
      expect(codeOf(await bed.requests.execute(POST_WISH, { variables: { input: { ...wish, wisher: requester } }, viewer: volunteer }))).toBe('FORBIDDEN');
    }
    const malformed = await run<{ serviceRequestCreate: { userErrors: UserErrorShape[] } }>(bed, CREATE, volunteer, { input: { ...request, requester: 'nope' } });
    expect(malformed.serviceRequestCreate.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'requester'], 'INVALID']]);
    // Only staff mark a request urgent, caseload volunteer or not.
    const urgent = await run<{ serviceRequestCreate: { userErrors: UserErrorShape[] } }>(bed, CREATE, volunteer, { input: { ...request, requester: member, urgency: 'URGENT' } });
    expect(urgent.serviceRequestCreate.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'urgency'], 'NOT_ALLOWED']]);
    expect(await db.select({ total: count() }).from(serviceRequests)).toEqual(before);

    // Once the household leaves their caseload, so does the right to file for it.
    await changeCaretaker(bed, mine.id, null);
    expect(codeOf(await bed.requests.execute(CREATE, { variables: { input: { ...request, requester: member } }, viewer: volunteer }))).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(POST_WISH, { variables: { input: { ...wish, wisher: member } }, viewer: volunteer }))).toBe('FORBIDDEN');
  });
});

const LOG = `mutation ($input: CaseloadVisitLogInput!) {
  caseloadVisitLog(input: $input) {
    visit { id note requests { id } }
    requests { id status urgency category { code } requester { id } filedBy { id } place { id } }
    userErrors { field code message }
  }
}`;

interface Logged {
  caseloadVisitLog: {
    visit: { id: string; note: string; requests: { id: string }[] } | null;
    requests:
      { id: string; status: string; urgency: string; category: { code: string } | null; requester: { id: string }; filedBy: { id: string }; place: { id: string } }[] | null;
    userErrors: UserErrorShape[];
  };
}

describe('a visit with needs', () => {
  it('files each need as a request on behalf of the member, with the visit, all or nothing', async () => {
    const household = DEMO_HOUSEHOLDS[16]!;
    const volunteerHere = viewerOf({ roles: ['volunteer'], personId: newId(), regionIds: [] });
    await knowPersons(bed, [volunteerHere.personId!]);
    await changeCaretaker(bed, household.id, volunteerHere.personId);
    const member = household.members[0]!.personId;
    const needs = [
      { person: member, category: 'cleaning', description: '厨房油污需要清理。' },
      { person: member, category: 'home_repair', description: '卫生间水龙头漏水。', urgency: 'URGENT' },
    ];
    const counts = async () => ({
      visits: (await db.select({ total: count() }).from(caseloadVisits))[0]!.total,
      requests: (await db.select({ total: count() }).from(serviceRequests))[0]!.total,
      links: (await db.select({ total: count() }).from(caseloadVisitRequests))[0]!.total,
    });

    const before = await counts();
    const bad: [Record<string, unknown>, string[], string][] = [
      [{ ...needs[0], person: theirs.members[0]!.personId }, ['input', 'needs', '1', 'person'], 'NOT_ALLOWED'],
      [{ ...needs[0], category: 'no_such_category' }, ['input', 'needs', '1', 'category'], 'NOT_FOUND'],
      [{ ...needs[0], category: 'emergency_call' }, ['input', 'needs', '1', 'category'], 'NOT_ALLOWED'],
      [{ ...needs[0], description: '  ' }, ['input', 'needs', '1', 'description'], 'REQUIRED'],
      [{ ...needs[0], description: '修'.repeat(2001) }, ['input', 'needs', '1', 'description'], 'INVALID'],
      [{ ...needs[0], person: 'nope' }, ['input', 'needs', '1', 'person'], 'INVALID'],
    ];
    for (const [need, field, code] of bad) {
      const refused = await run<Logged>(bed, LOG, volunteerHere, { input: { household: household.id, note: '上门。', needs: [needs[0], need] } });
      expect({ need, answer: refused.caseloadVisitLog.userErrors.map((error) => [error.field, error.code]) }).toEqual({ need, answer: [[field, code]] });
      expect(refused.caseloadVisitLog.visit).toBeNull();
      expect(refused.caseloadVisitLog.requests).toBeNull();
    }
    const tooMany = await run<Logged>(bed, LOG, volunteerHere, { input: { household: household.id, note: '上门。', needs: Array.from({ length: 11 }, () => needs[0]) } });
    expect(tooMany.caseloadVisitLog.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'needs'], 'INVALID']]);
    expect(await counts()).toEqual(before);

    const logged = await run<Logged>(bed, LOG, volunteerHere, { input: { household: household.id, note: '上门探访，发现两件事要办。', needs } });
    expect(logged.caseloadVisitLog.userErrors).toEqual([]);
    const filed = logged.caseloadVisitLog.requests!;
    expect(filed.map(({ id: _id, ...rest }) => rest)).toEqual([
      {
        status: 'SUBMITTED',
        urgency: 'NORMAL',
        category: { code: 'cleaning' },
        requester: { id: member },
        filedBy: { id: volunteerHere.personId },
        place: { id: EAST_BUILDING_1 },
      },
      {
        status: 'SUBMITTED',
        urgency: 'URGENT',
        category: { code: 'home_repair' },
        requester: { id: member },
        filedBy: { id: volunteerHere.personId },
        place: { id: EAST_BUILDING_1 },
      },
    ]);
    expect(logged.caseloadVisitLog.visit!.requests).toEqual(filed.map(({ id }) => ({ id })));
    expect(await counts()).toEqual({ visits: before.visits + 1, requests: before.requests + 2, links: before.links + 2 });

    // A visit without needs files nothing; someone else's visit with needs is refused before the needs are read.
    const plain = await run<Logged>(bed, LOG, volunteerHere, { input: { household: household.id, note: '再次回访。' } });
    expect(plain.caseloadVisitLog.requests).toEqual([]);
    const asOther = await bed.requests.execute(LOG, { variables: { input: { household: household.id, note: '顺路。', needs } }, viewer: volunteer });
    expect(codeOf(asOther)).toBe('FORBIDDEN');
  });
});
