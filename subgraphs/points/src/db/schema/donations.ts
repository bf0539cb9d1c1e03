/** Mutual aid donations (互助捐赠): points a customer gives to another customer of their bank, or to their bank's charity fund. */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { accounts } from './accounts.js';
import { funds } from './fund.js';
import { transfers } from './ledger.js';

/**
 * One donation, paid by exactly its transfer (cause `donation`, referring to
 * this row): from the donor's customer account to the recipient's, or, for a
 * gift to a fund, back to the bank's issuance account (a fund keeps money,
 * not points: the points leave circulation in the fund's name). Append-only,
 * and a trigger in the migration checks on insert that the transfer, the
 * accounts and the fund agree with the row and that donor, recipient and fund
 * belong to the one head bank `bankId`.
 */
export const donations = points.table(
  'donations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    donorAccountId: uuid('donor_account_id').notNull(),
    /** The donor's person and office, carried so that the checks can name them (the foreign key keeps them the account's). */
    donorHolderId: uuid('donor_holder_id').notNull(),
    donorOfficeId: uuid('donor_office_id').notNull(),
    /** The head bank of the donor, the recipient and the fund. */
    bankId: uuid('bank_id').notNull(),
    /** The customer account given to; null for a gift to a fund. */
    recipientAccountId: uuid('recipient_account_id').references(() => accounts.id),
    /** The recipient's savings office, for the event and the office's figures; null for a gift to a fund. */
    recipientOfficeId: uuid('recipient_office_id'),
    /** The fund given to; null for a gift to a customer. */
    fundId: uuid('fund_id').references(() => funds.id),
    /** Whole points given. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** Whether the recipient is kept from learning who gave. */
    anonymous: boolean('anonymous').notNull().default(true),
    /** The donor's words to the recipient. */
    note: text('note'),
    /** The donor's key for retries: one donation per account and key. */
    idempotencyKey: text('idempotency_key').notNull(),
    transferId: uuid('transfer_id')
      .notNull()
      .references(() => transfers.id),
    donatedAt: timestamp('donated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Subject of the viewer who gave. */
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    foreignKey({
      name: 'donations_donor_account_fk',
      columns: [table.donorAccountId, table.donorHolderId, table.donorOfficeId],
      foreignColumns: [accounts.id, accounts.holderId, accounts.officeId],
    }),
    uniqueIndex('donations_one_per_transfer').on(table.transferId),
    uniqueIndex('donations_donor_key').on(table.donorAccountId, table.idempotencyKey),
    // The donor's running totals for the day's and the month's limits.
    index('donations_donor_idx').on(table.donorAccountId, table.donatedAt),
    index('donations_recipient_idx').on(table.recipientAccountId),
    check('donations_amount_positive', sql`${table.amount} > 0`),
    check('donations_one_target', sql`(${table.recipientAccountId} is null) <> (${table.fundId} is null)`),
    check('donations_recipient_office_iff_recipient', sql`(${table.recipientAccountId} is null) = (${table.recipientOfficeId} is null)`),
    check('donations_not_to_oneself', sql`${table.recipientAccountId} is distinct from ${table.donorAccountId}`),
    check('donations_note_length', sql`${table.note} is null or char_length(trim(${table.note})) between 1 and 200`),
    check('donations_key_format', sql`${table.idempotencyKey} ~ '^[!-~]{8,255}$'`),
  ],
);

export type DonationRow = typeof donations.$inferSelect;
