/** The region tree (province down to building) and the captain of each building (楼栋长). */
import { sql } from 'drizzle-orm';
import { boolean, check, index, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { persons } from './persons.js';

export const regionKind = people.enum('region_kind', ['province', 'city', 'district', 'street', 'town', 'community', 'village', 'compound', 'building']);

export const regions = people.table(
  'regions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    parentId: uuid('parent_id').references((): AnyPgColumn => regions.id),
    kind: regionKind('kind').notNull(),
    name: text('name').notNull(),
    code: text('code').unique(),
    /**
     * Ancestors from the root down to the parent, kept by a trigger on insert
     * and re-parenting, so "inside this subtree" is one indexed predicate.
     */
    path: uuid('path')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** A compound without property management (无物业小区): admins flag it, so staff and analysts can single out where no one else looks after the common parts. */
    noPropertyManagement: boolean('no_property_management').notNull().default(false),
  },
  (table) => [
    index('regions_parent_name_idx').on(table.parentId, table.name, table.id),
    index('regions_path_idx').using('gin', table.path),
    index('regions_name_idx').on(table.name, table.id),
    check('regions_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('regions_not_own_parent', sql`${table.parentId} is distinct from ${table.id}`),
    check('regions_property_management_of_compounds', sql`not ${table.noPropertyManagement} or ${table.kind} = 'compound'`),
  ],
);

export const buildingCaptains = people.table('building_captains', {
  buildingId: uuid('building_id')
    .primaryKey()
    .references(() => regions.id),
  personId: uuid('person_id')
    .notNull()
    .references(() => persons.id),
  assignedAt: timestamp('assigned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  assignedBy: text('assigned_by').notNull(),
});

export type RegionRow = typeof regions.$inferSelect;
export type RegionKind = (typeof regionKind.enumValues)[number];
