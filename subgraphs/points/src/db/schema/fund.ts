/** The charity fund (尚善公益基金): money in fen, its own append-only cash book. */
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { bankUnitKind, bankUnits } from './bank.js';

export const fundEntryKind = points.enum('fund_entry_kind', ['contribution', 'disbursement']);
/** The four ways a fund is fed (四个一点). */
export const contributionSource = points.enum('contribution_source', ['sponsoring_unit', 'company', 'public', 'residents']);

export const funds = points.table(
  'funds',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    bankId: uuid('bank_id').notNull(),
    bankKind: bankUnitKind('bank_kind')
      .notNull()
      .generatedAlwaysAs(sql`'head_bank'::points.bank_unit_kind`),
    /** Money in fen. */
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    /** Statement lines written so far. */
    entries: bigint('entries', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    foreignKey({ name: 'funds_bank_fk', columns: [table.bankId, table.bankKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    uniqueIndex('funds_bank_name').on(table.bankId, table.name),
    index('funds_name_idx').on(table.name, table.id),
    check('funds_balance_not_negative', sql`${table.balance} >= 0`),
    check('funds_entries_not_negative', sql`${table.entries} >= 0`),
    check('funds_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

export const fundEntries = points.table(
  'fund_entries',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    line: bigint('line', { mode: 'number' }).notNull(),
    kind: fundEntryKind('kind').notNull(),
    /** Money in fen, more than zero; the kind says which way it went. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
    source: contributionSource('source'),
    /** Who gave, as they wish to be named (e.g. 永辉超市); null for anonymous gifts. */
    contributor: text('contributor'),
    /** A requests ServiceRequest id the disbursement paid for; unique, so a request is paid once. */
    serviceRequestId: uuid('service_request_id'),
    memo: text('memo'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    uniqueIndex('fund_entries_line').on(table.fundId, table.line),
    uniqueIndex('fund_entries_one_disbursement_per_request').on(table.serviceRequestId),
    check('fund_entries_amount_positive', sql`${table.amount} > 0`),
    check('fund_entries_balance_not_negative', sql`${table.balanceAfter} >= 0`),
    check('fund_entries_line_positive', sql`${table.line} > 0`),
    check(
      'fund_entries_shape',
      sql`(${table.kind} = 'contribution' and ${table.source} is not null and ${table.serviceRequestId} is null)
        or (${table.kind} = 'disbursement' and ${table.source} is null and ${table.contributor} is null and ${table.serviceRequestId} is not null)`,
    ),
  ],
);

export type FundRow = typeof funds.$inferSelect;
export type FundEntryRow = typeof fundEntries.$inferSelect;
export type ContributionSource = (typeof contributionSource.enumValues)[number];
