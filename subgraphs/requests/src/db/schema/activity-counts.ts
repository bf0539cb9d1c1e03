/** What activities count for beyond hours: participants' ratings and the outputs organisers record. */
import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, requests } from './base.js';
import { activities, activityAttendances } from './activities.js';

/**
 * A participant's rating of an activity (1–5, an optional comment): only
 * someone who checked in (the foreign key to their attendance), once, never
 * changed.
 */
export const activityRatings = requests.table(
  'activity_ratings',
  {
    activityId: uuid('activity_id').notNull(),
    personId: uuid('person_id').notNull(),
    score: integer('score').notNull(),
    comment: text('comment'),
    ratedAt: instant('rated_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'activity_ratings_pk', columns: [table.activityId, table.personId] }),
    foreignKey({
      name: 'activity_ratings_attendance_fk',
      columns: [table.activityId, table.personId],
      foreignColumns: [activityAttendances.activityId, activityAttendances.personId],
    }),
    check('activity_ratings_score', sql`${table.score} between 1 and 5`),
    check('activity_ratings_comment_length', sql`char_length(trim(${table.comment})) between 1 and 500`),
  ],
);

/** The kinds of output an activity records, each counted in whole units. */
export const activityOutputKind = requests.enum('activity_output_kind', [
  'beneficiaries_served',
  'households_visited',
  'materials_distributed',
  'items_collected',
  'area_covered_square_metres',
  'other',
]);

/** What an activity produced, as data: e.g. 发放宣传资料 4200 份, 消杀面积 76000 平方米. One row per kind (and label, for `other`). */
export const activityOutputs = requests.table(
  'activity_outputs',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id),
    kind: activityOutputKind('kind').notNull(),
    /** What an `other` output is; empty for the named kinds. */
    label: text('label').notNull().default(''),
    quantity: integer('quantity').notNull(),
    unit: text('unit').notNull(),
    recordedById: uuid('recorded_by').notNull(),
    recordedAt: instant('recorded_at').notNull().defaultNow(),
  },
  (table) => [
    index('activity_outputs_activity_idx').on(table.activityId),
    uniqueIndex('activity_outputs_one_per_kind').on(table.activityId, table.kind, table.label),
    check('activity_outputs_quantity', sql`${table.quantity} between 0 and 1000000000`),
    check('activity_outputs_label', sql`(${table.kind} = 'other') = (char_length(trim(${table.label})) between 1 and 50)`),
    check('activity_outputs_unit_length', sql`char_length(trim(${table.unit})) between 1 and 20`),
  ],
);

export type ActivityRatingRow = typeof activityRatings.$inferSelect;
export type ActivityOutputRow = typeof activityOutputs.$inferSelect;
export type ActivityOutputKind = (typeof activityOutputKind.enumValues)[number];
