/** Service records (志愿服务记录): append-only. */
import { sql } from 'drizzle-orm';
import { check, index, integer, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { categories } from './categories.js';
import { serviceRequests } from './requests.js';
import { activities } from './activities.js';
import { microWishes } from './wishes.js';

export const recordKind = requests.enum('record_kind', ['service', 'reversal']);

/**
 * The official record of a volunteer's service time. Never updated or
 * deleted (a trigger refuses); a wrong record is reversed once by a record
 * of the opposite minutes, and may be replaced by a `service` record that
 * names it in `corrects_id`.
 */
export const serviceRecords = requests.table(
  'service_records',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: recordKind('kind').notNull().default('service'),
    volunteerId: uuid('volunteer_id').notNull(),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    /** Positive for service, the original's minutes negated for a reversal. */
    minutes: integer('minutes').notNull(),
    /** When the service began. */
    servedAt: instant('served_at').notNull(),
    requestId: uuid('request_id').references(() => serviceRequests.id),
    activityId: uuid('activity_id').references(() => activities.id),
    /** The duty shift served, when the record comes from a roster (duty.ts); references added by hand in the migration, as duty.ts imports this file. */
    dutyShiftId: uuid('duty_shift_id'),
    /** The micro-wish fulfilled, when a station confirmed the hours its fulfiller stated. */
    wishId: uuid('wish_id').references(() => microWishes.id),
    regionId: uuid('region_id'),
    regionPath: regionPath(),
    description: text('description').notNull(),
    /** Who vouched for the time: the activity's organiser, or the admin who corrected it; null when a request's own start and completion timed it. */
    verifiedById: uuid('verified_by'),
    reversesId: uuid('reverses_id').references((): AnyPgColumn => serviceRecords.id),
    correctsId: uuid('corrects_id').references((): AnyPgColumn => serviceRecords.id),
    reason: text('reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('service_records_volunteer_idx').on(table.volunteerId, table.servedAt, table.id),
    index('service_records_created_idx').on(table.volunteerId, table.createdAt, table.id),
    // The statistics' filters: a period of serving days, a region subtree (docs/analysts.md, "At scale").
    index('service_records_served_at_idx').on(table.servedAt),
    index('service_records_region_path_idx').using('gin', table.regionPath),
    uniqueIndex('service_records_reversed_once').on(table.reversesId),
    uniqueIndex('service_records_replaced_once').on(table.correctsId),
    uniqueIndex('service_records_one_per_request')
      .on(table.requestId)
      .where(sql`${table.kind} = 'service' and ${table.correctsId} is null and ${table.requestId} is not null`),
    uniqueIndex('service_records_one_per_attendance')
      .on(table.activityId, table.volunteerId)
      .where(sql`${table.kind} = 'service' and ${table.correctsId} is null and ${table.activityId} is not null`),
    uniqueIndex('service_records_one_per_shift_attendance')
      .on(table.dutyShiftId, table.volunteerId)
      .where(sql`${table.kind} = 'service' and ${table.correctsId} is null and ${table.dutyShiftId} is not null`),
    uniqueIndex('service_records_one_per_wish')
      .on(table.wishId)
      .where(sql`${table.kind} = 'service' and ${table.correctsId} is null and ${table.wishId} is not null`),
    check('service_records_one_basis', sql`num_nonnulls(${table.requestId}, ${table.activityId}, ${table.dutyShiftId}, ${table.wishId}) = 1`),
    check('service_records_minutes_by_kind', sql`case ${table.kind} when 'service' then ${table.minutes} between 1 and 1440 else ${table.minutes} between -1440 and -1 end`),
    check('service_records_reversal_names_original', sql`(${table.kind} = 'reversal') = (${table.reversesId} is not null)`),
    check('service_records_replacement_is_service', sql`${table.correctsId} is null or ${table.kind} = 'service'`),
    check('service_records_correction_has_reason', sql`(${table.reversesId} is null and ${table.correctsId} is null) or length(trim(${table.reason})) > 0`),
    check('service_records_description_length', sql`char_length(trim(${table.description})) between 1 and 500`),
  ],
);

export type ServiceRecordRow = typeof serviceRecords.$inferSelect;
export type NewServiceRecordRow = typeof serviceRecords.$inferInsert;
