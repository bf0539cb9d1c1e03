/**
 * Project competitions (项目大赛; docs/recognition.md, "Service projects and
 * competitions"): created by a region's admins, applied to by projects'
 * owners, judged per stage, closed stage by stage. Closing a stage freezes
 * its results in the close's transaction; the final's close gives the awards
 * and announces `competition.awarded` in that same transaction, where the
 * honour certificates of the award winners are to be issued too.
 * Competitions, their results once a stage closes and their awards are
 * public; scores are for the organisers and the judges.
 */
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
  ForbiddenError,
  idInput,
  inTransaction,
  isUuid,
  parseInput,
  readPage,
  refused,
  requireRoles,
  requireSignedIn,
  textInput,
  toConnection,
  type Connection,
  type ConstraintRefusal,
  type Executor,
  type Result,
  type Transaction,
} from '@lianxin/shared';
import type { RecognitionContext } from '../context.js';
import type {
  competitionResults,
  AwardLevel,
  CompetitionResultRow,
  CompetitionRow,
  CompetitionScoreRow,
  CompetitionStage,
  CompetitionStageRow,
  ServiceProjectRow,
} from '../db/schema.js';
import { issueHonourCertificate } from '../certificates/service.js';
import { competitionAwarded } from '../events/publish.js';
import { organises, ORGANISER_ROLES, PROJECT_ROLES, leadsOwner } from './access.js';
import { refuse, userError } from '../errors.js';
import { ownerTeams } from './projects.js';
import { awardOf, rankEntrants, type Entrant } from './ranking.js';
import {
  closeStageRow,
  findCompetitionsByIds,
  findCriteriaOfCompetitions,
  findEntriesOfCompetitions,
  findJudgesOfCompetitions,
  findStagesOfCompetitions,
  findLatestScores,
  findProjectResults,
  findProjectsByIds,
  findRegionChains,
  findResults,
  insertCompetition,
  insertEntry,
  insertJudge,
  insertResults,
  insertScores,
  listCompetitions,
  lockStages,
  openStageRow,
} from './store.js';

/** Postgres' SQLSTATE for a foreign key violation: a score of a project or criterion the competition does not have. */
const FOREIGN_KEY_VIOLATION = '23503';

export type CompetitionStatus = CompetitionStage | 'awarded';

/** A stage as `Competition.stages` shows it. */
export interface CompetitionStageModel {
  stage: CompetitionStage;
  openedAt: Date | null;
  closedAt: Date | null;
  judges: number;
}

const STAGES: readonly CompetitionStage[] = ['application', 'preliminary', 'final'];
const nextStage = (stage: CompetitionStage): CompetitionStage | null => STAGES[STAGES.indexOf(stage) + 1] ?? null;

/** Where a competition stands: its first stage not closed, or `awarded`. */
export function statusOf(stages: readonly CompetitionStageRow[]): CompetitionStatus {
  return STAGES.find((stage) => !stages.some((row) => row.stage === stage && row.closedAt !== null)) ?? 'awarded';
}

/** The competition a mutation names (public, so an unknown id is NOT_FOUND) and the viewer's organiser rights over it. */
async function organisedCompetition(ctx: RecognitionContext, tx: Executor, id: string): Promise<CompetitionRow> {
  const [competition] = await findCompetitionsByIds(tx, [id]);
  if (!competition) return refuse(['input', 'competition'], 'NOT_FOUND', 'There is no such competition.');
  const chain = (await findRegionChains(tx, [competition.regionId])).get(competition.regionId) ?? [competition.regionId];
  if (!organises(ctx.viewer, chain)) refuse(['input', 'competition'], 'NOT_ALLOWED', "Only the admins of the competition's region organise it.");
  return competition;
}

const AWARD_LEVELS = ['gold', 'silver', 'bronze', 'excellence'] as const;

const createInput = z.object({
  title: textInput(100),
  region: idInput('a region'),
  criteria: z
    .array(z.object({ name: textInput(50), weight: z.number().int().min(1).max(100) }))
    .min(1)
    .max(10)
    .refine((criteria) => new Set(criteria.map((criterion) => criterion.name)).size === criteria.length, 'must have distinct names.')
    .refine((criteria) => criteria.reduce((sum, criterion) => sum + criterion.weight, 0) === 100, 'must have weights adding up to 100.'),
  finalQuota: z.number().int().min(1).max(1000),
  awards: z
    .array(z.object({ level: z.enum(AWARD_LEVELS), count: z.number().int().min(0).max(1000) }))
    .refine((awards) => new Set(awards.map((award) => award.level)).size === awards.length, 'must name each level at most once.'),
});

