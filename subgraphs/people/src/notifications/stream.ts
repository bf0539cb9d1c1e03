/**
 * The notification stream: `GET /notifications/stream` on the people
 * subgraph, reached through the gateway's route of the same path (which
 * authenticates the client as for `/graphql` and forwards the signed viewer).
 * Server-sent events: each new notification of the viewer is one `notification`
 * event whose id is the notification's id and whose data is the notification
 * as the graph shows it; a comment every 15 s keeps proxies from closing an
 * idle connection; a client reconnecting with `Last-Event-ID` first gets what
 * it missed.
 *
 * New rows are announced by a trigger on `people.notifications` with
 * `pg_notify` at commit (migration 0003), and one LISTEN per process fans them
 * out to the streams open for their recipient: no polling, on Postgres and on
 * the embedded database alike.
 */
import type express from 'express';
import { VIEWER_TOKEN_HEADER, isUuid, sendError, type Database, type Logger, type SubgraphRouteServices, type Viewer } from '@lianxin/shared';
import type { NotificationRow } from '../db/schema.js';
import type { PeopleSettings } from '../settings.js';
import { findNotificationsByIds, findNotificationsSince } from './store.js';
import { notificationText } from './text.js';

export const NOTIFICATION_STREAM_PATH = '/notifications/stream';
/** The channel the insert trigger announces new notifications on. */
export const NOTIFICATION_CHANNEL = 'people_notifications';
export const HEARTBEAT_MS = 15_000;
/** How many missed notifications a resuming stream is sent before live ones; older ones are read with `me.notifications`. */
const RESUME_LIMIT = 100;

/** A notification as a stream event carries it: the fields of the graph's `Notification`, references as `{ id }`. */
export function streamedNotification(row: NotificationRow) {
  const reference = (id: string | null) => (id === null ? null : { id });
  return {
    __typename: 'Notification',
    id: row.id,
    kind: row.kind.toUpperCase(),
    ...notificationText(row),
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    request: reference(row.requestId),
    serviceRecord: reference(row.serviceRecordId),
    alert: reference(row.alertId),
    account: reference(row.accountId),
    hold: reference(row.holdId),
    badge: reference(row.badgeId),
  };
}

type Subscriber = (notificationId: string) => void;

/**
 * The process's one LISTEN, started with the first stream and shared by all:
 * each announcement goes to the streams of its recipient.
 */
class NotificationHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private listening: Promise<() => Promise<void>> | null = null;

  constructor(
    private readonly listen: SubgraphRouteServices<PeopleSettings>['listen'],
    private readonly logger: Logger,
    stopping: AbortSignal,
  ) {
    stopping.addEventListener('abort', () => void this.stop(), { once: true });
  }

  async subscribe(recipientId: string, subscriber: Subscriber): Promise<() => void> {
    this.listening ??= this.listen(NOTIFICATION_CHANNEL, (payload) => this.dispatch(payload));
    try {
      await this.listening;
    } catch (error) {
      this.listening = null;
      throw error;
    }
    const set = this.subscribers.get(recipientId) ?? new Set<Subscriber>();
    set.add(subscriber);
    this.subscribers.set(recipientId, set);
    return () => {
      set.delete(subscriber);
      if (set.size === 0) this.subscribers.delete(recipientId);
    };
  }

  private dispatch(payload: string): void {
    try {
      const { id, recipientId } = JSON.parse(payload) as { id?: unknown; recipientId?: unknown };
      if (typeof id !== 'string' || typeof recipientId !== 'string') return;
      for (const subscriber of this.subscribers.get(recipientId) ?? []) subscriber(id);
    } catch (error) {
      this.logger.warn({ err: error }, 'notification announcement not understood');
    }
  }

  private async stop(): Promise<void> {
    const listening = this.listening;
    this.listening = null;
    this.subscribers.clear();
    if (listening) await (await listening.catch(() => async () => undefined))();
  }
}

/** Writes one server-sent event. */
function sendEvent(res: express.Response, row: NotificationRow): void {
  res.write(`id: ${row.id}\nevent: notification\ndata: ${JSON.stringify(streamedNotification(row))}\n\n`);
}

/** The viewer of a forwarded stream request, or a 401 already sent. */
async function viewerOfRequest(req: express.Request, res: express.Response, verify: (token: string) => Promise<Viewer>): Promise<Viewer | null> {
  const token = req.get(VIEWER_TOKEN_HEADER);
  if (!token) {
    sendError(res, 401, 'UNAUTHENTICATED', 'This service answers only requests that come through the Lianxin gateway.');
    return null;
  }
  try {
    return await verify(token);
  } catch {
    sendError(res, 401, 'UNAUTHENTICATED', 'The gateway token is invalid or expired.');
    return null;
  }
}

/** The notification a `Last-Event-ID` names, when it is the viewer's; anything else resumes nothing. */
async function resumePoint(db: Database, recipientId: string, lastEventId: string | undefined): Promise<NotificationRow | null> {
  if (!lastEventId || !isUuid(lastEventId)) return null;
  const [row] = await findNotificationsByIds(db, [lastEventId.toLowerCase()]);
  return row && row.recipientId === recipientId ? row : null;
}

async function openStream(req: express.Request, res: express.Response, services: SubgraphRouteServices<PeopleSettings>, hub: NotificationHub): Promise<void> {
  const viewer = await viewerOfRequest(req, res, services.verifyViewer);
  if (!viewer) return;
  if (viewer.subject === null) {
    sendError(res, 401, 'UNAUTHENTICATED', 'Sign in to receive notifications.');
    return;
  }
  const recipientId = viewer.personId;
  if (recipientId === null) {
    sendError(res, 403, 'FORBIDDEN', 'Only a person has notifications; this account is not one.');
    return;
  }
  const { db, logger } = services;
  const sent = new Set<string>();
  let closed = false;
  const send = (row: NotificationRow) => {
    if (closed || sent.has(row.id)) return;
    sent.add(row.id);
    sendEvent(res, row);
  };
  // Listening before reading what was missed: a notification written in between arrives either way, and is sent once.
  const unsubscribe = await hub.subscribe(recipientId, (id) => {
    findNotificationsByIds(db, [id])
      .then(([row]) => row && send(row))
      .catch((error: unknown) => logger.warn({ err: error }, 'notification stream could not read a notification'));
  });
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('connection', 'keep-alive');
  // nginx and similar proxies would otherwise buffer the stream.
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  res.write(`retry: 3000\n: connected\n\n`);
  const heartbeat = setInterval(() => res.write(`: heartbeat\n\n`), HEARTBEAT_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    services.stopping.removeEventListener('abort', end);
  };
  const end = () => {
    close();
    res.end();
  };
  req.on('close', close);
  services.stopping.addEventListener('abort', end, { once: true });
  const since = await resumePoint(db, recipientId, req.get('last-event-id'));
  if (since) for (const row of await findNotificationsSince(db, recipientId, since, RESUME_LIMIT)) send(row);
}

/** Mounts the stream on the people subgraph (`defineSubgraph({ routes })`). */
export function notificationStreamRoutes(app: express.Express, services: SubgraphRouteServices<PeopleSettings>): void {
  const hub = new NotificationHub(services.listen, services.logger, services.stopping);
  app.get(NOTIFICATION_STREAM_PATH, (req, res, next) => {
    openStream(req, res, services, hub).catch(next);
  });
}
