/** Households, their members, and the history of their hardship level. */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { regions } from './regions.js';
import { persons } from './persons.js';

export const hardshipLevel = people.enum('hardship_level', ['ordinary', 'low_income', 'special_hardship']);
export const specialNeed = people.enum('special_need', ['living_alone', 'elderly', 'disabled', 'chronic_illness', 'home_schooling', 'quarantined']);
export const consent = people.enum('consent', ['contact_by_volunteers', 'home_visits', 'device_monitoring', 'photo_publication']);
export const householdRelation = people.enum('household_relation', ['head', 'spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'other']);

export const households = people.table(
  'households',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    addressRegionId: uuid('address_region_id')
      .notNull()
      .references(() => regions.id),
    unit: text('unit'),
    hardshipLevel: hardshipLevel('hardship_level').notNull().default('ordinary'),
    specialNeeds: specialNeed('special_needs')
      .array()
      .notNull()
      .default(sql`'{}'`),
    consents: consent('consents')
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** The volunteer or grid worker the household is assigned to (包干). */
    caretakerId: uuid('caretaker_id').references(() => persons.id),
    registeredAt: timestamp('registered_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    registeredBy: text('registered_by').notNull(),
  },
  (table) => [
    // With the level, counting households per address and level (the statistics, the BI cells) reads the index alone.
    index('households_address_hardship_idx').on(table.addressRegionId, table.hardshipLevel),
    index('households_registered_idx').on(table.registeredAt, table.id),
    index('households_special_needs_idx').using('gin', table.specialNeeds),
    index('households_caretaker_idx').on(table.caretakerId),
  ],
);

/** Memberships, current and past: leaving sets `left_at`. */
export const householdMembers = people.table(
  'household_members',
  {
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    relation: householdRelation('relation').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    primaryKey({ name: 'household_members_pk', columns: [table.householdId, table.personId, table.joinedAt] }),
    uniqueIndex('household_members_one_household')
      .on(table.personId)
      .where(sql`${table.leftAt} is null`),
    uniqueIndex('household_members_one_head')
      .on(table.householdId)
      .where(sql`${table.relation} = 'head' and ${table.leftAt} is null`),
    check('household_members_left_after_joining', sql`${table.leftAt} >= ${table.joinedAt}`),
  ],
);

/** Every hardship decision with its reason: append-only (a trigger refuses changes). */
export const hardshipChanges = people.table(
  'hardship_changes',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    level: hardshipLevel('level').notNull(),
    reason: text('reason').notNull(),
    changedBy: text('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index('hardship_changes_household_idx').on(table.householdId, table.changedAt), check('hardship_changes_reason_not_blank', sql`length(trim(${table.reason})) > 0`)],
);

export type HouseholdRow = typeof households.$inferSelect;
export type HouseholdMemberRow = typeof householdMembers.$inferSelect;
export type HardshipLevel = (typeof hardshipLevel.enumValues)[number];
export type SpecialNeed = (typeof specialNeed.enumValues)[number];
export type Consent = (typeof consent.enumValues)[number];

/**
 * How many households one caretaker may hold (包干), set per region: a
 * household's cap is that of its address or the nearest region above it
 * with one, twelve when none has. A trigger on `households` (hand-appended
 * to the migration) refuses an assignment beyond it under a lock on the
 * caretaker, so concurrent assignments cannot pass it.
 */
export const caseloadCaps = people.table(
  'caseload_caps',
  {
    regionId: uuid('region_id')
      .primaryKey()
      .references(() => regions.id),
    cap: integer('cap').notNull(),
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [check('caseload_caps_cap_range', sql`${table.cap} between 1 and 100`)],
);

export type CaseloadCapRow = typeof caseloadCaps.$inferSelect;