/** `competitionCreate`. */
export async function createCompetition(ctx: RecognitionContext, input: unknown): Promise<Result<CompetitionRow>> {
  const by = requireRoles(ctx.viewer, ORGANISER_ROLES, 'create competitions');
  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  const { title, criteria, finalQuota, awards } = parsed.value;
  const counts = Object.fromEntries(AWARD_LEVELS.map((level) => [level, awards.find((award) => award.level === level)?.count ?? 0])) as Record<AwardLevel, number>;
  const given = AWARD_LEVELS.reduce((sum, level) => sum + counts[level], 0);
  if (given < 1 || given > finalQuota) return refused(userError(['input', 'awards'], 'INVALID', 'The award counts must add up to at least 1 and at most the final quota.'));
  const regionId = parsed.value.region.toLowerCase();
  return inTransaction(ctx, async (tx) => {
    const chain = (await findRegionChains(tx, [regionId])).get(regionId);
    if (!chain) return refuse(['input', 'region'], 'NOT_FOUND', 'There is no such region.');
    if (!organises(ctx.viewer, chain)) refuse(['input', 'region'], 'NOT_ALLOWED', 'You may organise competitions only in your regions.');
    return insertCompetition(
      tx,
      {
        title,
        regionId,
        finalQuota,
        goldCount: counts.gold,
        silverCount: counts.silver,
        bronzeCount: counts.bronze,
        excellenceCount: counts.excellence,
        createdBy: by,
      },
      criteria,
    );
  });
}

const applyInput = z.object({ competition: idInput('a competition'), project: idInput('a project') });

