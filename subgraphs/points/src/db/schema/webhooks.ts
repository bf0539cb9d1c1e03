/**
 * Merchants' webhooks: the endpoints a merchant registers to be told of its
 * holds, refunds and statements, the deliveries owed to each (one per event
 * and endpoint, whatever retries or replays happen), the attempts made at
 * each (append-only), and the holds already announced as about to lapse.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { merchants } from './merchants.js';
import { redemptions } from './redemptions.js';

export const merchantWebhookEvent = points.enum('merchant_webhook_event', ['hold_expiring', 'hold_lapsed', 'refund_done', 'statement_ready']);
export type MerchantWebhookEvent = (typeof merchantWebhookEvent.enumValues)[number];

export const webhookDeliveryStatus = points.enum('webhook_delivery_status', ['queued', 'delivered', 'failed']);
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatus.enumValues)[number];

/** The longest endpoint URL accepted. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;
/** Endpoints one merchant may have at once (deleted ones not counted); the migration's trigger holds it too. */
export const WEBHOOKS_PER_MERCHANT = 5;

export const merchantWebhooks = points.table(
  'merchant_webhooks',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    url: text('url').notNull(),
    events: merchantWebhookEvent('events').array().notNull(),
    /**
     * The HMAC key deliveries are signed with. Kept as it is, since every
     * delivery needs it; the graph shows it once, when made or rotated.
     */
    secret: text('secret').notNull(),
    active: boolean('active').notNull().default(true),
    /** Deleted endpoints stay, so their delivery log keeps its endpoint; they are never shown or delivered to again. */
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (table) => [
    index('merchant_webhooks_merchant_idx')
      .on(table.merchantId, table.createdAt, table.id)
      .where(sql`deleted_at is null`),
    check('merchant_webhooks_url_form', sql`${table.url} ~ '^https?://' and length(${table.url}) <= 2048`),
    check('merchant_webhooks_some_events', sql`cardinality(${table.events}) between 1 and 4`),
    check('merchant_webhooks_secret_length', sql`length(${table.secret}) >= 32`),
  ],
);
export type MerchantWebhookRow = typeof merchantWebhooks.$inferSelect;

export const webhookDeliveries = points.table(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => merchantWebhooks.id),
    /** The points event announced: the body's `id`, the same on every attempt and for every endpoint. */
    eventId: uuid('event_id').notNull(),
    event: merchantWebhookEvent('event').notNull(),
    /** The JSON posted, exactly as signed. */
    body: text('body').notNull(),
    status: webhookDeliveryStatus('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** Attempts made before the current round: a redelivery starts a new round, with its own retries. */
    roundFrom: integer('round_from').notNull().default(0),
    /** When the worker may next try; null unless queued. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('webhook_deliveries_once_per_endpoint').on(table.eventId, table.endpointId),
    index('webhook_deliveries_endpoint_idx').on(table.endpointId, table.createdAt, table.id),
    index('webhook_deliveries_due_idx')
      .on(table.nextAttemptAt)
      .where(sql`status = 'queued'`),
    check('webhook_deliveries_round_within_attempts', sql`${table.roundFrom} >= 0 and ${table.roundFrom} <= ${table.attempts}`),
    check('webhook_deliveries_queued_iff_next', sql`(${table.status} = 'queued') = (${table.nextAttemptAt} is not null)`),
    check('webhook_deliveries_delivered_iff_at', sql`(${table.status} = 'delivered') = (${table.deliveredAt} is not null)`),
  ],
);
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Every attempt at a delivery, as it ended; append-only (trigger in the migration). */
export const webhookDeliveryAttempts = points.table(
  'webhook_delivery_attempts',
  {
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer('attempt').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true, precision: 3 }).notNull(),
    /** The receiver's HTTP status; null when no answer came (refused, timed out). */
    statusCode: integer('status_code'),
    error: text('error'),
  },
  (table) => [
    primaryKey({ name: 'webhook_delivery_attempts_pk', columns: [table.deliveryId, table.attempt] }),
    check('webhook_delivery_attempts_positive', sql`${table.attempt} >= 1`),
  ],
);
export type WebhookDeliveryAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;

/** Holds already announced as about to lapse: announced once, whoever runs the job and however often. */
export const holdExpiryNotices = points.table('hold_expiry_notices', {
  redemptionId: uuid('redemption_id')
    .primaryKey()
    .references(() => redemptions.id),
  announcedAt: timestamp('announced_at', { withTimezone: true, precision: 3 }).notNull(),
});
