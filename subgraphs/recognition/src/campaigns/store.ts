/**
 * SQL for honour campaigns and honour titles: campaigns, their categories,
 * stages, reviewers, nominations, scores and winners; the figures
 * eligibility reads (stars, minutes in a period, homes, teams); titles.
 */
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '@lianxin/shared';
import {
  campaignCategories,
  campaignNominations,
  campaignNominationWithdrawals,
  campaignReviewers,
  campaignScores,
  campaignStageChanges,
  campaignWinners,
  campaigns,
  honourTitleWithdrawals,
  honourTitles,
  knownTeams,
  personStars,
  regionLevels,
  teamMembers,
  type CampaignCategoryRow,
  type CampaignNominationRow,
  type CampaignRow,
  type CampaignStage,
  type CampaignStageChangeRow,
  type CampaignWinnerRow,
  type HonourTitleRow,
} from '../db/schema.js';
import type { CampaignWinnerModel, HonourModel, HonourTitleModel } from './model.js';

const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

export async function insertCampaign(db: Executor, campaign: typeof campaigns.$inferInsert): Promise<CampaignRow> {
  const [row] = await db.insert(campaigns).values(campaign).returning();
  if (!row) throw new Error('the campaign was not written');
  return row;
}

export async function insertCategories(db: Executor, categories: readonly (typeof campaignCategories.$inferInsert)[]): Promise<void> {
  await db.insert(campaignCategories).values([...categories]);
}

export async function insertStageChange(db: Executor, change: typeof campaignStageChanges.$inferInsert): Promise<void> {
  await db.insert(campaignStageChanges).values(change);
}

/** The campaign, locked until the transaction ends: stage moves and publication of one campaign go one at a time. */
export async function lockCampaign(db: Executor, id: string): Promise<CampaignRow | null> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).for('update');
  return row ?? null;
}

export async function setCampaignStage(db: Executor, id: string, stage: CampaignStage): Promise<CampaignRow> {
  const [row] = await db.update(campaigns).set({ stage }).where(eq(campaigns.id, id)).returning();
  if (!row) throw new Error(`campaign ${id} was not moved`);
  return row;
}

export function findCampaignsByIds(db: Executor, ids: readonly string[]): Promise<CampaignRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(campaigns)
    .where(inArray(campaigns.id, [...ids]));
}

/** Who may see which campaigns, as SQL: published ones for all, others for the signed in, drafts for their organisers. */
export interface CampaignVisibility {
  signedIn: boolean;
  /** Null: every draft (platform admins). */
  organiserRegions: readonly string[] | null;
}

function visibleCampaigns(visibility: CampaignVisibility): SQL | undefined {
  const open = inArray(campaigns.stage, visibility.signedIn ? ['nominating', 'reviewing', 'published', 'closed'] : ['published', 'closed']);
  if (visibility.organiserRegions === null) return undefined;
  if (visibility.organiserRegions.length === 0) return open;
  return or(open, sql`${campaigns.regionChain} && ${uuidArray(visibility.organiserRegions)}`);
}

/** A page of the campaigns the viewer may see, newest first (by creation, then id). */
export function findCampaignPage(
  db: Executor,
  query: { visibility: CampaignVisibility; region: string | null; year: number | null; stage: CampaignStage | null; limit: number; after: string[] | null },
): Promise<CampaignRow[]> {
  const conditions: (SQL | undefined)[] = [
    visibleCampaigns(query.visibility),
    query.region === null ? undefined : sql`${campaigns.regionChain} @> array[${query.region}::uuid]`,
    query.year === null ? undefined : eq(campaigns.year, query.year),
    query.stage === null ? undefined : eq(campaigns.stage, query.stage),
    query.after === null ? undefined : sql`(${campaigns.createdAt}, ${campaigns.id}) < (${query.after[0]}::timestamptz, ${query.after[1]}::uuid)`,
  ];
  return db
    .select()
    .from(campaigns)
    .where(and(...conditions))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(query.limit + 1);
}

export function findStageChangesOfCampaigns(db: Executor, ids: readonly string[]): Promise<CampaignStageChangeRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(campaignStageChanges)
    .where(inArray(campaignStageChanges.campaignId, [...ids]))
    .orderBy(asc(campaignStageChanges.changedAt), sql`array_position(array['draft', 'nominating', 'reviewing', 'published', 'closed'], ${campaignStageChanges.toStage})`);
}

export function findCategoriesOfCampaigns(db: Executor, ids: readonly string[]): Promise<CampaignCategoryRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(campaignCategories)
    .where(inArray(campaignCategories.campaignId, [...ids]))
    .orderBy(asc(campaignCategories.position));
}

export function findCategoriesByIds(db: Executor, ids: readonly string[]): Promise<CampaignCategoryRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(campaignCategories)
    .where(inArray(campaignCategories.id, [...ids]));
}

export function findReviewersOfCampaigns(db: Executor, ids: readonly string[]): Promise<{ campaignId: string; personId: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select({ campaignId: campaignReviewers.campaignId, personId: campaignReviewers.personId })
    .from(campaignReviewers)
    .where(inArray(campaignReviewers.campaignId, [...ids]));
}

