/**
 * The read model by period: what each person, team and savings office did in
 * each Beijing month (persons, teams) or year (offices), fed by the events of
 * requests, points and people (src/events/consume.ts). Badge rules, stars,
 * reviews and leaderboards read "X of P in period T within scope S" from
 * these cells: a person's months are one range of their key, a region
 * subtree is one indexed condition (`region_path @> array[region]`), a team's
 * and an office's periods are their primary keys. Like the lifetime tallies,
 * nothing here is written by a mutation; each cell is the sum of the events
 * applied so far, and a reversal takes back, from the very cells its
 * original added to, exactly what it added (`counted_services`,
 * `counted_deposits`).
 */
import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, primaryKey, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { recognition } from './base.js';

/**
 * One person's month in one category, at one place, with one team: service
 * minutes, net services (a reversal subtracts one), the services among them
 * that were activities attended, the ratings of requests they were the
 * assignee of, and points deposited for their services and redeemed from
 * their passbook. `month` is the first day of the Beijing month. A service,
 * rating or deposit lands in the cell of its category, its place's region
 * and the team it was served with (null: none); a redemption belongs to no
 * service and lands in the person's cell of no category, region or team.
 * `region_path` is the place and every region above it, as the first event
 * of the cell announced them: a subtree's cells are those whose path holds
 * the subtree's root.
 */
export const personMonthTallies = recognition.table(
  'person_month_tallies',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    personId: uuid('person_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    /** A requests Category code; null for the cell of redemptions. */
    categoryCode: text('category_code'),
    /** The region of the place served (a people Region id); null when unplaced or for redemptions. */
    regionId: uuid('region_id'),
    regionPath: uuid('region_path')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** The people Team the service was served with (a request dispatched to it); null when none. */
    teamId: uuid('team_id'),
    serviceMinutes: integer('service_minutes').notNull().default(0),
    services: integer('services').notNull().default(0),
    /** Services (net) that were attendances at activities rather than requests. */
    activities: integer('activities').notNull().default(0),
    ratings: integer('ratings').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
    pointsDeposited: bigint('points_deposited', { mode: 'number' }).notNull().default(0),
    pointsRedeemed: bigint('points_redeemed', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // The cell's identity, and the index a person's months are read by (person, then a range of months).
    unique('person_month_tallies_cell').on(table.personId, table.month, table.categoryCode, table.regionId, table.teamId).nullsNotDistinct(),
    index('person_month_tallies_region_path_idx').using('gin', table.regionPath),
    index('person_month_tallies_month_idx').on(table.month),
    // "Served with team T": a team's members' cells.
    index('person_month_tallies_team_idx')
      .on(table.teamId, table.personId)
      .where(sql`${table.teamId} is not null`),
    check('person_month_tallies_month_first_day', sql`extract(day from ${table.month}) = 1`),
    check(
      'person_month_tallies_not_negative',
      sql`${table.serviceMinutes} >= 0 and ${table.services} >= 0 and ${table.activities} between 0 and ${table.services} and ${table.ratings} >= 0 and ${table.pointsDeposited} >= 0 and ${table.pointsRedeemed} >= 0`,
    ),
    check('person_month_tallies_rating_sum_in_range', sql`${table.ratingSum} between ${table.ratings} and 5 * ${table.ratings}`),
  ],
);

/**
 * One team's month: the services its members served for requests
 * dispatched to it, the ratings of those requests (a request served by the
 * team alone included), and the points deposited for those services.
 */
export const teamMonthTallies = recognition.table(
  'team_month_tallies',
  {
    teamId: uuid('team_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    serviceMinutes: integer('service_minutes').notNull().default(0),
    services: integer('services').notNull().default(0),
    ratings: integer('ratings').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
    pointsDeposited: bigint('points_deposited', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'team_month_tallies_pk', columns: [table.teamId, table.month] }),
    index('team_month_tallies_month_idx').on(table.month),
    check('team_month_tallies_month_first_day', sql`extract(day from ${table.month}) = 1`),
    check('team_month_tallies_not_negative', sql`${table.serviceMinutes} >= 0 and ${table.services} >= 0 and ${table.ratings} >= 0 and ${table.pointsDeposited} >= 0`),
    check('team_month_tallies_rating_sum_in_range', sql`${table.ratingSum} between ${table.ratings} and 5 * ${table.ratings}`),
  ],
);

/**
 * One savings office's Beijing year, on the indicators of its yearly
 * rating: accounts opened there, service minutes of its customers, points
 * deposited into and redeemed from their passbooks, merchants the office
 * recruited, and projects: activities with service in the office's area
 * (the office covering the activity's place, as points decides it: the
 * office whose region is nearest the place on its path).
 */
export const officeYearTallies = recognition.table(
  'office_year_tallies',
  {
    officeId: uuid('office_id').notNull(),
    year: smallint('year').notNull(),
    /** The head bank the office belongs to. */
    bankId: uuid('bank_id').notNull(),
    accountsOpened: integer('accounts_opened').notNull().default(0),
    serviceMinutes: integer('service_minutes').notNull().default(0),
    pointsDeposited: bigint('points_deposited', { mode: 'number' }).notNull().default(0),
    redemptions: integer('redemptions').notNull().default(0),
    pointsRedeemed: bigint('points_redeemed', { mode: 'number' }).notNull().default(0),
    merchantsJoined: integer('merchants_joined').notNull().default(0),
    projects: integer('projects').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'office_year_tallies_pk', columns: [table.officeId, table.year] }),
    // A head bank's offices in a year: the yearly rating's table.
    index('office_year_tallies_bank_year_idx').on(table.bankId, table.year),
    check(
      'office_year_tallies_not_negative',
      sql`${table.accountsOpened} >= 0 and ${table.serviceMinutes} >= 0 and ${table.pointsDeposited} >= 0 and ${table.redemptions} >= 0 and ${table.pointsRedeemed} >= 0 and ${table.merchantsJoined} >= 0 and ${table.projects} >= 0`,
    ),
  ],
);

