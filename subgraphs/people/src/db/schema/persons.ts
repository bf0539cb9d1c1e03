/** Persons, with their personal data sealed or masked, and the volunteer profile of those who volunteer. */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { regions } from './regions.js';

export const gender = people.enum('gender', ['male', 'female']);

export const persons = people.table(
  'persons',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    homeRegionId: uuid('home_region_id').references(() => regions.id),
    registeredAt: timestamp('registered_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Mainland mobile number. */
    phone: text('phone'),
    /** The ID number sealed with AES-256-GCM (see privacy/crypto.ts); never stored in clear. */
    idNumberSealed: text('id_number_sealed'),
    /** Keyed HMAC of the normalised ID number: finds duplicates without decrypting. */
    idNumberLookup: text('id_number_lookup'),
    /** The masked form everyone may see, e.g. 610***********123X. */
    idNumberMasked: text('id_number_masked'),
    gender: gender('gender'),
    birthDate: date('birth_date', { mode: 'string' }),
    homeUnit: text('home_unit'),
    /** Identity-provider subject of whoever registered the person. */
    registeredBy: text('registered_by'),
    /**
     * The person's consent to appear by name on public leaderboards: true once they opted out (they are then shown
     * as "a volunteer"). Only the person sets it (`leaderboardOptOutSet`); recognition learns it from the event.
     */
    leaderboardOptOut: boolean('leaderboard_opt_out').notNull().default(false),
    /** When the person last set `leaderboardOptOut`; null while they never have. */
    leaderboardOptOutChangedAt: timestamp('leaderboard_opt_out_changed_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    check('persons_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('persons_phone_mobile', sql`${table.phone} ~ '^1[3-9][0-9]{9}$'`),
    check(
      'persons_id_number_complete',
      sql`(${table.idNumberSealed} is null) = (${table.idNumberLookup} is null) and (${table.idNumberLookup} is null) = (${table.idNumberMasked} is null)`,
    ),
    check('persons_id_number_masked_form', sql`${table.idNumberMasked} ~ '^[0-9]{3}[*]{11}[0-9]{3}[0-9X]$'`),
    uniqueIndex('persons_id_number_lookup_unique').on(table.idNumberLookup),
    index('persons_home_region_idx').on(table.homeRegionId),
    index('persons_registered_idx').on(table.registeredAt, table.id),
  ],
);

export const volunteerStatus = people.enum('volunteer_status', ['active', 'paused', 'left']);

export const volunteerProfiles = people.table(
  'volunteer_profiles',
  {
    personId: uuid('person_id')
      .primaryKey()
      .references(() => persons.id),
    skills: text('skills')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    partyMember: boolean('party_member').notNull().default(false),
    status: volunteerStatus('status').notNull().default('active'),
    registeredAt: timestamp('registered_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index('volunteer_profiles_skills_idx').using('gin', table.skills)],
);

export type PersonRow = typeof persons.$inferSelect;
export type VolunteerProfileRow = typeof volunteerProfiles.$inferSelect;
