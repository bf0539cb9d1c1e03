/** Duty rosters (排班): posts and their shifts, and who signed up for each shift. */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, primaryKey, text, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { categories } from './categories.js';
import { serviceRecords } from './records.js';

export const dutyPostKind = requests.enum('duty_post_kind', ['gate', 'checkpoint', 'hotline', 'other']);

/** A place of standing duty (a gate, a checkpoint, a hotline), run by the admin of its station or community; it may run for months. */
export const dutyPosts = requests.table(
  'duty_posts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    kind: dutyPostKind('kind').notNull(),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    organiserId: uuid('organiser_id').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('duty_posts_region_path_idx').using('gin', table.regionPath),
    index('duty_posts_created_idx').on(table.createdAt, table.id),
    check('duty_posts_name_length', sql`char_length(trim(${table.name})) between 1 and 100`),
  ],
);

/** One shift at a post: at most a day long (a record holds at most a day), with a number of places. */
export const dutyShifts = requests.table(
  'duty_shifts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    postId: uuid('post_id')
      .notNull()
      .references(() => dutyPosts.id),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    places: integer('places').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('duty_shifts_post_idx').on(table.postId, table.startsAt, table.id),
    index('duty_shifts_ends_idx').on(table.endsAt),
    check('duty_shifts_time_order', sql`${table.endsAt} > ${table.startsAt}`),
    check('duty_shifts_length', sql`${table.endsAt} - ${table.startsAt} <= interval '24 hours'`),
    check('duty_shifts_places', sql`${table.places} between 1 and 1000`),
  ],
);

export const dutySignupStatus = requests.enum('duty_signup_status', ['confirmed', 'withdrawn']);

/**
 * A volunteer's place on a shift and their presence there: checked in and
 * out by door codes, marked a no-show when the shift ends without a check-in,
 * approved once into a service record. A trigger keeps confirmed places
 * within the shift's places (duty_shift_signups_places).
 */
export const dutyShiftSignups = requests.table(
  'duty_shift_signups',
  {
    shiftId: uuid('shift_id')
      .notNull()
      .references(() => dutyShifts.id),
    personId: uuid('person_id').notNull(),
    status: dutySignupStatus('status').notNull(),
    signedUpAt: instant('signed_up_at').notNull().defaultNow(),
    changedAt: instant('changed_at').notNull().defaultNow(),
    checkedInAt: instant('checked_in_at'),
    checkedOutAt: instant('checked_out_at'),
    minutes: integer('minutes'),
    noShow: boolean('no_show').notNull().default(false),
    approvedMinutes: integer('approved_minutes'),
    approvedById: uuid('approved_by'),
    approvedAt: instant('approved_at'),
    serviceRecordId: uuid('service_record_id').references((): AnyPgColumn => serviceRecords.id),
    /** The admin refused this volunteer's attendance (with the reason): no record is written for it, now or later. */
    refusedAt: instant('refused_at'),
    refusedById: uuid('refused_by'),
    refusalReason: text('refusal_reason'),
  },
  (table) => [
    primaryKey({ name: 'duty_shift_signups_pk', columns: [table.shiftId, table.personId] }),
    index('duty_shift_signups_shift_idx').on(table.shiftId, table.status, table.signedUpAt, table.personId),
    index('duty_shift_signups_person_idx').on(table.personId),
    check('duty_shift_signups_presence', sql`${table.checkedInAt} is null or ${table.status} = 'confirmed'`),
    check('duty_shift_signups_out_after_in', sql`${table.checkedOutAt} is null or (${table.checkedInAt} is not null and ${table.checkedOutAt} >= ${table.checkedInAt})`),
    check('duty_shift_signups_out_has_minutes', sql`(${table.checkedOutAt} is null) = (${table.minutes} is null)`),
    check('duty_shift_signups_minutes_range', sql`${table.minutes} between 0 and 1440`),
    check('duty_shift_signups_no_show', sql`not ${table.noShow} or (${table.checkedInAt} is null and ${table.status} = 'confirmed')`),
    check(
      'duty_shift_signups_approval',
      sql`(${table.approvedAt} is null) = (${table.approvedById} is null) and (${table.approvedAt} is null) = (${table.approvedMinutes} is null) and (${table.approvedAt} is null or ${table.checkedOutAt} is not null)`,
    ),
    check(
      'duty_shift_signups_refusal',
      sql`(${table.refusedAt} is null) = (${table.refusedById} is null) and (${table.refusedAt} is null) = (${table.refusalReason} is null) and (${table.refusedAt} is null or (${table.approvedAt} is null and ${table.checkedInAt} is not null))`,
    ),
    check('duty_shift_signups_refusal_length', sql`char_length(trim(${table.refusalReason})) between 1 and 500`),
    check('duty_shift_signups_approved_range', sql`${table.approvedMinutes} between 1 and 1440`),
  ],
);

export type DutyPostRow = typeof dutyPosts.$inferSelect;
export type DutyShiftRow = typeof dutyShifts.$inferSelect;
export type DutyShiftSignupRow = typeof dutyShiftSignups.$inferSelect;
