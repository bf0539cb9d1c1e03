/**
 * Settlement statements: what a merchant is owed for a Beijing calendar
 * month, frozen when the statement closes. A statement, its lines and its
 * status history are append-only (triggers in the migration): a statement's
 * status is the last step of its history, a dispute's outcome is a row of
 * its own. Each captured redemption and each refund is a line of at most one
 * statement (unique indexes on the sources), and a statement's totals are
 * the sums of its lines (checked at commit).
 */
import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { accounts } from './accounts.js';
import { bankUnits } from './bank.js';
import { merchants } from './merchants.js';
import { redemptions } from './redemptions.js';
import { refunds } from './refunds.js';

/** Where a statement stands; each step is a row of its history, taken once and in this order. */
export const statementStatus = points.enum('statement_status', ['closed', 'confirmed', 'paid']);

/** A captured redemption (points to the merchant) or a refund (points back to a customer). */
export const statementLineKind = points.enum('statement_line_kind', ['redemption', 'refund']);

export const settlementStatements = points.table(
  'settlement_statements',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    /** The merchant's head bank, which pays it. */
    bankId: uuid('bank_id')
      .notNull()
      .references(() => bankUnits.id),
    /** The month, first and last day (Beijing time). */
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    redemptionCount: integer('redemption_count').notNull(),
    refundCount: integer('refund_count').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    refundedPoints: bigint('refunded_points', { mode: 'number' }).notNull(),
    netPoints: bigint('net_points', { mode: 'number' }).notNull(),
    /** The head bank's rate when the statement closed. */
    fenPerPoint: integer('fen_per_point').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }).notNull(),
    closedBy: text('closed_by').notNull(),
  },
  (table) => [
    unique('settlement_statements_one_per_month').on(table.merchantId, table.periodFrom),
    index('settlement_statements_merchant_idx').on(table.merchantId, table.periodFrom, table.id),
    check(
      'settlement_statements_month',
      sql`extract(day from ${table.periodFrom}) = 1 and ${table.periodTo} = (${table.periodFrom} + interval '1 month' - interval '1 day')::date`,
    ),
    check(
      'settlement_statements_totals',
      sql`${table.redemptionCount} >= 0 and ${table.refundCount} >= 0 and ${table.points} >= 0 and ${table.refundedPoints} >= 0
        and ${table.netPoints} = ${table.points} - ${table.refundedPoints} and ${table.fenPerPoint} >= 0 and ${table.amountFen} = ${table.netPoints} * ${table.fenPerPoint}`,
    ),
  ],
);

/** Each step of a statement's life: closed, confirmed by the merchant, paid by the bank. */
export const settlementStatementSteps = points.table(
  'settlement_statement_steps',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => settlementStatements.id),
    status: statementStatus('status').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    by: text('by').notNull(),
    /** The bank's reference of the payment; set on `paid` only. */
    paymentReference: text('payment_reference'),
  },
  (table) => [
    primaryKey({ name: 'settlement_statement_steps_pk', columns: [table.statementId, table.status] }),
    check(
      'settlement_statement_steps_reference',
      sql`(${table.status} = 'paid') = (${table.paymentReference} is not null) and (${table.paymentReference} is null or length(trim(${table.paymentReference})) between 1 and 100)`,
    ),
  ],
);

export const settlementLines = points.table(
  'settlement_lines',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => settlementStatements.id),
    kind: statementLineKind('kind').notNull(),
    /** The captured redemption (both kinds: a refund's redemption too). */
    redemptionId: uuid('redemption_id')
      .notNull()
      .references(() => redemptions.id),
    /** The refund, on refund lines only. */
    refundId: uuid('refund_id').references(() => refunds.id),
    /** The customer's account, shown to the merchant only as a member id. */
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** When the capture or refund was made. */
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    itemCount: integer('item_count').notNull(),
    /** Positive for a capture, negative for a refund. */
    points: bigint('points', { mode: 'number' }).notNull(),
  },
  (table) => [
    // The source of a line is on one statement only.
    uniqueIndex('settlement_lines_one_per_capture')
      .on(table.redemptionId)
      .where(sql`${table.kind} = 'redemption'`),
    uniqueIndex('settlement_lines_one_per_refund').on(table.refundId),
    index('settlement_lines_statement_idx').on(table.statementId, table.at, table.id),
    check(
      'settlement_lines_kind',
      sql`(${table.kind} = 'redemption' and ${table.refundId} is null and ${table.points} > 0)
        or (${table.kind} = 'refund' and ${table.refundId} is not null and ${table.points} < 0)`,
    ),
    check('settlement_lines_items_positive', sql`${table.itemCount} > 0`),
  ],
);

/** A merchant's objection to a line of a closed statement; while unresolved, the statement is neither confirmed nor paid. */
export const settlementDisputes = points.table(
  'settlement_disputes',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    lineId: uuid('line_id')
      .notNull()
      .references(() => settlementLines.id),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => settlementStatements.id),
    reason: text('reason').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true, precision: 3 }).notNull(),
    openedBy: text('opened_by').notNull(),
  },
  (table) => [
    index('settlement_disputes_statement_idx').on(table.statementId, table.openedAt, table.id),
    index('settlement_disputes_line_idx').on(table.lineId),
    check('settlement_disputes_reason_length', sql`length(trim(${table.reason})) between 1 and 500`),
  ],
);

/** How the head bank settled a dispute; one per dispute. */
export const settlementDisputeResolutions = points.table(
  'settlement_dispute_resolutions',
  {
    disputeId: uuid('dispute_id')
      .primaryKey()
      .references(() => settlementDisputes.id),
    resolution: text('resolution').notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }).notNull(),
    resolvedBy: text('resolved_by').notNull(),
  },
  (table) => [check('settlement_dispute_resolutions_length', sql`length(trim(${table.resolution})) between 1 and 500`)],
);

export type StatementStatus = (typeof statementStatus.enumValues)[number];
export type SettlementStatementRecord = typeof settlementStatements.$inferSelect;
export type SettlementStepRow = typeof settlementStatementSteps.$inferSelect;
export type SettlementLineRow = typeof settlementLines.$inferSelect;
export type SettlementDisputeRecord = typeof settlementDisputes.$inferSelect;
export type SettlementDisputeResolutionRow = typeof settlementDisputeResolutions.$inferSelect;
