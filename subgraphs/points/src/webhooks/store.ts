/** Merchants' webhook endpoints, the deliveries owed to them and the attempts made: SQL only. */
import { and, asc, count, eq, inArray, isNull, lte, notExists, sql } from 'drizzle-orm';
import { pagesPerParent, type Executor, type PageRequest, type Transaction } from '@lianxin/shared';
import {
  holdExpiryNotices,
  merchantWebhooks,
  redemptions,
  webhookDeliveries,
  webhookDeliveryAttempts,
  type MerchantWebhookEvent,
  type MerchantWebhookRow,
  type WebhookDeliveryAttemptRow,
  type WebhookDeliveryRow,
  type WebhookDeliveryStatus,
} from '../db/schema.js';

// ---------------------------------------------------------------------------
// Endpoints

/** Endpoints by id, deleted ones included (a deleted endpoint's deliveries still name it). */
export function findWebhooksByIds(db: Executor, ids: readonly string[]): Promise<MerchantWebhookRow[]> {
  return db
    .select()
    .from(merchantWebhooks)
    .where(inArray(merchantWebhooks.id, [...ids]));
}

/** The endpoints of `merchantIds` that are not deleted, oldest first. */
export function findWebhooksOfMerchants(db: Executor, merchantIds: readonly string[]): Promise<MerchantWebhookRow[]> {
  return db
    .select()
    .from(merchantWebhooks)
    .where(and(inArray(merchantWebhooks.merchantId, [...merchantIds]), isNull(merchantWebhooks.deletedAt)))
    .orderBy(asc(merchantWebhooks.createdAt), asc(merchantWebhooks.id));
}

/** How many endpoints the merchant has, not counting deleted ones. */
export async function countWebhooksOfMerchant(tx: Transaction, merchantId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(merchantWebhooks)
    .where(and(eq(merchantWebhooks.merchantId, merchantId), isNull(merchantWebhooks.deletedAt)));
  return row?.n ?? 0;
}

/** An endpoint that is not deleted, locked for a change. */
export async function lockWebhook(tx: Transaction, id: string): Promise<MerchantWebhookRow | null> {
  const [row] = await tx
    .select()
    .from(merchantWebhooks)
    .where(and(eq(merchantWebhooks.id, id), isNull(merchantWebhooks.deletedAt)))
    .for('update');
  return row ?? null;
}

export async function insertWebhook(
  tx: Transaction,
  values: { merchantId: string; url: string; events: MerchantWebhookEvent[]; secret: string; by: string; at: Date },
): Promise<MerchantWebhookRow> {
  const [row] = await tx
    .insert(merchantWebhooks)
    .values({
      merchantId: values.merchantId,
      url: values.url,
      events: values.events,
      secret: values.secret,
      createdBy: values.by,
      createdAt: values.at,
      updatedBy: values.by,
      updatedAt: values.at,
    })
    .returning();
  if (!row) throw new Error('insert into merchant_webhooks returned nothing');
  return row;
}

export async function updateWebhook(
  tx: Transaction,
  id: string,
  change: { url?: string; events?: MerchantWebhookEvent[]; active?: boolean; secret?: string; deletedAt?: Date; by: string; at: Date },
): Promise<MerchantWebhookRow> {
  const { by, at, ...rest } = change;
  const [row] = await tx
    .update(merchantWebhooks)
    .set({ ...rest, updatedBy: by, updatedAt: at })
    .where(eq(merchantWebhooks.id, id))
    .returning();
  if (!row) throw new Error(`merchant webhook ${id} vanished while locked`);
  return row;
}

/** The active endpoints of `merchantId` subscribed to `event`. */
export function findSubscribedWebhooks(tx: Transaction, merchantId: string, event: MerchantWebhookEvent): Promise<MerchantWebhookRow[]> {
  return tx
    .select()
    .from(merchantWebhooks)
    .where(
      and(
        eq(merchantWebhooks.merchantId, merchantId),
        eq(merchantWebhooks.active, true),
        isNull(merchantWebhooks.deletedAt),
        sql`${event}::points.merchant_webhook_event = any(${merchantWebhooks.events})`,
      ),
    );
}

// ---------------------------------------------------------------------------
// Deliveries

/** Queues one delivery per endpoint of an event; an event fanned out before adds nothing (the unique event and endpoint). */
export async function insertDeliveries(
  tx: Transaction,
  rows: readonly { endpointId: string; eventId: string; event: MerchantWebhookEvent; body: string; at: Date }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await tx
    .insert(webhookDeliveries)
    .values(rows.map((row) => ({ endpointId: row.endpointId, eventId: row.eventId, event: row.event, body: row.body, nextAttemptAt: row.at, createdAt: row.at })))
    .onConflictDoNothing({ target: [webhookDeliveries.eventId, webhookDeliveries.endpointId] })
    .returning({ id: webhookDeliveries.id });
  return inserted.length;
}

export function findDeliveriesByIds(db: Executor, ids: readonly string[]): Promise<WebhookDeliveryRow[]> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.id, [...ids]));
}

/** Deliveries list newest first: by creation time, then id. */
export const deliveryCursor = (row: WebhookDeliveryRow): string[] => [row.createdAt.toISOString(), row.id];

/** The same page of deliveries for each of `endpointIds`, newest first, in one statement. */
export function findDeliveryPages(db: Executor, endpointIds: readonly string[], status: WebhookDeliveryStatus | null, page: PageRequest): Promise<WebhookDeliveryRow[]> {
  const after = page.after;
  return pagesPerParent(db, {
    table: webhookDeliveries,
    parent: webhookDeliveries.endpointId,
    parentIds: endpointIds,
    orderBy: sql`${webhookDeliveries.createdAt} desc, ${webhookDeliveries.id} desc`,
    where: and(
      status ? eq(webhookDeliveries.status, status) : undefined,
      after ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
    ),
    limit: page.limit,
  });
}

