/**
 * Tables of the people subgraph, all in the Postgres schema `people`.
 * Timestamps that page cursors sort by keep milliseconds only, as a
 * JavaScript Date does, so a cursor names its row's time exactly.
 */
import { sql } from 'drizzle-orm';
import { check, index, pgSchema, primaryKey, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';

export const people = pgSchema('people');

export const regionKind = people.enum('region_kind', [
  'province',
  'city',
  'district',
  'street',
  'town',
  'community',
  'village',
  'compound',
  'building',
]);

export const regions = people.table(
  'regions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    parentId: uuid('parent_id').references((): AnyPgColumn => regions.id),
    kind: regionKind('kind').notNull(),
    name: text('name').notNull(),
    code: text('code').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('regions_parent_name_idx').on(table.parentId, table.name, table.id),
    check('regions_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('regions_not_own_parent', sql`${table.parentId} is distinct from ${table.id}`),
  ],
);

export const persons = people.table(
  'persons',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    homeRegionId: uuid('home_region_id').references(() => regions.id),
    registeredAt: timestamp('registered_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [check('persons_name_not_blank', sql`length(trim(${table.name})) > 0`)],
);

export const teamRole = people.enum('team_role', ['captain', 'member']);

export const teams = people.table(
  'teams',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => regions.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('teams_name_not_blank', sql`length(trim(${table.name})) > 0`)],
);

export const teamMembers = people.table(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    role: teamRole('role').notNull().default('member'),
    joinedAt: timestamp('joined_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.teamId, table.personId] }),
    index('team_members_person_idx').on(table.personId),
    index('team_members_team_joined_idx').on(table.teamId, table.joinedAt, table.personId),
  ],
);

export type RegionRow = typeof regions.$inferSelect;
export type PersonRow = typeof persons.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;
export type TeamMemberRow = typeof teamMembers.$inferSelect;
