/** SQL for the directory: the read model of people facts (persons, regions, teams, households) that decisions here depend on. */
import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { uuidArray, type Executor } from '@lianxin/shared';
import {
  directoryBuildingCaptains,
  directoryHouseholdMembers,
  directoryPersons,
  directoryRegions,
  directoryTeamMembers,
  directoryTeams,
  type DirectoryRegionRow,
} from '../db/schema.js';

/** Which of `ids` the directory knows as registered persons. */
export async function findKnownPersons(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: directoryPersons.id })
    .from(directoryPersons)
    .where(inArray(directoryPersons.id, [...new Set(ids)]));
  return rows.map((row) => row.id);
}

/** Adds persons to the directory; what is there already stays. */
export async function insertDirectoryPersons(db: Executor, persons: readonly { id: string; registeredAt: Date }[]): Promise<void> {
  if (persons.length > 0)
    await db
      .insert(directoryPersons)
      .values([...persons])
      .onConflictDoNothing();
}

export function findDirectoryRegions(db: Executor, ids: readonly string[]): Promise<DirectoryRegionRow[]> {
  return db
    .select()
    .from(directoryRegions)
    .where(inArray(directoryRegions.id, [...ids]));
}

export function findDirectoryTeams(db: Executor, ids: readonly string[]): Promise<{ id: string; communityId: string }[]> {
  return db
    .select()
    .from(directoryTeams)
    .where(inArray(directoryTeams.id, [...ids]));
}

/** The teams each of `personIds` currently serves in. */
export function findTeamMembershipsOf(db: Executor, personIds: readonly string[]): Promise<{ personId: string; teamId: string; role: 'captain' | 'member' }[]> {
  return db
    .select({ personId: directoryTeamMembers.personId, teamId: directoryTeamMembers.teamId, role: directoryTeamMembers.role })
    .from(directoryTeamMembers)
    .where(inArray(directoryTeamMembers.personId, [...personIds]));
}

export async function isTeamMember(db: Executor, teamId: string, personId: string): Promise<boolean> {
  const rows = await db
    .select({ teamId: directoryTeamMembers.teamId })
    .from(directoryTeamMembers)
    .where(and(eq(directoryTeamMembers.teamId, teamId), eq(directoryTeamMembers.personId, personId)));
  return rows.length > 0;
}

/** The household each of `personIds` belongs to; persons in none are absent. */
export function findHouseholdsOfPersons(db: Executor, personIds: readonly string[]): Promise<{ personId: string; householdId: string }[]> {
  return db
    .select({ personId: directoryHouseholdMembers.personId, householdId: directoryHouseholdMembers.householdId })
    .from(directoryHouseholdMembers)
    .where(inArray(directoryHouseholdMembers.personId, [...personIds]));
}

export interface DirectoryTeamInput {
  id: string;
  communityId: string;
  members: { personId: string; role: 'captain' | 'member' }[];
}

/** Adds teams and their members to the directory; what is there already stays. */
export async function insertDirectoryTeams(db: Executor, teams: readonly DirectoryTeamInput[]): Promise<void> {
  if (teams.length === 0) return;
  await db
    .insert(directoryTeams)
    .values(teams.map(({ id, communityId }) => ({ id, communityId })))
    .onConflictDoNothing();
  const members = teams.flatMap((team) => team.members.map((member) => ({ teamId: team.id, ...member })));
  if (members.length > 0) await db.insert(directoryTeamMembers).values(members).onConflictDoNothing();
}

export async function insertDirectoryRegions(db: Executor, regions: readonly DirectoryRegionRow[]): Promise<void> {
  if (regions.length > 0)
    await db
      .insert(directoryRegions)
      .values([...regions])
      .onConflictDoNothing();
}

