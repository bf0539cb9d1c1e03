/**
 * Refunds of captured redemptions: points back from the merchant to the
 * customer, line by line, never more of a line than was redeemed. Append-only
 * (triggers in the migration); the hand-written part of the migration also
 * checks that each refund line stays within its redemption line and that
 * each refund is paid by its one transfer.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { accounts } from './accounts.js';
import { catalogItems, merchants } from './merchants.js';
import { redemptions } from './redemptions.js';

export const refunds = points.table(
  'refunds',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    redemptionId: uuid('redemption_id')
      .notNull()
      .references(() => redemptions.id),
    /** The redemption's merchant and customer account, repeated so that settlement and the ledger check read one row. */
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    points: bigint('points', { mode: 'number' }).notNull(),
    itemCount: integer('item_count').notNull(),
    /** Why, in the merchant's words; null when none was given. */
    reason: text('reason'),
    /** The merchant → customer transfer that paid the points back; the foreign key (deferred) is in the migration. */
    transferId: uuid('transfer_id').notNull().unique('refunds_one_per_transfer'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    index('refunds_redemption_idx').on(table.redemptionId, table.createdAt, table.id),
    // A merchant's refunds in a settlement period.
    index('refunds_merchant_idx').on(table.merchantId, table.createdAt, table.id),
    check('refunds_total_positive', sql`${table.points} > 0 and ${table.itemCount} > 0`),
    check('refunds_reason_length', sql`${table.reason} is null or (length(trim(${table.reason})) > 0 and length(${table.reason}) <= 200)`),
  ],
);

export const refundLines = points.table(
  'refund_lines',
  {
    refundId: uuid('refund_id')
      .notNull()
      .references(() => refunds.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => catalogItems.id),
    quantity: integer('quantity').notNull(),
    /** The redemption line's unit price (a trigger checks it): a refund pays back what was paid. */
    unitPoints: bigint('unit_points', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'refund_lines_pk', columns: [table.refundId, table.itemId] }),
    check('refund_lines_quantity_positive', sql`${table.quantity} > 0`),
    check('refund_lines_price_positive', sql`${table.unitPoints} > 0`),
  ],
);

export type RefundRow = typeof refunds.$inferSelect;
export type RefundLineRow = typeof refundLines.$inferSelect;
