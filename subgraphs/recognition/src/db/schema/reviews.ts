/**
 * Reviews (月兑换, 季小评, 年总评) and the savings offices' yearly star
 * ratings (docs/recognition.md, "Reviews" and "Office star ratings"). A
 * review cycle is a head bank's month, quarter or year, closed once: its row
 * is unique per bank and period, so two concurrent closes make one cycle,
 * and the rankings and ratings frozen with it are written in the same
 * transaction as the cycle itself. Nothing here is ever updated or deleted
 * (triggers refuse it): a closed review is a record of what was.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, jsonb, primaryKey, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import type { ScoredIndicator } from '../../offices/rating.js';
import { recognition } from './base.js';

/**
 * One closed review of a head bank: the Beijing calendar period
 * `[period_start, period_end)` it covers, when and by whom it was closed
 * (`system:scheduler` for the scheduled close).
 */
export const reviewCycles = recognition.table(
  'review_cycles',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** The head bank (a points BankUnit id) whose review it is. */
    bankId: uuid('bank_id').notNull(),
    bucket: text('bucket', { enum: ['month', 'quarter', 'year'] }).notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    /** The first day after the period. */
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
    /** The admin's identity-provider subject, or `system:scheduler`. */
    closedBy: text('closed_by').notNull(),
  },
  (table) => [
    // One cycle per bank and period: the second of two concurrent closes waits on this key and finds the first's.
    unique('review_cycles_period').on(table.bankId, table.bucket, table.periodStart),
    check(
      'review_cycles_period_shape',
      sql`extract(day from ${table.periodStart}) = 1 and ${table.periodEnd} = ${table.periodStart} + (case ${table.bucket} when 'month' then interval '1 month' when 'quarter' then interval '3 months' else interval '1 year' end)
        and (${table.bucket} <> 'quarter' or extract(month from ${table.periodStart}) in (1, 4, 7, 10))
        and (${table.bucket} <> 'year' or extract(month from ${table.periodStart}) = 1)`,
    ),
  ],
);

/**
 * The rankings a review froze: the best persons, teams and (for a year)
 * savings offices of the bank by hours, services, average rating and points,
 * as the leaderboard of the period showed them at the close. `value` is
 * minutes, services, the rating sum or points; `ratings` the ratings counted.
 * A person's row names them by id only: whether they are shown is decided
 * when the ranking is read (a later opt-out hides them from old rankings too).
 */
export const reviewRankings = recognition.table(
  'review_rankings',
  {
    reviewId: uuid('review_id').notNull(),
    subject: text('subject', { enum: ['person', 'team', 'office'] }).notNull(),
    kind: text('kind', { enum: ['hours', 'services', 'rating', 'points'] }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    rank: integer('rank').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
    ratings: integer('ratings').notNull(),
  },
  (table) => [
    primaryKey({ name: 'review_rankings_pk', columns: [table.reviewId, table.subject, table.kind, table.subjectId] }),
    foreignKey({ name: 'review_rankings_review_fk', columns: [table.reviewId], foreignColumns: [reviewCycles.id] }),
    index('review_rankings_board_idx').on(table.reviewId, table.subject, table.kind, table.rank),
    check('review_rankings_rank_positive', sql`${table.rank} >= 1 and ${table.value} >= 0 and ${table.ratings} >= 0`),
  ],
);

/**
 * A head bank's way of rating its savings offices each year: the weight of
 * each of the five indicators (whole percentages adding up to 100), the
 * score (0–100) each star level needs, and optionally how many offices may
 * hold a level (the article's "9 four-star and 3 five-star offices"). A bank
 * without a row uses the default (docs/recognition.md). Setting replaces the
 * row; the ratings already frozen keep the weights they were made with.
 */
export const officeRatingSchemes = recognition.table(
  'office_rating_schemes',
  {
    bankId: uuid('bank_id').primaryKey(),
    weightAccounts: smallint('weight_accounts').notNull(),
    weightHours: smallint('weight_hours').notNull(),
    weightProjects: smallint('weight_projects').notNull(),
    weightRedeemed: smallint('weight_redeemed').notNull(),
    weightMerchants: smallint('weight_merchants').notNull(),
    /** The score (0–100) levels 1 to 5 need, in order, never decreasing. */
    thresholds: smallint('thresholds').array().notNull(),
    /** How many offices may hold each level; null: no limit. */
    quota1: integer('quota_1'),
    quota2: integer('quota_2'),
    quota3: integer('quota_3'),
    quota4: integer('quota_4'),
    quota5: integer('quota_5'),
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'office_rating_schemes_weights',
      sql`${table.weightAccounts} >= 0 and ${table.weightHours} >= 0 and ${table.weightProjects} >= 0 and ${table.weightRedeemed} >= 0 and ${table.weightMerchants} >= 0
        and ${table.weightAccounts} + ${table.weightHours} + ${table.weightProjects} + ${table.weightRedeemed} + ${table.weightMerchants} = 100`,
    ),
    check(
      'office_rating_schemes_thresholds',
      sql`cardinality(${table.thresholds}) = 5 and array_position(${table.thresholds}, null) is null and ${table.thresholds}[1] >= 0 and ${table.thresholds}[5] <= 100
        and ${table.thresholds}[1] <= ${table.thresholds}[2] and ${table.thresholds}[2] <= ${table.thresholds}[3]
        and ${table.thresholds}[3] <= ${table.thresholds}[4] and ${table.thresholds}[4] <= ${table.thresholds}[5]`,
    ),
    check('office_rating_schemes_quotas', sql`${table.quota1} >= 0 and ${table.quota2} >= 0 and ${table.quota3} >= 0 and ${table.quota4} >= 0 and ${table.quota5} >= 0`),
  ],
);

/**
 * An office's rating frozen by its bank's year review: the stars, the rank
 * among the bank's offices, the score in hundredths of a point, and each
 * indicator as it was scored (`{ name, value, best, weight, score }`, the
 * score in hundredths), with the sentence that explains the stars.
 */
export const officeRatings = recognition.table(
  'office_ratings',
  {
    reviewId: uuid('review_id').notNull(),
    officeId: uuid('office_id').notNull(),
    bankId: uuid('bank_id').notNull(),
    year: smallint('year').notNull(),
    stars: smallint('stars').notNull(),
    rank: integer('rank').notNull(),
    offices: integer('offices').notNull(),
    scoreHundredths: integer('score_hundredths').notNull(),
    indicators: jsonb('indicators').$type<ScoredIndicator[]>().notNull(),
    explanation: text('explanation').notNull(),
  },
  (table) => [
    primaryKey({ name: 'office_ratings_pk', columns: [table.reviewId, table.officeId] }),
    foreignKey({ name: 'office_ratings_review_fk', columns: [table.reviewId], foreignColumns: [reviewCycles.id] }),
    // One frozen rating per office and year: an office belongs to one bank, whose year closes once.
    unique('office_ratings_office_year').on(table.officeId, table.year),
    check('office_ratings_ranges', sql`${table.stars} between 0 and 5 and ${table.rank} between 1 and ${table.offices} and ${table.scoreHundredths} between 0 and 10000`),
  ],
);

export type ReviewCycleRow = typeof reviewCycles.$inferSelect;
export type ReviewRankingRow = typeof reviewRankings.$inferSelect;
export type OfficeRatingSchemeRow = typeof officeRatingSchemes.$inferSelect;
export type OfficeRatingRow = typeof officeRatings.$inferSelect;
