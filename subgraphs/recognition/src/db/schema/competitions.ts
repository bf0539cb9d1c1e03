/**
 * Service projects and project competitions (项目大赛; docs/recognition.md,
 * "Service projects and competitions"). Teams and their current members are
 * kept from people's events (`team.created` with its organisation,
 * `team_member.added`/`.removed`, `team.captain_changed`): who owns a project
 * and whose side a judge is on. A project's results are never stored: they
 * are read from the counted services of its linked activities and records.
 *
 * The competition's rules are the database's own (triggers appended to the
 * migration `0011_competitions`): applications only while the application
 * stage is open; judges assigned and scores given only while their stage is
 * open; a judge who is a current member of the project's owner team, or of
 * any team of the owner's organisation, is refused
 * (`competition_scores_conflict_of_interest`); scores and results are
 * append-only; a closed stage stays closed, and no result is written to it
 * afterwards.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, primaryKey, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { recognition } from './base.js';

/** A team as people announced it: its community, its organisation (null for a community's own team) and its captain. */
export const knownTeams = recognition.table(
  'known_teams',
  {
    teamId: uuid('team_id').primaryKey(),
    communityId: uuid('community_id').notNull(),
    organizationId: uuid('organization_id'),
    captainId: uuid('captain_id'),
  },
  (table) => [index('known_teams_organization_idx').on(table.organizationId)],
);

/** Who is a member of which team now (`left_at` null) or was (the last membership's end). */
export const teamMembers = recognition.table(
  'team_members',
  {
    teamId: uuid('team_id').notNull(),
    personId: uuid('person_id').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ name: 'team_members_pk', columns: [table.teamId, table.personId] }), index('team_members_person_idx').on(table.personId)],
);

/** A service project (服务项目), owned by exactly one team or one organisation. */
export const serviceProjects = recognition.table(
  'service_projects',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    ownerTeamId: uuid('owner_team_id'),
    ownerOrganizationId: uuid('owner_organization_id'),
    name: text('name').notNull(),
    categoryCode: text('category_code').notNull(),
    regionId: uuid('region_id').notNull(),
    description: text('description').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    check('service_projects_one_owner', sql`(${table.ownerTeamId} is null) <> (${table.ownerOrganizationId} is null)`),
    check('service_projects_name_not_blank', sql`length(trim(${table.name})) > 0`),
    unique('service_projects_region_name_unique').on(table.regionId, table.name),
    index('service_projects_owner_team_idx').on(table.ownerTeamId),
    index('service_projects_owner_organization_idx').on(table.ownerOrganizationId),
  ],
);

/** An activity linked to a project: every counted service at it measures the project. */
export const serviceProjectActivities = recognition.table(
  'service_project_activities',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => serviceProjects.id),
    activityId: uuid('activity_id').notNull(),
    linkedBy: text('linked_by').notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: 'service_project_activities_pk', columns: [table.projectId, table.activityId] })],
);

/** A service record linked to a project. */
export const serviceProjectRecords = recognition.table(
  'service_project_records',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => serviceProjects.id),
    serviceRecordId: uuid('service_record_id').notNull(),
    linkedBy: text('linked_by').notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: 'service_project_records_pk', columns: [table.projectId, table.serviceRecordId] })],
);

export const competitionStage = recognition.enum('competition_stage', ['application', 'preliminary', 'final']);
export const awardLevel = recognition.enum('award_level', ['gold', 'silver', 'bronze', 'excellence']);

/**
 * A competition: its region scope, how many projects the preliminary sends
 * to the final, and how many of each award level the final gives (together
 * at most the final's quota).
 */
export const competitions = recognition.table(
  'competitions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    title: text('title').notNull(),
    regionId: uuid('region_id').notNull(),
    finalQuota: integer('final_quota').notNull(),
    goldCount: integer('gold_count').notNull(),
    silverCount: integer('silver_count').notNull(),
    bronzeCount: integer('bronze_count').notNull(),
    excellenceCount: integer('excellence_count').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    check('competitions_title_not_blank', sql`length(trim(${table.title})) > 0`),
    check('competitions_final_quota_positive', sql`${table.finalQuota} between 1 and 1000`),
    check(
      'competitions_award_counts',
      sql`least(${table.goldCount}, ${table.silverCount}, ${table.bronzeCount}, ${table.excellenceCount}) >= 0
          and ${table.goldCount} + ${table.silverCount} + ${table.bronzeCount} + ${table.excellenceCount} between 1 and ${table.finalQuota}`,
    ),
    index('competitions_region_created_idx').on(table.regionId, table.createdAt, table.id),
  ],
);

/** A criterion judges score, 0–100, with its weight; a competition's weights add up to 100 (checked when the competition is created). */
export const competitionCriteria = recognition.table(
  'competition_criteria',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    competitionId: uuid('competition_id')
      .notNull()
      .references(() => competitions.id),
    position: smallint('position').notNull(),
    name: text('name').notNull(),
    weight: smallint('weight').notNull(),
  },
  (table) => [
    unique('competition_criteria_position_unique').on(table.competitionId, table.position),
    unique('competition_criteria_name_unique').on(table.competitionId, table.name),
    // For the scores' foreign key: a score's criterion is one of its competition's.
    unique('competition_criteria_competition_id_unique').on(table.competitionId, table.id),
    check('competition_criteria_weight_range', sql`${table.weight} between 1 and 100`),
    check('competition_criteria_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

/** A competition's three stages: open from `opened_at` (the application stage at creation; the next when one closes) to `closed_at`. */
export const competitionStages = recognition.table(
  'competition_stages',
  {
    competitionId: uuid('competition_id')
      .notNull()
      .references(() => competitions.id),
    stage: competitionStage('stage').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true, precision: 3 }),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
    closedBy: text('closed_by'),
  },
  (table) => [
    primaryKey({ name: 'competition_stages_pk', columns: [table.competitionId, table.stage] }),
    check(
      'competition_stages_closed_after_opening',
      sql`${table.closedAt} is null or (${table.openedAt} is not null and ${table.closedAt} >= ${table.openedAt} and ${table.closedBy} is not null)`,
    ),
  ],
);