/**
 * The activities with service in an office's area in a year, with the net
 * services counted: an activity is one of the office's projects while its
 * count is above zero (reversing every service of it takes the project back).
 */
export const officeYearActivities = recognition.table(
  'office_year_activities',
  {
    officeId: uuid('office_id').notNull(),
    year: smallint('year').notNull(),
    /** A requests Activity id. */
    activityId: uuid('activity_id').notNull(),
    services: integer('services').notNull().default(0),
  },
  (table) => [
    primaryKey({ name: 'office_year_activities_pk', columns: [table.officeId, table.year, table.activityId] }),
    check('office_year_activities_services_not_negative', sql`${table.services} >= 0`),
  ],
);

/**
 * The bank's units as points announced them (`bank_unit.opened`): what an
 * office's area is (its region), and which head bank it belongs to.
 */
export const bankUnits = recognition.table(
  'bank_units',
  {
    unitId: uuid('unit_id').primaryKey(),
    kind: text('kind').notNull(),
    bankId: uuid('bank_id').notNull(),
    parentId: uuid('parent_id'),
    /** A people Region id: the unit's area. */
    regionId: uuid('region_id').notNull(),
  },
  (table) => [index('bank_units_region_idx').on(table.regionId)],
);

/**
 * The deposits the cells know of, with where they were counted: a
 * deposit's reversal takes back its points from exactly these cells. A
 * reversal that comes first (its deposit's event dead-lettered) leaves a row
 * already reversed, so the deposit, if it ever arrives, is not counted.
 */
export const countedDeposits = recognition.table(
  'counted_deposits',
  {
    /** A points Deposit id. */
    depositId: uuid('deposit_id').primaryKey(),
    personId: uuid('person_id').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    /** The cells it was counted in; null for a row remembered by a reversal that came first. */
    month: date('month', { mode: 'string' }),
    categoryCode: text('category_code'),
    regionId: uuid('region_id'),
    teamId: uuid('team_id'),
    officeId: uuid('office_id'),
    countedAt: timestamp('counted_at', { withTimezone: true }).notNull().defaultNow(),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
  },
  (table) => [check('counted_deposits_points_positive', sql`${table.points} > 0`)],
);

export type PersonMonthTallyRow = typeof personMonthTallies.$inferSelect;
export type TeamMonthTallyRow = typeof teamMonthTallies.$inferSelect;
export type OfficeYearTallyRow = typeof officeYearTallies.$inferSelect;
