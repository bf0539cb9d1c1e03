/**
 * SQL for service projects and competitions: the teams people announced,
 * projects and their links, measured results from the counted services,
 * competitions with their criteria, stages, entries, judges, scores and the
 * results a close froze.
 */
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '@lianxin/shared';
import {
  competitionCriteria,
  competitionEntries,
  competitionJudges,
  competitionResults,
  competitionScores,
  competitionStages,
  competitions,
  countedServices,
  knownTeams,
  regionLevels,
  serviceProjectActivities,
  serviceProjectRecords,
  serviceProjects,
  teamMembers,
  type CompetitionCriterionRow,
  type CompetitionEntryRow,
  type CompetitionJudgeRow,
  type CompetitionResultRow,
  type CompetitionRow,
  type CompetitionScoreRow,
  type CompetitionStage,
  type CompetitionStageRow,
  type KnownTeamRow,
  type ServiceProjectRow,
} from '../db/schema.js';

/** `ids` as a comma-separated list of uuid parameters, for `in (…)`. */
const uuidList = (ids: readonly string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

// Teams, from people's events
// ---------------------------

/** A team announced (or announced again): its community and organisation. */
export async function recordTeam(db: Executor, team: { teamId: string; communityId: string; organizationId: string | null }): Promise<void> {
  await db
    .insert(knownTeams)
    .values(team)
    .onConflictDoUpdate({
      target: knownTeams.teamId,
      set: { communityId: team.communityId, organizationId: sql`coalesce(excluded.organization_id, ${knownTeams.organizationId})` },
    });
}

/** A member joined (again): current from `joinedAt`; a captain joining becomes the team's captain. */
export async function recordMemberJoined(db: Executor, member: { teamId: string; personId: string; role: string; joinedAt: Date }): Promise<void> {
  await db
    .insert(teamMembers)
    .values({ teamId: member.teamId, personId: member.personId, joinedAt: member.joinedAt })
    .onConflictDoUpdate({
      target: [teamMembers.teamId, teamMembers.personId],
      set: { joinedAt: member.joinedAt, leftAt: null },
      // Only a later join reopens a membership: a redelivered old join leaves a later departure standing.
      setWhere: sql`${teamMembers.joinedAt} < excluded.joined_at`,
    });
  if (member.role === 'captain') await recordCaptain(db, { teamId: member.teamId, captainId: member.personId });
}

/** A member left: no longer on the team's side. */
export async function recordMemberLeft(db: Executor, member: { teamId: string; personId: string; leftAt: Date }): Promise<void> {
  await db
    .update(teamMembers)
    .set({ leftAt: member.leftAt })
    .where(and(eq(teamMembers.teamId, member.teamId), eq(teamMembers.personId, member.personId), isNull(teamMembers.leftAt)));
  await db
    .update(knownTeams)
    .set({ captainId: null })
    .where(and(eq(knownTeams.teamId, member.teamId), eq(knownTeams.captainId, member.personId)));
}

export async function recordCaptain(db: Executor, change: { teamId: string; captainId: string }): Promise<void> {
  await db.update(knownTeams).set({ captainId: change.captainId }).where(eq(knownTeams.teamId, change.teamId));
}

export function findKnownTeams(db: Executor, teamIds: readonly string[]): Promise<KnownTeamRow[]> {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(knownTeams)
    .where(inArray(knownTeams.teamId, [...teamIds]));
}

export function findTeamsOfOrganization(db: Executor, organizationId: string): Promise<KnownTeamRow[]> {
  return db.select().from(knownTeams).where(eq(knownTeams.organizationId, organizationId)).orderBy(knownTeams.teamId);
}

/** The paths (root first, the region itself last) of `regionIds`, for scope checks; unknown regions are left out. */
export async function findRegionChains(db: Executor, regionIds: readonly string[]): Promise<Map<string, string[]>> {
  if (regionIds.length === 0) return new Map();
  const rows = await db
    .select({ regionId: regionLevels.regionId, path: regionLevels.path })
    .from(regionLevels)
    .where(inArray(regionLevels.regionId, [...regionIds]));
  return new Map(rows.map((row) => [row.regionId, [...(row.path ?? []), row.regionId]]));
}

// Service projects
// ----------------

export async function insertProject(db: Executor, project: typeof serviceProjects.$inferInsert): Promise<ServiceProjectRow | null> {
  const [row] = await db.insert(serviceProjects).values(project).onConflictDoNothing().returning();
  return row ?? null;
}

export function findProjectsByIds(db: Executor, ids: readonly string[]): Promise<ServiceProjectRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(serviceProjects)
    .where(inArray(serviceProjects.id, [...ids]));
}

