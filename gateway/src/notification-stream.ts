/**
 * `GET /notifications/stream`: the client's notification stream (server-sent
 * events). Apollo Gateway serves no subscriptions, so this route is plain
 * HTTP: the client is authenticated exactly as for `/graphql` (a bearer
 * token; 401 without a valid one, and anonymous callers are refused), and the
 * stream is proxied from the people subgraph with the signed viewer header
 * every subgraph call carries. `Last-Event-ID` is passed on so a reconnecting
 * client first gets what it missed.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { RequestHandler } from 'express';
import { VIEWER_TOKEN_HEADER, sendError, type Logger, type Viewer } from '@lianxin/shared';

export const NOTIFICATION_STREAM_PATH = '/notifications/stream';

export function notificationStreamProxy(options: { peopleUrl: string; signViewer: (viewer: Viewer) => Promise<string>; logger: Logger; stopping: AbortSignal }): RequestHandler {
  const upstream = new URL(NOTIFICATION_STREAM_PATH, options.peopleUrl);
  return (req, res, next) => {
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      sendError(res, 405, 'BAD_REQUEST', 'The notification stream is read with GET.');
      return;
    }
    const viewer = res.locals['viewer'] as Viewer;
    if (viewer.subject === null) {
      res.setHeader('www-authenticate', 'Bearer');
      sendError(res, 401, 'UNAUTHENTICATED', 'Sign in to receive notifications: send Authorization: Bearer <token>.');
      return;
    }
    const aborted = new AbortController();
    const abort = () => aborted.abort();
    req.on('close', abort);
    options.stopping.addEventListener('abort', abort, { once: true });
    void (async () => {
      const headers: Record<string, string> = { [VIEWER_TOKEN_HEADER]: await options.signViewer(viewer), accept: 'text/event-stream' };
      const last = req.get('last-event-id');
      if (last) headers['last-event-id'] = last;
      const response = await fetch(upstream, { headers, signal: aborted.signal });
      res.status(response.status);
      for (const name of ['content-type', 'cache-control', 'x-accel-buffering']) {
        const value = response.headers.get(name);
        if (value) res.setHeader(name, value);
      }
      res.flushHeaders();
      if (!response.body) {
        res.end();
        return;
      }
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      body.on('error', () => res.end());
      body.pipe(res);
    })()
      .catch((error: unknown) => {
        if (aborted.signal.aborted) return;
        options.logger.warn({ err: error }, 'notification stream could not reach people');
        if (res.headersSent) res.end();
        else next(error);
      })
      .finally(() => options.stopping.removeEventListener('abort', abort));
  };
}