/** A project's application (报名), during the application stage. */
export const competitionEntries = recognition.table(
  'competition_entries',
  {
    competitionId: uuid('competition_id')
      .notNull()
      .references(() => competitions.id),
    projectId: uuid('project_id')
      .notNull()
      .references(() => serviceProjects.id),
    appliedBy: text('applied_by').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: 'competition_entries_pk', columns: [table.competitionId, table.projectId] }), index('competition_entries_project_idx').on(table.projectId)],
);

/** A judge (a person) of one stage of a competition. */
export const competitionJudges = recognition.table(
  'competition_judges',
  {
    competitionId: uuid('competition_id')
      .notNull()
      .references(() => competitions.id),
    stage: competitionStage('stage').notNull(),
    judgeId: uuid('judge_id').notNull(),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'competition_judges_pk', columns: [table.competitionId, table.stage, table.judgeId] }),
    check('competition_judges_judged_stage', sql`${table.stage} <> 'application'`),
    index('competition_judges_judge_idx').on(table.judgeId),
  ],
);

/**
 * A judge's score of one project on one criterion in one stage, 0–100.
 * Append-only: a judge who changes their mind adds a row, and the latest
 * row of each (stage, judge, project, criterion) counts (`id` breaks a tie
 * of instants); no row is added once the stage is closed.
 */
export const competitionScores = recognition.table(
  'competition_scores',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    competitionId: uuid('competition_id').notNull(),
    stage: competitionStage('stage').notNull(),
    judgeId: uuid('judge_id').notNull(),
    projectId: uuid('project_id').notNull(),
    criterionId: uuid('criterion_id').notNull(),
    score: smallint('score').notNull(),
    scoredAt: timestamp('scored_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    check('competition_scores_range', sql`${table.score} between 0 and 100`),
    foreignKey({
      name: 'competition_scores_judge_fk',
      columns: [table.competitionId, table.stage, table.judgeId],
      foreignColumns: [competitionJudges.competitionId, competitionJudges.stage, competitionJudges.judgeId],
    }),
    foreignKey({
      name: 'competition_scores_entry_fk',
      columns: [table.competitionId, table.projectId],
      foreignColumns: [competitionEntries.competitionId, competitionEntries.projectId],
    }),
    foreignKey({
      name: 'competition_scores_criterion_fk',
      columns: [table.competitionId, table.criterionId],
      foreignColumns: [competitionCriteria.competitionId, competitionCriteria.id],
    }),
    index('competition_scores_latest_idx').on(table.competitionId, table.stage, table.projectId, table.judgeId, table.criterionId, table.scoredAt),
  ],
);

/**
 * What closing a stage froze, one row per project that took part: its
 * position (1 = best; unique, ties broken by the documented rule), its
 * weighted score in hundredths (null at the application stage, which is not
 * scored), the judges who scored it, its measured minutes at the close,
 * whether it advanced and, at the final, its award level.
 */
export const competitionResults = recognition.table(
  'competition_results',
  {
    competitionId: uuid('competition_id').notNull(),
    stage: competitionStage('stage').notNull(),
    projectId: uuid('project_id').notNull(),
    position: integer('position').notNull(),
    scoreHundredths: integer('score_hundredths'),
    judges: integer('judges').notNull(),
    minutes: integer('minutes').notNull(),
    advanced: boolean('advanced').notNull(),
    awardLevel: awardLevel('award_level'),
    frozenAt: timestamp('frozen_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'competition_results_pk', columns: [table.competitionId, table.stage, table.projectId] }),
    unique('competition_results_position_unique').on(table.competitionId, table.stage, table.position),
    foreignKey({
      name: 'competition_results_entry_fk',
      columns: [table.competitionId, table.projectId],
      foreignColumns: [competitionEntries.competitionId, competitionEntries.projectId],
    }),
    check('competition_results_award_at_final', sql`${table.awardLevel} is null or ${table.stage} = 'final'`),
    check('competition_results_score_range', sql`${table.scoreHundredths} is null or ${table.scoreHundredths} between 0 and 10000`),
  ],
);

export type KnownTeamRow = typeof knownTeams.$inferSelect;
export type ServiceProjectRow = typeof serviceProjects.$inferSelect;
export type CompetitionRow = typeof competitions.$inferSelect;
export type CompetitionCriterionRow = typeof competitionCriteria.$inferSelect;
export type CompetitionStageRow = typeof competitionStages.$inferSelect;
export type CompetitionEntryRow = typeof competitionEntries.$inferSelect;
export type CompetitionJudgeRow = typeof competitionJudges.$inferSelect;
export type CompetitionScoreRow = typeof competitionScores.$inferSelect;
export type CompetitionResultRow = typeof competitionResults.$inferSelect;
export type CompetitionStage = CompetitionStageRow['stage'];
export type AwardLevel = NonNullable<CompetitionResultRow['awardLevel']>;
