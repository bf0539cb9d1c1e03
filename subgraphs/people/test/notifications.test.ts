/**
 * The notification inbox fed by events, on real Postgres: producers' outboxes
 * are created in the test database, events appended as the producers append
 * them, and `consumeOnce` applies them; the inbox is read back through SQL
 * and GraphQL.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { appendEvent, consumeOnce, databaseTransport, newId, type NewEvent } from '@lianxin/shared';
import { DEMO_RESIDENTS, DEMO_TEAM, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { createEventTables, startSubgraphHarness, viewerOf, waitFor, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { notifications, teamMembers } from '../src/db/schema.js';
import { peopleConsumer, peopleSubgraph } from '../src/index.js';

let people: SubgraphHarness<PeopleContext>;
const db = () => people.database.db;
const SOURCES = ['requests', 'points', 'recognition'] as const;
const resident = DEMO_RESIDENTS[0]!;

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
  for (const source of SOURCES) await createEventTables(db(), source, { outbox: true });
});
afterAll(async () => {
  await people?.stop();
});

async function publish(source: (typeof SOURCES)[number], ...events: NewEvent[]): Promise<void> {
  await db().transaction(async (tx) => {
    for (const event of events) await appendEvent(tx, source, event);
  });
}

/**
 * Consumer passes until every event appended so far is applied: the outbox is
 * read only up to the oldest transaction running in the whole cluster, so an
 * empty pass alone does not mean caught up.
 */
async function drain(): Promise<void> {
  await waitFor('people to apply every event', async () => {
    await consumeOnce({ db: db(), consumer: peopleConsumer, transport: databaseTransport() });
    const [row] = rowsOf<{ waiting: number }>(
      await db().execute(
        sql`select (select count(*) from requests.outbox)::int - (select count(*) from people.inbox where source = 'requests' and status = 'applied')::int as waiting`,
      ),
    );
    return row?.waiting === 0;
  });
}

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];

function step(type: string, requestId: string, fields: Record<string, unknown>): NewEvent {
  return {
    type,
    aggregateType: 'service_request',
    aggregateId: requestId,
    payload: {
      requestId,
      requesterId: resident.id,
      filedById: null,
      assigneeId: null,
      dispatchedPersonId: null,
      dispatchedTeamId: null,
      categoryCode: 'home_repair',
      categoryName: '上门维修',
      at: new Date().toISOString(),
      ...fields,
    },
  };
}

const recipientsOf = async (requestId: string, kind: 'request_dispatched' | 'request_accepted') =>
  (
    await db()
      .select({ recipientId: notifications.recipientId })
      .from(notifications)
      .where(and(eq(notifications.requestId, requestId), eq(notifications.kind, kind)))
  )
    .map((row) => row.recipientId)
    .sort();

describe('the notification inbox', () => {
  it('tells every current member of the team a request is dispatched to, once each, however often the event is delivered', async () => {
    const members = (
      await db()
        .select({ personId: teamMembers.personId })
        .from(teamMembers)
        .where(and(eq(teamMembers.teamId, DEMO_TEAM.id), isNull(teamMembers.leftAt)))
    )
      .map((row) => row.personId)
      .sort();
    expect(members.length).toBeGreaterThan(1);
    const request = newId();
    await publish('requests', step('service_request.dispatched', request, { dispatchedTeamId: DEMO_TEAM.id }));
    await drain();
    expect(await recipientsOf(request, 'request_dispatched')).toEqual(members);

    // Redelivery: the cursor rewound to the start of requests' outbox hands every event over again.
    await db().execute(sql`update people.inbox_cursors set transaction_id = '0', position = 0 where source = 'requests'`);
    await drain();
    expect(await recipientsOf(request, 'request_dispatched')).toEqual(members);
  });

  it('tells the volunteer a request is dispatched to by name, and the requester and whoever filed for them of its acceptance', async () => {
    const volunteer = DEMO_VOLUNTEERS[1]!.id;
    const filer = DEMO_VOLUNTEERS[2]!.id;
    const request = newId();
    await publish(
      'requests',
      step('service_request.dispatched', request, { dispatchedPersonId: volunteer, filedById: filer }),
      step('service_request.accepted', request, { assigneeId: volunteer, dispatchedPersonId: volunteer, filedById: filer }),
    );
    await drain();
    expect(await recipientsOf(request, 'request_dispatched')).toEqual([volunteer]);
    expect(await recipientsOf(request, 'request_accepted')).toEqual([resident.id, filer].sort());
  });

  it('notifies nobody the register does not hold', async () => {
    const request = newId();
    await publish('requests', step('service_request.dispatched', request, { dispatchedPersonId: newId() }));
    await drain();
    expect(await recipientsOf(request, 'request_dispatched')).toEqual([]);
  });

  it('shows each person their own inbox only, and counts what is unread', async () => {
    const request = newId();
    await publish('requests', step('service_request.accepted', request, {}));
    await drain();
    const query = `{ me { unreadCount notifications(first: 50, unreadOnly: true) { edges { node { kind request { id } } } } } }`;
    const own = await people.execute(query, { viewer: viewerOf({ roles: ['resident'], personId: resident.id }) });
    expect(own.errors).toBeUndefined();
    const me = (own.data as { me: { unreadCount: number; notifications: { edges: { node: { kind: string; request: { id: string } } }[] } } }).me;
    expect(me.notifications.edges.map((edge) => edge.node)).toContainEqual({ kind: 'REQUEST_ACCEPTED', request: { id: request } });
    expect(me.unreadCount).toBe(me.notifications.edges.length);
    const someoneElse = await people.execute(query, { viewer: viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[3]!.id }) });
    const theirs = (someoneElse.data as { me: { notifications: { edges: { node: { request: { id: string } } }[] } } }).me;
    expect(theirs.notifications.edges.map((edge) => edge.node.request.id)).not.toContain(request);
  });
});
