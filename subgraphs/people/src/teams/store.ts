/** SQL for teams, their members, categories and coverage. */
import { and, asc, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { pagesPerParent, required, type Executor, type PageRequest } from '@lianxin/shared';
import { allianceTeams, regions, teamCategories, teamMembers, teamRegions, teams, type RegionRow, type TeamMemberRow, type TeamRow } from '../db/schema.js';
import { inSubtree } from '../sql.js';

export function findTeamsByIds(db: Executor, ids: readonly string[]): Promise<TeamRow[]> {
  return db
    .select()
    .from(teams)
    .where(inArray(teams.id, [...ids]));
}

/** Locks one team for a change of its members; null when there is none. */
export async function lockTeam(db: Executor, id: string): Promise<TeamRow | null> {
  const [row] = await db.select().from(teams).where(eq(teams.id, id)).for('update');
  return row ?? null;
}

/** Teams each of `personIds` currently serves in, tagged with the person, by team name. */
export async function findTeamsOfPersons(db: Executor, personIds: readonly string[]): Promise<(TeamRow & { personId: string })[]> {
  const rows = await db
    .select({ team: teams, personId: teamMembers.personId })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(inArray(teamMembers.personId, [...personIds]), isNull(teamMembers.leftAt)))
    .orderBy(asc(teams.name), asc(teams.id));
  return rows.map(({ team, personId }) => ({ ...team, personId }));
}

export function findTeamsOfOrganizations(db: Executor, organizationIds: readonly string[]): Promise<TeamRow[]> {
  return db
    .select()
    .from(teams)
    .where(inArray(teams.organizationId, [...organizationIds]))
    .orderBy(asc(teams.name), asc(teams.id));
}

/** For each of `personIds`, the current captains of the teams the person currently serves in. */
export function findCaptainsOfPersons(db: Executor, personIds: readonly string[]): Promise<{ personId: string; captainId: string }[]> {
  const captain = alias(teamMembers, 'captain');
  return db
    .select({ personId: teamMembers.personId, captainId: captain.personId })
    .from(teamMembers)
    .innerJoin(captain, and(eq(captain.teamId, teamMembers.teamId), eq(captain.role, 'captain'), isNull(captain.leftAt)))
    .where(and(inArray(teamMembers.personId, [...personIds]), isNull(teamMembers.leftAt)));
}

/** The current captain of each of `teamIds` that has one. */
export function findCaptainsOfTeams(db: Executor, teamIds: readonly string[]): Promise<{ teamId: string; personId: string }[]> {
  return db
    .select({ teamId: teamMembers.teamId, personId: teamMembers.personId })
    .from(teamMembers)
    .where(and(inArray(teamMembers.teamId, [...teamIds]), eq(teamMembers.role, 'captain'), isNull(teamMembers.leftAt)));
}

export function countMembersOfTeams(db: Executor, teamIds: readonly string[]): Promise<{ teamId: string; members: number }[]> {
  return db
    .select({ teamId: teamMembers.teamId, members: count() })
    .from(teamMembers)
    .where(and(inArray(teamMembers.teamId, [...teamIds]), isNull(teamMembers.leftAt)))
    .groupBy(teamMembers.teamId);
}

export function findCategoriesOfTeams(db: Executor, teamIds: readonly string[]): Promise<{ teamId: string; categoryCode: string }[]> {
  return db
    .select()
    .from(teamCategories)
    .where(inArray(teamCategories.teamId, [...teamIds]))
    .orderBy(asc(teamCategories.categoryCode));
}

/** The regions each of `teamIds` covers, tagged with the team, by name. */
export async function findCoverageOfTeams(db: Executor, teamIds: readonly string[]): Promise<(RegionRow & { teamId: string })[]> {
  const rows = await db
    .select({ teamId: teamRegions.teamId, region: regions })
    .from(teamRegions)
    .innerJoin(regions, eq(regions.id, teamRegions.regionId))
    .where(inArray(teamRegions.teamId, [...teamIds]))
    .orderBy(asc(regions.name), asc(regions.id));
  return rows.map(({ teamId, region }) => ({ ...region, teamId }));
}

/**
 * The same page of members for each of `teamIds`, in one statement: rows are
 * numbered per team and cut at `limit + 1`, so many teams cost one query.
 */