/** Appoints a reviewer; null when they are one already. */
export async function insertReviewer(db: Executor, reviewer: typeof campaignReviewers.$inferInsert): Promise<boolean> {
  const rows = await db.insert(campaignReviewers).values(reviewer).onConflictDoNothing().returning({ personId: campaignReviewers.personId });
  return rows.length > 0;
}

/** A nomination with its scores and withdrawal, as the ranking reads it. */
export interface ScoredNomination extends CampaignNominationRow {
  scores: number;
  scoreTotal: number;
  withdrawn: boolean;
  scoredBy: string[];
}

function scoredNominations(db: Executor, where: SQL): Promise<ScoredNomination[]> {
  return db
    .select({
      row: campaignNominations,
      scores: sql<number>`(select count(*)::int from ${campaignScores} s where s.nomination_id = ${campaignNominations.id})`,
      scoreTotal: sql<number>`(select coalesce(sum(s.score), 0)::int from ${campaignScores} s where s.nomination_id = ${campaignNominations.id})`,
      scoredBy: sql<string[]>`(select coalesce(array_agg(s.reviewer_id::text), '{}') from ${campaignScores} s where s.nomination_id = ${campaignNominations.id})`,
      withdrawn: sql<boolean>`exists (select 1 from ${campaignNominationWithdrawals} w where w.nomination_id = ${campaignNominations.id})`,
    })
    .from(campaignNominations)
    .where(where)
    .then((rows) => rows.map((row) => ({ ...row.row, scores: Number(row.scores), scoreTotal: Number(row.scoreTotal), scoredBy: row.scoredBy, withdrawn: row.withdrawn })));
}

export function findNominationsOfCategories(db: Executor, categoryIds: readonly string[]): Promise<ScoredNomination[]> {
  if (categoryIds.length === 0) return Promise.resolve([]);
  return scoredNominations(db, inArray(campaignNominations.categoryId, [...categoryIds]));
}

export function findNominationsByIds(db: Executor, ids: readonly string[]): Promise<ScoredNomination[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return scoredNominations(db, inArray(campaignNominations.id, [...ids]));
}

/** Adds a nomination; null when the subject is nominated in the category already. */
export async function insertNomination(db: Executor, nomination: typeof campaignNominations.$inferInsert): Promise<CampaignNominationRow | null> {
  const [row] = await db
    .insert(campaignNominations)
    .values(nomination)
    .onConflictDoNothing({ target: [campaignNominations.categoryId, campaignNominations.subjectId] })
    .returning();
  return row ?? null;
}

/** Withdraws a nomination; false when it was withdrawn already. */
export async function insertWithdrawal(db: Executor, withdrawal: typeof campaignNominationWithdrawals.$inferInsert): Promise<boolean> {
  const rows = await db.insert(campaignNominationWithdrawals).values(withdrawal).onConflictDoNothing().returning({ id: campaignNominationWithdrawals.nominationId });
  return rows.length > 0;
}

/** Records a score; false when the reviewer scored the nomination already. */
export async function insertScore(db: Executor, score: typeof campaignScores.$inferInsert): Promise<boolean> {
  const rows = await db.insert(campaignScores).values(score).onConflictDoNothing().returning({ id: campaignScores.nominationId });
  return rows.length > 0;
}

export async function insertWinners(db: Executor, winners: readonly (typeof campaignWinners.$inferInsert)[]): Promise<CampaignWinnerRow[]> {
  if (winners.length === 0) return [];
  return db
    .insert(campaignWinners)
    .values([...winners])
    .returning();
}

/** The winners of campaigns, with their category's name, by category position and slot. */
export async function findWinnersOfCampaigns(db: Executor, ids: readonly string[]): Promise<CampaignWinnerModel[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ winner: campaignWinners, categoryName: campaignCategories.name })
    .from(campaignWinners)
    .innerJoin(campaignCategories, eq(campaignCategories.id, campaignWinners.categoryId))
    .where(inArray(campaignWinners.campaignId, [...ids]))
    .orderBy(asc(campaignCategories.position), asc(campaignWinners.slot));
  return rows.map((row) => ({ ...row.winner, categoryName: row.categoryName }));
}

// Eligibility
// -----------

/** A volunteer's current star level (0 without a row). */
export async function findStarLevel(db: Executor, personId: string): Promise<number> {
  const [row] = await db.select({ level: personStars.level }).from(personStars).where(eq(personStars.personId, personId));
  return row?.level ?? 0;
}

/** A volunteer's service minutes in `[from, before)` months, in cells placed within `regionId`'s subtree. */
export async function sumPersonMinutes(db: Executor, query: { personId: string; from: string; before: string; regionId: string }): Promise<number> {
  const [row] = await rowsOf<{ minutes: string | null }>(
    db,
    sql`select sum(service_minutes) as minutes from recognition.person_month_tallies
        where person_id = ${query.personId} and month >= ${query.from}::date and month < ${query.before}::date
          and region_path @> array[${query.regionId}::uuid]`,
  );
  return Number(row?.minutes ?? 0);
}

