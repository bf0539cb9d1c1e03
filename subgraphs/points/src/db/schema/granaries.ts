/** Charity granaries (义仓): goods given in kind, kept at a savings office and handed out to households in hardship. */
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { bankUnitKind, bankUnits } from './bank.js';

/** A granary of a savings office. */
export const granaries = points.table(
  'granaries',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    officeId: uuid('office_id').notNull(),
    /** Always 'savings_office': with the foreign key below, a granary belongs to an office and nothing else. */
    officeKind: bankUnitKind('office_kind')
      .notNull()
      .generatedAlwaysAs(sql`'savings_office'::points.bank_unit_kind`),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    foreignKey({ name: 'granaries_office_fk', columns: [table.officeId, table.officeKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    uniqueIndex('granaries_office_name').on(table.officeId, table.name),
    check('granaries_name_length', sql`char_length(trim(${table.name})) between 1 and 100`),
  ],
);

/**
 * One kind of goods a granary keeps (e.g. rice, in kg), with its stock: a
 * balance row changed only with a movement, under its row lock, and never
 * below zero (the CHECK; a trigger in the migration holds each movement's
 * `stock_after` to it).
 */
export const granaryGoods = points.table(
  'granary_goods',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    granaryId: uuid('granary_id')
      .notNull()
      .references(() => granaries.id),
    name: text('name').notNull(),
    /** The unit the stock is counted in, e.g. kg, 桶, 袋. */
    unit: text('unit').notNull(),
    stock: bigint('stock', { mode: 'number' }).notNull().default(0),
    /** Movements written so far; each takes the next line number. */
    lines: bigint('lines', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    uniqueIndex('granary_goods_granary_name').on(table.granaryId, table.name),
    check('granary_goods_stock_not_negative', sql`${table.stock} >= 0`),
    check('granary_goods_lines_not_negative', sql`${table.lines} >= 0`),
    check('granary_goods_name_length', sql`char_length(trim(${table.name})) between 1 and 100`),
    check('granary_goods_unit_length', sql`char_length(trim(${table.unit})) between 1 and 20`),
  ],
);

export const granaryMovementKind = points.enum('granary_movement_kind', ['receipt', 'handout', 'adjustment']);
/** Who gave a receipt. */
export const granaryDonorKind = points.enum('granary_donor_kind', ['organization', 'person', 'anonymous']);

/**
 * The stock ledger: append-only (a trigger in the migration). A receipt adds
 * goods given by an organisation, a person or anonymously; a handout takes
 * them to a household (a people Household id, no foreign key) for a reason;
 * an adjustment corrects the stock after a stocktake, with a reason.
 */
export const granaryMovements = points.table(
  'granary_movements',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    goodsId: uuid('goods_id')
      .notNull()
      .references(() => granaryGoods.id),
    granaryId: uuid('granary_id')
      .notNull()
      .references(() => granaries.id),
    line: bigint('line', { mode: 'number' }).notNull(),
    kind: granaryMovementKind('kind').notNull(),
    /** Signed: positive into the stock, negative out of it. */
    quantity: bigint('quantity', { mode: 'number' }).notNull(),
    stockAfter: bigint('stock_after', { mode: 'number' }).notNull(),
    donorKind: granaryDonorKind('donor_kind'),
    /** A people Organization id, for a receipt from an organisation. */
    donorOrganizationId: uuid('donor_organization_id'),
    /** A people Person id, for a receipt from a person. */
    donorPersonId: uuid('donor_person_id'),
    /** A people Household id, for a handout. */
    householdId: uuid('household_id'),
    /** Why: a handout's hardship, an adjustment's stocktake; null for a receipt. */
    reason: text('reason'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    uniqueIndex('granary_movements_line').on(table.goodsId, table.line),
    index('granary_movements_granary_idx').on(table.granaryId, table.createdAt, table.id),
    check('granary_movements_line_positive', sql`${table.line} > 0`),
    check('granary_movements_stock_after_not_negative', sql`${table.stockAfter} >= 0`),
    check(
      'granary_movements_shape',
      sql`(${table.kind} = 'receipt' and ${table.quantity} > 0 and ${table.householdId} is null and ${table.reason} is null and ${table.donorKind} is not null
            and (${table.donorKind} = 'organization') = (${table.donorOrganizationId} is not null)
            and (${table.donorKind} = 'person') = (${table.donorPersonId} is not null))
        or (${table.kind} = 'handout' and ${table.quantity} < 0 and ${table.householdId} is not null and ${table.reason} is not null
            and ${table.donorKind} is null and ${table.donorOrganizationId} is null and ${table.donorPersonId} is null)
        or (${table.kind} = 'adjustment' and ${table.quantity} <> 0 and ${table.householdId} is null and ${table.reason} is not null
            and ${table.donorKind} is null and ${table.donorOrganizationId} is null and ${table.donorPersonId} is null)`,
    ),
    check('granary_movements_reason_length', sql`${table.reason} is null or char_length(trim(${table.reason})) between 1 and 500`),
    check('granary_movements_note_length', sql`${table.note} is null or char_length(trim(${table.note})) between 1 and 500`),
  ],
);

export type GranaryRow = typeof granaries.$inferSelect;
export type GranaryGoodsRow = typeof granaryGoods.$inferSelect;
export type GranaryMovementRow = typeof granaryMovements.$inferSelect;
export type GranaryMovementKind = (typeof granaryMovementKind.enumValues)[number];

/**
 * Staff reads of handouts: which households a viewer saw receiving goods,
 * and when. A handout tells of a household's hardship, which people keeps
 * behind its privacy rules and logs the reads of; this is points' log of the
 * same knowledge. Append-only (a trigger in the migration).
 */
export const granaryHandoutReads = points.table(
  'granary_handout_reads',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    granaryId: uuid('granary_id')
      .notNull()
      .references(() => granaries.id),
    /** The households whose handouts the page showed. */
    householdIds: uuid('household_ids').array().notNull(),
    viewerSubject: text('viewer_subject').notNull(),
    viewerPersonId: uuid('viewer_person_id'),
    traceId: text('trace_id').notNull(),
    readAt: timestamp('read_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    index('granary_handout_reads_granary_idx').on(table.granaryId, table.readAt),
    check('granary_handout_reads_some_household', sql`cardinality(${table.householdIds}) > 0`),
  ],
);
