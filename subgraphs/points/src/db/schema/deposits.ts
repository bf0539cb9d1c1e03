/** Deposits (积分入折): the service records requests announced, the points deposited for each, and why a record was not. */
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { accounts } from './accounts.js';

/**
 * Service records the requests subgraph announced (`service_record.created`):
 * what a deposit is made from. A deposit names one of these, with its
 * volunteer, category and minutes (the foreign key below), so no one can
 * deposit for a record requests never wrote, or with other details than it
 * wrote. Kept whether or not the record could be deposited when it arrived
 * (no rule for its category yet, no office for its volunteer), so that it
 * can be deposited later.
 */
export const serviceRecords = points.table(
  'service_records',
  {
    /** A requests ServiceRecord id. */
    id: uuid('id').primaryKey(),
    /** A people Person id: the volunteer who served. */
    volunteerId: uuid('volunteer_id').notNull(),
    /** A requests Category code. */
    categoryCode: text('category_code').notNull(),
    minutes: integer('minutes').notNull(),
    /** The record's regions from the root down to its place (people Region ids); empty when it has none. */
    place: uuid('place')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** The people Team the request was dispatched to, as requests announced it; null for none (and for records announced before teams travelled). */
    teamId: uuid('team_id'),
    learnedAt: timestamp('learned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('service_records_deposit_key').on(table.id, table.volunteerId, table.categoryCode, table.minutes),
    index('service_records_volunteer_idx').on(table.volunteerId),
    check('service_records_minutes_range', sql`${table.minutes} between 1 and 1440`),
    check('service_records_category_format', sql`${table.categoryCode} ~ '^[a-z][a-z0-9_]{0,62}$'`),
  ],
);

/** A deposit (积分入折) for one approved service record: its inputs, the rule applied, and the transfer it made. */
export const deposits = points.table(
  'deposits',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** A requests ServiceRecord id; unique, so a record is deposited once however often it is replayed. */
    serviceRecordId: uuid('service_record_id').notNull().unique('deposits_one_per_service_record'),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** A people Person id: the volunteer who served. */
    personId: uuid('person_id').notNull(),
    categoryCode: text('category_code').notNull(),
    minutes: integer('minutes').notNull(),
    pointsPerHour: integer('points_per_hour').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** Written in the same transaction; the foreign key (deferred) is in the migration. */
    transferId: uuid('transfer_id').notNull().unique('deposits_one_per_transfer'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    // The record, its volunteer, category and minutes as requests announced them: a deposit is made of a known record only.
    foreignKey({
      name: 'deposits_service_record_fk',
      columns: [table.serviceRecordId, table.personId, table.categoryCode, table.minutes],
      foreignColumns: [serviceRecords.id, serviceRecords.volunteerId, serviceRecords.categoryCode, serviceRecords.minutes],
    }),
    index('deposits_account_idx').on(table.accountId, table.createdAt, table.id),
    check('deposits_minutes_range', sql`${table.minutes} between 1 and 1440`),
    check('deposits_amount_by_rule', sql`${table.amount} > 0 and ${table.amount} = (${table.minutes} * ${table.pointsPerHour}) / 60`),
  ],
);

/** Why points applying an announced service record deposited nothing (a deposit row is itself the decision to deposit). */
export const depositDecisionStatus = points.enum('deposit_decision_status', ['no_account', 'no_rule', 'too_short', 'reversed']);

/**
 * What points decided about a kept service record other than depositing it,
 * when it applied requests' event about the record, in that event's
 * transaction: no office for a volunteer without a passbook, no rule for the
 * category, too short for a whole point, or reversed. Append-only (a trigger
 * in the migration): a later deposit by staff outranks an earlier decision
 * rather than rewriting it, and a reversal is a decision of its own. Once
 * per record and status, so a redelivered or repeated event adds nothing.
 */
export const depositDecisions = points.table(
  'deposit_decisions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    serviceRecordId: uuid('service_record_id')
      .notNull()
      .references(() => serviceRecords.id),
    status: depositDecisionStatus('status').notNull(),
    /** Why, in words for the volunteer. */
    reason: text('reason').notNull(),
    /** The rule's rate a record too short was measured by; null for the other statuses. */
    pointsPerHour: integer('points_per_hour'),
    decidedAt: timestamp('decided_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    decidedBy: text('decided_by').notNull(),
  },
  (table) => [
    // Also the index a record's decisions are read by.
    unique('deposit_decisions_once_per_status').on(table.serviceRecordId, table.status),
    check('deposit_decisions_rate_iff_too_short', sql`(${table.status} = 'too_short') = (${table.pointsPerHour} is not null)`),
    check('deposit_decisions_rate_positive', sql`${table.pointsPerHour} is null or ${table.pointsPerHour} > 0`),
    check('deposit_decisions_reason_length', sql`char_length(trim(${table.reason})) between 1 and 500`),
  ],
);

export type DepositRow = typeof deposits.$inferSelect;
export type ServiceRecordRow = typeof serviceRecords.$inferSelect;
export type DepositDecisionRow = typeof depositDecisions.$inferSelect;
export type DepositDecisionStatus = (typeof depositDecisionStatus.enumValues)[number];
