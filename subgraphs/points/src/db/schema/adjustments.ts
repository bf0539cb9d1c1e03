/** Adjustments: manual credits of points, under dual control. */
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { accounts } from './accounts.js';

export const adjustmentStatus = points.enum('adjustment_status', ['requested', 'approved', 'rejected']);

/**
 * A manual credit of points to a customer account, outside any service
 * record: requested by one member of the bank's staff with a reason, and
 * approved (one transfer from the issuance account, cause `adjustment`,
 * referring to this row) or rejected by a second, different one. Never to
 * the requester's or the approver's own account. Each resolves once (a
 * trigger in the migration), and an approved one is matched by exactly its
 * transfer (constraint triggers checked at commit).
 */
export const adjustments = points.table(
  'adjustments',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    accountId: uuid('account_id').notNull(),
    /** The account's holder and office, carried so that the checks below can name them (the foreign key keeps them the account's). */
    holderId: uuid('holder_id').notNull(),
    officeId: uuid('office_id').notNull(),
    /** Whole points to credit. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** Why, for the passbook and the audit. */
    reason: text('reason').notNull(),
    status: adjustmentStatus('status').notNull().default('requested'),
    requestedAt: timestamp('requested_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Subject of the viewer who asked. */
    requestedBy: text('requested_by').notNull(),
    /** Their people Person id, when their token carries one. */
    requestedByPersonId: uuid('requested_by_person_id'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
    /** Subject of the viewer who approved or rejected it. */
    resolvedBy: text('resolved_by'),
    resolvedByPersonId: uuid('resolved_by_person_id'),
    /** Why it was rejected. */
    rejectionReason: text('rejection_reason'),
    /** The issuance → account transfer an approval posted; the foreign key (deferred) is in the migration. */
    transferId: uuid('transfer_id').unique('adjustments_one_per_transfer'),
  },
  (table) => [
    foreignKey({
      name: 'adjustments_account_fk',
      columns: [table.accountId, table.holderId, table.officeId],
      foreignColumns: [accounts.id, accounts.holderId, accounts.officeId],
    }),
    index('adjustments_office_idx').on(table.officeId, table.status, table.requestedAt, table.id),
    index('adjustments_account_idx').on(table.accountId),
    check('adjustments_amount_range', sql`${table.amount} between 1 and 10000`),
    check('adjustments_reason_length', sql`char_length(trim(${table.reason})) between 1 and 500`),
    check(
      'adjustments_resolved_iff_not_requested',
      sql`(${table.status} = 'requested') = (${table.resolvedAt} is null) and (${table.status} = 'requested') = (${table.resolvedBy} is null)`,
    ),
    check('adjustments_transfer_iff_approved', sql`(${table.status} = 'approved') = (${table.transferId} is not null)`),
    check('adjustments_rejection_reason_iff_rejected', sql`(${table.status} = 'rejected') = (${table.rejectionReason} is not null)`),
    // Never to one's own account; the one who resolves is not the one who asked.
    check('adjustments_not_for_requester', sql`${table.requestedByPersonId} is null or ${table.requestedByPersonId} <> ${table.holderId}`),
    check('adjustments_not_for_resolver', sql`${table.resolvedByPersonId} is null or ${table.resolvedByPersonId} <> ${table.holderId}`),
    check(
      'adjustments_four_eyes',
      sql`${table.resolvedBy} is null or (${table.resolvedBy} <> ${table.requestedBy}
        and (${table.resolvedByPersonId} is null or ${table.requestedByPersonId} is null or ${table.resolvedByPersonId} <> ${table.requestedByPersonId}))`,
    ),
  ],
);

export type AdjustmentRow = typeof adjustments.$inferSelect;
export type AdjustmentStatus = (typeof adjustmentStatus.enumValues)[number];
