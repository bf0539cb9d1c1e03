/** SQL for team alliances (志愿服务联盟) and their member teams. */
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { required, type Executor, type PageRequest } from '@lianxin/shared';
import { allianceTeams, alliances, type AllianceRow } from '../db/schema.js';
import { inSubtree } from '../sql.js';

export function findAlliancesByIds(db: Executor, ids: readonly string[]): Promise<AllianceRow[]> {
  return db
    .select()
    .from(alliances)
    .where(inArray(alliances.id, [...ids]));
}

/** The alliances of each team, by name. */
export async function findAlliancesOfTeams(db: Executor, teamIds: readonly string[]): Promise<(AllianceRow & { teamId: string })[]> {
  const rows = await db
    .select({ alliance: alliances, teamId: allianceTeams.teamId })
    .from(allianceTeams)
    .innerJoin(alliances, eq(alliances.id, allianceTeams.allianceId))
    .where(inArray(allianceTeams.teamId, [...teamIds]))
    .orderBy(asc(alliances.name), asc(alliances.id));
  return rows.map(({ alliance, teamId }) => ({ ...alliance, teamId }));
}

const allianceConditions = (region: string | undefined): SQL | undefined => (region !== undefined ? inSubtree(alliances.regionId, region) : undefined);

/** A page of alliances by name, those of a region's subtree when `region` is given. */
export function findAlliancePage(db: Executor, region: string | undefined, page: PageRequest): Promise<AllianceRow[]> {
  const after = page.after ? sql`(${alliances.name}, ${alliances.id}) > (${page.after[0]}, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(alliances)
    .where(and(allianceConditions(region), after))
    .orderBy(asc(alliances.name), asc(alliances.id))
    .limit(page.limit + 1);
}

export async function countAlliances(db: Executor, region: string | undefined): Promise<number> {
  const [row] = await db.select({ total: count() }).from(alliances).where(allianceConditions(region));
  return row?.total ?? 0;
}

export async function insertAlliance(db: Executor, values: { name: string; regionId: string; description: string | null; createdBy: string }): Promise<AllianceRow> {
  const [row] = await db.insert(alliances).values(values).returning();
  return required(row, 'row inserted into alliances');
}

export async function lockAlliance(db: Executor, id: string): Promise<AllianceRow | null> {
  const [row] = await db.select().from(alliances).where(eq(alliances.id, id)).for('update');
  return row ?? null;
}

/** Adds a member; false when the team was one already. */
export async function insertAllianceTeam(db: Executor, values: { allianceId: string; teamId: string; addedBy: string }): Promise<boolean> {
  const rows = await db.insert(allianceTeams).values(values).onConflictDoNothing().returning({ teamId: allianceTeams.teamId });
  return rows.length > 0;
}

/** Removes a member; false when the team was none. */
export async function deleteAllianceTeam(db: Executor, allianceId: string, teamId: string): Promise<boolean> {
  const rows = await db
    .delete(allianceTeams)
    .where(and(eq(allianceTeams.allianceId, allianceId), eq(allianceTeams.teamId, teamId)))
    .returning({ teamId: allianceTeams.teamId });
  return rows.length > 0;
}
