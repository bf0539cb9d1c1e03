/**
 * Indicators of the bank's savings offices, from the points subgraph's
 * accounts and redemptions: part of the read model fed by other subgraphs' events
 * (src/events/consume.ts). Nothing here is written by a mutation: each row is the sum
 * of the events applied so far, and the inbox applies each event once, so the
 * counters are plain additions.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recognition } from './base.js';

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

export type OfficeIndicatorsRow = typeof officeIndicators.$inferSelect;