/** Whether someone currently on one of `teamIds` has a counted (unreversed) service at the activity. */
export async function activityServedByTeams(db: Executor, activityId: string, teamIds: readonly string[]): Promise<boolean> {
  if (teamIds.length === 0) return false;
  const [row] = await rowsOf<{ served: boolean }>(
    db,
    sql`select exists (
          select 1 from ${countedServices} c
            join ${teamMembers} m on m.person_id = c.person_id and m.left_at is null
           where c.activity_id = ${activityId} and c.reversed_at is null and m.team_id in (${uuidList(teamIds)})
        ) as served`,
  );
  return row?.served ?? false;
}

/** Whether the record is counted (unreversed) and was served with one of `teamIds` or by someone currently on one. */
export async function recordOfTeams(db: Executor, serviceRecordId: string, teamIds: readonly string[]): Promise<boolean> {
  if (teamIds.length === 0) return false;
  const teams = uuidList(teamIds);
  const [row] = await rowsOf<{ ours: boolean }>(
    db,
    sql`select exists (
          select 1 from ${countedServices} c
           where c.service_record_id = ${serviceRecordId} and c.reversed_at is null and c.month is not null
             and (c.team_id in (${teams})
                  or exists (select 1 from ${teamMembers} m where m.person_id = c.person_id and m.left_at is null and m.team_id in (${teams})))
        ) as ours`,
  );
  return row?.ours ?? false;
}

export async function insertActivityLink(db: Executor, link: typeof serviceProjectActivities.$inferInsert): Promise<boolean> {
  const rows = await db.insert(serviceProjectActivities).values(link).onConflictDoNothing().returning({ id: serviceProjectActivities.projectId });
  return rows.length > 0;
}

export async function insertRecordLink(db: Executor, link: typeof serviceProjectRecords.$inferInsert): Promise<boolean> {
  const rows = await db.insert(serviceProjectRecords).values(link).onConflictDoNothing().returning({ id: serviceProjectRecords.projectId });
  return rows.length > 0;
}

export function findActivityLinks(db: Executor, projectIds: readonly string[]): Promise<(typeof serviceProjectActivities.$inferSelect)[]> {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(serviceProjectActivities)
    .where(inArray(serviceProjectActivities.projectId, [...projectIds]))
    .orderBy(asc(serviceProjectActivities.linkedAt), asc(serviceProjectActivities.activityId));
}

export function findRecordLinks(db: Executor, projectIds: readonly string[]): Promise<(typeof serviceProjectRecords.$inferSelect)[]> {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(serviceProjectRecords)
    .where(inArray(serviceProjectRecords.projectId, [...projectIds]))
    .orderBy(asc(serviceProjectRecords.linkedAt), asc(serviceProjectRecords.serviceRecordId));
}

/** A project's measured results: what its linked activities and records counted, each service once, reversals excluded. */
export interface ProjectResults {
  projectId: string;
  minutes: number;
  services: number;
  volunteers: number;
  activities: number;
}

