/** The points ledger: every movement of points between two accounts. */
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { accounts } from './accounts.js';

export const transferCause = points.enum('transfer_cause', [
  'opening',
  'service_record',
  'redemption',
  'adjustment',
  'donation',
  'reversal',
  'debt_repayment',
  'sandbox',
  'refund',
]);

/**
 * The ledger: append-only (a trigger in the migration refuses UPDATE, DELETE
 * and TRUNCATE). Each row is also a line in both accounts' passbooks: its
 * line number there and the balance right after it, checked against the
 * account row by a trigger when it is written.
 */
export const transfers = points.table(
  'transfers',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    debitAccountId: uuid('debit_account_id')
      .notNull()
      .references(() => accounts.id),
    creditAccountId: uuid('credit_account_id')
      .notNull()
      .references(() => accounts.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    cause: transferCause('cause').notNull(),
    /** What the transfer is for, e.g. the service record or redemption id; free text because those live elsewhere. */
    reference: text('reference'),
    /** Why, in words: a reversal's reason, an adjustment's explanation. */
    note: text('note'),
    /** The transfer this one reverses; unique, so a transfer is reversed once at most. */
    reversesId: uuid('reverses_id').unique('transfers_reversed_once'),
    debitLine: bigint('debit_line', { mode: 'number' }).notNull(),
    creditLine: bigint('credit_line', { mode: 'number' }).notNull(),
    debitBalanceAfter: bigint('debit_balance_after', { mode: 'number' }).notNull(),
    creditBalanceAfter: bigint('credit_balance_after', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Subject of the viewer (or the process) that moved the points, for audit. */
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    foreignKey({ name: 'transfers_reverses_fk', columns: [table.reversesId], foreignColumns: [table.id] }),
    uniqueIndex('transfers_debit_line').on(table.debitAccountId, table.debitLine),
    uniqueIndex('transfers_credit_line').on(table.creditAccountId, table.creditLine),
    // Points moved in a period (pointsFlowStats); the passbook indexes above lead with the account.
    index('transfers_created_at_idx').on(table.createdAt),
    check('transfers_amount_positive', sql`${table.amount} > 0`),
    check('transfers_between_two_accounts', sql`${table.debitAccountId} <> ${table.creditAccountId}`),
    check('transfers_reversal_iff_reverses', sql`(${table.cause} = 'reversal') = (${table.reversesId} is not null)`),
    check('transfers_lines_positive', sql`${table.debitLine} > 0 and ${table.creditLine} > 0`),
  ],
);

export type TransferRow = typeof transfers.$inferSelect;
export type TransferCause = (typeof transferCause.enumValues)[number];