/** How many deliveries each of `endpointIds` has (in `status`, when given), in one statement. */
export function countDeliveriesOfEndpoints(db: Executor, endpointIds: readonly string[], status: WebhookDeliveryStatus | null): Promise<{ endpointId: string; n: number }[]> {
  return db
    .select({ endpointId: webhookDeliveries.endpointId, n: count() })
    .from(webhookDeliveries)
    .where(and(inArray(webhookDeliveries.endpointId, [...endpointIds]), status ? eq(webhookDeliveries.status, status) : undefined))
    .groupBy(webhookDeliveries.endpointId);
}

export function findAttemptsOfDeliveries(db: Executor, deliveryIds: readonly string[]): Promise<WebhookDeliveryAttemptRow[]> {
  return db
    .select()
    .from(webhookDeliveryAttempts)
    .where(inArray(webhookDeliveryAttempts.deliveryId, [...deliveryIds]))
    .orderBy(asc(webhookDeliveryAttempts.deliveryId), asc(webhookDeliveryAttempts.attempt));
}

export async function lockDelivery(tx: Transaction, id: string): Promise<WebhookDeliveryRow | null> {
  const [row] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).for('update');
  return row ?? null;
}

/** Queues a delivery again for an attempt at `at`, starting a new round of retries. */
export async function requeueDelivery(tx: Transaction, id: string, at: Date): Promise<WebhookDeliveryRow> {
  const [row] = await tx
    .update(webhookDeliveries)
    .set({ status: 'queued', nextAttemptAt: at, deliveredAt: null, roundFrom: sql`${webhookDeliveries.attempts}` })
    .where(eq(webhookDeliveries.id, id))
    .returning();
  if (!row) throw new Error(`webhook delivery ${id} vanished while locked`);
  return row;
}

/** A delivery due for an attempt, with where and how to send it. */
export interface DueDelivery {
  delivery: WebhookDeliveryRow;
  url: string;
  secret: string;
}

/**
 * Claims up to `limit` deliveries due by `now` to endpoints still there and
 * active: each is pushed `leaseMs` into the future before it is tried, so
 * another worker does not take it meanwhile, and comes back if this one dies.
 */
export async function claimDueDeliveries(tx: Transaction, now: Date, limit: number, leaseMs: number): Promise<DueDelivery[]> {
  const due = await tx
    .select({ delivery: webhookDeliveries, url: merchantWebhooks.url, secret: merchantWebhooks.secret })
    .from(webhookDeliveries)
    .innerJoin(merchantWebhooks, eq(merchantWebhooks.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.status, 'queued'), lte(webhookDeliveries.nextAttemptAt, now), isNull(merchantWebhooks.deletedAt), eq(merchantWebhooks.active, true)))
    .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  if (due.length === 0) return [];
  await tx
    .update(webhookDeliveries)
    .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
    .where(
      inArray(
        webhookDeliveries.id,
        due.map((row) => row.delivery.id),
      ),
    );
  return due;
}

/** Records one attempt and where the delivery now stands. */
export async function recordAttempt(
  tx: Transaction,
  attempt: { deliveryId: string; attempt: number; at: Date; statusCode: number | null; error: string | null },
  outcome: { status: WebhookDeliveryStatus; nextAttemptAt: Date | null },
): Promise<void> {
  await tx.insert(webhookDeliveryAttempts).values({
    deliveryId: attempt.deliveryId,
    attempt: attempt.attempt,
    attemptedAt: attempt.at,
    statusCode: attempt.statusCode,
    error: attempt.error,
  });
  await tx
    .update(webhookDeliveries)
    .set({
      status: outcome.status,
      attempts: attempt.attempt,
      nextAttemptAt: outcome.nextAttemptAt,
      lastStatusCode: attempt.statusCode,
      lastError: attempt.error,
      deliveredAt: outcome.status === 'delivered' ? attempt.at : null,
    })
    .where(eq(webhookDeliveries.id, attempt.deliveryId));
}

// ---------------------------------------------------------------------------
// Holds about to lapse

/**
 * Holds that lapse by `until` and have not been announced, locked so two
 * runs of the job cannot both announce one; up to `limit`.
 */
export function lockUnannouncedHolds(tx: Transaction, until: Date, limit: number) {
  return tx
    .select({ id: redemptions.id, merchantId: redemptions.merchantId, totalPoints: redemptions.totalPoints, heldUntil: redemptions.heldUntil })
    .from(redemptions)
    .where(
      and(
        eq(redemptions.status, 'held'),
        sql`${redemptions.heldUntil} <= ${until.toISOString()}::timestamptz`,
        notExists(
          tx
            .select({ one: sql`1` })
            .from(holdExpiryNotices)
            .where(eq(holdExpiryNotices.redemptionId, redemptions.id)),
        ),
      ),
    )
    .orderBy(asc(redemptions.heldUntil), asc(redemptions.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}

export async function insertHoldNotices(tx: Transaction, redemptionIds: readonly string[], at: Date): Promise<void> {
  if (redemptionIds.length === 0) return;
  await tx
    .insert(holdExpiryNotices)
    .values(redemptionIds.map((redemptionId) => ({ redemptionId, announcedAt: at })))
    .onConflictDoNothing();
}
