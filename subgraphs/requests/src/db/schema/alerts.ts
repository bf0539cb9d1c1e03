/** Alerts (一键呼叫) and the devices that raise them. */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { serviceRequests } from './requests.js';

/**
 * A call button or motion sensor at an elder's home, registered by the
 * community: which household it watches, who lives there, and whom to
 * notify when the household has no caseload volunteer (its grid worker).
 */
export const devices = requests.table(
  'devices',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    householdId: uuid('household_id').notNull(),
    residentId: uuid('resident_id').notNull(),
    notifyPersonId: uuid('notify_person_id').notNull(),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    inactivityHours: integer('inactivity_hours').notNull().default(12),
    lastMotionAt: instant('last_motion_at'),
    registeredById: uuid('registered_by').notNull(),
    registeredAt: instant('registered_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('devices_platform_external_unique').on(table.platform, table.externalId),
    index('devices_household_idx').on(table.householdId),
    check('devices_platform_format', sql`${table.platform} ~ '^[a-z0-9][a-z0-9_-]{0,63}$'`),
    check('devices_external_id_length', sql`char_length(${table.externalId}) between 1 and 128`),
    check('devices_inactivity_hours', sql`${table.inactivityHours} between 1 and 168`),
  ],
);

/** Every event a device platform delivered, once: the primary key refuses a replayed event id. */
export const deviceEvents = requests.table(
  'device_events',
  {
    platform: text('platform').notNull(),
    eventId: text('event_id').notNull(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    type: text('type').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    receivedAt: instant('received_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: 'device_events_pk', columns: [table.platform, table.eventId] })],
);

export const alertKind = requests.enum('alert_kind', ['call_button', 'inactivity']);

export const alerts = requests.table(
  'alerts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: alertKind('kind').notNull(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    householdId: uuid('household_id').notNull(),
    residentId: uuid('resident_id').notNull(),
    /** Whom it notified: the household's caseload volunteer when it was raised, else the device's notify person. */
    notifyPersonId: uuid('notify_person_id').notNull(),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    raisedAt: instant('raised_at').notNull().defaultNow(),
    /** The urgent request a button press opened. */
    requestId: uuid('request_id').references(() => serviceRequests.id),
    acknowledgedAt: instant('acknowledged_at'),
    acknowledgedById: uuid('acknowledged_by'),
    acknowledgementNote: text('acknowledgement_note'),
  },
  (table) => [
    index('alerts_region_path_idx').using('gin', table.regionPath),
    index('alerts_open_idx')
      .on(table.raisedAt, table.id)
      .where(sql`${table.acknowledgedAt} is null`),
    uniqueIndex('alerts_one_open_inactivity')
      .on(table.deviceId)
      .where(sql`${table.kind} = 'inactivity' and ${table.acknowledgedAt} is null`),
    check('alerts_acknowledged_by_someone', sql`(${table.acknowledgedAt} is null) = (${table.acknowledgedById} is null)`),
    check('alerts_acknowledged_after_raised', sql`${table.acknowledgedAt} >= ${table.raisedAt}`),
    check('alerts_button_opens_request', sql`(${table.kind} = 'call_button') = (${table.requestId} is not null)`),
  ],
);

export type DeviceRow = typeof devices.$inferSelect;
export type AlertRow = typeof alerts.$inferSelect;
