/** Tables of the recognition subgraph, all in the Postgres schema `recognition`. */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgSchema, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';

export const recognition = pgSchema('recognition');

/** The badges there are. Reference data: the migration inserts the kinds every install needs. */
export const badgeKinds = recognition.table(
  'badge_kinds',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull(),
  },
  (table) => [
    check('badge_kinds_code_not_blank', sql`length(trim(${table.code})) > 0`),
    check('badge_kinds_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('badge_kinds_description_not_blank', sql`length(trim(${table.description})) > 0`),
  ],
);

/**
 * Badges held. `holder_id` is a people-subgraph Person id: no foreign key,
 * since that table lives in another subgraph's schema (and maybe database).
 */
export const badgeAwards = recognition.table(
  'badge_awards',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    badgeCode: text('badge_code')
      .notNull()
      .references(() => badgeKinds.code),
    holderId: uuid('holder_id').notNull(),
    awardedAt: timestamp('awarded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // A person holds each badge once; the constraint also serves as the lookup by badge.
    unique('badge_awards_badge_holder_unique').on(table.badgeCode, table.holderId),
    index('badge_awards_holder_awarded_idx').on(table.holderId, table.awardedAt, table.id),
  ],
);

// ---------------------------------------------------------------------------
// The read model fed by other subgraphs' events (src/events.ts). Nothing here is
// written by a mutation: each row is the sum of the events applied so far, and
// the inbox applies each event once, so the counters are plain additions.

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
 * The service records the tallies know of, with their minutes: a reversal
 * takes back exactly what its original added. A reversal that comes first
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
    countedAt: timestamp('counted_at', { withTimezone: true }).notNull().defaultNow(),
    /** When its reversal was applied; null while it counts. */
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
  },
  (table) => [check('counted_services_minutes_positive', sql`${table.minutes} > 0`)],
);

/**
 * Indicators of one savings office (储蓄所) of the public welfare bank, from
 * the points subgraph's events. `office_id` and `bank_id` are points BankUnit
 * ids (no foreign key: another subgraph's table). A row appears with the
 * office's first account or redemption.
 */
export const officeIndicators = recognition.table(
  'office_indicators',
  {
    officeId: uuid('office_id').primaryKey(),
    /** The head bank the office belongs to, as the events name it. */
    bankId: uuid('bank_id').notNull(),
    accountsOpened: integer('accounts_opened').notNull().default(0),
    redemptions: integer('redemptions').notNull().default(0),
    pointsRedeemed: bigint('points_redeemed', { mode: 'number' }).notNull().default(0),
    /** Service minutes of the office's customers, including what they served before opening their account. */
    serviceMinutes: integer('service_minutes').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('office_indicators_accounts_opened_not_negative', sql`${table.accountsOpened} >= 0`),
    check('office_indicators_redemptions_not_negative', sql`${table.redemptions} >= 0`),
    check('office_indicators_points_redeemed_not_negative', sql`${table.pointsRedeemed} >= 0`),
    check('office_indicators_service_minutes_not_negative', sql`${table.serviceMinutes} >= 0`),
  ],
);

/**
 * The savings office each customer holds their account at (from
 * `account.opened`), so a volunteer's service minutes can be credited to
 * their office. One row per person: a customer has one account.
 */
export const customerOffices = recognition.table(
  'customer_offices',
  {
    personId: uuid('person_id').primaryKey(),
    // The indicators row is written first, in the same handler; the key keeps minutes from pointing nowhere.
    officeId: uuid('office_id')
      .notNull()
      .references(() => officeIndicators.officeId),
    accountId: uuid('account_id').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('customer_offices_office_idx').on(table.officeId)],
);

export type BadgeKindRow = typeof badgeKinds.$inferSelect;
export type BadgeAwardRow = typeof badgeAwards.$inferSelect;
/** An award joined with its kind's name and description: what a Badge shows. */
export type BadgeRow = BadgeAwardRow & Pick<BadgeKindRow, 'name' | 'description'>;
export type PersonTallyRow = typeof personTallies.$inferSelect;
export type OfficeIndicatorsRow = typeof officeIndicators.$inferSelect;
