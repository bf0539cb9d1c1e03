/**
 * Fetches from subgraphs, against a stand-in subgraph whose behaviour each
 * test chooses: connections are kept alive, a silent subgraph is given up on,
 * and a failing one is reported by name without its internals.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VIEWER_TOKEN_HEADER, createLogger, memoryLog, verifyViewerToken } from '@lianxin/shared';
import { startLoneGateway, type LoneGateway } from './support.js';

type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let behaviour: Behaviour;
let connections = 0;
let lastHeaders: http.IncomingHttpHeaders = {};
const standIn = http.createServer((req, res) => {
  lastHeaders = req.headers;
  req.resume();
  req.on('end', () => behaviour(req, res));
});
standIn.on('connection', () => (connections += 1));
let gateway: LoneGateway;
const log = memoryLog();

const answer: Behaviour = (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ data: { categories: [{ code: 'home_repair' }] } }));
};

beforeAll(async () => {
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}/graphql`;
  gateway = await startLoneGateway({ REQUESTS_URL: url, SUBGRAPH_TIMEOUT_MS: '300', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' }, createLogger('gateway', 'info', log.stream));
});
afterAll(async () => {
  await gateway?.server.close();
  standIn.closeAllConnections();
  await new Promise<void>((resolve) => standIn.close(() => resolve()));
});

const categories = { query: '{ categories { code } }' };

describe('fetching from a subgraph', () => {
  it('reuses one kept-alive connection for request after request', async () => {
    behaviour = answer;
    const before = connections;
    for (let n = 0; n < 5; n += 1) expect((await gateway.post(categories)).body).toEqual({ data: { categories: [{ code: 'home_repair' }] } });
    expect(connections - before).toBe(1);
  });

  it('sends the signed viewer and its own trace id, and no header the client sent', async () => {
    behaviour = answer;
    const response = await gateway.post(categories, { 'x-lianxin-viewer': 'forged', 'x-trace-id': 'client-trace-0001', 'x-forwarded-user': 'admin' });
    expect(lastHeaders['x-trace-id']).toBe(response.headers.get('x-trace-id'));
    expect(lastHeaders['x-trace-id']).not.toBe('client-trace-0001');
    expect(lastHeaders['x-forwarded-user']).toBeUndefined();
    await expect(verifyViewerToken(String(lastHeaders[VIEWER_TOKEN_HEADER]), gateway.config.viewerTokenSecret)).resolves.toMatchObject({ subject: null, roles: [] });
  });

  it('gives up on a subgraph that does not answer in time, and names it', async () => {
    behaviour = () => undefined;
    const { status, body } = await gateway.post(categories);
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { categories: null },
      errors: [{ message: 'The requests service did not answer in time; its part of the result is missing.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'requests' } }],
    });
  });

  it('reports a proxy’s 502 in front of a subgraph as the subgraph being unavailable', async () => {
    behaviour = (_req, res) => {
      res.statusCode = 502;
      res.end('Bad Gateway');
    };
    expect((await gateway.post(categories)).body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', service: 'requests' });
  });

  it.each([
    [500, JSON.stringify({ errors: [{ message: 'relation "requests.categories" does not exist at /srv/store.ts:10' }] })],
    [401, JSON.stringify({ errors: [{ message: 'The gateway token is invalid or expired.', extensions: { code: 'UNAUTHENTICATED' } }] })],
    // A subgraph refusing what the gateway let through: the two disagree, which is ours to fix, not the client's.
    [400, JSON.stringify({ errors: [{ message: 'Variable "$at" got invalid value "x"', extensions: { code: 'BAD_USER_INPUT' } }] })],
    [200, 'not json at all'],
  ])('masks an HTTP %i answer with its body, URL and message, keeping a trace id, and logs it in full', async (status, text) => {
    behaviour = (_req, res) => {
      res.statusCode = status;
      res.setHeader('content-type', text.startsWith('{') ? 'application/json' : 'text/plain');
      res.end(text);
    };
    const response = await gateway.post(categories);
    expect(response.body.errors).toEqual([
      {
        message: 'Something went wrong on our side. Quote the trace id when you report it.',
        extensions: { code: 'INTERNAL_SERVER_ERROR', traceId: response.headers.get('x-trace-id') },
      },
    ]);
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|relation|store\.ts|gateway token/);
    const trace = response.headers.get('x-trace-id');
    const logged = log.lines.filter((line) => line['traceId'] === trace && line['level'] === 50);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ msg: 'request failed', err: { message: expect.stringContaining(`HTTP ${status}`), stack: expect.any(String) } });
  });

  it('reports a null where the schema promises a value as a masked error, never as an extension beside the data', async () => {
    behaviour = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { categories: [{ code: 'home_repair' }, { code: null }] } }));
    };
    const response = await gateway.post(categories);
    const trace = response.headers.get('x-trace-id');
    expect(response.body).toEqual({
      data: { categories: null },
      errors: [
        {
          message: 'Something went wrong on our side. Quote the trace id when you report it.',
          path: ['categories', 1, 'code'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', traceId: trace },
        },
      ],
    });
    expect(log.lines.filter((line) => line['traceId'] === trace && line['level'] === 50).map((line) => line['msg'])).toEqual(['a field was nulled in value completion']);
  });

  it('answers again as soon as the subgraph does', async () => {
    behaviour = answer;
    expect((await gateway.post(categories)).body.errors).toBeUndefined();
  });
});