/** `competitionApply`. */
export async function applyToCompetition(ctx: RecognitionContext, input: unknown): Promise<Result<CompetitionRow>> {
  const by = requireRoles(ctx.viewer, PROJECT_ROLES, 'apply to competitions');
  const parsed = parseInput(applyInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(
    ctx,
    async (tx) => {
      const [competition] = await findCompetitionsByIds(tx, [parsed.value.competition.toLowerCase()]);
      if (!competition) return refuse(['input', 'competition'], 'NOT_FOUND', 'There is no such competition.');
      const [project] = await findProjectsByIds(tx, [parsed.value.project.toLowerCase()]);
      if (!project) return refuse(['input', 'project'], 'NOT_FOUND', 'There is no such project.');
      const teams = await ownerTeams(tx, project);
      const chains = await findRegionChains(tx, [...teams.map((team) => team.communityId), project.regionId]);
      if (!leadsOwner(ctx.viewer, teams, chains)) refuse(['input', 'project'], 'NOT_ALLOWED', "Only the project's owner applies it.");
      if (!(chains.get(project.regionId) ?? [project.regionId]).includes(competition.regionId)) {
        refuse(['input', 'project'], 'NOT_ALLOWED', "The project's region is outside the competition's.");
      }
      if (!(await insertEntry(tx, { competitionId: competition.id, projectId: project.id, appliedBy: by })))
        refuse(['input', 'project'], 'ALREADY_EXISTS', 'The project applied already.');
      return competition;
    },
    [
      {
        sqlState: CHECK_VIOLATION,
        constraint: 'competition_entries_application_open',
        error: userError(['input', 'competition'], 'INVALID_STATE', 'The competition takes no applications now.'),
      },
    ],
  );
}

const stageEnum = z.enum(STAGES);
const judgeInput = z.object({ competition: idInput('a competition'), stage: stageEnum, judge: idInput('a person') });

/** `competitionJudgeAssign`. */
export async function assignJudge(ctx: RecognitionContext, input: unknown): Promise<Result<CompetitionRow>> {
  const by = requireRoles(ctx.viewer, ORGANISER_ROLES, 'assign judges');
  const parsed = parseInput(judgeInput, input);
  if (!parsed.ok) return parsed;
  const { stage } = parsed.value;
  return inTransaction(
    ctx,
    async (tx) => {
      const competition = await organisedCompetition(ctx, tx, parsed.value.competition.toLowerCase());
      if (stage === 'application') refuse(['input', 'stage'], 'INVALID', 'Judges are assigned to the preliminary or the final.');
      if (!(await insertJudge(tx, { competitionId: competition.id, stage, judgeId: parsed.value.judge.toLowerCase(), assignedBy: by }))) {
        refuse(['input', 'judge'], 'ALREADY_EXISTS', 'The judge is assigned to this stage already.');
      }
      return competition;
    },
    [{ sqlState: CHECK_VIOLATION, constraint: 'competition_judges_stage_open', error: userError(['input', 'stage'], 'INVALID_STATE', 'The stage has closed.') }],
  );
}

const scoreInput = z.object({
  competition: idInput('a competition'),
  stage: stageEnum,
  project: idInput('a project'),
  scores: z
    .array(z.object({ criterion: idInput('a criterion'), score: z.number().int().min(0).max(100) }))
    .min(1)
    .refine((scores) => new Set(scores.map((score) => score.criterion.toLowerCase())).size === scores.length, 'must name each criterion at most once.'),
});

/** The database's refusals of a score, as user errors. */
const SCORE_REFUSALS: readonly ConstraintRefusal[] = [
  {
    sqlState: CHECK_VIOLATION,
    constraint: 'competition_scores_conflict_of_interest',
    error: userError(['input', 'project'], 'CONFLICT_OF_INTEREST', 'You are on the side of this project (its team or organisation): you may not score it.'),
  },
  { sqlState: CHECK_VIOLATION, constraint: 'competition_scores_stage_open', error: userError(['input', 'stage'], 'INVALID_STATE', 'The stage is not open for scoring.') },
  {
    sqlState: FOREIGN_KEY_VIOLATION,
    constraint: 'competition_scores_entry_fk',
    error: userError(['input', 'project'], 'NOT_FOUND', 'The project did not apply to this competition.'),
  },
  {
    sqlState: FOREIGN_KEY_VIOLATION,
    constraint: 'competition_scores_criterion_fk',
    error: userError(['input', 'scores'], 'NOT_FOUND', 'A criterion is not one of the competition’s.'),
  },
];

/** `competitionScore`: a judge's scores, appended; the latest per criterion counts. */
export async function scoreProject(ctx: RecognitionContext, input: unknown): Promise<Result<CompetitionScoreRow[]>> {
  requireSignedIn(ctx.viewer, 'score projects');
  const parsed = parseInput(scoreInput, input);
  if (!parsed.ok) return parsed;
  const judgeId = ctx.viewer.personId;
  const { stage } = parsed.value;
  return inTransaction(
    ctx,
    async (tx) => {
      const [competition] = await findCompetitionsByIds(tx, [parsed.value.competition.toLowerCase()]);
      if (!competition) return refuse(['input', 'competition'], 'NOT_FOUND', 'There is no such competition.');
      const judges = await findJudgesOfCompetitions(tx, [competition.id]);
      if (judgeId === null || !judges.some((judge) => judge.stage === stage && judge.judgeId === judgeId)) {
        refuse(['input', 'stage'], 'NOT_ALLOWED', 'Only the judges of the stage score it.');
      }
      const projectId = parsed.value.project.toLowerCase();
      if (!(await entrantsOf(tx, competition.id, stage)).some((entrant) => entrant.projectId === projectId)) {
        const [stageRow] = (await findStagesOfCompetitions(tx, [competition.id])).filter((row) => row.stage === stage);
        if (stageRow && stageRow.openedAt !== null && stageRow.closedAt === null) refuse(['input', 'project'], 'NOT_FOUND', 'The project does not take part in this stage.');
      }
      return insertScores(
        tx,
        parsed.value.scores.map((score) => ({ competitionId: competition.id, stage, judgeId, projectId, criterionId: score.criterion.toLowerCase(), score: score.score })),
      );
    },
    SCORE_REFUSALS,
  );
}

/** Who takes part in a stage: every applicant in the application stage and the preliminary; those the stage before advanced otherwise. */
async function entrantsOf(db: Executor, competitionId: string, stage: CompetitionStage): Promise<Entrant[]> {
  const entries = await findEntriesOfCompetitions(db, [competitionId]);
  let projectIds = entries.map((entry) => entry.projectId);
  if (stage === 'final') {
    const advanced = new Set((await findResults(db, [competitionId], 'preliminary')).filter((result) => result.advanced).map((result) => result.projectId));
    projectIds = projectIds.filter((id) => advanced.has(id));
  }
  const minutes = new Map((await findProjectResults(db, projectIds)).map((row) => [row.projectId, row.minutes]));
  const appliedAt = new Map(entries.map((entry) => [entry.projectId, entry.appliedAt]));
  return projectIds.map((projectId) => ({ projectId, appliedAt: appliedAt.get(projectId) ?? new Date(0), minutes: minutes.get(projectId) ?? 0 }));
}

/** What a close answers. */
export interface ClosedStage {
  competition: CompetitionRow;
  results: CompetitionResultRow[];
  alreadyClosed: boolean;
}

type NewResult = typeof competitionResults.$inferInsert;

const closeInput = z.object({ competition: idInput('a competition'), stage: stageEnum });

/** The rows a stage's close freezes, before they are written. */
async function rankStage(tx: Transaction, competition: CompetitionRow, stage: CompetitionStage): Promise<NewResult[]> {
  const entrants = await entrantsOf(tx, competition.id, stage);
  const key = { competitionId: competition.id, stage };
  if (stage === 'application') {
    // Applications are not scored: every applicant goes on, in the order they applied.
    return entrants
      .sort((a, b) => a.appliedAt.getTime() - b.appliedAt.getTime() || (a.projectId < b.projectId ? -1 : 1))
      .map((entrant, index) => ({ ...key, projectId: entrant.projectId, position: index + 1, scoreHundredths: null, judges: 0, minutes: entrant.minutes, advanced: true }));
  }
  const criteria = await findCriteriaOfCompetitions(tx, [competition.id]);
  const scores = await findLatestScores(tx, key);
  const ranked = rankEntrants(entrants, scores, new Map(criteria.map((criterion) => [criterion.id, criterion.weight])));
  const counts = { gold: competition.goldCount, silver: competition.silverCount, bronze: competition.bronzeCount, excellence: competition.excellenceCount };
  return ranked.map((entry) => ({
    ...key,
    projectId: entry.projectId,
    position: entry.position,
    scoreHundredths: entry.scoreHundredths,
    judges: entry.judges,
    minutes: entry.minutes,
    advanced: stage === 'preliminary' && entry.position <= competition.finalQuota,
    awardLevel: stage === 'final' ? awardOf(entry.position, counts) : null,
  }));
}

/** `competitionStageClose`: the competition's organisers close its open stage (see `closeCompetitionStage`). */
export async function closeStage(ctx: RecognitionContext, input: unknown, now = new Date()): Promise<Result<ClosedStage>> {
  const by = requireRoles(ctx.viewer, ORGANISER_ROLES, 'close competition stages');
  const parsed = parseInput(closeInput, input);
  if (!parsed.ok) return parsed;
  const { stage } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const competition = await organisedCompetition(ctx, tx, parsed.value.competition.toLowerCase());
    return closeCompetitionStage(tx, competition, stage, by, now);
  });
}

