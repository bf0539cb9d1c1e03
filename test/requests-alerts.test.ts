/**
 * Call buttons end to end on real Postgres: a device platform posts signed
 * events to the requests service's webhook; a press opens an urgent request
 * for the household's caseload volunteer, whom the gateway shows the alert;
 * a bad signature, an old timestamp or a replayed event id is refused with
 * 401 and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { count, eq } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_RESIDENTS } from '@lianxin/shared/demo';
import { requestsSubgraph } from '@lianxin/requests';
import { signDeviceEvent } from '../subgraphs/requests/src/alerts/webhook.js';
import { alerts, deviceEvents, devices, serviceRequests } from '../subgraphs/requests/src/db/schema.js';
import { DEV_DEVICE_PLATFORM } from '../subgraphs/requests/src/settings.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.stop();
});

const liuGuifang = DEMO_RESIDENTS[0]!;
/** 刘桂芳's call button in the demo data. */
const CALL_BOX = 'ziming-callbox-0001';
const secret = (): Buffer => requestsSubgraph.settings(process.env).deviceSecrets.get(DEV_DEVICE_PLATFORM)!;

interface Delivery {
  body?: string;
  platform?: string;
  timestamp?: number;
  signature?: string;
}

/** Posts an event the way a device platform does; each part can be spoiled for a test. */
async function deliver(event: Record<string, unknown>, spoil: Delivery = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = spoil.body ?? JSON.stringify(event);
  const timestamp = spoil.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${graph.graph.subgraphs.requests.server.origin}/webhooks/devices`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-lianxin-platform': spoil.platform ?? DEV_DEVICE_PLATFORM,
      'x-lianxin-timestamp': String(timestamp),
      'x-lianxin-signature': spoil.signature ?? signDeviceEvent(secret(), timestamp, body),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const press = (id = `evt-${newId()}`) => ({ id, type: 'button_pressed', device: CALL_BOX, occurredAt: new Date().toISOString() });

/** Rows the webhook could write, to prove a refusal wrote none. */
async function written(): Promise<{ requests: number; alerts: number; events: number }> {
  const db = graph.graph.subgraphs.requests.database.db;
  const [requests] = await db.select({ total: count() }).from(serviceRequests);
  // Inactivity alerts come and go with the clock; what a delivery writes is a call-button alert.
  const [raised] = await db.select({ total: count() }).from(alerts).where(eq(alerts.kind, 'call_button'));
  const [events] = await db.select({ total: count() }).from(deviceEvents);
  return { requests: requests!.total, alerts: raised!.total, events: events!.total };
}

describe('a call button press', () => {
  it('opens an urgent request dispatched to the household’s caseload volunteer, who sees and acknowledges the alert', async () => {
    const delivered = await deliver(press());
    expect(delivered).toEqual({ status: 202, body: { accepted: true, alert: expect.any(String), serviceRequest: expect.any(String) } });
    const [device] = await graph.graph.subgraphs.requests.database.db.select().from(devices).where(eq(devices.externalId, CALL_BOX));
    const caretaker = await graph.token({ roles: ['volunteer'], personId: device!.notifyPersonId });
    const admin = await graph.token({ roles: ['community_admin'], personId: newId(), regionIds: [DEMO_REGIONS.xingle.id] });

    const seen = await graph.query<{ alert: Record<string, unknown> }>(
      `query ($id: ID!) { alert(id: $id) { kind resident { name } notify { id } acknowledgedAt
        serviceRequest { status urgency channel category { code } dispatchedPerson { id } requester { name } history { to actorKind } } } }`,
      { variables: { id: delivered.body['alert'] }, token: caretaker },
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.alert).toEqual({
      kind: 'CALL_BUTTON',
      resident: { name: liuGuifang.name },
      notify: { id: device!.notifyPersonId },
      acknowledgedAt: null,
      serviceRequest: {
        status: 'DISPATCHED',
        urgency: 'URGENT',
        channel: 'DEVICE',
        category: { code: 'emergency_call' },
        dispatchedPerson: { id: device!.notifyPersonId },
        requester: { name: liuGuifang.name },
        history: [
          { to: 'SUBMITTED', actorKind: 'DEVICE' },
          { to: 'DISPATCHED', actorKind: 'SYSTEM' },
        ],
      },
    });

    const open = await graph.query<{ openAlerts: { edges: { node: { id: string; ageSeconds: number } }[] } }>(`{ openAlerts(first: 100) { edges { node { id ageSeconds } } } }`, {
      token: admin,
    });
    expect(open.data!.openAlerts.edges.map((edge) => edge.node.id)).toContain(delivered.body['alert']);

    const acknowledged = await graph.query<{ alertAcknowledge: { alert: { acknowledgedBy: { id: string } } | null; userErrors: unknown[] } }>(
      `mutation ($id: ID!) { alertAcknowledge(input: { alert: $id, note: "已联系老人，马上上门。" }) { alert { acknowledgedBy { id } } userErrors { code } } }`,
      { variables: { id: delivered.body['alert'] }, token: caretaker },
    );
    expect(acknowledged.data!.alertAcknowledge).toEqual({ alert: { acknowledgedBy: { id: device!.notifyPersonId } }, userErrors: [] });
    const accepted = await graph.query<{ serviceRequestAccept: { serviceRequest: { status: string } | null } }>(
      `mutation ($id: ID!) { serviceRequestAccept(input: { request: $id }) { serviceRequest { status } } }`,
      { variables: { id: delivered.body['serviceRequest'] }, token: caretaker },
    );
    expect(accepted.data!.serviceRequestAccept.serviceRequest).toEqual({ status: 'ACCEPTED' });
  });

  it('moves a sensor’s last motion on', async () => {
    const at = new Date();
    const delivered = await deliver({ id: `evt-${newId()}`, type: 'motion', device: CALL_BOX, occurredAt: at.toISOString() });
    expect(delivered.status).toBe(202);
    const [device] = await graph.graph.subgraphs.requests.database.db.select().from(devices).where(eq(devices.externalId, CALL_BOX));
    expect(device!.lastMotionAt).toEqual(new Date(Math.floor(at.getTime())));
  });
});

describe('the webhook refuses with 401 and writes nothing', () => {
  it.each([
    [
      'a bad signature',
      (event: Record<string, unknown>) => ({ signature: signDeviceEvent('someone-else-s-secret-of-enough-length', Math.floor(Date.now() / 1000), JSON.stringify(event)) }),
      'BAD_SIGNATURE',
    ],
    [
      'a body altered after signing',
      (event: Record<string, unknown>) => {
        const timestamp = Math.floor(Date.now() / 1000);
        return { timestamp, signature: signDeviceEvent(secret(), timestamp, JSON.stringify(event)), body: JSON.stringify({ ...event, device: 'ziming-sensor-0002' }) };
      },
      'BAD_SIGNATURE',
    ],
    [
      'a timestamp six minutes old',
      (event: Record<string, unknown>) => {
        const timestamp = Math.floor(Date.now() / 1000) - 6 * 60;
        return { timestamp, signature: signDeviceEvent(secret(), timestamp, JSON.stringify(event)) };
      },
      'STALE_TIMESTAMP',
    ],
    [
      'a timestamp from the future',
      (event: Record<string, unknown>) => {
        const timestamp = Math.floor(Date.now() / 1000) + 6 * 60;
        return { timestamp, signature: signDeviceEvent(secret(), timestamp, JSON.stringify(event)) };
      },
      'STALE_TIMESTAMP',
    ],
    ['an unknown platform', () => ({ platform: 'acme-iot' }), 'UNKNOWN_PLATFORM'],
    ['no signature', () => ({ signature: '' }), 'BAD_SIGNATURE'],
  ])('for %s', async (_name, spoil, reason) => {
    const before = await written();
    const event = press();
    const refused = await deliver(event, spoil(event));
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason } }] });
    expect(await written()).toEqual(before);
  });

  it('for an event id delivered before, even signed anew', async () => {
    const event = press();
    expect((await deliver(event)).status).toBe(202);
    const before = await written();
    const replayed = await deliver(event);
    expect(replayed).toMatchObject({ status: 401, body: { errors: [{ extensions: { reason: 'REPLAYED' } }] } });
    // The same event signed a second later: a fresh timestamp and signature do not make it new.
    const later = Math.floor(Date.now() / 1000) + 1;
    expect(await deliver(event, { timestamp: later, signature: signDeviceEvent(secret(), later, JSON.stringify(event)) })).toMatchObject({
      status: 401,
      body: { errors: [{ extensions: { reason: 'REPLAYED' } }] },
    });
    expect(await written()).toEqual(before);
  });

  it('and two deliveries of one event at the same moment make one request', async () => {
    const event = press();
    const before = await written();
    const results = await Promise.all([deliver(event), deliver(event), deliver(event)]);
    expect(results.map((result) => result.status).sort()).toEqual([202, 401, 401]);
    const after = await written();
    expect(after).toEqual({ requests: before.requests + 1, alerts: before.alerts + 1, events: before.events + 1 });
  });

  it('but answers 400 for a well-signed body that is not an event, and 404 for an unknown device', async () => {
    const before = await written();
    const timestamp = Math.floor(Date.now() / 1000);
    const notAnEvent = JSON.stringify({ hello: 'world' });
    expect((await deliver({}, { body: notAnEvent, timestamp, signature: signDeviceEvent(secret(), timestamp, notAnEvent) })).status).toBe(400);
    expect((await deliver({ ...press(), device: 'no-such-device' })).status).toBe(404);
    expect(await written()).toEqual(before);
  });
});
