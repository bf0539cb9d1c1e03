/** Care plans (recurring services): a standing arrangement whose occurrences are ordinary requests, generated ahead. */
import { sql } from 'drizzle-orm';
import { check, date, index, integer, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { categories } from './categories.js';
import { serviceRequests } from './requests.js';

/** How a plan recurs: every N weeks on a weekday, or monthly on a day of the month. */
export const carePlanFrequency = requests.enum('care_plan_frequency', ['weekly', 'monthly']);

export const carePlanStatus = requests.enum('care_plan_status', ['active', 'ended']);

/**
 * A care plan for a person (and their household): who serves (a volunteer or
 * a team), what, how often, at what time of day (Beijing) and for how long,
 * from when until when, and how far ahead occurrences are generated.
 */
export const carePlans = requests.table(
  'care_plans',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    beneficiaryId: uuid('beneficiary_id').notNull(),
    householdId: uuid('household_id'),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    volunteerId: uuid('volunteer_id'),
    teamId: uuid('team_id'),
    description: text('description').notNull(),
    frequency: carePlanFrequency('frequency').notNull(),
    /** Weekly plans: every this many weeks (1 to 8), counted from the week of the start date. */
    intervalWeeks: smallint('interval_weeks'),
    /** Weekly plans: ISO weekday, 1 (Monday) to 7 (Sunday). */
    weekday: smallint('weekday'),
    /** Monthly plans: the day of the month, 1 to 31; in a shorter month, its last day. */
    monthDay: smallint('month_day'),
    /** Minutes after midnight, Beijing time, when each occurrence starts. */
    startMinute: smallint('start_minute').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    horizonDays: smallint('horizon_days').notNull(),
    status: carePlanStatus('status').notNull().default('active'),
    createdById: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    endedById: uuid('ended_by'),
    endedAt: instant('ended_at'),
    endReason: text('end_reason'),
  },
  (table) => [
    index('care_plans_region_path_idx').using('gin', table.regionPath),
    index('care_plans_created_idx').on(table.createdAt, table.id),
    index('care_plans_beneficiary_idx').on(table.beneficiaryId, table.createdAt, table.id),
    index('care_plans_volunteer_idx').on(table.volunteerId, table.createdAt, table.id),
    check('care_plans_one_server', sql`(${table.volunteerId} is null) <> (${table.teamId} is null)`),
    check(
      'care_plans_recurrence',
      sql`case ${table.frequency} when 'weekly' then ${table.weekday} between 1 and 7 and ${table.intervalWeeks} between 1 and 8 and ${table.monthDay} is null
        else ${table.monthDay} between 1 and 31 and ${table.weekday} is null and ${table.intervalWeeks} is null end`,
    ),
    check('care_plans_start_minute', sql`${table.startMinute} between 0 and 1439`),
    check('care_plans_duration', sql`${table.durationMinutes} between 1 and 1440`),
    check('care_plans_horizon', sql`${table.horizonDays} between 1 and 92`),
    check('care_plans_dates', sql`${table.endsOn} is null or ${table.endsOn} >= ${table.startsOn}`),
    check('care_plans_description_length', sql`char_length(trim(${table.description})) between 1 and 2000`),
    check('care_plans_placed', sql`cardinality(${table.regionPath}) > 0`),
    check(
      'care_plans_ended',
      sql`(${table.status} = 'ended') = (${table.endedAt} is not null) and (${table.endedAt} is null) = (${table.endedById} is null) and (${table.endedAt} is null) = (${table.endReason} is null)`,
    ),
  ],
);

/**
 * One occurrence of a plan: the day it falls on (Beijing) and the request that
 * carries it. The day is the key, so generating a day twice never makes two
 * requests; a skipped day keeps its row (and its cancelled request), so it is
 * not generated again. A trigger (care_plan_occurrences_kept) refuses
 * deleting a row or changing its plan, day or request.
 */
export const carePlanOccurrences = requests.table(
  'care_plan_occurrences',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => carePlans.id),
    occursOn: date('occurs_on', { mode: 'string' }).notNull(),
    requestId: uuid('request_id')
      .notNull()
      .unique('care_plan_occurrences_request_unique')
      .references(() => serviceRequests.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    skippedAt: instant('skipped_at'),
    skippedById: uuid('skipped_by'),
    skipReason: text('skip_reason'),
  },
  (table) => [
    primaryKey({ name: 'care_plan_occurrences_pk', columns: [table.planId, table.occursOn] }),
    check('care_plan_occurrences_skip', sql`(${table.skippedAt} is null) = (${table.skipReason} is null) and (${table.skippedAt} is null) = (${table.skippedById} is null)`),
  ],
);

export type CarePlanRow = typeof carePlans.$inferSelect;
export type NewCarePlanRow = typeof carePlans.$inferInsert;
export type CarePlanOccurrenceRow = typeof carePlanOccurrences.$inferSelect;
