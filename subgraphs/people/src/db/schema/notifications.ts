/**
 * The notification inbox (消息中心): one row per event and recipient, written
 * by people's event consumer from other subgraphs' events. A redelivered event
 * finds its rows already there (unique source event and recipient), so nobody
 * is told twice. `read_at` is the one column that changes, once (a trigger in
 * the migration holds it).
 */
import { sql } from 'drizzle-orm';
import { check, index, jsonb, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { persons } from './persons.js';

export const notificationKind = people.enum('notification_kind', [
  'request_dispatched',
  'request_accepted',
  'request_started',
  'request_completed',
  'request_rated',
  'quote_issued',
  'alert_raised',
  'points_deposited',
  'hold_expiring',
  'badge_awarded',
]);

/**
 * What a notification's text is made of besides its kind: public words and
 * numbers only (a category's name, points, a score, a badge's name, an
 * instant), never personal data.
 */
export interface NotificationDetails {
  categoryName?: string;
  points?: number;
  score?: number;
  badgeName?: string;
  expiresAt?: string;
  alertKind?: string;
}

export const notifications = people.table(
  'notifications',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** The event this notification came from: with the recipient, what makes a redelivery a no-op. */
    sourceEventId: uuid('source_event_id').notNull(),
    recipientId: uuid('recipient_id')
      .notNull()
      .references(() => persons.id),
    kind: notificationKind('kind').notNull(),
    // What it is about: ids of other subgraphs' objects (no foreign keys across subgraphs).
    requestId: uuid('request_id'),
    serviceRecordId: uuid('service_record_id'),
    badgeId: uuid('badge_id'),
    holdId: uuid('hold_id'),
    alertId: uuid('alert_id'),
    accountId: uuid('account_id'),
    details: jsonb('details').$type<NotificationDetails>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    unique('notifications_event_recipient_unique').on(table.sourceEventId, table.recipientId),
    index('notifications_recipient_created_idx').on(table.recipientId, table.createdAt.desc(), table.id.desc()),
    index('notifications_recipient_unread_idx')
      .on(table.recipientId, table.createdAt.desc(), table.id.desc())
      .where(sql`${table.readAt} is null`),
    check('notifications_details_object', sql`jsonb_typeof(${table.details}) = 'object'`),
    check('notifications_read_after_created', sql`${table.readAt} is null or ${table.readAt} >= ${table.createdAt}`),
  ],
);

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotificationRow = typeof notifications.$inferInsert;
