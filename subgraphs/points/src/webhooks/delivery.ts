/**
 * How merchants' webhooks are fed and sent. Points consumes its own outbox:
 * each event type `WEBHOOK_EVENTS` lists becomes one queued delivery per
 * active endpoint of its merchant subscribed to it, exactly once (the
 * deliveries' unique event and endpoint), so an event is never lost between
 * the change and the merchant, and a replay queues nothing twice. The
 * delivery worker (a scheduled job) then POSTs what is due, signed with the
 * endpoint's secret, and retries failures with backoff and jitter until the
 * round's attempts run out (docs/merchants.md, Notifications).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { UnprocessableEventError, isUuid, type Database, type EventHandler, type JsonObject, type Transaction } from '@lianxin/shared';
import type { MerchantWebhookEvent } from '../db/schema.js';
import { publishHoldExpiring } from '../events/publish.js';
import { hostProblem } from './address.js';
import { claimDueDeliveries, findSubscribedWebhooks, insertDeliveries, insertHoldNotices, lockUnannouncedHolds, recordAttempt, type DueDelivery } from './store.js';

/** How a points event reaches merchants: the webhook event it is, the `type` its body names, and the payload fields it carries. */
interface WebhookRoute {
  event: MerchantWebhookEvent;
  type: string;
  /** Copied into the body's `data` when present: a list, so a field added to the event later never reaches merchants unseen. */
  fields: readonly string[];
}

/** The points events merchants are told of. Every one names its merchant as `merchantId`. */
export const WEBHOOK_EVENTS: Readonly<Record<string, WebhookRoute>> = {
  'redemption.hold_expiring': { event: 'hold_expiring', type: 'hold.expiring', fields: ['redemptionId', 'merchantId', 'points', 'heldUntil', 'announcedAt'] },
  'redemption.hold_lapsed': { event: 'hold_lapsed', type: 'hold.lapsed', fields: ['redemptionId', 'merchantId', 'points', 'heldUntil', 'lapsedAt'] },
  'redemption.refunded': { event: 'refund_done', type: 'refund.done', fields: ['refundId', 'redemptionId', 'merchantId', 'points', 'refundedAt'] },
  'settlement.statement_closed': {
    event: 'statement_ready',
    type: 'statement.ready',
    fields: ['statementId', 'merchantId', 'periodFrom', 'periodTo', 'points', 'amountFen', 'closedAt'],
  },
};

/** Headers every delivery carries, beside `content-type: application/json`. */
export const WEBHOOK_ID_HEADER = 'x-lianxin-webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-lianxin-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'x-lianxin-signature';

/** How long a receiver has to answer. */
export const WEBHOOK_TIMEOUT_MS = 5_000;
/**
 * The waits after each failed attempt of a round (before jitter): 30 s,
 * 2 min, 10 min, 1 h, 4 h, 8 h. A round is seven attempts over about 13
 * hours; then the delivery is failed until it is redelivered.
 */
export const WEBHOOK_RETRY_DELAYS_SECONDS = [30, 120, 600, 3600, 4 * 3600, 8 * 3600] as const;
export const WEBHOOK_ATTEMPTS_PER_ROUND = WEBHOOK_RETRY_DELAYS_SECONDS.length + 1;
/** Up to this much is added to each wait, so endpoints that failed together are not all retried at the same instant. */
export const WEBHOOK_JITTER = 0.2;
/** How long a claimed delivery is kept from other workers while it is tried: well beyond the timeout. */
const CLAIM_LEASE_MS = 60_000;
/** What is kept of a failure's reason. */
const ERROR_LIMIT = 300;

/** A new signing secret: 32 random bytes, prefixed so it is recognised when pasted somewhere it should not be. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** The signature of `body` signed at `timestamp` (Unix seconds): what a merchant recomputes to verify a delivery. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

const merchantOf = z.object({ merchantId: z.string().refine((value) => isUuid(value), 'is not a uuid') });

/** The body of a delivery: the event's id (stable across retries), its webhook type, when it happened, and the listed fields. */
function bodyOf(event: { id: string; occurredAt: Date; payload: JsonObject }, route: WebhookRoute): string {
  const data = Object.fromEntries(route.fields.flatMap((field) => (field in event.payload ? [[field, event.payload[field]]] : [])));
  return JSON.stringify({ id: event.id, type: route.type, createdAt: event.occurredAt.toISOString(), data });
}

