/**
 * Rules for team alliances (志愿服务联盟): admins of a region found one and
 * take teams of their region in and out; a team may be in several alliances.
 * Alliances are public, as teams are.
 */
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
  UNIQUE_VIOLATION,
  isUuid,
  optionalId,
  readPage,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
  requireRoles,
} from '@lianxin/shared';
import { REGION_ADMIN_ROLES, administers } from '../access.js';
import type { PeopleContext } from '../context.js';
import type { AllianceRow, RegionRow, TeamRow } from '../db/schema.js';
import { idInput, inTransaction, parseInput, refuse } from '../mutation.js';
import { findRegionsByIds } from '../regions/store.js';
import { countTeams, findTeamPage, lockTeam } from '../teams/store.js';
import { countAlliances, deleteAllianceTeam, findAlliancePage, insertAlliance, insertAllianceTeam, lockAlliance } from './store.js';

export async function getAlliance(ctx: PeopleContext, id: string): Promise<AllianceRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not an alliance id.', 'id');
  return ctx.loaders.allianceById.load(id);
}

export async function listAlliances(ctx: PeopleContext, region: string | null | undefined, args: ConnectionArgs): Promise<Connection<AllianceRow>> {
  const regionId = optionalId(region, 'region', 'a region id');
  const page = readPage(args, ['text', 'uuid']);
  const rows = await findAlliancePage(ctx.db, regionId, page);
  return toConnection(
    rows,
    page,
    (row) => [row.name, row.id],
    () => countAlliances(ctx.db, regionId),
  );
}

export async function listAllianceTeams(ctx: PeopleContext, allianceId: string, args: ConnectionArgs): Promise<Connection<TeamRow>> {
  const page = readPage(args, ['text', 'uuid']);
  const rows = await findTeamPage(ctx.db, { alliance: allianceId }, page);
  return toConnection(
    rows,
    page,
    (row) => [row.name, row.id],
    () => countTeams(ctx.db, { alliance: allianceId }),
  );
}

const createInput = z.object({
  name: z.string().trim().min(1, 'must not be empty.').max(100, 'must be at most 100 characters.'),
  region: idInput('a region'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters.').nullish(),
});

export async function createAlliance(ctx: PeopleContext, input: unknown): Promise<Result<AllianceRow>> {
  const by = requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'found alliances');
  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  const { name, region: regionId, description } = parsed.value;
  return inTransaction(
    ctx,
    async (tx) => {
      const [region] = await findRegionsByIds(tx, [regionId]);
      if (!region) refuse(['input', 'region'], 'NOT_FOUND', 'There is no such region.');
      if (!administers(ctx.viewer, region)) refuse(['input', 'region'], 'NOT_ALLOWED', 'The region lies outside your scope.');
      return insertAlliance(tx, { name, regionId, description: description || null, createdBy: by });
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'alliances_region_name_unique',
        error: userError(['input', 'name'], 'ALREADY_EXISTS', 'The region has an alliance of this name already.'),
      },
    ],
  );
}

const memberInput = z.object({ alliance: idInput('an alliance'), team: idInput('a team') });

/** Locks the alliance the viewer administers the region of, and the team; refuses an unknown one or one outside the viewer's scope. */
async function lockMembership(ctx: PeopleContext, tx: Transaction, allianceId: string, teamId: string): Promise<{ alliance: AllianceRow; region: RegionRow; team: TeamRow }> {
  const alliance = await lockAlliance(tx, allianceId);
  if (!alliance) refuse(['input', 'alliance'], 'NOT_FOUND', 'There is no such alliance.');
  const [region] = await findRegionsByIds(tx, [alliance.regionId]);
  if (!region || !administers(ctx.viewer, region)) refuse(['input', 'alliance'], 'NOT_ALLOWED', 'The alliance’s region lies outside your scope.');
  const team = await lockTeam(tx, teamId);
  if (!team) refuse(['input', 'team'], 'NOT_FOUND', 'There is no such team.');
  return { alliance, region, team };
}

/** Whether the team belongs to the alliance's region or to a region below it. */
async function teamWithin(tx: Transaction, team: TeamRow, region: RegionRow): Promise<boolean> {
  const [home] = await findRegionsByIds(tx, [team.communityId]);
  return home !== undefined && (home.id === region.id || home.path.includes(region.id));
}

export async function addAllianceTeam(ctx: PeopleContext, input: unknown): Promise<Result<AllianceRow>> {
  const by = requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'change alliances');
  const parsed = parseInput(memberInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(
    ctx,
    async (tx) => {
      const { alliance, region, team } = await lockMembership(ctx, tx, parsed.value.alliance, parsed.value.team);
      if (!(await teamWithin(tx, team, region))) refuse(['input', 'team'], 'NOT_ALLOWED', 'The team belongs to a region outside the alliance’s.');
      if (!(await insertAllianceTeam(tx, { allianceId: alliance.id, teamId: team.id, addedBy: by }))) {
        refuse(['input', 'team'], 'ALREADY_EXISTS', 'The team is a member of the alliance already.');
      }
      return alliance;
    },
    [
      {
        sqlState: CHECK_VIOLATION,
        constraint: 'alliance_teams_in_scope',
        error: userError(['input', 'team'], 'NOT_ALLOWED', 'The team belongs to a region outside the alliance’s.'),
      },
    ],
  );
}

export async function removeAllianceTeam(ctx: PeopleContext, input: unknown): Promise<Result<AllianceRow>> {
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'change alliances');
  const parsed = parseInput(memberInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const { alliance, team } = await lockMembership(ctx, tx, parsed.value.alliance, parsed.value.team);
    if (!(await deleteAllianceTeam(tx, alliance.id, team.id))) refuse(['input', 'team'], 'NOT_FOUND', 'The team is no member of the alliance.');
    return alliance;
  });
}
