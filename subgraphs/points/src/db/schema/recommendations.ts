/**
 * The head bank's yearly recommendation list (年总评: 高积分客户推荐参加总行集中兑换):
 * customers whose balance at the end of the year reached the bank's central
 * exchange threshold, put forward to the head bank, and the head bank's
 * decision on each.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { accounts } from './accounts.js';
import { bankUnitKind, bankUnits } from './bank.js';

/** The years a list can be made for (and asked for): a calendar year, Beijing time. */
export const RECOMMENDATION_YEARS = { min: 2000, max: 2100 } as const;

/**
 * One customer on one head bank's list for one year, written when points
 * applies recognition's `review.closed` for the year: the balance the
 * ledger gave the account at the year's end and the central exchange's
 * threshold it was measured against. Once per (bank, year, account), so a
 * replayed or repeated close adds nothing; append-only (a trigger in the
 * migration): the head bank's answer is a row of its own.
 */
export const centralExchangeRecommendations = points.table(
  'central_exchange_recommendations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    bankId: uuid('bank_id').notNull(),
    /** Always 'head_bank': with the foreign key below, lists belong to head banks only. */
    bankKind: bankUnitKind('bank_kind')
      .notNull()
      .generatedAlwaysAs(sql`'head_bank'::points.bank_unit_kind`),
    year: integer('year').notNull(),
    /** The customer account, its holder (a people Person id) and the savings office it was opened at. */
    accountId: uuid('account_id').notNull(),
    holderId: uuid('holder_id').notNull(),
    officeId: uuid('office_id').notNull(),
    /** Always 'savings_office': with the foreign key below, the account's office is an office of the list's bank. */
    officeKind: bankUnitKind('office_kind')
      .notNull()
      .generatedAlwaysAs(sql`'savings_office'::points.bank_unit_kind`),
    /** The account's balance at `endsAt`: every transfer before that instant, none after. */
    balance: bigint('balance', { mode: 'number' }).notNull(),
    /** The central exchange's `minimum_balance` when the list was made. */
    threshold: bigint('threshold', { mode: 'number' }).notNull(),
    /** The recognition review whose close made the list. */
    reviewId: uuid('review_id').notNull(),
    /** The end of the year the balance was taken at (1 January of the next year, 00:00 Beijing time). */
    endsAt: timestamp('ends_at', { withTimezone: true, precision: 3 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    unique('central_exchange_recommendations_once_per_year').on(table.bankId, table.year, table.accountId),
    foreignKey({ name: 'central_exchange_recommendations_bank_fk', columns: [table.bankId, table.bankKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    foreignKey({
      name: 'central_exchange_recommendations_office_fk',
      columns: [table.officeId, table.officeKind, table.bankId],
      foreignColumns: [bankUnits.id, bankUnits.kind, bankUnits.bankId],
    }),
    foreignKey({
      name: 'central_exchange_recommendations_account_fk',
      columns: [table.accountId, table.holderId, table.officeId],
      foreignColumns: [accounts.id, accounts.holderId, accounts.officeId],
    }),
    // A bank's list for a year, highest balance first.
    index('central_exchange_recommendations_list_idx').on(table.bankId, table.year, table.balance, table.id),
    check('central_exchange_recommendations_year_range', sql`${table.year} between ${sql.raw(String(RECOMMENDATION_YEARS.min))} and ${sql.raw(String(RECOMMENDATION_YEARS.max))}`),
    check('central_exchange_recommendations_threshold_not_negative', sql`${table.threshold} >= 0`),
    check('central_exchange_recommendations_balance_reaches_threshold', sql`${table.balance} > 0 and ${table.balance} >= ${table.threshold}`),
  ],
);

export const centralExchangeDecision = points.enum('central_exchange_decision', ['accepted', 'declined']);

/**
 * The head bank's answer to one recommendation. The recommendation is the
 * primary key, so it is decided once, whoever races; append-only (a trigger
 * in the migration), like the rest of the bank's records.
 */
export const centralExchangeRecommendationDecisions = points.table(
  'central_exchange_recommendation_decisions',
  {
    recommendationId: uuid('recommendation_id').notNull(),
    decision: centralExchangeDecision('decision').notNull(),
    /** Why, in the decider's words; optional. */
    reason: text('reason'),
    decidedAt: timestamp('decided_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Subject of the viewer who decided. */
    decidedBy: text('decided_by').notNull(),
    /** Their people Person id, when their token carries one. */
    decidedByPersonId: uuid('decided_by_person_id'),
  },
  (table) => [
    primaryKey({ name: 'central_exchange_recommendation_decisions_once', columns: [table.recommendationId] }),
    foreignKey({
      name: 'central_exchange_recommendation_decisions_recommendation_fk',
      columns: [table.recommendationId],
      foreignColumns: [centralExchangeRecommendations.id],
    }),
    check('central_exchange_recommendation_decisions_reason_length', sql`${table.reason} is null or char_length(trim(${table.reason})) between 1 and 500`),
  ],
);

export type CentralExchangeRecommendationRow = typeof centralExchangeRecommendations.$inferSelect;
export type CentralExchangeDecisionRow = typeof centralExchangeRecommendationDecisions.$inferSelect;
export type CentralExchangeDecision = (typeof centralExchangeDecision.enumValues)[number];
/** Where a recommendation stands: no decision yet, or the head bank's answer. */
export type CentralExchangeRecommendationStatus = 'proposed' | CentralExchangeDecision;
