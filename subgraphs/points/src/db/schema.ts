/** Tables of the points subgraph (the public welfare bank), all in the Postgres schema `points`. */
import { sql } from 'drizzle-orm';
import { bigint, check, index, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';

export const points = pgSchema('points');

/**
 * The bank's own account that points are issued from. It is created by the
 * migration, not by demo data: every ledger needs it. It is the only account
 * allowed below zero; its negative balance is the total of points in
 * circulation.
 */
export const ISSUANCE_ACCOUNT_ID = '00000000-0000-7000-8020-000000000000';
export const ISSUANCE_PASSBOOK_NUMBER = '000000000000';

/**
 * Passbook serials come from this sequence; the 9xxxxxxxxxx block above its
 * maximum is kept for accounts loaded with fixed numbers (demo data), so the
 * two can never meet.
 */
export const passbookSeq = points.sequence('passbook_seq', { startWith: 1, minValue: 1, maxValue: 89_999_999_999, cache: 1 });

export const accountKind = points.enum('account_kind', ['customer', 'issuance']);

export const accounts = points.table(
  'accounts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: accountKind('kind').notNull(),
    /** A people Person id; that person lives in another subgraph, so there is no foreign key. */
    holderId: uuid('holder_id'),
    passbookNumber: text('passbook_number').notNull().unique(),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    /** Subject of the viewer who opened it, for audit. */
    openedBy: text('opened_by').notNull(),
  },
  (table) => [
    uniqueIndex('accounts_one_per_holder').on(table.holderId).where(sql`kind = 'customer'`),
    uniqueIndex('accounts_one_issuance').on(table.kind).where(sql`kind = 'issuance'`),
    check('accounts_holder_iff_customer', sql`(${table.kind} = 'customer') = (${table.holderId} is not null)`),
    check('accounts_balance_not_negative', sql`${table.kind} = 'issuance' or ${table.balance} >= 0`),
    check('accounts_passbook_number_format', sql`${table.passbookNumber} ~ '^[0-9]{12}$'`),
  ],
);

export const transferCause = points.enum('transfer_cause', ['opening', 'service_record', 'redemption', 'adjustment', 'donation', 'reversal']);

/** The ledger: append-only (a trigger in the migration refuses UPDATE, DELETE and TRUNCATE). */
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Subject of the viewer (or the process) that moved the points, for audit. */
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    index('transfers_debit_idx').on(table.debitAccountId, table.createdAt, table.id),
    index('transfers_credit_idx').on(table.creditAccountId, table.createdAt, table.id),
    check('transfers_amount_positive', sql`${table.amount} > 0`),
    check('transfers_between_two_accounts', sql`${table.debitAccountId} <> ${table.creditAccountId}`),
  ],
);

export type AccountRow = typeof accounts.$inferSelect;
export type TransferRow = typeof transfers.$inferSelect;
export type TransferCause = (typeof transferCause.enumValues)[number];