export async function findMemberPages(db: Executor, teamIds: readonly string[], page: PageRequest, includeFormer: boolean): Promise<TeamMemberRow[]> {
  const after = page.after ? sql`(${teamMembers.joinedAt}, ${teamMembers.personId}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return pagesPerParent(db, {
    table: teamMembers,
    parent: teamMembers.teamId,
    parentIds: teamIds,
    orderBy: sql`${teamMembers.joinedAt}, ${teamMembers.personId}`,
    where: and(includeFormer ? undefined : isNull(teamMembers.leftAt), after),
    limit: page.limit,
  });
}

export interface TeamListFilter {
  region?: string | undefined;
  category?: string | undefined;
  kind?: TeamRow['kind'] | undefined;
  /** Only the member teams of this alliance. */
  alliance?: string | undefined;
}

function teamConditions(filter: TeamListFilter): SQL | undefined {
  return and(
    filter.region !== undefined
      ? sql`(${inSubtree(teams.communityId, filter.region)} or exists (select 1 from ${teamRegions} where ${teamRegions.teamId} = ${teams.id} and ${inSubtree(teamRegions.regionId, filter.region)}))`
      : undefined,
    filter.category !== undefined
      ? sql`exists (select 1 from ${teamCategories} where ${teamCategories.teamId} = ${teams.id} and ${teamCategories.categoryCode} = ${filter.category})`
      : undefined,
    filter.kind !== undefined ? eq(teams.kind, filter.kind) : undefined,
    filter.alliance !== undefined
      ? sql`exists (select 1 from ${allianceTeams} where ${allianceTeams.teamId} = ${teams.id} and ${allianceTeams.allianceId} = ${filter.alliance})`
      : undefined,
  );
}

/** A page of the teams matching `filter`, by name. */
export function findTeamPage(db: Executor, filter: TeamListFilter, page: PageRequest): Promise<TeamRow[]> {
  const after = page.after ? sql`(${teams.name}, ${teams.id}) > (${page.after[0]}, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(teams)
    .where(and(teamConditions(filter), after))
    .orderBy(asc(teams.name), asc(teams.id))
    .limit(page.limit + 1);
}

export async function countTeams(db: Executor, filter: TeamListFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(teams).where(teamConditions(filter));
  return row?.total ?? 0;
}

export async function insertTeam(db: Executor, values: { name: string; kind: TeamRow['kind']; communityId: string; organizationId: string | null }): Promise<TeamRow> {
  const [row] = await db.insert(teams).values(values).returning();
  return required(row, 'row inserted into teams');
}

export async function insertTeamCategories(db: Executor, teamId: string, codes: readonly string[]): Promise<void> {
  if (codes.length === 0) return;
  await db.insert(teamCategories).values(codes.map((categoryCode) => ({ teamId, categoryCode })));
}

export async function insertTeamCoverage(db: Executor, teamId: string, regionIds: readonly string[]): Promise<void> {
  if (regionIds.length === 0) return;
  await db.insert(teamRegions).values(regionIds.map((regionId) => ({ teamId, regionId })));
}

/** The current memberships of a team, to check a change against. */
export function findCurrentMembers(db: Executor, teamId: string): Promise<TeamMemberRow[]> {
  return db
    .select()
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), isNull(teamMembers.leftAt)));
}

/** Adds a membership and returns it (its join time is the transaction's). */
export async function insertMember(db: Executor, values: { teamId: string; personId: string; role: TeamMemberRow['role'] }): Promise<TeamMemberRow> {
  const [row] = await db.insert(teamMembers).values(values).returning();
  return required(row, 'row inserted into team_members');
}

/** Ends a current membership: the row stays, with the time the member left. Returns it, or null when there was none. */
export async function endMembership(db: Executor, teamId: string, personId: string): Promise<(TeamMemberRow & { leftAt: Date }) | null> {
  const [row] = await db
    .update(teamMembers)
    .set({ leftAt: sql`greatest(now(), ${teamMembers.joinedAt})` })
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.personId, personId), isNull(teamMembers.leftAt)))
    .returning();
  return row?.leftAt ? { ...row, leftAt: row.leftAt } : null;
}

/** Hands the captaincy to `personId`: the old captain becomes a member first, so the one-captain index holds throughout. */
export async function moveCaptaincy(db: Executor, teamId: string, personId: string): Promise<void> {
  await db
    .update(teamMembers)
    .set({ role: 'member' })
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, 'captain'), isNull(teamMembers.leftAt)));
  await db
    .update(teamMembers)
    .set({ role: 'captain' })
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.personId, personId), isNull(teamMembers.leftAt)));
}

/** Member page cursors sort by join time, then person id. */
export const memberCursor = (row: TeamMemberRow): string[] => [row.joinedAt.toISOString(), row.personId];
