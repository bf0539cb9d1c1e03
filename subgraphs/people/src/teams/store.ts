/** SQL for teams and their members. */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Executor, PageRequest } from '@lianxin/shared';
import { teamMembers, teams, type TeamMemberRow, type TeamRow } from '../db/schema.js';

export function findTeamsByIds(db: Executor, ids: readonly string[]): Promise<TeamRow[]> {
  return db.select().from(teams).where(inArray(teams.id, [...ids]));
}

/** Teams of each of `personIds`, tagged with the person, by team name. */
export function findTeamsOfPersons(db: Executor, personIds: readonly string[]): Promise<(TeamRow & { personId: string })[]> {
  return db
    .select({ id: teams.id, name: teams.name, communityId: teams.communityId, createdAt: teams.createdAt, personId: teamMembers.personId })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(inArray(teamMembers.personId, [...personIds]))
    .orderBy(asc(teams.name), asc(teams.id));
}

/**
 * The same page of members for each of `teamIds`, in one statement: rows are
 * numbered per team and cut at `limit + 1`, so many teams cost one query.
 */
export async function findMemberPages(db: Executor, teamIds: readonly string[], page: PageRequest): Promise<TeamMemberRow[]> {
  const after = page.after
    ? sql`(${teamMembers.joinedAt}, ${teamMembers.personId}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
    : undefined;
  const ranked = db
    .select({
      teamId: teamMembers.teamId,
      personId: teamMembers.personId,
      role: teamMembers.role,
      joinedAt: teamMembers.joinedAt,
      position: sql<number>`row_number() over (partition by ${teamMembers.teamId} order by ${teamMembers.joinedAt}, ${teamMembers.personId})`.as('position'),
    })
    .from(teamMembers)
    .where(and(inArray(teamMembers.teamId, [...teamIds]), after))
    .as('ranked');
  const rows = await db
    .select({ teamId: ranked.teamId, personId: ranked.personId, role: ranked.role, joinedAt: ranked.joinedAt })
    .from(ranked)
    .where(lte(ranked.position, page.limit + 1))
    .orderBy(asc(ranked.teamId), asc(ranked.position));
  return rows;
}

/** Member page cursors sort by join time, then person id. */
export const memberCursor = (row: TeamMemberRow): string[] => [row.joinedAt.toISOString(), row.personId];
