/**
 * Live updates through the gateway: a request dispatched to a team reaches
 * its members' open notification streams within a second, lands in their
 * inbox (`me.notifications`), and is marked read; the stream is refused
 * without a valid token.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_TEAM, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { openNotificationStream } from './support/stream.js';

const wangJianguo = DEMO_VOLUNTEERS[0]!;
const liuGuifang = DEMO_RESIDENTS[0]!;
const XINGLE = DEMO_REGIONS.xingle.id;

let graph: TestGraph;
let streamUrl: URL;

beforeAll(async () => {
  // Runners look for new events every 100 ms here (250 ms by default), so one second covers a loaded machine.
  graph = await startTestGraph({ EVENT_POLL_INTERVAL_MS: '100' });
  streamUrl = new URL('/notifications/stream', graph.url);
});
afterAll(async () => {
  await graph?.stop();
});

async function must<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await graph.query<T>(query, { variables, token });
  expect(response.errors).toBeUndefined();
  return response.data!;
}

describe('the notification stream', () => {
  it('is refused with 401 without a token, with a malformed one, and with a forged signature', async () => {
    expect((await fetch(streamUrl)).status).toBe(401);
    expect((await fetch(streamUrl, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    const tampered = `${(await graph.token({ roles: ['volunteer'], personId: wangJianguo.id })).slice(0, -4)}AAAA`;
    expect((await fetch(streamUrl, { headers: { authorization: `Bearer ${tampered}` } })).status).toBe(401);
  });

  it('lets a page on an allowed origin open it (a preflight asking for the token and Last-Event-ID), and is read with GET only', async () => {
    const origin = 'http://localhost:5173';
    const preflight = await fetch(streamUrl, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,last-event-id' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/last-event-id/);
    const token = await graph.token({ roles: ['volunteer'], personId: wangJianguo.id });
    const posted = await fetch(streamUrl, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(posted.status).toBe(405);
    expect(((await posted.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('brings a team member the dispatch of a request to their team within a second, into their inbox, and marks it read', async () => {
    const volunteer = await graph.token({ roles: ['volunteer', 'team_captain'], personId: wangJianguo.id });
    const resident = await graph.token({ roles: ['resident'], personId: liuGuifang.id });
    const station = await graph.token({ roles: ['station_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const stream = await openNotificationStream(graph.url, volunteer);

    const created = await must<{ serviceRequestCreate: { serviceRequest: { id: string } } }>(
      `mutation ($input: ServiceRequestCreateInput!) { serviceRequestCreate(input: $input) { serviceRequest { id } userErrors { code } } }`,
      { input: { category: 'home_repair', description: '卫生间灯不亮了，需要换灯泡。', place: DEMO_REGIONS.eastBuilding1.id } },
      resident,
    );
    const request = created.serviceRequestCreate.serviceRequest.id;
    await must(`mutation ($input: ServiceRequestApproveInput!) { serviceRequestApprove(input: $input) { userErrors { code } } }`, { input: { request } }, station);
    const arrived = stream.next((notification) => notification.kind === 'REQUEST_DISPATCHED' && notification.request?.id === request);
    const dispatched = await must<{ serviceRequestDispatch: { userErrors: unknown[] } }>(
      `mutation ($input: ServiceRequestDispatchInput!) { serviceRequestDispatch(input: $input) { userErrors { code } } }`,
      { input: { request, team: DEMO_TEAM.id } },
      station,
    );
    const dispatchedAt = Date.now();
    expect(dispatched.serviceRequestDispatch.userErrors).toEqual([]);
    const notification = await arrived;
    // The one timing promise: a dispatch reaches an open stream within a second.
    expect(Date.now() - dispatchedAt).toBeLessThan(1_000);
    expect(notification.title).toEqual(expect.any(String));
    stream.close();

    const inbox = await must<{
      me: { unreadCount: number; notifications: { edges: { node: { id: string; kind: string; readAt: string | null; request: { id: string } | null } }[] } };
    }>(`{ me { unreadCount notifications(first: 10, unreadOnly: true) { edges { node { id kind readAt request { id } } } } } }`, {}, volunteer);
    expect(inbox.me.notifications.edges.map((edge) => edge.node)).toContainEqual({ id: notification.id, kind: 'REQUEST_DISPATCHED', readAt: null, request: { id: request } });
    const unread = inbox.me.unreadCount;
    expect(unread).toBeGreaterThan(0);

    const marked = await must<{ notificationsMarkRead: { unreadCount: number; userErrors: unknown[] } }>(
      `mutation ($input: NotificationsMarkReadInput!) { notificationsMarkRead(input: $input) { unreadCount userErrors { code } } }`,
      { input: { ids: [notification.id] } },
      volunteer,
    );
    expect(marked.notificationsMarkRead).toEqual({ unreadCount: unread - 1, userErrors: [] });
    // Someone else's notification is as missing as one that never was.
    const other = await must<{ notificationsMarkRead: { unreadCount: number | null; userErrors: { code: string }[] } }>(
      `mutation ($input: NotificationsMarkReadInput!) { notificationsMarkRead(input: $input) { unreadCount userErrors { code } } }`,
      { input: { ids: [notification.id] } },
      resident,
    );
    expect(other.notificationsMarkRead.userErrors.map((error) => error.code)).toEqual(['NOT_FOUND']);
  });
});

describe('me', () => {
  it('is null for an anonymous viewer', async () => {
    const response = await graph.query<{ me: unknown }>('{ me { id } }', {});
    expect(response.errors).toBeUndefined();
    expect(response.data?.me).toBeNull();
  });
});