/** Queues the event for every subscribed endpoint of its merchant; an event fanned out already queues nothing more. */
function fanOut(route: WebhookRoute): EventHandler {
  return async (tx, event) => {
    const parsed = merchantOf.safeParse(event.payload);
    if (!parsed.success) throw new UnprocessableEventError(`payload of ${event.type}: merchantId: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const endpoints = await findSubscribedWebhooks(tx, parsed.data.merchantId.toLowerCase(), route.event);
    const body = bodyOf(event, route);
    await insertDeliveries(
      tx,
      endpoints.map((endpoint) => ({ endpointId: endpoint.id, eventId: event.id, event: route.event, body, at: event.occurredAt })),
    );
  };
}

/** The handlers of points' own events that feed the webhooks, for the points consumer. */
export const webhookHandlers: Record<string, EventHandler> = Object.fromEntries(Object.entries(WEBHOOK_EVENTS).map(([type, route]) => [type, fanOut(route)]));

/**
 * Announces holds that lapse within `noticeSeconds` of `now`
 * (`redemption.hold_expiring`), each once, in batches; returns how many.
 * Holds already past their expiry are left to the lapse.
 */
export async function announceExpiringHolds(db: Database, options: { now: Date; noticeSeconds: number; batch?: number }): Promise<number> {
  const batch = options.batch ?? 500;
  const until = new Date(options.now.getTime() + options.noticeSeconds * 1000);
  let total = 0;
  for (;;) {
    const announced = await db.transaction(async (tx: Transaction) => {
      const holds = (await lockUnannouncedHolds(tx, until, batch)).filter((hold) => hold.heldUntil !== null && hold.heldUntil > options.now);
      await insertHoldNotices(
        tx,
        holds.map((hold) => hold.id),
        options.now,
      );
      for (const hold of holds) await publishHoldExpiring(tx, hold, options.now);
      return holds.length;
    });
    total += announced;
    if (announced < batch) return total;
  }
}

/** How one POST ended: the status the receiver answered (null when none came), and why it failed (null when it did not). */
interface PostOutcome {
  statusCode: number | null;
  error: string | null;
}

/** Why a request got no answer, in a few words: a timeout, or the network's error code. */
function failureOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return `connection failed: ${cause.code}`;
  return `connection failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, ERROR_LIMIT);
}

/** POSTs one delivery, signed now; redirects are not followed (the endpoint registered is the one trusted). */
async function post(due: DueDelivery, now: Date, allowLoopback: boolean): Promise<PostOutcome> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const refused = await hostProblem(due.url, allowLoopback);
  if (refused) return { statusCode: null, error: refused };
  try {
    const response = await fetch(due.url, {
      method: 'POST',
      body: due.delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Lianxin-Webhooks/1',
        [WEBHOOK_ID_HEADER]: due.delivery.eventId,
        [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(due.secret, timestamp, due.delivery.body),
      },
    });
    // The answer's body means nothing to us; it is read off so the connection is freed.
    await response.arrayBuffer().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { statusCode: response.status, error: ok ? null : `answered HTTP ${response.status}` };
  } catch (error) {
    return { statusCode: null, error: failureOf(error) };
  }
}

/** Where a delivery stands after an attempt: delivered, queued for the next of its round, or failed when the round is spent. */
export function nextStep(delivery: { attempts: number; roundFrom: number }, outcome: PostOutcome, at: Date, random: () => number) {
  const attempt = delivery.attempts + 1;
  if (outcome.error === null) return { attempt, status: 'delivered' as const, nextAttemptAt: null };
  const inRound = attempt - delivery.roundFrom;
  const delay = WEBHOOK_RETRY_DELAYS_SECONDS[inRound - 1];
  if (delay === undefined) return { attempt, status: 'failed' as const, nextAttemptAt: null };
  return { attempt, status: 'queued' as const, nextAttemptAt: new Date(at.getTime() + Math.round(delay * 1000 * (1 + WEBHOOK_JITTER * random()))) };
}

/** What one run of the worker did. */
export interface DeliveryReport {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Tries every delivery due by `now()`, batch by batch: each batch is claimed
 * in one short transaction, POSTed at once (no transaction is held open
 * over the network), and each outcome recorded in its own.
 */
export async function deliverDueWebhooks(
  db: Database,
  options: { now: () => Date; random?: () => number; batch?: number; /** Whether loopback endpoints may be posted to (POINTS_WEBHOOK_ALLOW_INSECURE). */ allowLoopback: boolean },
): Promise<DeliveryReport> {
  const batch = options.batch ?? 50;
  const random = options.random ?? Math.random;
  const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0 };
  for (;;) {
    const claimed = await db.transaction((tx) => claimDueDeliveries(tx, options.now(), batch, CLAIM_LEASE_MS));
    await Promise.all(
      claimed.map(async (due) => {
        const outcome = await post(due, options.now(), options.allowLoopback);
        const at = options.now();
        const step = nextStep(due.delivery, outcome, at, random);
        await db.transaction((tx) =>
          recordAttempt(tx, { deliveryId: due.delivery.id, attempt: step.attempt, at, ...outcome }, { status: step.status, nextAttemptAt: step.nextAttemptAt }),
        );
        report[step.status === 'queued' ? 'retrying' : step.status] += 1;
      }),
    );
    if (claimed.length < batch) return report;
  }
}
