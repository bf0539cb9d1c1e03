/** SQL for the directory: the read model of people facts (regions, teams, households) that decisions here depend on. */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import {
  directoryBuildingCaptains,
  directoryHouseholdMembers,
  directoryRegions,
  directoryTeamMembers,
  directoryTeams,
  type DirectoryRegionRow,
} from '../db/schema.js';

export function findDirectoryRegions(db: Executor, ids: readonly string[]): Promise<DirectoryRegionRow[]> {
  return db.select().from(directoryRegions).where(inArray(directoryRegions.id, [...ids]));
}

export function findDirectoryTeams(db: Executor, ids: readonly string[]): Promise<{ id: string; communityId: string }[]> {
  return db.select().from(directoryTeams).where(inArray(directoryTeams.id, [...ids]));
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
  if (regions.length > 0) await db.insert(directoryRegions).values([...regions]).onConflictDoNothing();
}

export async function insertDirectoryHouseholdMembers(db: Executor, rows: readonly { householdId: string; personId: string }[]): Promise<void> {
  if (rows.length > 0) await db.insert(directoryHouseholdMembers).values([...rows]).onConflictDoNothing();
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
  if (rows.length > 0) await db.insert(directoryBuildingCaptains).values([...rows]).onConflictDoNothing();
}
