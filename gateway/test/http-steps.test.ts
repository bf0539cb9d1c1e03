/**
 * The gateway's own body reader answers as body-parser did, whichever of the
 * two reads a body: plain JSON by itself, compressed or chunked bodies by
 * body-parser; and a route's steps, run as one handler, still fail through
 * express's error handler.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { inSequence } from '../src/http-steps.js';
import { startLoneGateway, type LoneGateway } from './support.js';

let gateway: LoneGateway;
beforeAll(async () => {
  gateway = await startLoneGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
});
afterAll(async () => {
  await gateway?.server.close();
});

const send = async (body: string | Buffer, headers: Record<string, string> = {}) => {
  const response = await fetch(gateway.server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
};

describe('reading a JSON body', () => {
  it('answers a plain one', async () => {
    expect(await send(JSON.stringify({ query: '{ __typename }' }))).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('accepts an explicit UTF-8 charset and text beyond ASCII', async () => {
    const response = await send(JSON.stringify({ query: '{ __typename }', operationName: null, extensions: { note: '兴乐社区' } }), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(response).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it.each([
    ['not JSON', '{ query'],
    ['a JSON string, not an object', '"{ __typename }"'],
    ['a JSON number', '42'],
  ])('refuses %s with 400', async (_name, body) => {
    const response = await send(body);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]).toEqual({ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } });
  });

  it('hands an empty body to Apollo Server as no operation', async () => {
    const response = await send('');
    expect(response.status).toBe(400);
  });

  it('reads a gzip-compressed body through body-parser', async () => {
    const response = await send(gzipSync(JSON.stringify({ query: '{ __typename }' })), { 'content-encoding': 'gzip' });
    expect(response).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('refuses a body over the limit with 413 before reading it', async () => {
    const response = await send(JSON.stringify({ query: `{ __typename }${' '.repeat(1024 * 1024)}` }));
    expect(response.status).toBe(413);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('steps in sequence', () => {
  it('run in order, and pass a thrown error, a rejection or next(error) to the error handler', async () => {
    const app = express();
    const seen: string[] = [];
    const failWith = (kind: string): express.RequestHandler => {
      if (kind === 'throw')
        return () => {
          throw new Error('thrown');
        };
      if (kind === 'reject') return async () => Promise.reject(new Error('rejected'));
      return (_req, _res, next) => next(new Error('passed'));
    };
    app.use('/:kind', (req, res, next) =>
      inSequence([
        (_req, _res, step) => {
          seen.push('first');
          step();
        },
        failWith(String(req.params['kind'])),
        (_req, response) => {
          response.end('not reached');
        },
      ])(req, res, next),
    );
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).end(error.message);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      for (const kind of ['throw', 'reject', 'next']) {
        const response = await fetch(`http://127.0.0.1:${port}/${kind}`);
        expect({ status: response.status, text: await response.text() }).toEqual({ status: 500, text: kind === 'throw' ? 'thrown' : kind === 'reject' ? 'rejected' : 'passed' });
      }
      expect(seen).toEqual(['first', 'first', 'first']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
