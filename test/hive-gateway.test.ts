/**
 * Hive Gateway in front of our subgraphs (bench/hive.ts), as `npm run bench`
 * compares it with ours: it answers as ours does (the volunteer dashboard
 * across all four subgraphs, an anonymous region tree, a merchant's own
 * page), refuses a bad token as ours does, sends the subgraphs our signed
 * viewer and nothing the client sent, and its in-flight de-duplication does
 * what its option says: counted at the subgraphs, through a proxy in front
 * of each that holds every fetch a moment so that concurrent ones overlap.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SUBGRAPH_NAMES, VIEWER_TOKEN_HEADER, verifyViewerToken, type SubgraphName } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';
import { loadGatewayConfig } from '@lianxin/gateway';
import { DEMO_MERCHANTS } from '../subgraphs/points/src/db/demo.js';
import { startHiveGateway, type RunningHiveGateway } from '../bench/hive.js';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';

const DASHBOARD = `{ me { person { name homeRegion { name } account { passbookNumber balance } badges { name }
  openTasks(first: 5) { edges { node { description status } } } } } }`;
const REGION_TREE = `{ region(id: "${DEMO_REGIONS.xingle.id}") { name children { name children { name } } } }`;
const yonghui = DEMO_MERCHANTS.yonghui;
const MERCHANT = `{ merchant(id: "${yonghui.id}") { name openNow minimumBalance account { balance } catalog(first: 5) { edges { node { name pricePoints } } } } }`;

/** One fetch a subgraph received through its proxy. */
interface Fetch {
  subgraph: SubgraphName;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A proxy in front of one subgraph that records each fetch and, while `holdMs` is set, holds it that long before passing it on. */
interface CountingProxy {
  url: string;
  close(): Promise<void>;
}

const fetches: Fetch[] = [];
let holdMs = 0;

async function countingProxy(subgraph: SubgraphName, target: string): Promise<CountingProxy> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      fetches.push({ subgraph, headers: req.headers, body: body.toString('utf8') });
      const headers = { ...req.headers };
      delete headers.host;
      // Passed on whole: the subgraph answers in one piece, so the proxy does too.
      setTimeout(() => {
        fetch(target, { method: req.method ?? 'POST', headers: headers as Record<string, string>, body })
          .then(async (answer) => {
            res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
            res.end(Buffer.from(await answer.arrayBuffer()));
          })
          .catch(() => {
            res.writeHead(502);
            res.end();
          });
      }, holdMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let graph: TestGraph;
let proxies: CountingProxy[] = [];
/** Hive with its defaults (de-duplication on), and with de-duplication off, both through the proxies. */
let hive: RunningHiveGateway;
let hiveWithoutDedupe: RunningHiveGateway;

beforeAll(async () => {
  graph = await startTestGraph();
  const { subgraphUrls, auth } = graph.graph.gatewayConfig;
  proxies = await Promise.all(SUBGRAPH_NAMES.map((name) => countingProxy(name, subgraphUrls[name])));
  const proxied = Object.fromEntries(SUBGRAPH_NAMES.map((name, index) => [name, proxies[index]!.url])) as Record<SubgraphName, string>;
  // One after the other: each loads Hive's modules, which is slow enough on a busy machine without both at once.
  hive = await startHiveGateway({ subgraphUrls: proxied, auth, dedupe: true });
  // With the environment the benchmark gives our services, whose LOG_LEVEL Hive would read as well.
  hiveWithoutDedupe = await startHiveGateway({ subgraphUrls: proxied, auth, dedupe: false, env: { ...process.env, LOG_LEVEL: 'silent' } });
});

afterAll(async () => {
  await hive?.close();
  await hiveWithoutDedupe?.close();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await graph?.stop();
});

interface Answer<TData> extends GraphQLResponse<TData> {
  headers: Headers;
}

async function post<TData = Record<string, unknown>>(url: string, query: string, headers: Record<string, string> = {}): Promise<Answer<TData>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, headers: response.headers, ...body };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('Hive Gateway in front of our subgraphs', () => {
  it('answers the volunteer dashboard with the same data as our gateway', async () => {
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const ours = await post(graph.url, DASHBOARD, bearer(token));
    const theirs = await post(hive.url, DASHBOARD, bearer(token));
    expect(ours.errors).toBeUndefined();
    expect(ours.data).toMatchObject({ me: { person: { name: expect.any(String), account: { passbookNumber: expect.any(String) } } } });
    expect(theirs.status).toBe(200);
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data).toEqual(ours.data);
  });

  it('answers an anonymous region tree and a merchant its own page as our gateway does', async () => {
    const ours = await post(graph.url, REGION_TREE);
    expect(ours.errors).toBeUndefined();
    expect(await post(hive.url, REGION_TREE)).toMatchObject({ status: 200, data: ours.data });

    const till = await graph.token({ roles: ['merchant'], merchantId: yonghui.id });
    const ourMerchant = await post(graph.url, MERCHANT, bearer(till));
    expect(ourMerchant.errors).toBeUndefined();
    expect(ourMerchant.data).toMatchObject({ merchant: { account: { balance: expect.anything() } } });
    const theirMerchant = await post(hive.url, MERCHANT, bearer(till));
    expect(theirMerchant.errors).toBeUndefined();
    expect(theirMerchant.data).toEqual(ourMerchant.data);
  });

  it('refuses a bad bearer token as our gateway does', async () => {
    const forged = await graph.token({ roles: ['platform_admin'] });
    const tampered = `${forged.slice(0, -4)}AAAA`;
    for (const authorization of [`Bearer ${tampered}`, 'Bearer not-a-token', 'Basic dXNlcjpwYXNz']) {
      const ours = await post(graph.url, DASHBOARD, { authorization });
      const theirs = await post(hive.url, DASHBOARD, { authorization });
      expect(ours.status).toBe(401);
      expect(theirs.status).toBe(401);
      expect(theirs.headers.get('www-authenticate')).toBe(ours.headers.get('www-authenticate'));
      expect(theirs.errors).toEqual(ours.errors);
      expect(theirs.data).toBeUndefined();
    }
  });

  it('sends each subgraph the signed viewer and a trace id, and nothing the client sent', async () => {
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const { viewerTokenSecret } = loadGatewayConfig(process.env);
    fetches.length = 0;
    const answer = await post(hive.url, DASHBOARD, { ...bearer(token), [VIEWER_TOKEN_HEADER]: 'forged', 'x-trace-id': 'chosen-by-the-client', cookie: 'session=1' });
    expect(answer.errors).toBeUndefined();
    const traceId = answer.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f-]{36}$/);
    // The dashboard reads from all four subgraphs.
    expect(new Set(fetches.map((entry) => entry.subgraph))).toEqual(new Set(SUBGRAPH_NAMES));
    for (const { headers } of fetches) {
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
      expect(headers['x-trace-id']).toBe(traceId);
      const viewer = await verifyViewerToken(String(headers[VIEWER_TOKEN_HEADER]), viewerTokenSecret);
      expect(viewer).toMatchObject({ personId: DEMO_SAMPLE_PERSON_ID, roles: ['volunteer'] });
    }
  });

  it('sends an anonymous caller to the subgraphs as the anonymous viewer', async () => {
    const { viewerTokenSecret } = loadGatewayConfig(process.env);
    fetches.length = 0;
    expect((await post(hive.url, REGION_TREE)).errors).toBeUndefined();
    expect(fetches.length).toBeGreaterThan(0);
    for (const { headers } of fetches) {
      expect(await verifyViewerToken(String(headers[VIEWER_TOKEN_HEADER]), viewerTokenSecret)).toMatchObject({ subject: null, personId: null, roles: [] });
    }
  });
});