/** The measured results of `projectIds` in one statement; a project with nothing counted is absent. */
export async function findProjectResults(db: Executor, projectIds: readonly string[]): Promise<ProjectResults[]> {
  if (projectIds.length === 0) return [];
  const ids = uuidList(projectIds);
  // `union` (not `union all`): a record linked itself and through its activity counts once.
  const rows = await rowsOf<{ project_id: string; minutes: string; services: string; volunteers: string; activities: string }>(
    db,
    sql`with linked as (
          select l.project_id, c.service_record_id, c.person_id, c.minutes, c.activity_id
            from ${serviceProjectActivities} l join ${countedServices} c on c.activity_id = l.activity_id
           where l.project_id in (${ids}) and c.reversed_at is null
          union
          select l.project_id, c.service_record_id, c.person_id, c.minutes, c.activity_id
            from ${serviceProjectRecords} l join ${countedServices} c on c.service_record_id = l.service_record_id
           where l.project_id in (${ids}) and c.reversed_at is null
        )
        select project_id, sum(minutes) as minutes, count(*) as services, count(distinct person_id) as volunteers, count(distinct activity_id) as activities
          from linked group by project_id`,
  );
  return rows.map((row) => ({
    projectId: row.project_id,
    minutes: Number(row.minutes),
    services: Number(row.services),
    volunteers: Number(row.volunteers),
    activities: Number(row.activities),
  }));
}

// Competitions
// ------------

export async function insertCompetition(
  db: Executor,
  competition: typeof competitions.$inferInsert,
  criteria: readonly { name: string; weight: number }[],
): Promise<CompetitionRow> {
  const [row] = await db.insert(competitions).values(competition).returning();
  if (!row) throw new Error('the competition was not written');
  await db.insert(competitionCriteria).values(criteria.map((criterion, position) => ({ competitionId: row.id, position: position + 1, ...criterion })));
  await db.insert(competitionStages).values([
    { competitionId: row.id, stage: 'application', openedAt: row.createdAt },
    { competitionId: row.id, stage: 'preliminary' },
    { competitionId: row.id, stage: 'final' },
  ]);
  return row;
}

export function findCompetitionsByIds(db: Executor, ids: readonly string[]): Promise<CompetitionRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(competitions)
    .where(inArray(competitions.id, [...ids]));
}

export function findCriteriaOfCompetitions(db: Executor, ids: readonly string[]): Promise<CompetitionCriterionRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(competitionCriteria)
    .where(inArray(competitionCriteria.competitionId, [...ids]))
    .orderBy(asc(competitionCriteria.position));
}

export function findStagesOfCompetitions(db: Executor, ids: readonly string[]): Promise<CompetitionStageRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(competitionStages)
    .where(inArray(competitionStages.competitionId, [...ids]))
    .orderBy(asc(competitionStages.stage));
}

/** A competition's stages, locked: two closes (or a close and a score) of one competition take turns. */
export function lockStages(db: Executor, competitionId: string): Promise<CompetitionStageRow[]> {
  return db.select().from(competitionStages).where(eq(competitionStages.competitionId, competitionId)).orderBy(asc(competitionStages.stage)).for('update');
}

export async function closeStageRow(db: Executor, key: { competitionId: string; stage: CompetitionStage; closedBy: string; at: Date }): Promise<void> {
  await db
    .update(competitionStages)
    .set({ closedAt: key.at, closedBy: key.closedBy })
    .where(and(eq(competitionStages.competitionId, key.competitionId), eq(competitionStages.stage, key.stage)));
}

export async function openStageRow(db: Executor, key: { competitionId: string; stage: CompetitionStage; at: Date }): Promise<void> {
  await db
    .update(competitionStages)
    .set({ openedAt: key.at })
    .where(and(eq(competitionStages.competitionId, key.competitionId), eq(competitionStages.stage, key.stage)));
}

/** The SQL value of a competition's current stage: the first not closed, or `awarded`. */
const currentStageSql = (id: SQL | typeof competitions.id): SQL =>
  sql`coalesce((select min(s.stage)::text from ${competitionStages} s where s.competition_id = ${id} and s.closed_at is null), 'awarded')`;

