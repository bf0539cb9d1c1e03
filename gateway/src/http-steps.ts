/**
 * The gateway's HTTP plumbing on the hot path, kept cheap: a route's steps
 * run as one express handler, a plain JSON body read without body-parser's
 * general machinery, and Apollo Server called with what it needs.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { HeaderMap, type ApolloServer, type BaseContext as ApolloContext } from '@apollo/server';

/**
 * Runs `steps` one after another as a single express handler, as express
 * would run them as separate ones: a step calls `next()` to go on and
 * `next(error)` (or throws, or rejects) to fail; a step that answers simply
 * does not call `next`. Express walks its router, matching the path and
 * re-writing `req.url`, once per layer; a route of fifteen steps costs that
 * fifteen times per request when each is a layer of its own.
 */
export function inSequence(steps: readonly RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    let index = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined && error !== null) {
        done(error);
        return;
      }
      const step = steps[index];
      index += 1;
      if (step === undefined) {
        done();
        return;
      }
      try {
        const result: unknown = step(req, res, next);
        if (isThenable(result)) result.then(undefined, (reason: unknown) => next(reason ?? new Error('a step rejected without a reason')));
      } catch (thrown) {
        next(thrown);
      }
    };
    next();
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && 'then' in value && typeof value.then === 'function';
}

/** `application/json`, with no parameter or with a UTF-8 charset, as clients send it. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** A failure of the body the way body-parser reports one, so `jsonErrors` answers it alike. */
function bodyError(status: number, type: string, message: string): Error & { status: number; type: string; expose: boolean } {
  return Object.assign(new Error(message), { status, type, expose: true });
}

/**
 * Reads a JSON body into `req.body`, as `express.json({ limit })` does, by
 * itself for the common case (a POST of plain UTF-8 JSON with a length, not
 * compressed) and by body-parser for everything else: compressed bodies,
 * other charsets, chunked bodies, other content types. The same limits and
 * refusals either way: 413 above the limit, 400 for a body that is not a JSON
 * object or array.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const general = express.json({ limit: limitBytes });
  return (req, res, next) => {
    const { headers } = req;
    const type = headers['content-type'];
    const length = headers['content-length'];
    const encoding = headers['content-encoding'];
    const plain =
      req.method === 'POST' &&
      type !== undefined &&
      PLAIN_JSON.test(type) &&
      length !== undefined &&
      (encoding === undefined || encoding === 'identity') &&
      !('transfer-encoding' in headers);
    if (!plain) {
      general(req, res, next);
      return;
    }
    const declared = Number(length);
    if (!Number.isSafeInteger(declared) || declared < 0) {
      general(req, res, next);
      return;
    }
    if (declared > limitBytes) {
      // Refused before reading, as body-parser does; the rest of the body is discarded so the connection stays usable.
      req.resume();
      next(bodyError(413, 'entity.too.large', 'request entity too large'));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      if (error) {
        next(error);
        return;
      }
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString('utf8');
      if (text.length === 0) {
        req.body = {};
        next();
        return;
      }
      // body-parser's strict mode: only an object or an array is a request body.
      const first = /\S/.exec(text)?.[0];
      if (first !== '{' && first !== '[') {
        next(bodyError(400, 'entity.parse.failed', 'The request body must be a JSON object or array.'));
        return;
      }
      try {
        req.body = JSON.parse(text) as unknown;
      } catch {
        next(bodyError(400, 'entity.parse.failed', 'The request body is not valid JSON.'));
        return;
      }
      next();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > declared) {
        settle(bodyError(400, 'request.size.invalid', 'request size did not match content length'));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => settle());
    req.once('aborted', () => settle(bodyError(400, 'request.aborted', 'request aborted')));
    req.once('error', (error) => settle(Object.assign(error, { status: 400, type: 'request.aborted' })));
  };
}

/**
 * Apollo Server behind express, as `@as-integrations/express5` runs it, with
 * less per request: the headers copied into Apollo's map without a URL parse,
 * and a POST's answer written in one piece. A GET's answer still goes out
 * through `res.send`, whose ETag lets a client revalidate a cached query.
 */
export function apolloHandler<TContext extends ApolloContext>(server: ApolloServer<TContext>, context: (req: Request, res: Response) => Promise<TContext>): RequestHandler {
  server.assertStarted('apolloHandler()');
  return async (req, res) => {
    const headers = new HeaderMap();
    const raw = req.headers;
    for (const key in raw) {
      const value = raw[key];
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const query = req.url.indexOf('?');
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: query === -1 ? '' : req.url.slice(query), body: req.body as unknown },
      context: () => context(req, res),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      if (req.method === 'GET' || req.method === 'HEAD') {
        res.send(response.body.string);
        return;
      }
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
