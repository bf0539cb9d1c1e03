/** Team alliances (志愿服务联盟): a named alliance of a region and the teams that joined it. */
import { sql } from 'drizzle-orm';
import { check, index, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { regions } from './regions.js';
import { teams } from './teams.js';

export const alliances = people.table(
  'alliances',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    /** The region the alliance gathers teams of: its member teams belong to this region or lie below it (a trigger holds it). */
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    description: text('description'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('alliances_region_name_unique').on(table.regionId, table.name),
    index('alliances_name_idx').on(table.name, table.id),
    check('alliances_name_length', sql`char_length(trim(${table.name})) between 1 and 100`),
    check('alliances_description_length', sql`${table.description} is null or char_length(${table.description}) <= 2000`),
  ],
);

/** The teams of each alliance; a team may be in several. */
export const allianceTeams = people.table(
  'alliance_teams',
  {
    allianceId: uuid('alliance_id')
      .notNull()
      .references(() => alliances.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    addedBy: text('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: 'alliance_teams_pk', columns: [table.allianceId, table.teamId] }), index('alliance_teams_team_idx').on(table.teamId)],
);

export type AllianceRow = typeof alliances.$inferSelect;
export type AllianceTeamRow = typeof allianceTeams.$inferSelect;
