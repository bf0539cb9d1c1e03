/** Merchants of the love alliance (爱心联盟) and the head bank's central exchange. */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { bankUnitKind, bankUnits } from './bank.js';

export const merchantKind = points.enum('merchant_kind', ['alliance', 'central_exchange']);

export const merchants = points.table(
  'merchants',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: merchantKind('kind').notNull(),
    name: text('name').notNull(),
    /** A people Organization id; null for a bank's central exchange. */
    organizationId: uuid('organization_id'),
    bankId: uuid('bank_id').notNull(),
    bankKind: bankUnitKind('bank_kind')
      .notNull()
      .generatedAlwaysAs(sql`'head_bank'::points.bank_unit_kind`),
    /** The savings office that recruited the merchant (招募企业), in the merchant's bank; null when none did. */
    officeId: uuid('office_id'),
    /** Always 'savings_office': with the foreign key below, a recruiting office is an office of the merchant's own bank. */
    officeKind: bankUnitKind('office_kind')
      .notNull()
      .generatedAlwaysAs(sql`'savings_office'::points.bank_unit_kind`),
    /** Takes redemptions whenever it likes, not only in its bank's window. */
    alwaysOpen: boolean('always_open').notNull().default(false),
    /** Whether its till may redeem by passbook number alone, without a payment code: weaker, so off unless the bank turns it on. */
    acceptsPassbookNumbers: boolean('accepts_passbook_numbers').notNull().default(false),
    /** Only customers holding at least this many points may redeem here (the central exchange is for high-balance customers). */
    minimumBalance: bigint('minimum_balance', { mode: 'number' }).notNull().default(0),
    active: boolean('active').notNull().default(true),
    /** A sandbox merchant (for integrators' tests) redeems only sandbox accounts' points, which are not real; set at creation, never changed (a trigger). */
    sandbox: boolean('sandbox').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    foreignKey({ name: 'merchants_bank_fk', columns: [table.bankId, table.bankKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    foreignKey({
      name: 'merchants_office_fk',
      columns: [table.officeId, table.officeKind, table.bankId],
      foreignColumns: [bankUnits.id, bankUnits.kind, bankUnits.bankId],
    }),
    uniqueIndex('merchants_one_exchange_per_bank')
      .on(table.bankId)
      .where(sql`kind = 'central_exchange'`),
    uniqueIndex('merchants_one_per_organization').on(table.organizationId, table.bankId),
    index('merchants_bank_name_idx').on(table.bankId, table.name, table.id),
    index('merchants_name_idx').on(table.name, table.id),
    check('merchants_organization_iff_alliance', sql`(${table.kind} = 'alliance') = (${table.organizationId} is not null)`),
    check('merchants_minimum_balance_not_negative', sql`${table.minimumBalance} >= 0`),
    check('merchants_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

export const catalogItems = points.table(
  'catalog_items',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    name: text('name').notNull(),
    description: text('description'),
    pricePoints: bigint('price_points', { mode: 'number' }).notNull(),
    /** Units on hand; a redemption takes them with `stock >= quantity` in the UPDATE, and the CHECK is the backstop. */
    stock: integer('stock').notNull(),
    active: boolean('active').notNull().default(true),
    /** Whether a refund puts the units back in stock (false for perishables and services, which cannot be sold again). */
    returnable: boolean('returnable').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('catalog_items_merchant_name').on(table.merchantId, table.name),
    index('catalog_items_merchant_idx').on(table.merchantId, table.name, table.id),
    check('catalog_items_price_positive', sql`${table.pricePoints} > 0`),
    check('catalog_items_stock_not_negative', sql`${table.stock} >= 0`),
    check('catalog_items_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

export type MerchantRow = typeof merchants.$inferSelect;
export type CatalogItemRow = typeof catalogItems.$inferSelect;
