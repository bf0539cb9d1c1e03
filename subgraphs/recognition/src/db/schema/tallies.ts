/**
 * What each person has done, from the requests subgraph's service records
 * and ratings: part of the read model fed by other subgraphs' events
 * (src/events/consume.ts). Nothing here is written by a mutation: each row is the sum
 * of the events applied so far, and the inbox applies each event once, so the
 * counters are plain additions.
 */
import { sql } from 'drizzle-orm';
import { check, date, index, integer, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recognition } from './base.js';

/**
 * What a person has done, as recognition counts it: service from the requests
 * subgraph's service records (reversals subtract), and the ratings residents
 * gave the services they were the assignee of. `person_id` is a people Person
 * id (no foreign key: another subgraph's table). A person without a row has
 * done nothing yet.
 */
export const personTallies = recognition.table(
  'person_tallies',
  {
    personId: uuid('person_id').primaryKey(),
    serviceMinutes: integer('service_minutes').notNull().default(0),
    /** Service records counted: +1 per record created, −1 per reversal. */
    services: integer('services').notNull().default(0),
    ratings: integer('ratings').notNull().default(0),
    /** Sum of the scores (1–5), so the average is `rating_sum / ratings`. */
    ratingSum: integer('rating_sum').notNull().default(0),
    /** Earliest and latest `servedAt` of the services counted; null while none is. */
    firstServedAt: timestamp('first_served_at', { withTimezone: true }),
    lastServedAt: timestamp('last_served_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // A reversal without its service (its `created` dead-lettered) must fail rather than leave a negative tally.
    check('person_tallies_service_minutes_not_negative', sql`${table.serviceMinutes} >= 0`),
    check('person_tallies_services_not_negative', sql`${table.services} >= 0`),
    check('person_tallies_ratings_not_negative', sql`${table.ratings} >= 0`),
    check('person_tallies_rating_sum_in_range', sql`${table.ratingSum} between ${table.ratings} and 5 * ${table.ratings}`),
    check('person_tallies_served_span', sql`(${table.firstServedAt} is null) = (${table.lastServedAt} is null) and ${table.firstServedAt} <= ${table.lastServedAt}`),
  ],
);

/**
 * The service records the tallies know of, with their minutes and the
 * cells of the read model by period they were counted in (db/schema/periods.ts):
 * a reversal takes back exactly what its original added, from the lifetime
 * tally and from those cells, whatever month it comes in. Records counted
 * before the cells existed have no month and are taken back from the
 * lifetime tally only. A reversal that comes first
 * (its original's event dead-lettered, or a record written before events, as
 * the demo data is) leaves a row already reversed, so the original, if it
 * ever arrives, is not counted either.
 */
export const countedServices = recognition.table(
  'counted_services',
  {
    serviceRecordId: uuid('service_record_id').primaryKey(),
    personId: uuid('person_id').notNull(),
    minutes: integer('minutes').notNull(),
    /** The Beijing month it was served in (first day); null for a record counted before the cells, or remembered by its reversal. */
    month: date('month', { mode: 'string' }),
    categoryCode: text('category_code'),
    regionId: uuid('region_id'),
    /** The team it was served with, whose month it was counted in. */
    teamId: uuid('team_id'),
    /** The activity it was an attendance at; null for a request's service. */
    activityId: uuid('activity_id'),
    /** The savings office whose customer served it, credited with its minutes; set when the volunteer opens an account later. */
    officeId: uuid('office_id'),
    /** The savings office whose area holds the activity, which counts it among its projects. */
    areaOfficeId: uuid('area_office_id'),
    countedAt: timestamp('counted_at', { withTimezone: true }).notNull().defaultNow(),
    /** When its reversal was applied; null while it counts. */
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
  },
  (table) => [
    check('counted_services_minutes_positive', sql`${table.minutes} > 0`),
    // A customer's services not credited to an office yet, found when they open their account.
    index('counted_services_person_idx').on(table.personId),
  ],
);

export type PersonTallyRow = typeof personTallies.$inferSelect;
export type CountedServiceRow = typeof countedServices.$inferSelect;
