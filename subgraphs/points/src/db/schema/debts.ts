/**
 * Debts: what a service record's correction could not take back because the
 * volunteer had already spent the points. The reversal takes what the
 * account has available and records the rest here; the account's next
 * deposits repay it, oldest debt first, each repayment a transfer back to
 * the issuance account.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { accounts } from './accounts.js';
import { deposits } from './deposits.js';
import { transfers } from './ledger.js';

/**
 * One shortfall of a reversal. Append-only but for its repayment: a trigger
 * in the migration lets `repaid` grow (through a repayment row) and
 * `settled_at` be set when it reaches the amount, and refuses every other
 * change, a DELETE and a TRUNCATE.
 */
export const debts = points.table(
  'debts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** The customer account that owes the points. */
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** The deposit's transfer the reversal took back in part (or not at all): one debt per transfer. */
    reversedTransferId: uuid('reversed_transfer_id')
      .notNull()
      .unique('debts_one_per_reversed_transfer')
      .references(() => transfers.id),
    /** A requests ServiceRecord id: the record whose deposit was taken back. */
    serviceRecordId: uuid('service_record_id').notNull(),
    /** A requests ServiceRecord id: the correcting record that reversed it. */
    reversalRecordId: uuid('reversal_record_id').notNull(),
    /** Points the reversal could not take back. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** Points repaid so far, the sum of the debt's repayments (kept by the repayments' trigger). */
    repaid: bigint('repaid', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Subject of the viewer (or the process) that recorded it, for audit. */
    createdBy: text('created_by').notNull(),
    /** When the last point was repaid; null while some is outstanding. */
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (table) => [
    // The account's outstanding debts, oldest first: what a deposit repays.
    index('debts_outstanding_idx')
      .on(table.accountId, table.createdAt, table.id)
      .where(sql`${table.settledAt} is null`),
    index('debts_account_idx').on(table.accountId, table.createdAt),
    check('debts_amount_positive', sql`${table.amount} > 0`),
    check('debts_repaid_within_amount', sql`${table.repaid} >= 0 and ${table.repaid} <= ${table.amount}`),
    check('debts_settled_iff_repaid', sql`(${table.settledAt} is not null) = (${table.repaid} = ${table.amount})`),
  ],
);

/**
 * One repayment of a debt: part of a deposit sent back to the issuance
 * account by one transfer (cause `debt_repayment`, referencing the debt).
 * Append-only; its trigger checks the transfer against the debt and adds the
 * amount to the debt's `repaid`.
 */
export const debtRepayments = points.table(
  'debt_repayments',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    debtId: uuid('debt_id')
      .notNull()
      .references(() => debts.id),
    /** The deposit whose points repaid it. */
    depositId: uuid('deposit_id')
      .notNull()
      .references(() => deposits.id),
    /** The transfer that moved the points; one repayment per transfer. */
    transferId: uuid('transfer_id')
      .notNull()
      .unique('debt_repayments_one_per_transfer')
      .references(() => transfers.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('debt_repayments_debt_idx').on(table.debtId), check('debt_repayments_amount_positive', sql`${table.amount} > 0`)],
);

export type DebtRow = typeof debts.$inferSelect;
export type DebtRepaymentRow = typeof debtRepayments.$inferSelect;
