/**
 * Identical queries in flight to a subgraph at the same time are sent once:
 * counted at a stand-in subgraph that holds every answer for a while, so
 * that concurrent client requests overlap. Two viewers, a mutation and
 * different variables each get fetches of their own; a failure reaches
 * every request that waited for it; with SUBGRAPH_FETCH_DEDUPE=false every
 * request is sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createLogger, type Logger } from '@lianxin/shared';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { mintDevToken } from '../src/index.js';
import { SubgraphSource, stableJson, type SubgraphAnswer, type SubgraphConnections } from '../src/subgraph-fetch.js';
import type { GatewayContext } from '../src/gateway.js';
import { startLoneGateway, type LoneGateway } from './support.js';

/** How long the stand-in holds each answer: long enough for the concurrent client requests to all reach their fetch. */
const HOLD_MS = 1_500;

interface Received {
  body: { query: string; variables?: Record<string, unknown> };
  viewer: string | undefined;
}

let received: Received[] = [];
/** What the stand-in answers, after holding the request. */
let reply: (res: http.ServerResponse) => void;
const standIn = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'], viewer: req.headers['x-lianxin-viewer'] as string | undefined });
    setTimeout(() => reply(res), HOLD_MS);
  });
});

const answerWith = (data: unknown) => (res: http.ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ data }));
};
const categoriesAnswer = answerWith({ categories: [{ code: 'home_repair' }] });

let on: LoneGateway;
let off: LoneGateway;

