/**
 * Honour campaigns (评选表彰) and honour titles from outside
 * (docs/recognition.md, "Campaigns and honour titles"). A campaign moves
 * through its stages forward only, one step at a time (a trigger checks each
 * update of `campaigns.stage` and refuses any other change of the row), and
 * every move is a row of `campaign_stage_changes`. Categories, reviewers,
 * nominations, withdrawals, scores, winners, honour titles and their
 * withdrawals are append-only (triggers refuse UPDATE, DELETE and TRUNCATE),
 * and each kind of row may only be added in the stages that take it (a
 * trigger reads the campaign's stage), so a CLOSED campaign is read-only in
 * the database itself.
 *
 * Winners occupy slots 1..quota of their category: the primary key
 * (category, slot), the check `slot between 1 and quota` and the foreign key
 * (category, quota) to the category's own quota make a winner beyond the
 * quota impossible to store, whoever inserts it and however many publish at
 * once.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, primaryKey, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { recognition } from './base.js';

/** The stages of a campaign, in order; a campaign only ever moves to the next one. */
export const CAMPAIGN_STAGES = ['draft', 'nominating', 'reviewing', 'published', 'closed'] as const;
export type CampaignStage = (typeof CAMPAIGN_STAGES)[number];

/** What a category honours. Kept as a checked text so that `project` can join when project competitions do. */
export const CAMPAIGN_SUBJECT_KINDS = ['volunteer', 'team', 'organization'] as const;
export type CampaignSubjectKind = (typeof CAMPAIGN_SUBJECT_KINDS)[number];

/**
 * A campaign: its organiser region (the campaign's scope is that region's
 * subtree; `region_chain` is the chain from the root down to it, itself
 * last, as it stood at creation), its year and the months whose service
 * counts for the hours conditions (`[period_start, period_end)`, whole
 * Beijing months), whether volunteers may nominate themselves, and its
 * current stage.
 */
export const campaigns = recognition.table(
  'campaigns',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    regionId: uuid('region_id').notNull(),
    regionChain: uuid('region_chain').array().notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    year: integer('year').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    /** The first day after the period. */
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    selfApplication: boolean('self_application').notNull(),
    stage: text('stage', { enum: CAMPAIGN_STAGES }).notNull().default('draft'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    index('campaigns_year_idx').on(table.year, table.createdAt),
    index('campaigns_region_chain_idx').using('gin', table.regionChain),
    check('campaigns_stage_known', sql`${table.stage} in ('draft', 'nominating', 'reviewing', 'published', 'closed')`),
    check('campaigns_year_range', sql`${table.year} between 2000 and 2100`),
    check('campaigns_period_months', sql`extract(day from ${table.periodStart}) = 1 and extract(day from ${table.periodEnd}) = 1 and ${table.periodStart} < ${table.periodEnd}`),
    check('campaigns_texts_not_blank', sql`length(trim(${table.title})) > 0 and length(trim(${table.description})) > 0`),
    check('campaigns_chain_ends_with_region', sql`${table.regionChain}[array_length(${table.regionChain}, 1)] = ${table.regionId}`),
  ],
);

