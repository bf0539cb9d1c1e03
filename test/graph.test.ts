/** End to end through the gateway on real Postgres: one query across all four subgraphs, identity, and the walls around subgraphs. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { VIEWER_TOKEN_HEADER, signViewerToken } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.stop();
});

const crossingQuery = `query ($id: ID!) {
  person(id: $id) {
    name
    homeRegion { name }
    account { passbookNumber balance }
    badges { name }
    requests(first: 5) { edges { node { description status } } }
  }
}`;

describe('one query across the four subgraphs', () => {
  it('shows a volunteer their name, home, passbook, badges and requests', async () => {
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    type Data = {
      person: {
        name: string;
        homeRegion: { name: string };
        account: { passbookNumber: string; balance: number };
        badges: { name: string }[];
        requests: { edges: { node: { description: string; status: string } }[] };
      };
    };
    const response = await graph.query<Data>(crossingQuery, { variables: { id: DEMO_SAMPLE_PERSON_ID }, token });
    expect(response.errors).toBeUndefined();
    const person = response.data!.person;
    expect(person.name).toBe('王建国');
    expect(person.homeRegion.name).toBe('东院1号楼');
    expect(person.account.passbookNumber).toMatch(/^\d{12}$/);
    expect(person.account.balance).toBeGreaterThan(0);
    // He joined 乐修匠 and served with it: the team rule's badge (joining alone earns none).
    expect(person.badges.map((badge) => badge.name)).toContain('服务队服务徽章');
    expect(person.requests.edges.length).toBeGreaterThan(0);
    expect(person.requests.edges[0]!.node.status).toBe('SUBMITTED');
  });

  it("files a request through the gateway and finds it at the top of the requester's list", async () => {
    const requester = DEMO_VOLUNTEERS[5]!;
    const token = await graph.token({ roles: ['resident'], personId: requester.id });
    const created = await graph.query<{ serviceRequestCreate: { serviceRequest: { id: string; requester: { name: string } } | null; userErrors: unknown[] } }>(
      `mutation ($input: ServiceRequestCreateInput!) {
        serviceRequestCreate(input: $input) { serviceRequest { id requester { name } } userErrors { field code message } }
      }`,
      { variables: { input: { category: 'home_repair', description: '卫生间灯泡坏了，需要更换' } }, token },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.serviceRequestCreate.userErrors).toEqual([]);
    expect(created.data!.serviceRequestCreate.serviceRequest!.requester.name).toBe(requester.name);

    const listed = await graph.query<{ person: { requests: { edges: { node: { id: string } }[] } } }>(
      `query ($id: ID!) { person(id: $id) { requests(first: 1) { edges { node { id } } } } }`,
      { variables: { id: requester.id }, token },
    );
    expect(listed.data!.person.requests.edges[0]!.node.id).toBe(created.data!.serviceRequestCreate.serviceRequest!.id);
  });

  it('refuses a business rule as a user error, not a top-level error', async () => {
    const token = await graph.token({ roles: ['resident'], personId: DEMO_VOLUNTEERS[5]!.id });
    const response = await graph.query<{ serviceRequestCreate: { serviceRequest: null; userErrors: { field: string[]; code: string }[] } }>(
      `mutation { serviceRequestCreate(input: { category: "no_such_category", description: "x" }) { serviceRequest { id } userErrors { field code } } }`,
      { token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.serviceRequestCreate).toEqual({
      serviceRequest: null,
      userErrors: [{ field: ['input', 'category'], code: 'NOT_FOUND' }],
    });
  });
});

describe('identity at the gateway', () => {
  it('lets anonymous callers read public data only', async () => {
    const regions = await graph.query(`{ region(id: "${DEMO_REGIONS.xingle.id}") { name children { name } } }`);
    expect(regions.status).toBe(200);
    expect(regions.errors).toBeUndefined();
    const person = await graph.query(crossingQuery, { variables: { id: DEMO_SAMPLE_PERSON_ID } });
    expect(person.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(person.data?.['person'] ?? null).toBeNull();
  });

  it.each([
    [
      'a token signed with another secret',
      async () =>
        new SignJWT({ roles: ['platform_admin'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer('lianxin-dev')
          .setAudience('lianxin')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('an-attacker-secret-of-at-least-32-chars')),
      'TOKEN_SIGNATURE_INVALID',
    ],
    ['an expired token', () => graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID, ttlSeconds: -120 }), 'TOKEN_EXPIRED'],
    [
      'a token for another audience',
      async () =>
        new SignJWT({ roles: ['platform_admin'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer('lianxin-dev')
          .setAudience('someone-else')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(graph.graph.gatewayConfig.auth.kind === 'dev-secret' ? graph.graph.gatewayConfig.auth.secret : '')),
      'TOKEN_CLAIMS_INVALID',
    ],
    ['garbage', async () => 'not.a.jwt', 'TOKEN_MALFORMED'],
  ])('answers 401 with a clear reason for %s', async (_name, makeToken, reason) => {
    const response = await graph.query(`{ regions { edges { cursor } } }`, { token: await makeToken() });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
    expect(response.data ?? null).toBeNull();
  });

  it('ignores an identity header a client sends itself', async () => {
    const forged = await signViewerToken(
      { personId: DEMO_SAMPLE_PERSON_ID, roles: ['platform_admin'], regionIds: [], merchantId: null, subject: 'forger' },
      graph.graph.gatewayConfig.viewerTokenSecret,
    );
    const response = await graph.query(crossingQuery, { variables: { id: DEMO_SAMPLE_PERSON_ID }, headers: { [VIEWER_TOKEN_HEADER]: forged } });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('subgraphs behind the gateway', () => {
  const directQuery = JSON.stringify({ query: '{ __typename }' });

  it.each(['people', 'requests', 'points', 'recognition'] as const)('%s answers 401 to a request that did not come through the gateway', async (name) => {
    const { url } = graph.graph.subgraphs[name].server;
    const bare = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: directQuery });
    expect(bare.status).toBe(401);
    const forged = await signViewerToken(
      { personId: null, roles: ['platform_admin'], regionIds: [], merchantId: null, subject: 'forger' },
      'a-secret-that-is-not-the-gateways-secret!!',
    );
    const withForgery = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [VIEWER_TOKEN_HEADER]: forged }, body: directQuery });
    expect(withForgery.status).toBe(401);
    const health = await fetch(new URL('/health', url));
    expect(health.status).toBe(200);
  });

  it('reports the gateway alive and ready when every subgraph is', async () => {
    const health = await fetch(new URL('/health', graph.url));
    expect(await health.json()).toEqual({ status: 'ok', service: 'gateway' });
    const ready = await fetch(new URL('/ready', graph.url));
    expect(ready.status).toBe(200);
  });

  it('answers malformed JSON with a JSON 400, not an HTML page', async () => {
    const response = await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });
});
