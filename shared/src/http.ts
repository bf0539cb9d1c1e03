/** Small pieces every HTTP entrance shares: JSON error bodies, trace ids, health routes. */
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Express, RequestHandler, Response } from 'express';
import { TRACE_ID_HEADER } from './auth.js';

/** Answers with a GraphQL-shaped error body, so every client parses one format. */
export function sendError(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}

const TRACE_ID = /^[A-Za-z0-9-]{8,64}$/;

/** Reuses a well-formed incoming trace id, or starts a new one; exposes it in `res.locals.traceId`. */
export const traceId: RequestHandler = (req, res, next) => {
  const incoming = req.get(TRACE_ID_HEADER);
  const id = incoming && TRACE_ID.test(incoming) ? incoming : randomUUID();
  res.locals['traceId'] = id;
  res.setHeader(TRACE_ID_HEADER, id);
  next();
};

/**
 * Turns body-parser and other middleware failures into JSON errors instead of
 * express's HTML page (which shows a stack trace outside production).
 */
export const jsonErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
  if (status === 413) sendError(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
  else if (status >= 400 && status < 500) sendError(res, status, 'BAD_REQUEST', 'The request body is not valid JSON.');
  else sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong on our side.');
};

/** `/health`: the process is alive. `/ready`: it can do its work (`check` resolves). */
export function healthRoutes(app: Express, service: string, check: () => Promise<void>): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await check();
      res.json({ status: 'ready', service });
    } catch {
      res.status(503).json({ status: 'unavailable', service });
    }
  });
}

export const notFound: RequestHandler = (_req, res) => {
  sendError(res, 404, 'NOT_FOUND', 'No such endpoint.');
};