/** A page of competitions, newest first, within a region's subtree and at a stage when asked. */
export function listCompetitions(
  db: Executor,
  filter: { regionId: string | null; stage: string | null },
  page: { limit: number; after: string[] | null },
): Promise<CompetitionRow[]> {
  const conditions: SQL[] = [];
  if (filter.regionId !== null) {
    conditions.push(
      sql`(${competitions.regionId} = ${filter.regionId} or exists (select 1 from ${regionLevels} r where r.region_id = ${competitions.regionId} and r.path @> array[${filter.regionId}]::uuid[]))`,
    );
  }
  if (filter.stage !== null) conditions.push(sql`${currentStageSql(competitions.id)} = ${filter.stage}`);
  if (page.after) {
    const [createdAt, id] = page.after as [string, string];
    conditions.push(sql`(${competitions.createdAt}, ${competitions.id}) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  return db
    .select()
    .from(competitions)
    .where(and(...conditions))
    .orderBy(desc(competitions.createdAt), desc(competitions.id))
    .limit(page.limit + 1);
}

export async function insertEntry(db: Executor, entry: typeof competitionEntries.$inferInsert): Promise<boolean> {
  const rows = await db.insert(competitionEntries).values(entry).onConflictDoNothing().returning({ id: competitionEntries.projectId });
  return rows.length > 0;
}

export function findEntriesOfCompetitions(db: Executor, ids: readonly string[]): Promise<CompetitionEntryRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(competitionEntries)
    .where(inArray(competitionEntries.competitionId, [...ids]))
    .orderBy(asc(competitionEntries.appliedAt), asc(competitionEntries.projectId));
}

export function findEntriesOfProjects(db: Executor, projectIds: readonly string[]): Promise<CompetitionEntryRow[]> {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(competitionEntries)
    .where(inArray(competitionEntries.projectId, [...projectIds]))
    .orderBy(desc(competitionEntries.appliedAt), asc(competitionEntries.competitionId));
}

export async function insertJudge(db: Executor, judge: typeof competitionJudges.$inferInsert): Promise<boolean> {
  const rows = await db.insert(competitionJudges).values(judge).onConflictDoNothing().returning({ id: competitionJudges.judgeId });
  return rows.length > 0;
}

export function findJudgesOfCompetitions(db: Executor, ids: readonly string[]): Promise<CompetitionJudgeRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(competitionJudges)
    .where(inArray(competitionJudges.competitionId, [...ids]))
    .orderBy(asc(competitionJudges.stage), asc(competitionJudges.assignedAt), asc(competitionJudges.judgeId));
}

export async function insertScores(db: Executor, scores: readonly (typeof competitionScores.$inferInsert)[]): Promise<CompetitionScoreRow[]> {
  if (scores.length === 0) return [];
  return db
    .insert(competitionScores)
    .values([...scores])
    .returning();
}

/** The score that counts for each (judge, project, criterion) of a stage: the latest row. */
export function findLatestScores(db: Executor, key: { competitionId: string; stage: CompetitionStage; judgeId?: string }): Promise<CompetitionScoreRow[]> {
  return db
    .selectDistinctOn([competitionScores.judgeId, competitionScores.projectId, competitionScores.criterionId])
    .from(competitionScores)
    .where(
      and(
        eq(competitionScores.competitionId, key.competitionId),
        eq(competitionScores.stage, key.stage),
        key.judgeId === undefined ? undefined : eq(competitionScores.judgeId, key.judgeId),
      ),
    )
    .orderBy(asc(competitionScores.judgeId), asc(competitionScores.projectId), asc(competitionScores.criterionId), desc(competitionScores.scoredAt), desc(competitionScores.id));
}

export async function insertResults(db: Executor, results: readonly (typeof competitionResults.$inferInsert)[]): Promise<void> {
  if (results.length > 0) await db.insert(competitionResults).values([...results]);
}

/** Frozen results of a competition, by stage and position. */
export function findResults(db: Executor, competitionIds: readonly string[], stage?: CompetitionStage): Promise<CompetitionResultRow[]> {
  if (competitionIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(competitionResults)
    .where(and(inArray(competitionResults.competitionId, [...competitionIds]), stage === undefined ? undefined : eq(competitionResults.stage, stage)))
    .orderBy(asc(competitionResults.stage), asc(competitionResults.position));
}

/** The awarded results of the final, best first. */
export function findAwards(db: Executor, competitionId: string): Promise<CompetitionResultRow[]> {
  return db
    .select()
    .from(competitionResults)
    .where(and(eq(competitionResults.competitionId, competitionId), eq(competitionResults.stage, 'final'), sql`${competitionResults.awardLevel} is not null`))
    .orderBy(asc(competitionResults.position));
}
