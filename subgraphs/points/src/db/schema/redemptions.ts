/** Redemptions: one-phase, or a hold that is captured, voided or expires; and merchants' idempotency keys. */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { catalogItems, merchants } from './merchants.js';
import { accounts } from './accounts.js';

export const redemptionStatus = points.enum('redemption_status', ['held', 'captured', 'voided', 'expired']);

export const redemptions = points.table(
  'redemptions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    status: redemptionStatus('status').notNull(),
    totalPoints: bigint('total_points', { mode: 'number' }).notNull(),
    itemCount: integer('item_count').notNull(),
    /** When a hold lapses; null for a one-phase redemption. */
    heldUntil: timestamp('held_until', { withTimezone: true, precision: 3 }),
    /** The customer → merchant transfer, once captured; the foreign key (deferred) is in the migration. */
    transferId: uuid('transfer_id').unique('redemptions_one_per_transfer'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    /** When it left `held` (captured, voided or expired); for a one-phase redemption, when it was made. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
    resolvedBy: text('resolved_by'),
  },
  (table) => [
    index('redemptions_merchant_idx').on(table.merchantId, table.createdAt, table.id),
    index('redemptions_account_idx').on(table.accountId, table.createdAt, table.id),
    index('redemptions_settlement_idx')
      .on(table.merchantId, table.resolvedAt, table.id)
      .where(sql`status = 'captured'`),
    // Captured redemptions in a period over every merchant (redemptionStats); one merchant's go by the index above.
    index('redemptions_resolved_at_idx')
      .on(table.resolvedAt)
      .where(sql`status = 'captured'`),
    index('redemptions_open_holds_idx')
      .on(table.heldUntil)
      .where(sql`status = 'held'`),
    index('redemptions_open_holds_of_account_idx')
      .on(table.accountId)
      .where(sql`status = 'held'`),
    check('redemptions_total_positive', sql`${table.totalPoints} > 0 and ${table.itemCount} > 0`),
    check('redemptions_transfer_iff_captured', sql`(${table.status} = 'captured') = (${table.transferId} is not null)`),
    check('redemptions_resolved_iff_not_held', sql`(${table.status} = 'held') = (${table.resolvedAt} is null)`),
    check('redemptions_hold_has_expiry', sql`${table.heldUntil} is not null or ${table.status} = 'captured'`),
    check('redemptions_expired_after_expiry', sql`${table.status} <> 'expired' or ${table.resolvedAt} >= ${table.heldUntil}`),
  ],
);

export const redemptionLines = points.table(
  'redemption_lines',
  {
    redemptionId: uuid('redemption_id')
      .notNull()
      .references(() => redemptions.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => catalogItems.id),
    /** The item's name when redeemed, as printed on the receipt. */
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPoints: bigint('unit_points', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'redemption_lines_pk', columns: [table.redemptionId, table.itemId] }),
    check('redemption_lines_quantity_positive', sql`${table.quantity} > 0`),
    check('redemption_lines_price_positive', sql`${table.unitPoints} > 0`),
  ],
);

/**
 * Idempotency keys of merchants' redemption requests (Stripe's promise): the
 * same key with the same input gives the first result. The key row is
 * written first in the request's transaction, so parallel replays wait for
 * the first and then read its result.
 */
export const idempotencyKeys = points.table(
  'idempotency_keys',
  {
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    key: text('key').notNull(),
    /** SHA-256 of the canonical request (operation and input without the key). */
    requestHash: text('request_hash').notNull(),
    /** The redemption the first request made, or the one it refunded; the foreign key (deferred) is in the migration. */
    redemptionId: uuid('redemption_id').notNull(),
    /** The refund the first request made, for a `redemptionRefund` key; null for a redemption's key. The foreign key (deferred) is in the migration. */
    refundId: uuid('refund_id'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'idempotency_keys_pk', columns: [table.merchantId, table.key] }),
    index('idempotency_keys_created_idx').on(table.createdAt),
    check('idempotency_keys_key_format', sql`${table.key} ~ '^[!-~]{8,255}$'`),
    check('idempotency_keys_hash_format', sql`${table.requestHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

export type RedemptionRow = typeof redemptions.$inferSelect;
export type RedemptionStatus = (typeof redemptionStatus.enumValues)[number];
export type RedemptionLineRow = typeof redemptionLines.$inferSelect;
