/**
 * The facts recognition's statistics count: one row per service record and
 * per rating announced by requests, with where and when it happened, written
 * by the consumer in the transaction that updates the tallies. Append-only:
 * a correction is a reversal row of negative minutes, never an update, so a
 * period's figures never change once its events are in. Regions are kept
 * only as far as levels go (`region_levels`), from people's
 * `region.created`: grouping by district, street or community needs the
 * kind of each region in a path.
 */
import { sql } from 'drizzle-orm';
import { check, date, index, integer, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recognition } from './base.js';

/**
 * A service record as counted for statistics: the minutes (negative for a
 * reversal, which carries its original's day so the two cancel in one
 * period), the Beijing day it was served, the place's region path (the place
 * and every region above it, as requests announced it) and the category.
 * Keyed by the record's id, so an event applied twice adds one row. A
 * reversal is written only when its original's row is here.
 */
export const serviceFacts = recognition.table(
  'service_facts',
  {
    serviceRecordId: uuid('service_record_id').primaryKey(),
    /** The reversed record's id, for a reversal; null for a service. */
    reversesId: uuid('reverses_id'),
    volunteerId: uuid('volunteer_id').notNull(),
    minutes: integer('minutes').notNull(),
    servedOn: date('served_on', { mode: 'string' }).notNull(),
    regionPath: uuid('region_path').array().notNull(),
    categoryCode: text('category_code').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('service_facts_minutes_signed', sql`(${table.reversesId} is null) = (${table.minutes} > 0) and ${table.minutes} <> 0`),
    index('service_facts_region_path_idx').using('gin', table.regionPath),
    index('service_facts_served_on_idx').on(table.servedOn),
    index('service_facts_reverses_id_idx').on(table.reversesId),
  ],
);

/**
 * A rating (1–5) residents gave a served request, on the Beijing day it was
 * given, where the request was placed. `volunteer_id` is the assignee; null
 * when a team served it alone. A request is rated once: keyed by its id.
 */
export const ratingFacts = recognition.table(
  'rating_facts',
  {
    requestId: uuid('request_id').primaryKey(),
    volunteerId: uuid('volunteer_id'),
    score: smallint('score').notNull(),
    ratedOn: date('rated_on', { mode: 'string' }).notNull(),
    regionPath: uuid('region_path').array().notNull(),
    categoryCode: text('category_code').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('rating_facts_score_in_range', sql`${table.score} between 1 and 5`),
    index('rating_facts_region_path_idx').using('gin', table.regionPath),
    index('rating_facts_rated_on_idx').on(table.ratedOn),
  ],
);

/**
 * The kind (district, street, community, …) of each region people announced:
 * what a region level groups by; and its place in the tree, which the stars'
 * thresholds are inherited along. `path` is the region's ancestors, root
 * first (people's convention), kept up to date on moves; null for a region
 * recorded before places were kept, which then inherits nothing.
 */
export const regionLevels = recognition.table(
  'region_levels',
  {
    regionId: uuid('region_id').primaryKey(),
    kind: text('kind').notNull(),
    parentId: uuid('parent_id'),
    path: uuid('path').array(),
  },
  (table) => [index('region_levels_path_idx').using('gin', table.path)],
);