describe("Hive Gateway's in-flight de-duplication", () => {
  const CONCURRENT = 5;

  /** The subgraph fetches made for `requests` sent at once, each held at the subgraph long enough for all to overlap. */
  async function fetchesFor(url: string, requests: Record<string, string>[]): Promise<number> {
    fetches.length = 0;
    holdMs = 1_000;
    try {
      const answers = await Promise.all(requests.map((headers) => post(url, DASHBOARD, headers)));
      for (const answer of answers) expect(answer.errors).toBeUndefined();
    } finally {
      holdMs = 0;
    }
    return fetches.length;
  }

  it('makes identical concurrent subgraph fetches once when on, and each one when off', async () => {
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const alone = await fetchesFor(hiveWithoutDedupe.url, [bearer(token)]);
    expect(alone).toBeGreaterThanOrEqual(SUBGRAPH_NAMES.length);
    const same = Array.from({ length: CONCURRENT }, () => bearer(token));
    expect(await fetchesFor(hiveWithoutDedupe.url, same)).toBe(CONCURRENT * alone);
    expect(await fetchesFor(hive.url, same)).toBe(alone);
  });

  it('never shares a fetch between two viewers', async () => {
    // The same person with other roles: the same fetches, but another viewer.
    const first = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const second = await graph.token({ roles: ['volunteer', 'team_captain'], personId: DEMO_SAMPLE_PERSON_ID });
    const alone = await fetchesFor(hive.url, [bearer(first)]);
    const twice = await fetchesFor(hive.url, [bearer(first), bearer(second), bearer(first), bearer(second)]);
    expect(twice).toBe(2 * alone);
  });
});
