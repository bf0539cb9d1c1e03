/** SQL for the notification inbox: writing a batch of one event's notifications, pages newest first, counts and marking read. */
import { and, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor, PageRequest } from '@lianxin/shared';
import { notifications, persons, type NewNotificationRow, type NotificationRow } from '../db/schema.js';

/**
 * Writes the notifications of one event; a recipient already told of it
 * (the event redelivered or applied again) is skipped by the unique
 * (source event, recipient) key. Returns the rows written now.
 */
export async function insertNotifications(db: Executor, rows: readonly NewNotificationRow[]): Promise<NotificationRow[]> {
  if (rows.length === 0) return [];
  return db
    .insert(notifications)
    .values([...rows])
    .onConflictDoNothing({ target: [notifications.sourceEventId, notifications.recipientId] })
    .returning();
}

/** Which of `ids` are registered persons (an event may name someone people never registered: nobody to tell). */
export async function findRegisteredPersonIds(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: persons.id })
    .from(persons)
    .where(inArray(persons.id, [...ids]));
  return rows.map((row) => row.id);
}

/** Notification cursors sort by creation, then id, both descending. */
export const notificationCursor = (row: NotificationRow): string[] => [row.createdAt.toISOString(), row.id];

/** A page of one recipient's notifications, newest first: up to `page.limit + 1` rows, for `toConnection`. */
export function findNotificationPage(db: Executor, recipientId: string, page: PageRequest, unreadOnly: boolean): Promise<NotificationRow[]> {
  const t = notifications;
  const after = page.after ? sql`(${t.createdAt}, ${t.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(t)
    .where(and(eq(t.recipientId, recipientId), unreadOnly ? isNull(t.readAt) : undefined, after))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(page.limit + 1);
}

export async function countUnread(db: Executor, recipientId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.recipientId, recipientId), isNull(notifications.readAt)));
  return row?.count ?? 0;
}

export function findNotificationsByIds(db: Executor, ids: readonly string[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(notifications)
    .where(inArray(notifications.id, [...ids]));
}

/** Of `ids`, those that are `recipientId`'s (whether read or not). */
export async function findOwnNotificationIds(db: Executor, recipientId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.recipientId, recipientId), inArray(notifications.id, [...ids])));
  return rows.map((row) => row.id);
}

/** Marks unread notifications of `recipientId` read: those of `ids`, or all of them when `ids` is null. Read ones keep their time. */
export async function markNotificationsRead(db: Executor, recipientId: string, ids: readonly string[] | null): Promise<number> {
  const t = notifications;
  const rows = await db
    .update(t)
    .set({ readAt: sql`greatest(now(), ${t.createdAt})` })
    .where(and(eq(t.recipientId, recipientId), isNull(t.readAt), ids === null ? undefined : inArray(t.id, [...ids])))
    .returning({ id: t.id });
  return rows.length;
}

/**
 * `recipientId`'s notifications written after `since` (a stream resuming
 * from its last event), oldest first, at most `limit`.
 */
export function findNotificationsSince(db: Executor, recipientId: string, since: NotificationRow, limit: number): Promise<NotificationRow[]> {
  const t = notifications;
  return db
    .select()
    .from(t)
    .where(and(eq(t.recipientId, recipientId), or(gt(t.createdAt, since.createdAt), and(eq(t.createdAt, since.createdAt), gt(t.id, since.id)))))
    .orderBy(t.createdAt, t.id)
    .limit(limit);
}
