/** The bank: head bank (总行) → branches (分行) → savings offices (储蓄所), its clerks and its deposit rules. */
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';

export const bankUnitKind = points.enum('bank_unit_kind', ['head_bank', 'branch', 'savings_office']);

/** When a bank's merchants take redemptions (月兑换), unless a merchant is always open. */
export const redemptionWindow = points.enum('redemption_window', ['first_weekend_of_month', 'always_open']);

export const bankUnits = points.table(
  'bank_units',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: bankUnitKind('kind').notNull(),
    name: text('name').notNull(),
    parentId: uuid('parent_id'),
    /** The parent's kind, so the composite foreign key below can insist a branch hangs off a head bank and an office off a branch. */
    parentKind: bankUnitKind('parent_kind'),
    /** The head bank at the root of this unit's tree (itself for a head bank); rules and windows are per bank. */
    bankId: uuid('bank_id').notNull(),
    /** A people Region id; regions live in another subgraph, so there is no foreign key. */
    regionId: uuid('region_id').notNull(),
    /** A people Station id (the practice station a savings office sits at); null above offices. */
    stationId: uuid('station_id'),
    /** Set on head banks only. */
    redemptionWindow: redemptionWindow('redemption_window'),
    /**
     * Set on head banks only: what the bank pays a merchant per point of a
     * closed settlement statement, in fen (分); 0 when the bank pays merchants
     * nothing for points.
     */
    fenPerPoint: integer('fen_per_point').notNull().default(0),
    /** The office that accountOpen uses when the caller names none (at most one in the install). */
    isDefaultOffice: boolean('is_default_office').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [
    unique('bank_units_id_kind').on(table.id, table.kind),
    unique('bank_units_id_kind_bank').on(table.id, table.kind, table.bankId),
    // A child carries its parent's kind and bank: the tree cannot skip a level or straddle two banks.
    foreignKey({
      name: 'bank_units_parent_fk',
      columns: [table.parentId, table.parentKind, table.bankId],
      foreignColumns: [table.id, table.kind, table.bankId],
    }),
    // Siblings have different names; head banks (no parent) too.
    uniqueIndex('bank_units_parent_name').on(table.parentId, table.name),
    uniqueIndex('bank_units_head_name')
      .on(table.name)
      .where(sql`parent_id is null`),
    uniqueIndex('bank_units_one_default_office')
      .on(table.isDefaultOffice)
      .where(sql`is_default_office`),
    index('bank_units_bank_idx').on(table.bankId, table.kind, table.name, table.id),
    check('bank_units_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check(
      'bank_units_levels',
      sql`(${table.kind} = 'head_bank' and ${table.parentId} is null and ${table.parentKind} is null and ${table.bankId} = ${table.id} and ${table.redemptionWindow} is not null)
        or (${table.kind} = 'branch' and ${table.parentId} is not null and ${table.parentKind} = 'head_bank' and ${table.redemptionWindow} is null)
        or (${table.kind} = 'savings_office' and ${table.parentId} is not null and ${table.parentKind} = 'branch' and ${table.redemptionWindow} is null)`,
    ),
    check('bank_units_station_iff_office', sql`(${table.kind} = 'savings_office') = (${table.stationId} is not null)`),
    check('bank_units_fen_per_point_of_head_banks', sql`${table.fenPerPoint} between 0 and 100000 and (${table.fenPerPoint} = 0 or ${table.kind} = 'head_bank')`),
    check('bank_units_default_is_office', sql`not ${table.isDefaultOffice} or ${table.kind} = 'savings_office'`),
  ],
);

/** Bank clerks (储蓄所/分行/总行 staff): a clerk serves the accounts of every office at or under the units they are assigned to. */
export const bankClerks = points.table(
  'bank_clerks',
  {
    /** A people Person id. */
    personId: uuid('person_id').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => bankUnits.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    assignedBy: text('assigned_by').notNull(),
  },
  (table) => [primaryKey({ name: 'bank_clerks_pk', columns: [table.personId, table.unitId] }), index('bank_clerks_unit_idx').on(table.unitId)],
);

/** Points deposited per hour of service, per category, set by each head bank (积分入折 rules are data). */
export const depositRules = points.table(
  'deposit_rules',
  {
    bankId: uuid('bank_id').notNull(),
    /** Always 'head_bank': with the foreign key below, rules hang off head banks only. */
    bankKind: bankUnitKind('bank_kind')
      .notNull()
      .generatedAlwaysAs(sql`'head_bank'::points.bank_unit_kind`),
    /** A requests Category code, e.g. `home_repair`. */
    categoryCode: text('category_code').notNull(),
    pointsPerHour: integer('points_per_hour').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (table) => [
    primaryKey({ name: 'deposit_rules_pk', columns: [table.bankId, table.categoryCode] }),
    foreignKey({ name: 'deposit_rules_bank_fk', columns: [table.bankId, table.bankKind], foreignColumns: [bankUnits.id, bankUnits.kind] }),
    check('deposit_rules_points_per_hour_range', sql`${table.pointsPerHour} between 1 and 10000`),
    check('deposit_rules_category_format', sql`${table.categoryCode} ~ '^[a-z][a-z0-9_]{0,62}$'`),
  ],
);

export type BankUnitRow = typeof bankUnits.$inferSelect;
export type BankUnitKind = (typeof bankUnitKind.enumValues)[number];
export type RedemptionWindowKind = (typeof redemptionWindow.enumValues)[number];
export type DepositRuleRow = typeof depositRules.$inferSelect;

/**
 * Service categories the requests subgraph announced (`service_category.created`):
 * what the bank may still need a deposit rule for. The categories that came
 * with the requests subgraph's first migrations were never announced and are
 * not here.
 */
export const knownCategories = points.table(
  'known_categories',
  {
    /** A requests Category code; never changes there. */
    code: text('code').primaryKey(),
    learntAt: timestamp('learnt_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [check('known_categories_code_format', sql`${table.code} ~ '^[a-z][a-z0-9_]{0,62}$'`)],
);