export async function insertDirectoryHouseholdMembers(db: Executor, rows: readonly { householdId: string; personId: string }[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insert(directoryHouseholdMembers)
      .values([...rows])
      .onConflictDoNothing();
}

/** Whether `personId` is the building captain of any of `regionIds`. */
export async function captainsAnyOf(db: Executor, personId: string, regionIds: readonly string[]): Promise<boolean> {
  if (regionIds.length === 0) return false;
  const rows = await db
    .select({ buildingId: directoryBuildingCaptains.buildingId })
    .from(directoryBuildingCaptains)
    .where(and(eq(directoryBuildingCaptains.personId, personId), inArray(directoryBuildingCaptains.buildingId, [...regionIds])));
  return rows.length > 0;
}

export async function insertDirectoryBuildingCaptains(db: Executor, rows: readonly { buildingId: string; personId: string }[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insert(directoryBuildingCaptains)
      .values([...rows])
      .onConflictDoNothing();
}

// ---------------------------------------------------------------------------
// Kept by the people subgraph's events: upserts and deletes, so applying an
// event twice leaves what applying it once did.
// ---------------------------------------------------------------------------

/** Records a registered person; a second announcement of the same person keeps the first instant. */
export async function upsertDirectoryPerson(db: Executor, person: { id: string; registeredAt: Date; minor?: boolean }): Promise<void> {
  await db.insert(directoryPersons).values(person).onConflictDoNothing();
}

/** Whether each person is a minor and has a guardian's consent in force, as people last said; false when the person is unknown. */
export async function updateDirectoryGuardianship(db: Executor, person: { id: string; minor: boolean; guardianConsent: boolean }): Promise<boolean> {
  const rows = await db
    .update(directoryPersons)
    .set({ minor: person.minor, guardianConsent: person.guardianConsent })
    .where(eq(directoryPersons.id, person.id))
    .returning({ id: directoryPersons.id });
  return rows.length > 0;
}

/** The minor and consent flags of one person; undefined when unknown. */
export async function findGuardianship(db: Executor, id: string): Promise<{ minor: boolean; guardianConsent: boolean } | undefined> {
  const [row] = await db.select({ minor: directoryPersons.minor, guardianConsent: directoryPersons.guardianConsent }).from(directoryPersons).where(eq(directoryPersons.id, id));
  return row;
}

/** The path of a child of `parentId` as the directory knows the parent now (its path, then itself); null when the parent is unknown. */
const childPathOf = (parentId: string | null): SQL => sql`(select p.path || p.id from ${directoryRegions} p where p.id = ${parentId}::uuid)`;

/**
 * Adds or replaces a region. Its path is derived from its parent's row when
 * the directory has the parent, `path` (the producer's, as of the event)
 * otherwise: a parent moved since the event was written has its new path
 * here, which the event's copy would miss.
 */
export async function upsertDirectoryRegion(db: Executor, region: { id: string; parentId: string | null; kind: string; path: readonly string[] }): Promise<void> {
  const path = sql`coalesce(${childPathOf(region.parentId)}, ${uuidArray(region.path)})`;
  await db
    .insert(directoryRegions)
    .values({ id: region.id, parentId: region.parentId, kind: region.kind, path })
    .onConflictDoUpdate({
      target: directoryRegions.id,
      set: { parentId: sql`excluded.parent_id`, kind: sql`excluded.kind`, path: sql`excluded.path` },
    });
}

/**
 * Re-parents region `id` and rewrites the path of every region below it
 * (their paths hold `id`: the part above it is replaced by its new path).
 * The new path is derived as `upsertDirectoryRegion` does. Returns false,
 * changing nothing, when the directory does not know the region.
 */
export async function moveDirectoryRegion(db: Executor, move: { id: string; parentId: string; path: readonly string[] }): Promise<boolean> {
  const [moved] = await db
    .update(directoryRegions)
    .set({ parentId: move.parentId, path: sql`coalesce(${childPathOf(move.parentId)}, ${uuidArray(move.path)})` })
    .where(eq(directoryRegions.id, move.id))
    .returning({ path: directoryRegions.path });
  if (!moved) return false;
  // `path @>` uses the GIN index; the slice keeps what lies between the moved region and each descendant.
  await db
    .update(directoryRegions)
    .set({
      path: sql`${uuidArray([...moved.path, move.id])} || ${directoryRegions.path}[array_position(${directoryRegions.path}, ${move.id}::uuid) + 1:]`,
    })
    .where(sql`${directoryRegions.path} @> array[${move.id}::uuid]`);
  return true;
}

/** Adds a team, or corrects its community. */
export async function upsertDirectoryTeam(db: Executor, team: { id: string; communityId: string }): Promise<void> {
  await db
    .insert(directoryTeams)
    .values(team)
    .onConflictDoUpdate({ target: directoryTeams.id, set: { communityId: team.communityId } });
}

/** Makes `personId` a member of `teamId` in `role`, whether or not they were one. */
export async function upsertTeamMember(db: Executor, member: { teamId: string; personId: string; role: 'captain' | 'member' }): Promise<void> {
  await db
    .insert(directoryTeamMembers)
    .values(member)
    .onConflictDoUpdate({ target: [directoryTeamMembers.teamId, directoryTeamMembers.personId], set: { role: member.role } });
}

export async function deleteTeamMember(db: Executor, teamId: string, personId: string): Promise<void> {
  await db.delete(directoryTeamMembers).where(and(eq(directoryTeamMembers.teamId, teamId), eq(directoryTeamMembers.personId, personId)));
}

/** Turns `previousCaptainId`, if still a member of `teamId`, back into a plain member (never the new captain). */
export async function demoteTeamCaptain(db: Executor, teamId: string, previousCaptainId: string, captainId: string): Promise<void> {
  await db
    .update(directoryTeamMembers)
    .set({ role: 'member' })
    .where(and(eq(directoryTeamMembers.teamId, teamId), eq(directoryTeamMembers.personId, previousCaptainId), ne(directoryTeamMembers.personId, captainId)));
}

/** Puts `personId` in `householdId`; a person is in one household at a time, so this replaces any earlier membership. */
export async function upsertHouseholdMember(db: Executor, member: { householdId: string; personId: string }): Promise<void> {
  await db
    .insert(directoryHouseholdMembers)
    .values(member)
    .onConflictDoUpdate({ target: directoryHouseholdMembers.personId, set: { householdId: member.householdId } });
}

/** Removes `personId` from `householdId`; a membership of another household (they moved since) is left alone. */
export async function deleteHouseholdMember(db: Executor, householdId: string, personId: string): Promise<void> {
  await db.delete(directoryHouseholdMembers).where(and(eq(directoryHouseholdMembers.householdId, householdId), eq(directoryHouseholdMembers.personId, personId)));
}

/** Makes `personId` the captain of `buildingId`, replacing any earlier one. */
export async function upsertBuildingCaptain(db: Executor, captain: { buildingId: string; personId: string }): Promise<void> {
  await db
    .insert(directoryBuildingCaptains)
    .values(captain)
    .onConflictDoUpdate({ target: directoryBuildingCaptains.buildingId, set: { personId: captain.personId } });
}
