/** Volunteer teams, their members past and present, the categories they serve and the regions they cover. */
import { sql } from 'drizzle-orm';
import { check, index, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { regions } from './regions.js';
import { persons } from './persons.js';
import { organizations } from './organizations.js';

export const teamKind = people.enum('team_kind', ['repair', 'health', 'special_needs', 'party_members', 'women', 'parents_help', 'general']);

export const teams = people.table(
  'teams',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => regions.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    kind: teamKind('kind').notNull().default('general'),
    organizationId: uuid('organization_id').references(() => organizations.id),
  },
  (table) => [
    check('teams_name_not_blank', sql`length(trim(${table.name})) > 0`),
    unique('teams_community_name_unique').on(table.communityId, table.name),
    index('teams_name_idx').on(table.name, table.id),
    index('teams_organization_idx').on(table.organizationId),
  ],
);

export const teamRole = people.enum('team_role', ['captain', 'member']);

/** Memberships, current and past: leaving sets `left_at`, so the history stays. */
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
    leftAt: timestamp('left_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    primaryKey({ name: 'team_members_pk', columns: [table.teamId, table.personId, table.joinedAt] }),
    index('team_members_person_idx').on(table.personId),
    index('team_members_team_joined_idx').on(table.teamId, table.joinedAt, table.personId),
    uniqueIndex('team_members_current_unique')
      .on(table.teamId, table.personId)
      .where(sql`${table.leftAt} is null`),
    uniqueIndex('team_members_one_captain')
      .on(table.teamId)
      .where(sql`${table.role} = 'captain' and ${table.leftAt} is null`),
    check('team_members_left_after_joining', sql`${table.leftAt} >= ${table.joinedAt}`),
    check('team_members_former_not_captain', sql`${table.leftAt} is null or ${table.role} = 'member'`),
  ],
);

export const teamCategories = people.table(
  'team_categories',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    categoryCode: text('category_code').notNull(),
  },
  (table) => [
    primaryKey({ name: 'team_categories_pk', columns: [table.teamId, table.categoryCode] }),
    index('team_categories_code_idx').on(table.categoryCode),
    check('team_categories_code_form', sql`${table.categoryCode} ~ '^[a-z][a-z0-9_]{0,63}$'`),
  ],
);

export const teamRegions = people.table(
  'team_regions',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
  },
  (table) => [primaryKey({ name: 'team_regions_pk', columns: [table.teamId, table.regionId] }), index('team_regions_region_idx').on(table.regionId)],
);

export type TeamRow = typeof teams.$inferSelect;
export type TeamMemberRow = typeof teamMembers.$inferSelect;