/**
 * Closes `stage` of `competition` in `tx`, or answers what it froze when it
 * is closed already. The competition's stages are locked first, so of two
 * concurrent closes the second waits and then finds the stage closed. The
 * caller has checked who closes it.
 */
export async function closeCompetitionStage(tx: Transaction, competition: CompetitionRow, stage: CompetitionStage, by: string, now: Date): Promise<ClosedStage> {
  const stages = await lockStages(tx, competition.id);
  const row = stages.find((candidate) => candidate.stage === stage);
  if (row?.closedAt) return { competition, results: await findResults(tx, [competition.id], stage), alreadyClosed: true };
  if (!row?.openedAt) return refuse(['input', 'stage'], 'INVALID_STATE', 'The stage has not opened yet: close the stages before it first.');
  await insertResults(tx, await rankStage(tx, competition, stage));
  await closeStageRow(tx, { competitionId: competition.id, stage, closedBy: by, at: now });
  const next = nextStage(stage);
  if (next) await openStageRow(tx, { competitionId: competition.id, stage: next, at: now });
  const results = await findResults(tx, [competition.id], stage);
  if (stage === 'final') await announceAwards(tx, competition, results, now, by);
  return { competition, results, alreadyClosed: false };
}

/** The award levels as a certificate names them. */
const AWARD_TITLES: Record<AwardLevel, string> = { gold: '金奖', silver: '银奖', bronze: '铜奖', excellence: '优秀奖' };

/**
 * The final's awards, announced in the close's transaction with an honour
 * certificate for each awarded project, so that awards and their certificates
 * exist together or not at all. The competition issues them: recognition
 * knows no organiser's name, and the title says who gave the award.
 */
async function announceAwards(tx: Transaction, competition: CompetitionRow, results: readonly CompetitionResultRow[], at: Date, by: string): Promise<void> {
  const awarded = results.filter((result): result is CompetitionResultRow & { awardLevel: AwardLevel } => result.awardLevel !== null);
  const names = new Map(
    (
      await findProjectsByIds(
        tx,
        awarded.map((result) => result.projectId),
      )
    ).map((project) => [project.id, project.name]),
  );
  for (const result of awarded) {
    await issueHonourCertificate(tx, {
      subject: { kind: 'PROJECT', id: result.projectId },
      displayName: names.get(result.projectId) ?? '',
      title: AWARD_TITLES[result.awardLevel],
      citation: `${competition.title}第${result.position}名`,
      issuer: competition.title,
      source: { kind: 'COMPETITION', id: competition.id },
      issuedAt: at,
      issuedBy: by,
    });
  }
  await competitionAwarded(
    tx,
    competition,
    at,
    awarded.map((result) => ({ projectId: result.projectId, projectName: names.get(result.projectId) ?? '', level: result.awardLevel, position: result.position })),
  );
}

