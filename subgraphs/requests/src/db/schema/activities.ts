/** Activities (活动). */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, primaryKey, text, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { categories } from './categories.js';
import { serviceRecords } from './records.js';
import { activitySeries } from './activity-series.js';

export const activities = requests.table(
  'activities',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organiserId: uuid('organiser_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    capacity: integer('capacity').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    /** The campaign the activity belongs to, if any. */
    seriesId: uuid('series_id').references(() => activitySeries.id),
  },
  (table) => [
    index('activities_series_idx').on(table.seriesId, table.startsAt, table.id),
    index('activities_region_path_idx').using('gin', table.regionPath),
    index('activities_starts_idx').on(table.startsAt, table.id),
    index('activities_open_ends_idx').on(table.endsAt),
    check('activities_title_length', sql`char_length(trim(${table.title})) between 1 and 100`),
    check('activities_time_order', sql`${table.endsAt} > ${table.startsAt}`),
    // One day at most: a longer event is several activities, and hours per record stay within a day.
    check('activities_length', sql`${table.endsAt} - ${table.startsAt} <= interval '24 hours'`),
    check('activities_capacity', sql`${table.capacity} between 1 and 10000`),
  ],
);

export const signupStatus = requests.enum('signup_status', ['confirmed', 'waitlisted', 'cancelled']);

/** Who signed up for an activity, in order; the waitlist moves up when a confirmed place is given back. */
export const activitySignups = requests.table(
  'activity_signups',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id),
    personId: uuid('person_id').notNull(),
    status: signupStatus('status').notNull(),
    signedUpAt: instant('signed_up_at').notNull().defaultNow(),
    changedAt: instant('changed_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'activity_signups_pk', columns: [table.activityId, table.personId] }),
    index('activity_signups_activity_idx').on(table.activityId, table.status, table.signedUpAt, table.personId),
    index('activity_signups_person_idx').on(table.personId),
  ],
);

/**
 * One volunteer's presence at an activity: checked in and out by signed QR
 * codes; a check-in left open is closed 24 hours after the end and flagged.
 * Minutes are capped at the activity's length.
 */
export const activityAttendances = requests.table(
  'activity_attendances',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id),
    personId: uuid('person_id').notNull(),
    checkedInAt: instant('checked_in_at').notNull(),
    checkedOutAt: instant('checked_out_at'),
    autoClosed: boolean('auto_closed').notNull().default(false),
    minutes: integer('minutes'),
    approvedMinutes: integer('approved_minutes'),
    approvedById: uuid('approved_by'),
    approvedAt: instant('approved_at'),
    serviceRecordId: uuid('service_record_id').references((): AnyPgColumn => serviceRecords.id),
  },
  (table) => [
    primaryKey({ name: 'activity_attendances_pk', columns: [table.activityId, table.personId] }),
    index('activity_attendances_open_idx')
      .on(table.activityId)
      .where(sql`${table.checkedOutAt} is null`),
    check('activity_attendances_out_after_in', sql`${table.checkedOutAt} >= ${table.checkedInAt}`),
    check('activity_attendances_out_has_minutes', sql`(${table.checkedOutAt} is null) = (${table.minutes} is null)`),
    check('activity_attendances_auto_closed_out', sql`not ${table.autoClosed} or ${table.checkedOutAt} is not null`),
    check('activity_attendances_minutes_range', sql`${table.minutes} between 0 and 1440`),
    check(
      'activity_attendances_approval',
      sql`(${table.approvedAt} is null) = (${table.approvedById} is null) and (${table.approvedAt} is null) = (${table.approvedMinutes} is null) and (${table.approvedAt} is null or ${table.checkedOutAt} is not null)`,
    ),
    check('activity_attendances_approved_range', sql`${table.approvedMinutes} between 0 and 1440`),
  ],
);

export type ActivityRow = typeof activities.$inferSelect;
export type ActivitySignupRow = typeof activitySignups.$inferSelect;
export type ActivityAttendanceRow = typeof activityAttendances.$inferSelect;
