/**
 * Directory: the read model of people facts that decisions here depend on,
 * kept by the people subgraph's events (src/directory/events.ts).
 */
import { sql } from 'drizzle-orm';
import { boolean, index, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant, requests } from './base.js';

/**
 * Persons the people subgraph has registered (its `person.registered`
 * events): every write that acts for a person, or names one, is refused for
 * a person not here, so nothing is written about ids nobody registered.
 */
export const directoryPersons = requests.table('directory_persons', {
  id: uuid('id').primaryKey(),
  registeredAt: instant('registered_at').notNull(),
  /** Under 18 as people last said (`person.registered`, `person.guardian_consent_changed`); never the birth date. */
  minor: boolean('minor').notNull().default(false),
  /** A guardian's consent for the minor to volunteer is in force. */
  guardianConsent: boolean('guardian_consent').notNull().default(false),
});

/** Regions as far as scope is concerned: each with its ancestors, root first. */
export const directoryRegions = requests.table(
  'directory_regions',
  {
    id: uuid('id').primaryKey(),
    parentId: uuid('parent_id'),
    kind: text('kind').notNull(),
    /** Ancestors from the root down to the parent (the people subgraph's `path`). */
    path: uuid('path')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
  },
  (table) => [index('directory_regions_path_idx').using('gin', table.path)],
);

/** Teams a request can be dispatched to, with the community each belongs to. */
export const directoryTeams = requests.table('directory_teams', {
  id: uuid('id').primaryKey(),
  communityId: uuid('community_id').notNull(),
});

export const teamRole = requests.enum('team_role', ['captain', 'member']);

/** Current members of each team: who may accept work dispatched to it. */
export const directoryTeamMembers = requests.table(
  'directory_team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => directoryTeams.id),
    personId: uuid('person_id').notNull(),
    role: teamRole('role').notNull().default('member'),
  },
  (table) => [primaryKey({ name: 'directory_team_members_pk', columns: [table.teamId, table.personId] }), index('directory_team_members_person_idx').on(table.personId)],
);

/** Current members of each household: who may rate a service done for one of them. */
export const directoryHouseholdMembers = requests.table(
  'directory_household_members',
  {
    householdId: uuid('household_id').notNull(),
    personId: uuid('person_id').notNull(),
  },
  (table) => [
    primaryKey({ name: 'directory_household_members_pk', columns: [table.householdId, table.personId] }),
    // A person belongs to one household at a time, as in the people subgraph.
    uniqueIndex('directory_household_members_person_idx').on(table.personId),
  ],
);

/** Building captains (楼栋长): who may file requests for the residents of their building. */
export const directoryBuildingCaptains = requests.table(
  'directory_building_captains',
  {
    buildingId: uuid('building_id').primaryKey(),
    personId: uuid('person_id').notNull(),
  },
  (table) => [index('directory_building_captains_person_idx').on(table.personId)],
);

export type DirectoryRegionRow = typeof directoryRegions.$inferSelect;
