/**
 * A subgraph's `/graphql` on Node's own HTTP server, without express. Every
 * request the gateway forwards passes here, and express's share of it (the
 * router, prototype swaps on the request and response, body-parser's type
 * and charset negotiation, an ETag hashed over every response) was a tenth
 * of a subgraph's CPU on a one-row read. The steps and refusals are those
 * of the express chain it replaces, in the same order: the request's span,
 * its trace id, its log line and metrics, the gateway's signed viewer
 * (401 without it), a JSON body of at most `maxBodyBytes` (413 beyond, 400
 * when it is not JSON), then Apollo Server. Every other route stays on
 * express.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context as otelContext } from '@opentelemetry/api';
import { HeaderMap, type ApolloServer, type BaseContext as ApolloContext, type HTTPGraphQLRequest } from '@apollo/server';
import { VIEWER_TOKEN_HEADER, type Viewer } from './auth.js';
import { MASKED_MESSAGE } from './errors.js';
import { BODY_ERRORS, assignTraceId, startRequestLog, writeError, type ExchangeLocals, type RequestRecord } from './http.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { startServerSpan, type Tracer } from './tracing.js';

/** The path it serves, as express mounted it: `/graphql`, any case, with or without a trailing part. */
export function isGraphqlPath(url: string | undefined): boolean {
  if (url === undefined) return false;
  if (url === '/graphql') return true;
  const query = url.indexOf('?');
  const path = (query === -1 ? url : url.slice(0, query)).toLowerCase();
  return path === '/graphql' || path.startsWith('/graphql/');
}

export interface GraphqlEntranceOptions<TContext extends ApolloContext> {
  server: ApolloServer<TContext>;
  /** The subgraph's name, for metrics. */
  service: string;
  logger: Logger;
  tracer?: Tracer | undefined;
  metrics?: Metrics | undefined;
  verifyViewer: (token: string) => Promise<Viewer>;
  /** The request's context, given its viewer, trace id and the record its log line and metrics read. */
  context: (viewer: Viewer, traceId: string, record: RequestRecord) => TContext;
  /** The largest request body accepted, in bytes. */
  maxBodyBytes: number;
}

/** A refusal of the body, answered as `jsonErrors` answers body-parser's. */
class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * The parsed JSON body, or undefined when the request says it has none in
 * JSON (Apollo Server then answers as it does to any such request). As
 * body-parser's `json()`: an empty body is `{}`, only an object or array at
 * the top, UTF-8 only; no content encoding (the gateway sends none).
 */
async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'];
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!type || !JSON_TYPE.test(type) || !hasBody) {
    // What is not read is drained, so the connection can carry the next request.
    req.resume();
    return type && JSON_TYPE.test(type) && !hasBody ? {} : undefined;
  }
  const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new BodyError(415, 'BAD_REQUEST', BODY_ERRORS['charset.unsupported']!);
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw new BodyError(415, 'BAD_REQUEST', BODY_ERRORS['encoding.unsupported']!);
  if (length !== undefined && Number(length) > maxBytes) throw new BodyError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw new BodyError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof BodyError) throw error;
    throw new BodyError(400, 'BAD_REQUEST', BODY_ERRORS['request.aborted']!);
  }
  const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return {};
  if (first !== '{' && first !== '[') throw new BodyError(400, 'BAD_REQUEST', BODY_ERRORS['entity.parse.failed']!);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'BAD_REQUEST', BODY_ERRORS['entity.parse.failed']!);
  }
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** The request handler for `/graphql` (`isGraphqlPath`). */
export function graphqlEntrance<TContext extends ApolloContext>(options: GraphqlEntranceOptions<TContext>): (req: IncomingMessage, res: ServerResponse) => void {
  const { server, logger, tracer, metrics } = options;

  async function handle(req: IncomingMessage, res: ServerResponse, locals: ExchangeLocals): Promise<void> {
    const traceId = assignTraceId(req, res, locals, { trustIncoming: true });
    let body: unknown;
    // At info, as the gateway's: joined by trace id, the lines show where a request's time went.
    startRequestLog(logger, 'info', req, res, locals, () => body);
    metrics?.countRequest(options.service, req.method, res, locals);
    const token = req.headers[VIEWER_TOKEN_HEADER];
    if (typeof token !== 'string' || token === '') {
      req.resume();
      writeError(res, locals, 401, 'UNAUTHENTICATED', 'This service answers only requests that come through the Lianxin gateway.');
      return;
    }
    let viewer: Viewer;
    try {
      viewer = await options.verifyViewer(token);
    } catch {
      req.resume();
      writeError(res, locals, 401, 'UNAUTHENTICATED', 'The gateway token is invalid or expired.');
      return;
    }
    locals['viewer'] = viewer;
    try {
      body = await readJsonBody(req, options.maxBodyBytes);
    } catch (error) {
      const refusal = error instanceof BodyError ? error : new BodyError(400, 'BAD_REQUEST', BODY_ERRORS['entity.parse.failed']!);
      writeError(res, locals, refusal.status, refusal.code, refusal.message);
      return;
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers: headerMapOf(req),
      search: query === -1 ? '' : url.slice(query),
      body,
    };
    const record = (locals['request'] as RequestRecord | undefined) ?? {};
    const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => options.context(viewer, traceId, record) });
    // No field of a subgraph declares a cache hint, so, as Apollo Server's cache-control plugin said of every answer, none may be stored.
    if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
    res.statusCode = response.status ?? 200;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return (req, res) => {
    const locals: ExchangeLocals = {};
    const fail = (error: unknown) => {
      // A failure of ours (500), logged in full with the trace id the client sees, as `jsonErrors` does.
      const trace = locals['traceId'] as string | undefined;
      logger.error({ err: error, traceId: trace }, 'request failed');
      if (res.headersSent) res.destroy();
      else writeError(res, locals, 500, 'INTERNAL_SERVER_ERROR', MASKED_MESSAGE, trace ? { traceId: trace } : {});
    };
    if (!tracer) {
      handle(req, res, locals).catch(fail);
      return;
    }
    // A span in the gateway's trace (its traceparent), before the trace id that may be read from it.
    const active = startServerSpan(tracer, req, res, locals, { acceptIncoming: true, route: '/graphql' });
    otelContext.bind(active, req);
    otelContext.bind(active, res);
    otelContext.with(active, () => handle(req, res, locals)).catch(fail);
  };
}