beforeAll(async () => {
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}/graphql`;
  const env = { REQUESTS_URL: url, SUBGRAPH_TIMEOUT_MS: '10000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0', RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0' };
  on = await startLoneGateway(env);
  off = await startLoneGateway({ ...env, SUBGRAPH_FETCH_DEDUPE: 'false' });
});
afterAll(async () => {
  await on?.server.close();
  await off?.server.close();
  standIn.closeAllConnections();
  await new Promise<void>((resolve) => standIn.close(() => resolve()));
});
beforeEach(() => {
  received = [];
  reply = categoriesAnswer;
});

const categories = { query: '{ categories { code } }' };
const token = async (gateway: LoneGateway, subject: string) => {
  const { auth } = gateway.config;
  if (auth.kind !== 'dev-secret') throw new Error('the lone gateway runs with the dev secret');
  return `Bearer ${await mintDevToken({ roles: ['volunteer'], personId: subject }, auth)}`;
};
const times = <T>(n: number, make: (index: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, index) => make(index)));

describe('identical queries in flight', () => {
  it('are fetched once for N concurrent client requests, each answered in full', async () => {
    const responses = await times(5, () => on.post(categories));
    expect(received).toHaveLength(1);
    for (const response of responses) expect(response.body).toEqual({ data: { categories: [{ code: 'home_repair' }] } });
  });

  it('are fetched N times with SUBGRAPH_FETCH_DEDUPE=false', async () => {
    const responses = await times(5, () => off.post(categories));
    expect(received).toHaveLength(5);
    for (const response of responses) expect(response.body).toEqual({ data: { categories: [{ code: 'home_repair' }] } });
  });

  it('are fetched again once the first fetch has settled: nothing is cached', async () => {
    await on.post(categories);
    await on.post(categories);
    expect(received).toHaveLength(2);
  });

  it('are shared by one viewer’s requests, never between two viewers', async () => {
    const [first, second] = [await token(on, '00000000-0000-7000-8000-00000000a001'), await token(on, '00000000-0000-7000-8000-00000000a002')];
    await times(6, (index) => on.post(categories, { authorization: index % 2 === 0 ? first : second }));
    expect(received).toHaveLength(2);
    expect(new Set(received.map((entry) => entry.viewer)).size).toBe(2);
  });

  it('are fetched once per distinct variables', async () => {
    reply = answerWith({ serviceRequest: null });
    const query = 'query Request($id: ID!) { serviceRequest(id: $id) { id } }';
    const ids = ['00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002'];
    await times(6, (index) => on.post({ query, variables: { id: ids[index % 2] } }));
    expect(received).toHaveLength(2);
    expect(received.map((entry) => entry.body.variables?.['id']).sort()).toEqual(ids);
  });

  it('never share a mutation: each one is sent', async () => {
    reply = answerWith({ serviceRequestReject: { userErrors: [] } });
    const mutation = {
      query: 'mutation { serviceRequestReject(input: { request: "00000000-0000-7000-8000-000000000001", reason: "duplicate" }) { userErrors { code } } }',
    };
    const viewer = await token(on, '00000000-0000-7000-8000-00000000a001');
    const responses = await times(2, () => on.post(mutation, { authorization: viewer }));
    expect(received).toHaveLength(2);
    for (const response of responses) expect(response.body).toEqual({ data: { serviceRequestReject: { userErrors: [] } } });
  });

  it('fail every request that waited with the coded error when the fetch fails', async () => {
    reply = (res) => {
      res.statusCode = 502;
      res.end('Bad Gateway');
    };
    const responses = await times(4, () => on.post(categories));
    expect(received).toHaveLength(1);
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: { categories: null },
        errors: [{ message: 'The requests service is unavailable; its part of the result is missing.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'requests' } }],
      });
    }
  });
});

describe('a subgraph source', () => {
  /** Connections whose every POST waits for `settle`, counted. */
  const heldConnections = () => {
    const posts: { body: string; settle: (answer: SubgraphAnswer | Error) => void }[] = [];
    const connections: SubgraphConnections = {
      post: (_url, _headers, body) =>
        new Promise<SubgraphAnswer>((resolve, reject) => {
          posts.push({ body, settle: (answer) => (answer instanceof Error ? reject(answer) : resolve(answer)) });
        }),
      close: () => undefined,
    };
    return { posts, connections };
  };
  const logger: Logger = createLogger('gateway', 'silent');
  const context = (subject: string | null): GatewayContext =>
    ({
      viewer: { subject },
      traceId: `trace-${subject ?? 'anonymous'}`,
      logger,
      viewerToken: async () => `token-${subject ?? 'anonymous'}`,
      request: {},
    }) as unknown as GatewayContext;
  const fetchOf = (source: SubgraphSource, viewer: string | null, operation: 'query' | 'mutation' = 'query') =>
    source.process({
      kind: 'incoming operation',
      request: { query: `${operation} { categories { code } }`, variables: {} },
      context: context(viewer),
      incomingRequestContext: { operation: { operation } },
    } as unknown as Parameters<SubgraphSource['process']>[0]);
  const answer: SubgraphAnswer = {
    status: 200,
    statusText: 'OK',
    contentType: 'application/json',
    cacheControl: undefined,
    body: '{"data":{"categories":[{"code":"home_repair"}]}}',
  };

  it('gives each waiter objects of its own', async () => {
    const { posts, connections } = heldConnections();
    const source = new SubgraphSource({ name: 'requests', url: 'http://127.0.0.1:9/graphql', connections, dedupe: true, timeoutMs: 5_000 });
    const pending = [fetchOf(source, null), fetchOf(source, null), fetchOf(source, null)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(posts).toHaveLength(1);
    posts[0]!.settle(answer);
    const [first, second, third] = (await Promise.all(pending)) as [GatewayGraphQLResponse, GatewayGraphQLResponse, GatewayGraphQLResponse];
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
    expect(first.data).not.toBe(second.data);
    expect(second.data?.['categories']).not.toBe(third.data?.['categories']);
  });

  it('keeps viewers and mutations apart, and forgets a fetch once it settles', async () => {
    const { posts, connections } = heldConnections();
    const source = new SubgraphSource({ name: 'requests', url: 'http://127.0.0.1:9/graphql', connections, dedupe: true, timeoutMs: 5_000 });
    const pending = [fetchOf(source, 'a'), fetchOf(source, 'b'), fetchOf(source, 'a', 'mutation'), fetchOf(source, 'a', 'mutation')];
    await new Promise((resolve) => setImmediate(resolve));
    expect(posts).toHaveLength(4);
    for (const post of posts) post.settle(answer);
    await Promise.all(pending);
    const again = fetchOf(source, 'a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(posts).toHaveLength(5);
    posts[4]!.settle(answer);
    await again;
  });

  it('lets a waiter give up at its own deadline', async () => {
    const { posts, connections } = heldConnections();
    const source = new SubgraphSource({ name: 'requests', url: 'http://127.0.0.1:9/graphql', connections, dedupe: true, timeoutMs: 200 });
    const leader = fetchOf(source, null);
    await new Promise((resolve) => setImmediate(resolve));
    const waiter = fetchOf(source, null);
    await expect(waiter).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'requests' }, timedOut: true });
    posts[0]!.settle(answer);
    await expect(leader).resolves.toEqual({ data: { categories: [{ code: 'home_repair' }] } });
  });

  it('writes equal variables alike whatever the order of their fields', () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: null, e: 'x' }], c: true } })).toBe('{"a":{"c":true,"d":[2,{"e":"x","f":null}]},"b":1}');
    expect(stableJson({ a: undefined, b: 'y' })).toBe(JSON.stringify({ a: undefined, b: 'y' }));
  });
});
