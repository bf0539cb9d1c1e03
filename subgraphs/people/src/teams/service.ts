/**
 * Rules for teams. Teams are public: residents choose whom to ask. Who may
 * see their members and captains is privacy/policy.ts's to say. Admins found teams in their scope and name captains; a captain
 * (or an admin) takes members in and out; a member may leave. Memberships
 * end rather than vanish, and the captain is always a current member.
 */
import { z } from 'zod';
import {
  BadInputError,
  UNIQUE_VIOLATION,
  isUuid,
  optionalId,
  readPage,
  required,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Executor,
  type Result,
  requireRoles,
  requireSignedIn,
} from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import { teamKind, type TeamMemberRow, type TeamRow } from '../db/schema.js';
import { teamCaptainChanged, teamCreated, teamMemberAdded, teamMemberRemoved } from '../events/publish.js';
import { idInput, inTransaction, parseInput, refuse, textInput } from '../mutation.js';
import { findOrganizationsByIds } from '../organizations/store.js';
import { findPersonsByIds } from '../persons/store.js';
import { TEAM_REGION_KINDS } from '../regions/rank.js';
import { findRegionsByIds } from '../regions/store.js';
import { REGION_ADMIN_ROLES, administers } from '../access.js';
import {
  countTeams,
  endMembership,
  findCurrentMembers,
  findTeamPage,
  insertMember,
  insertTeam,
  insertTeamCategories,
  insertTeamCoverage,
  lockTeam,
  memberCursor,
  moveCaptaincy,
  type TeamListFilter,
} from './store.js';

export async function getTeam(ctx: PeopleContext, id: string): Promise<TeamRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a team id.', 'id');
  return ctx.loaders.teamById.load(id);
}

export async function listMembers(ctx: PeopleContext, teamId: string, args: ConnectionArgs & { includeFormer?: boolean | null }): Promise<Connection<TeamMemberRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await ctx.loaders.memberPage({ page, includeFormer: args.includeFormer ?? false }).load(teamId);
  return toConnection(rows, page, memberCursor);
}

/** Category codes belong to the requests subgraph; here they only need their form. */
const CATEGORY_CODE = /^[a-z][a-z0-9_]{0,63}$/;

export interface TeamFilterArgs {
  region?: string | null | undefined;
  category?: string | null | undefined;
  kind?: TeamRow['kind'] | null | undefined;
}

export async function listTeams(ctx: PeopleContext, filter: TeamFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<TeamRow>> {
  const regionId = optionalId(filter?.region, 'filter.region', 'a region id');
  const page = readPage(args, ['text', 'uuid']);
  const conditions: TeamListFilter = {
    region: regionId,
    category: filter?.category?.trim() || undefined,
    kind: filter?.kind ?? undefined,
  };
  const rows = await findTeamPage(ctx.db, conditions, page);
  return toConnection(
    rows,
    page,
    (row) => [row.name, row.id],
    () => countTeams(ctx.db, conditions),
  );
}

const teamCreateInput = z.object({
  name: textInput(100),
  kind: z.enum(teamKind.enumValues).nullish(),
  community: idInput('a region'),
  organization: idInput('an organisation').nullish(),
  captain: idInput('a person').nullish(),
  categories: z.array(z.string().trim().regex(CATEGORY_CODE, 'must be a category code such as home_repair.')).max(50).nullish(),
  coverage: z.array(idInput('a region')).max(200).nullish(),
});

export async function createTeam(ctx: PeopleContext, input: unknown): Promise<Result<TeamRow>> {
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'found teams');
  const parsed = parseInput(teamCreateInput, input);
  if (!parsed.ok) return parsed;
  const { name, kind, community: communityId, organization, captain } = parsed.value;
  const categories = [...new Set(parsed.value.categories ?? [])];
  const coverage = [...new Set(parsed.value.coverage ?? [communityId])];
  return inTransaction(
    ctx,
    async (tx) => {
      // A district- or town-level team (区级、镇街级专业队伍) belongs to its district, town or street; its admins found it.
      const [community] = await findRegionsByIds(tx, [communityId]);
      if (!community) refuse(['input', 'community'], 'NOT_FOUND', 'There is no such region.');
      if (!administers(ctx.viewer, community)) refuse(['input', 'community'], 'NOT_ALLOWED', 'The region lies outside your scope.');
      if (!TEAM_REGION_KINDS.includes(community.kind)) {
        refuse(['input', 'community'], 'INVALID', 'A team belongs to a district, a town or street, or a community or village.');
      }
      if (organization && (await findOrganizationsByIds(tx, [organization])).length === 0) {
        refuse(['input', 'organization'], 'NOT_FOUND', 'There is no such organisation.');
      }
      if (captain && (await findPersonsByIds(tx, [captain])).length === 0) refuse(['input', 'captain'], 'NOT_FOUND', 'There is no such person.');
      const found = new Set((await findRegionsByIds(tx, coverage)).map((region) => region.id));
      coverage.forEach((id, index) => {
        if (!found.has(id)) refuse(['input', 'coverage', String(index)], 'NOT_FOUND', 'There is no such region.');
      });
      const team = await insertTeam(tx, { name, kind: kind ?? 'general', communityId, organizationId: organization ?? null });
      await teamCreated(tx, team);
      if (captain) await teamMemberAdded(tx, team, await insertMember(tx, { teamId: team.id, personId: captain, role: 'captain' }));
      await insertTeamCategories(tx, team.id, categories);
      await insertTeamCoverage(tx, team.id, coverage);
      return team;
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'teams_community_name_unique',
        error: userError(['input', 'name'], 'ALREADY_EXISTS', 'The region has a team of this name already.'),
      },
    ],
  );
}