/** A team's service minutes in `[from, before)` months. */
export async function sumTeamMinutes(db: Executor, query: { teamId: string; from: string; before: string }): Promise<number> {
  const [row] = await rowsOf<{ minutes: string | null }>(
    db,
    sql`select sum(service_minutes) as minutes from recognition.team_month_tallies
        where team_id = ${query.teamId} and month >= ${query.from}::date and month < ${query.before}::date`,
  );
  return Number(row?.minutes ?? 0);
}

/** A team as campaigns know it (recognition's `known_teams`): its community's chain (root first, itself last) and captain. */
export async function findTeam(db: Executor, teamId: string): Promise<{ chain: string[]; captainId: string | null } | null> {
  const [row] = await db
    .select({ communityId: knownTeams.communityId, captainId: knownTeams.captainId, path: regionLevels.path })
    .from(knownTeams)
    .leftJoin(regionLevels, eq(regionLevels.regionId, knownTeams.communityId))
    .where(eq(knownTeams.teamId, teamId));
  if (!row) return null;
  return { chain: [...(row.path ?? []), row.communityId], captainId: row.captainId };
}

/**
 * The teams a captain speaks for: the teams they captain and every team of
 * the organisations those teams belong to (an organisation's leaders are its
 * teams' captains), with the organisations.
 */
export async function captainsSide(db: Executor, captainId: string): Promise<{ teamIds: string[]; organizationIds: string[] }> {
  const rows = await rowsOf<{ team_id: string; organization_id: string | null }>(
    db,
    sql`select t.team_id::text, t.organization_id::text from recognition.known_teams t
        where t.captain_id = ${captainId}
           or t.organization_id in (select organization_id from recognition.known_teams where captain_id = ${captainId} and organization_id is not null)`,
  );
  return {
    teamIds: rows.map((row) => row.team_id),
    organizationIds: [...new Set(rows.flatMap((row) => (row.organization_id === null ? [] : [row.organization_id])))],
  };
}

/** Whether `personId` is now a member (not since left) of one of `teamIds`. */
export async function isMemberOfTeams(db: Executor, personId: string, teamIds: readonly string[]): Promise<boolean> {
  if (teamIds.length === 0) return false;
  const rows = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(and(eq(teamMembers.personId, personId), isNull(teamMembers.leftAt), inArray(teamMembers.teamId, [...teamIds])))
    .limit(1);
  return rows.length > 0;
}

// Honours and honour titles
// -------------------------

export async function insertHonourTitle(db: Executor, title: typeof honourTitles.$inferInsert): Promise<HonourTitleRow | null> {
  const [row] = await db.insert(honourTitles).values(title).onConflictDoNothing().returning();
  return row ?? null;
}

export async function insertHonourTitleWithdrawal(db: Executor, withdrawal: typeof honourTitleWithdrawals.$inferInsert): Promise<boolean> {
  const rows = await db.insert(honourTitleWithdrawals).values(withdrawal).onConflictDoNothing().returning({ id: honourTitleWithdrawals.titleId });
  return rows.length > 0;
}

export async function findHonourTitlesByIds(db: Executor, ids: readonly string[]): Promise<HonourTitleModel[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ title: honourTitles, reason: honourTitleWithdrawals.reason })
    .from(honourTitles)
    .leftJoin(honourTitleWithdrawals, eq(honourTitleWithdrawals.titleId, honourTitles.id))
    .where(inArray(honourTitles.id, [...ids]));
  return rows.map((row) => ({ ...row.title, withdrawalReason: row.reason }));
}

/** Each person's honours: campaigns won as volunteers and titles not withdrawn, newest first. */
export async function findHonoursOfPersons(db: Executor, personIds: readonly string[]): Promise<(HonourModel & { personId: string })[]> {
  if (personIds.length === 0) return [];
  const rows = await rowsOf<{
    person_id: string;
    id: string;
    kind: 'campaign' | 'title';
    title: string;
    source: string;
    awarded_on: string;
    citation: string | null;
    campaign_id: string | null;
  }>(
    db,
    sql`select w.subject_id as person_id, w.nomination_id as id, 'campaign' as kind, c.name as title, k.title as source,
               to_char(w.published_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as awarded_on, w.citation, w.campaign_id
          from ${campaignWinners} w
          join ${campaignCategories} c on c.id = w.category_id
          join ${campaigns} k on k.id = w.campaign_id
         where w.subject_kind = 'volunteer' and w.subject_id = any(${uuidArray(personIds)})
        union all
        select t.person_id, t.id, 'title', t.title, t.source, to_char(t.awarded_on, 'YYYY-MM-DD'), null, null
          from ${honourTitles} t
         where t.person_id = any(${uuidArray(personIds)})
           and not exists (select 1 from ${honourTitleWithdrawals} x where x.title_id = t.id)
        order by 6 desc, 2`,
  );
  return rows.map((row) => ({
    personId: row.person_id,
    id: row.id,
    kind: row.kind,
    title: row.title,
    source: row.source,
    awardedOn: row.awarded_on,
    citation: row.citation,
    campaignId: row.campaign_id,
  }));
}