/** Each move of a campaign's stage: from which (null for the creation in DRAFT) to which, by whom, when. One row per stage reached. */
export const campaignStageChanges = recognition.table(
  'campaign_stage_changes',
  {
    campaignId: uuid('campaign_id').notNull(),
    fromStage: text('from_stage', { enum: CAMPAIGN_STAGES }),
    toStage: text('to_stage', { enum: CAMPAIGN_STAGES }).notNull(),
    changedBy: text('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'campaign_stage_changes_pk', columns: [table.campaignId, table.toStage] }),
    foreignKey({ name: 'campaign_stage_changes_campaign_fk', columns: [table.campaignId], foreignColumns: [campaigns.id] }),
    check(
      'campaign_stage_changes_forward',
      sql`array_position(array['draft', 'nominating', 'reviewing', 'published', 'closed'], ${table.toStage})
          = coalesce(array_position(array['draft', 'nominating', 'reviewing', 'published', 'closed'], ${table.fromStage}), 0) + 1`,
    ),
  ],
);

/**
 * A category of a campaign (最美抗疫之星): what it honours, how many winners
 * (quota), and its eligibility conditions as data: a minimum star level
 * (volunteers), minimum service minutes in the campaign's period, and a
 * region whose subtree the nominee must belong to (null: the campaign's).
 */
export const campaignCategories = recognition.table(
  'campaign_categories',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    campaignId: uuid('campaign_id').notNull(),
    position: smallint('position').notNull(),
    name: text('name').notNull(),
    subjectKind: text('subject_kind', { enum: CAMPAIGN_SUBJECT_KINDS }).notNull(),
    quota: integer('quota').notNull(),
    minStarLevel: smallint('min_star_level'),
    minMinutes: integer('min_minutes'),
    regionId: uuid('region_id'),
  },
  (table) => [
    foreignKey({ name: 'campaign_categories_campaign_fk', columns: [table.campaignId], foreignColumns: [campaigns.id] }),
    unique('campaign_categories_name_unique').on(table.campaignId, table.name),
    unique('campaign_categories_position_unique').on(table.campaignId, table.position),
    // Targets of the composite foreign keys below: a nomination's category is of its campaign and kind; a winner's quota is its category's.
    unique('campaign_categories_campaign_kind_key').on(table.id, table.campaignId, table.subjectKind),
    unique('campaign_categories_quota_key').on(table.id, table.quota),
    check('campaign_categories_subject_kind_known', sql`${table.subjectKind} in ('volunteer', 'team', 'organization')`),
    check('campaign_categories_quota_range', sql`${table.quota} between 1 and 1000`),
    check('campaign_categories_min_star_level', sql`${table.minStarLevel} is null or (${table.minStarLevel} between 1 and 5 and ${table.subjectKind} = 'volunteer')`),
    check('campaign_categories_min_minutes', sql`${table.minMinutes} is null or (${table.minMinutes} > 0 and ${table.subjectKind} in ('volunteer', 'team'))`),
    check('campaign_categories_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

/** A reviewer the organiser appointed to a campaign (a person). */
export const campaignReviewers = recognition.table(
  'campaign_reviewers',
  {
    campaignId: uuid('campaign_id').notNull(),
    personId: uuid('person_id').notNull(),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'campaign_reviewers_pk', columns: [table.campaignId, table.personId] }),
    foreignKey({ name: 'campaign_reviewers_campaign_fk', columns: [table.campaignId], foreignColumns: [campaigns.id] }),
    index('campaign_reviewers_person_idx').on(table.personId),
  ],
);

/**
 * A nomination: a subject of the category's kind, put forward by an admin, a
 * team's captain or the volunteer themself (`nominator_kind`), with a
 * statement and the display name to publish if they win. One per category
 * and subject, ever: a withdrawn nomination is not made again.
 */
export const campaignNominations = recognition.table(
  'campaign_nominations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    campaignId: uuid('campaign_id').notNull(),
    categoryId: uuid('category_id').notNull(),
    subjectKind: text('subject_kind', { enum: CAMPAIGN_SUBJECT_KINDS }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    nominatorKind: text('nominator_kind', { enum: ['admin', 'captain', 'self'] }).notNull(),
    /** The nominator's person id, when a person nominated (captains, volunteers and admins with a person). */
    nominatorPersonId: uuid('nominator_person_id'),
    nominatedBy: text('nominated_by').notNull(),
    statement: text('statement').notNull(),
    displayName: text('display_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('campaign_nominations_subject_unique').on(table.categoryId, table.subjectId),
    unique('campaign_nominations_category_key').on(table.id, table.categoryId),
    unique('campaign_nominations_campaign_key').on(table.id, table.campaignId),
    foreignKey({
      name: 'campaign_nominations_category_fk',
      columns: [table.categoryId, table.campaignId, table.subjectKind],
      foreignColumns: [campaignCategories.id, campaignCategories.campaignId, campaignCategories.subjectKind],
    }),
    index('campaign_nominations_campaign_idx').on(table.campaignId, table.createdAt),
    index('campaign_nominations_nominator_idx').on(table.nominatorPersonId),
    check('campaign_nominations_nominator_kind_known', sql`${table.nominatorKind} in ('admin', 'captain', 'self')`),
    check('campaign_nominations_texts_not_blank', sql`length(trim(${table.statement})) > 0 and length(trim(${table.displayName})) > 0`),
  ],
);

/** A nomination withdrawn (before review), by whom and why. */
export const campaignNominationWithdrawals = recognition.table(
  'campaign_nomination_withdrawals',
  {
    nominationId: uuid('nomination_id').primaryKey(),
    campaignId: uuid('campaign_id').notNull(),
    reason: text('reason').notNull(),
    withdrawnBy: text('withdrawn_by').notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    foreignKey({
      name: 'campaign_nomination_withdrawals_nomination_fk',
      columns: [table.nominationId, table.campaignId],
      foreignColumns: [campaignNominations.id, campaignNominations.campaignId],
    }),
    check('campaign_nomination_withdrawals_reason_not_blank', sql`length(trim(${table.reason})) > 0`),
  ],
);

/** One reviewer's score (0–100) of one nomination, given once. */
export const campaignScores = recognition.table(
  'campaign_scores',
  {
    nominationId: uuid('nomination_id').notNull(),
    reviewerId: uuid('reviewer_id').notNull(),
    campaignId: uuid('campaign_id').notNull(),
    score: smallint('score').notNull(),
    scoredAt: timestamp('scored_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'campaign_scores_pk', columns: [table.nominationId, table.reviewerId] }),
    foreignKey({
      name: 'campaign_scores_nomination_fk',
      columns: [table.nominationId, table.campaignId],
      foreignColumns: [campaignNominations.id, campaignNominations.campaignId],
    }),
    foreignKey({ name: 'campaign_scores_reviewer_fk', columns: [table.campaignId, table.reviewerId], foreignColumns: [campaignReviewers.campaignId, campaignReviewers.personId] }),
    check('campaign_scores_range', sql`${table.score} between 0 and 100`),
  ],
);

/**
 * A winner: the nomination in slot `slot` (its rank among the winners) of
 * its category, with the display name and citation published. See the file
 * comment for why no more than `quota` can exist.
 */
export const campaignWinners = recognition.table(
  'campaign_winners',
  {
    categoryId: uuid('category_id').notNull(),
    slot: integer('slot').notNull(),
    quota: integer('quota').notNull(),
    campaignId: uuid('campaign_id').notNull(),
    nominationId: uuid('nomination_id').notNull(),
    subjectKind: text('subject_kind', { enum: CAMPAIGN_SUBJECT_KINDS }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    displayName: text('display_name').notNull(),
    citation: text('citation').notNull(),
    /** The nomination's scores at publication: their sum and count (the ranking it won by). */
    scoreTotal: integer('score_total').notNull(),
    scores: integer('scores').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'campaign_winners_pk', columns: [table.categoryId, table.slot] }),
    unique('campaign_winners_nomination_unique').on(table.nominationId),
    foreignKey({ name: 'campaign_winners_quota_fk', columns: [table.categoryId, table.quota], foreignColumns: [campaignCategories.id, campaignCategories.quota] }),
    foreignKey({
      name: 'campaign_winners_nomination_fk',
      columns: [table.nominationId, table.categoryId],
      foreignColumns: [campaignNominations.id, campaignNominations.categoryId],
    }),
    index('campaign_winners_campaign_idx').on(table.campaignId),
    index('campaign_winners_subject_idx').on(table.subjectId),
    check('campaign_winners_slot_within_quota', sql`${table.slot} between 1 and ${table.quota}`),
    check('campaign_winners_texts_not_blank', sql`length(trim(${table.displayName})) > 0 and length(trim(${table.citation})) > 0`),
  ],
);

/** An honour title from outside (最美志愿者, 中国好人, 道德模范) recorded on a person by an admin: what, from whom, when awarded. */
export const honourTitles = recognition.table(
  'honour_titles',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    personId: uuid('person_id').notNull(),
    title: text('title').notNull(),
    source: text('source').notNull(),
    awardedOn: date('awarded_on', { mode: 'string' }).notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('honour_titles_unique').on(table.personId, table.title, table.source, table.awardedOn),
    check('honour_titles_texts_not_blank', sql`length(trim(${table.title})) > 0 and length(trim(${table.source})) > 0`),
  ],
);

/** An honour title withdrawn by an admin, with the reason; the title's row stays. */
export const honourTitleWithdrawals = recognition.table(
  'honour_title_withdrawals',
  {
    titleId: uuid('title_id').primaryKey(),
    reason: text('reason').notNull(),
    withdrawnBy: text('withdrawn_by').notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    foreignKey({ name: 'honour_title_withdrawals_title_fk', columns: [table.titleId], foreignColumns: [honourTitles.id] }),
    check('honour_title_withdrawals_reason_not_blank', sql`length(trim(${table.reason})) > 0`),
  ],
);

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignStageChangeRow = typeof campaignStageChanges.$inferSelect;
export type CampaignCategoryRow = typeof campaignCategories.$inferSelect;
export type CampaignNominationRow = typeof campaignNominations.$inferSelect;
export type CampaignWinnerRow = typeof campaignWinners.$inferSelect;
export type HonourTitleRow = typeof honourTitles.$inferSelect;