/** Locks the team and its current members; refuses an unknown team. */
async function lockTeamWithMembers(tx: Executor, teamId: string): Promise<{ team: TeamRow; members: TeamMemberRow[] }> {
  const team = await lockTeam(tx, teamId);
  if (!team) refuse(['input', 'team'], 'NOT_FOUND', 'There is no such team.');
  return { team, members: await findCurrentMembers(tx, team.id) };
}

/** Whether the viewer administers the team's community. */
async function administersTeam(ctx: PeopleContext, tx: Executor, team: TeamRow): Promise<boolean> {
  const [community] = await findRegionsByIds(tx, [team.communityId]);
  return community !== undefined && administers(ctx.viewer, community);
}

const isCaptain = (members: readonly TeamMemberRow[], personId: string | null): boolean =>
  personId !== null && members.some((member) => member.personId === personId && member.role === 'captain');

const teamMemberInput = z.object({ team: idInput('a team'), person: idInput('a person') });

export async function addTeamMember(ctx: PeopleContext, input: unknown): Promise<Result<TeamRow>> {
  requireSignedIn(ctx.viewer);
  const parsed = parseInput(teamMemberInput, input);
  if (!parsed.ok) return parsed;
  const { team: teamId, person: personId } = parsed.value;
  const twice = userError(['input', 'person'], 'ALREADY_EXISTS', 'The person is a member of this team already.');
  return inTransaction(
    ctx,
    async (tx) => {
      const { team, members } = await lockTeamWithMembers(tx, teamId);
      if (!isCaptain(members, ctx.viewer.personId) && !(await administersTeam(ctx, tx, team))) {
        refuse(['input', 'team'], 'NOT_ALLOWED', 'Only the team’s captain and admins of its community may add members.');
      }
      if ((await findPersonsByIds(tx, [personId])).length === 0) refuse(['input', 'person'], 'NOT_FOUND', 'There is no such person.');
      if (members.some((member) => member.personId === personId)) refuse(twice.field, twice.code, twice.message);
      await teamMemberAdded(tx, team, await insertMember(tx, { teamId: team.id, personId, role: 'member' }));
      return team;
    },
    [{ sqlState: UNIQUE_VIOLATION, constraint: 'team_members_current_unique', error: twice }],
  );
}

export async function removeTeamMember(ctx: PeopleContext, input: unknown): Promise<Result<TeamRow>> {
  requireSignedIn(ctx.viewer);
  const parsed = parseInput(teamMemberInput, input);
  if (!parsed.ok) return parsed;
  const { team: teamId, person: personId } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const { team, members } = await lockTeamWithMembers(tx, teamId);
    const leavingThemselves = ctx.viewer.personId === personId;
    if (!leavingThemselves && !isCaptain(members, ctx.viewer.personId) && !(await administersTeam(ctx, tx, team))) {
      refuse(['input', 'team'], 'NOT_ALLOWED', 'Only the member, the team’s captain and admins of its community may remove a member.');
    }
    const membership = members.find((member) => member.personId === personId);
    if (!membership) refuse(['input', 'person'], 'NOT_FOUND', 'The person is not a current member of this team.');
    if (membership.role === 'captain') refuse(['input', 'person'], 'INVALID_STATE', 'The captain cannot leave: make another member captain first.');
    const ended = required(await endMembership(tx, team.id, personId), `membership of ${personId} in team ${team.id}, locked by this transaction`);
    await teamMemberRemoved(tx, ended);
    return team;
  });
}

const teamCaptainSetInput = z.object({ team: idInput('a team'), captain: idInput('a person') });

export async function setTeamCaptain(ctx: PeopleContext, input: unknown): Promise<Result<TeamRow>> {
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'name team captains');
  const parsed = parseInput(teamCaptainSetInput, input);
  if (!parsed.ok) return parsed;
  const { team: teamId, captain } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const { team, members } = await lockTeamWithMembers(tx, teamId);
    if (!(await administersTeam(ctx, tx, team))) refuse(['input', 'team'], 'NOT_ALLOWED', 'The team’s community lies outside your scope.');
    if (!members.some((member) => member.personId === captain)) {
      refuse(['input', 'captain'], 'INVALID_STATE', 'The captain must be a current member of the team: add them first.');
    }
    const previousCaptainId = members.find((member) => member.role === 'captain')?.personId ?? null;
    await moveCaptaincy(tx, team.id, captain);
    // Naming the captain again changes nothing, so there is nothing to announce.
    if (previousCaptainId !== captain) await teamCaptainChanged(tx, { teamId: team.id, captainId: captain, previousCaptainId });
    return team;
  });
}
