/**
 * Volunteer stars (一至五星): the thresholds regions set, where each person
 * lives (for which thresholds apply), each person's current level and the
 * append-only history of its changes. The level follows from the person's
 * lifetime tally (tallies.ts) and is re-evaluated, in the same transaction,
 * whenever that tally, the person's home, a region's place in the tree or
 * the thresholds change (src/stars/service.ts).
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { recognition } from './base.js';

/**
 * The thresholds a region sets for the volunteers living in it and below it
 * (unless a region further down sets its own): the hours for levels 1 to 5,
 * strictly increasing, and optionally one quality condition (an average
 * rating of at least `quality_min_average_hundredths / 100` over at least
 * `quality_min_ratings` ratings) that every level from `quality_from_level`
 * up requires. A region without a row inherits; clearing deletes the row.
 */
export const starThresholds = recognition.table(
  'star_thresholds',
  {
    regionId: uuid('region_id').primaryKey(),
    /** Whole hours for levels 1–5, in order. */
    levelHours: integer('level_hours').array().notNull(),
    /** The minimum average rating in hundredths (450 for 4.5), so the comparison stays in integers. */
    qualityMinAverageHundredths: smallint('quality_min_average_hundredths'),
    qualityMinRatings: integer('quality_min_ratings'),
    qualityFromLevel: smallint('quality_from_level'),
    /** Identity-provider subject of the admin who set them. */
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'star_thresholds_levels_increasing',
      sql`cardinality(${table.levelHours}) = 5 and array_position(${table.levelHours}, null) is null and ${table.levelHours}[1] > 0
        and ${table.levelHours}[1] < ${table.levelHours}[2] and ${table.levelHours}[2] < ${table.levelHours}[3]
        and ${table.levelHours}[3] < ${table.levelHours}[4] and ${table.levelHours}[4] < ${table.levelHours}[5] and ${table.levelHours}[5] <= 100000`,
    ),
    check(
      'star_thresholds_quality_complete',
      sql`(${table.qualityMinAverageHundredths} is null) = (${table.qualityMinRatings} is null) and (${table.qualityMinRatings} is null) = (${table.qualityFromLevel} is null)`,
    ),
    check('star_thresholds_quality_average_range', sql`${table.qualityMinAverageHundredths} between 100 and 500`),
    check('star_thresholds_quality_ratings_range', sql`${table.qualityMinRatings} between 1 and 100000`),
    check('star_thresholds_quality_level_range', sql`${table.qualityFromLevel} between 1 and 5`),
  ],
);

/**
 * Where each person lives, from people's `person.registered` and
 * `person.home_changed`: the region whose thresholds (or whose nearest
 * ancestor's) apply to their stars. Null for a person registered without a
 * home; the national practice applies to them.
 */
export const personHomes = recognition.table(
  'person_homes',
  {
    personId: uuid('person_id').primaryKey(),
    regionId: uuid('region_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('person_homes_region_idx').on(table.regionId)],
);

/**
 * Each person's current star level (0, no star yet, to 5) and when they
 * reached it. A row appears with the person's first change of level; a
 * person without one has no star.
 */
export const personStars = recognition.table(
  'person_stars',
  {
    personId: uuid('person_id').primaryKey(),
    level: smallint('level').notNull(),
    /** When the current level was reached; null at level 0. */
    reachedAt: timestamp('reached_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('person_stars_level_range', sql`${table.level} between 0 and 5`),
    check('person_stars_reached_at_with_level', sql`(${table.level} = 0) = (${table.reachedAt} is null)`),
  ],
);

/** What re-evaluated a person's star: their tally (a service, a reversal, a rating), their home, a region's move, or thresholds set or cleared. */
export const starChangeCause = recognition.enum('star_change_cause', ['service', 'reversal', 'rating', 'home', 'region', 'thresholds']);

/**
 * Every change of a person's star level, append-only (a trigger refuses
 * UPDATE and DELETE): from which level to which, when, what caused it, the
 * tally at that moment and the region whose thresholds applied (null: the
 * national practice). A level lowered by a reversal is a row like any other,
 * with `cause` `reversal` and `to_level` below `from_level`.
 */
export const starChanges = recognition.table(
  'star_changes',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    personId: uuid('person_id').notNull(),
    fromLevel: smallint('from_level').notNull(),
    toLevel: smallint('to_level').notNull(),
    cause: starChangeCause('cause').notNull(),
    /** The service record, reversal record or rated request behind the change; null for the other causes. */
    causeId: uuid('cause_id'),
    serviceMinutes: integer('service_minutes').notNull(),
    ratings: integer('ratings').notNull(),
    ratingSum: integer('rating_sum').notNull(),
    thresholdsRegionId: uuid('thresholds_region_id'),
    /** When the cause happened (the service's, the rating's, the reversal's time; the mutation's for thresholds). */
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('star_changes_levels_range', sql`${table.fromLevel} between 0 and 5 and ${table.toLevel} between 0 and 5`),
    check('star_changes_level_changed', sql`${table.fromLevel} <> ${table.toLevel}`),
    check('star_changes_tally_not_negative', sql`${table.serviceMinutes} >= 0 and ${table.ratings} >= 0 and ${table.ratingSum} >= 0`),
    index('star_changes_person_idx').on(table.personId, table.recordedAt, table.id),
  ],
);

export type StarThresholdsRow = typeof starThresholds.$inferSelect;
export type PersonStarRow = typeof personStars.$inferSelect;
export type StarChangeRow = typeof starChanges.$inferSelect;
export type StarChangeCause = (typeof starChangeCause.enumValues)[number];
