/** Accounts: customers' passbooks, merchants' accounts, and the issuance account points come from. */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { bankUnitKind, bankUnits } from './bank.js';
import { merchants } from './merchants.js';

/**
 * The bank's own account that points are issued from. It is created by the
 * migration, not by demo data: every ledger needs it. It is the only account
 * allowed below zero; its negative balance is the total of points in
 * circulation.
 */
export const ISSUANCE_ACCOUNT_ID = '00000000-0000-7000-8020-000000000000';
export const ISSUANCE_PASSBOOK_NUMBER = '000000000000';

/**
 * The account sandbox points are issued from (created by the migration): a
 * sandbox account's points come from here and from nowhere else, and a
 * transfer never joins a sandbox account to a real one (a trigger), so the
 * real books never hold a sandbox point.
 */
export const SANDBOX_ISSUANCE_ACCOUNT_ID = '00000000-0000-7000-8020-000000000001';

/**
 * Passbook serials come from this sequence; the 9xxxxxxxxxx block above its
 * maximum is kept for accounts loaded with fixed numbers (demo data), so the
 * two can never meet.
 */
export const passbookSeq = points.sequence('passbook_seq', { startWith: 1, minValue: 1, maxValue: 89_999_999_999, cache: 1 });

export const accountKind = points.enum('account_kind', ['customer', 'merchant', 'exchange', 'issuance']);

export const accounts = points.table(
  'accounts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: accountKind('kind').notNull(),
    /** A people Person id; that person lives in another subgraph, so there is no foreign key. */
    holderId: uuid('holder_id'),
    /** The savings office a customer account was opened at. */
    officeId: uuid('office_id'),
    /** Always 'savings_office': with the foreign key below, an account is opened at an office and nowhere else. */
    officeKind: bankUnitKind('office_kind')
      .notNull()
      .generatedAlwaysAs(sql`'savings_office'::points.bank_unit_kind`),
    /** The merchant a merchant (or central exchange) account belongs to. */
    merchantId: uuid('merchant_id').references(() => merchants.id),
    passbookNumber: text('passbook_number').notNull().unique(),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    /** Points reserved by open redemption holds: spendable points are balance − held. */
    held: bigint('held', { mode: 'number' }).notNull().default(0),
    /** Passbook lines written so far; each transfer takes the next line number of both its accounts. */
    lines: bigint('lines', { mode: 'number' }).notNull().default(0),
    /** A sandbox account: its points are not real (sandbox merchants' tests); set when opened, never changed (a trigger). */
    sandbox: boolean('sandbox').notNull().default(false),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    /** Subject of the viewer who opened it, for audit. */
    openedBy: text('opened_by').notNull(),
  },
  (table) => [
    foreignKey({ name: 'accounts_office_fk', columns: [table.officeId, table.officeKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    uniqueIndex('accounts_one_per_holder')
      .on(table.holderId)
      .where(sql`kind = 'customer'`),
    // One issuance account for real points and one for sandbox points.
    uniqueIndex('accounts_one_issuance')
      .on(table.kind, table.sandbox)
      .where(sql`kind = 'issuance'`),
    uniqueIndex('accounts_one_per_merchant').on(table.merchantId),
    // What an adjustment names: a customer account with its holder and office, so the adjustment's rules can see both.
    unique('accounts_id_holder_office').on(table.id, table.holderId, table.officeId),
    index('accounts_office_idx').on(table.officeId, table.passbookNumber),
    check('accounts_holder_iff_customer', sql`(${table.kind} = 'customer') = (${table.holderId} is not null)`),
    check('accounts_office_iff_customer', sql`(${table.kind} = 'customer') = (${table.officeId} is not null)`),
    check('accounts_merchant_iff_merchant', sql`(${table.kind} in ('merchant', 'exchange')) = (${table.merchantId} is not null)`),
    check('accounts_balance_not_negative', sql`${table.kind} = 'issuance' or ${table.balance} >= 0`),
    check('accounts_held_within_balance', sql`${table.held} >= 0 and (${table.held} = 0 or ${table.held} <= ${table.balance})`),
    check('accounts_lines_not_negative', sql`${table.lines} >= 0`),
    check('accounts_passbook_number_format', sql`${table.passbookNumber} ~ '^[0-9]{12}$'`),
  ],
);

export type AccountRow = typeof accounts.$inferSelect;
export type AccountKind = (typeof accountKind.enumValues)[number];