// Reads
// -----

/** `competition(id)`: public. */
export function competitionOf(ctx: RecognitionContext, id: string): Promise<CompetitionRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a competition id.', 'id');
  return ctx.loaders.competitionById.load(id.toLowerCase());
}

/** `serviceProject(id)`: public. */
export function serviceProjectOf(ctx: RecognitionContext, id: string): Promise<ServiceProjectRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a project id.', 'id');
  return ctx.loaders.serviceProjectById.load(id.toLowerCase());
}

/** `competitions(filter, first, after)`: public, newest first. */
export async function competitionsPage(
  ctx: RecognitionContext,
  args: { filter?: { region?: string | null; status?: CompetitionStatus | null } | null; first?: number | null; after?: string | null },
): Promise<Connection<CompetitionRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const region = args.filter?.region ?? null;
  if (region !== null && !isUuid(region)) throw new BadInputError('filter.region is not a region id.', 'filter');
  const rows = await listCompetitions(ctx.db, { regionId: region?.toLowerCase() ?? null, stage: args.filter?.status ?? null }, page);
  return toConnection(rows, page, (row) => [row.createdAt.toISOString(), row.id]);
}

/** `Competition.status`. */
export async function competitionStatus(ctx: RecognitionContext, competition: CompetitionRow): Promise<CompetitionStatus> {
  return statusOf(await ctx.loaders.stagesOfCompetition.load(competition.id));
}

/** `Competition.stages`. */
export async function stagesOf(ctx: RecognitionContext, competition: CompetitionRow): Promise<CompetitionStageModel[]> {
  const [stages, judges] = await Promise.all([ctx.loaders.stagesOfCompetition.load(competition.id), ctx.loaders.judgesOfCompetition.load(competition.id)]);
  return stages.map((row) => ({ stage: row.stage, openedAt: row.openedAt, closedAt: row.closedAt, judges: judges.filter((judge) => judge.stage === row.stage).length }));
}

/** `Competition.entries`: the applicants, earliest first. */
export async function entriesOf(ctx: RecognitionContext, competition: CompetitionRow): Promise<ServiceProjectRow[]> {
  const entries = await ctx.loaders.entriesOfCompetition.load(competition.id);
  const projects = await ctx.loaders.serviceProjectById.loadMany(entries.map((entry) => entry.projectId));
  return projects.filter((project): project is ServiceProjectRow => project !== null && !(project instanceof Error));
}

/** `Competition.results(stage)` and `.awards`: public, since results exist only once their stage closed. */
export async function resultsOf(ctx: RecognitionContext, competition: CompetitionRow, stage?: CompetitionStage | null): Promise<CompetitionResultRow[]> {
  const results = await ctx.loaders.resultsOfCompetition.load(competition.id);
  return stage ? results.filter((result) => result.stage === stage) : results;
}

/** `Competition.scores(stage)`: the organisers see every judge's; a judge their own; anyone else FORBIDDEN. */
export async function scoresOf(ctx: RecognitionContext, competition: CompetitionRow, stage: CompetitionStage): Promise<CompetitionScoreRow[]> {
  requireSignedIn(ctx.viewer, "see a competition's scores");
  const chain = (await findRegionChains(ctx.db, [competition.regionId])).get(competition.regionId) ?? [competition.regionId];
  if (organises(ctx.viewer, chain)) return findLatestScores(ctx.db, { competitionId: competition.id, stage });
  const judges = await ctx.loaders.judgesOfCompetition.load(competition.id);
  const personId = ctx.viewer.personId;
  if (personId === null || !judges.some((judge) => judge.judgeId === personId)) throw new ForbiddenError("Only the competition's organisers and judges see its scores.");
  return findLatestScores(ctx.db, { competitionId: competition.id, stage, judgeId: personId });
}

/** `ServiceProject.competitions`: those it applied to, latest application first. */
export async function competitionsOfProject(ctx: RecognitionContext, project: ServiceProjectRow): Promise<CompetitionRow[]> {
  const entries = await ctx.loaders.entriesOfProject.load(project.id);
  const rows = await ctx.loaders.competitionById.loadMany(entries.map((entry) => entry.competitionId));
  return rows.filter((row): row is CompetitionRow => row !== null && !(row instanceof Error));
}
