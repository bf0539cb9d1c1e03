/** Small pieces every HTTP entrance shares: JSON error bodies, trace ids, request logs, health routes. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, RequestHandler, Response } from 'express';
import { TRACE_ID_HEADER, type Viewer } from './auth.js';
import { MASKED_MESSAGE } from './errors.js';
import type { Logger } from './logger.js';
import { activeTraceId } from './tracing.js';

/** Answers with a GraphQL-shaped error body, so every client parses one format. */
export function sendError(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  // The request log line names the code of a refusal made before GraphQL, as it does for GraphQL's own.
  const record = res.locals['request'] as RequestRecord | undefined;
  if (record) record.errorCodes = [code];
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}

/**
 * What the handlers of one request share: express's `res.locals`, or the
 * plain object the subgraphs' GraphQL entrance keeps (it runs without
 * express): `traceId`, `request` (the RequestRecord) and `viewer`.
 */
export type ExchangeLocals = Record<string, unknown>;

/** `sendError` without express: the same body, status and record, written on a plain Node response. */
export function writeError(res: ServerResponse, locals: ExchangeLocals, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  const record = locals['request'] as RequestRecord | undefined;
  if (record) record.errorCodes = [code];
  const body = JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const TRACE_ID = /^[A-Za-z0-9-]{8,64}$/;

/** `traceIds` without express: sets `locals.traceId` and the response header, and returns the id. */
export function assignTraceId(req: IncomingMessage, res: ServerResponse, locals: ExchangeLocals, { trustIncoming }: { trustIncoming: boolean }): string {
  const header = trustIncoming ? req.headers[TRACE_ID_HEADER] : undefined;
  const incoming = Array.isArray(header) ? header[0] : header;
  const id = incoming && TRACE_ID.test(incoming) ? incoming : (activeTraceId() ?? randomUUID());
  locals['traceId'] = id;
  res.setHeader(TRACE_ID_HEADER, id);
  return id;
}

/**
 * Gives each request a trace id in `res.locals.traceId` and the `x-trace-id`
 * response header. With `trustIncoming` a well-formed incoming id is reused:
 * right for a subgraph, whose only caller is the gateway; the gateway itself
 * always starts a new one, so no client can choose the id another request is
 * logged under. When the request is traced (`requestSpan` before this), a
 * new id is the trace's id, so a log line leads to its trace.
 */
export function traceIds({ trustIncoming }: { trustIncoming: boolean }): RequestHandler {
  return (req, res, next) => {
    assignTraceId(req, res, res.locals, { trustIncoming });
    next();
  };
}

/** Reuses a well-formed incoming trace id (the gateway's), or starts a new one. */
export const traceId: RequestHandler = traceIds({ trustIncoming: true });

/**
 * What a request log line says about the GraphQL operation; GraphQL plugins
 * fill it in through `res.locals.request` while the request runs.
 */
export interface RequestRecord {
  operationName?: string | null;
  operationType?: string;
  /** `extensions.code` of each error in the response. */
  errorCodes?: string[];
  /** Data lines written by a CSV download (the gateway's `/stats.csv`); absent for every other request. */
  csvRows?: number;
}

/** The record of the current request, created by `requestLog`; an empty one when logging is off. */
export function requestRecord(res: Response): RequestRecord {
  return (res.locals['request'] as RequestRecord | undefined) ?? {};
}

/** Operation names clients send are free text: a log line keeps a short, printable prefix. */
const printable = (value: unknown): string | null => (typeof value === 'string' ? value.replace(/[^\w.-]/g, '').slice(0, 100) || null : null);

/**
 * One log line per request when it ends: method, operation, status,
 * duration, trace id and the viewer's subject. Never the token, the
 * variables or the response: they may hold personal data.
 */
export function requestLog(logger: Logger, level: 'info' | 'debug'): RequestHandler {
  return (req, res, next) => {
    startRequestLog(logger, level, req, res, res.locals, () => req.body as unknown);
    next();
  };
}

/**
 * `requestLog` without express: when `level` is enabled, puts a fresh record
 * in `locals.request` and logs the line when the response closes; `body`
 * gives the parsed request body then (for the operation name a client sent).
 */
export function startRequestLog(logger: Logger, level: 'info' | 'debug', req: IncomingMessage, res: ServerResponse, locals: ExchangeLocals, body: () => unknown): void {
  if (!logger.isLevelEnabled(level)) return;
  const started = process.hrtime.bigint();
  const record: RequestRecord = {};
  locals['request'] = record;
  res.once('close', () => {
    const sent = body();
    const sentName = typeof sent === 'object' && sent !== null && 'operationName' in sent ? sent.operationName : undefined;
    const viewer = locals['viewer'] as Viewer | undefined;
    logger[level](
      {
        traceId: locals['traceId'] as string | undefined,
        method: req.method,
        operationName: record.operationName ?? printable(sentName),
        ...(record.operationType ? { operationType: record.operationType } : {}),
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        subject: viewer?.subject ?? null,
        ...(record.errorCodes?.length ? { errorCodes: record.errorCodes } : {}),
        ...(record.csvRows !== undefined ? { csvRows: record.csvRows } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      'request',
    );
  });
}

/** body-parser's error types, each answered in words a client can act on. */
export const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON.',
  'encoding.unsupported': 'The request body has an unsupported content encoding.',
  'charset.unsupported': 'The request body has an unsupported charset.',
  'request.aborted': 'The request was aborted before its body arrived.',
};

/**
 * Turns body-parser and other middleware failures into JSON errors instead of
 * express's HTML page (which shows a stack trace outside production). A
 * failure of ours (500) is logged in full with the trace id the client sees.
 */
export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    const type = typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string' ? error.type : '';
    if (status === 413) sendError(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
    else if (status >= 400 && status < 500) sendError(res, status, 'BAD_REQUEST', BODY_ERRORS[type] ?? 'The request body is not valid JSON.');
    else {
      const trace = res.locals['traceId'] as string | undefined;
      logger.error({ err: error, traceId: trace }, 'request failed');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', MASKED_MESSAGE, trace ? { traceId: trace } : {});
    }
  };
}

/** Thrown by a readiness check to name the parts that are not ready. */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
  constructor(readonly unavailable: string[]) {
    super(`not ready: ${unavailable.join(', ')}`);
  }
}

/** `/health`: the process is alive. `/ready`: it can do its work (`check` resolves). */
export function healthRoutes(app: Express, service: string, check: () => Promise<void>): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await check();
      res.json({ status: 'ready', service });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', service, ...(error instanceof NotReadyError ? { unavailable: error.unavailable } : {}) });
    }
  });
}

export const notFound: RequestHandler = (_req, res) => {
  sendError(res, 404, 'NOT_FOUND', 'No such endpoint.');
};
