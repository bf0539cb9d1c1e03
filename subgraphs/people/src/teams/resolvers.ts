import { payloadAsItStands, referencedRow, required, toPayload, type Result } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { TeamRow } from '../db/schema.js';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { requireCaptainReader, requirePersonReader } from '../privacy/policy.js';
import { addTeamMember, createTeam, getTeam, listMembers, listTeams, removeTeamMember, setTeamCaptain } from './service.js';

/** A change to team `id`: on refusal, the team as `team(id)` shows it. */
const teamPayload = async (ctx: PeopleContext, id: string, work: Promise<Result<TeamRow>>) => payloadAsItStands(ctx, 'team', await work, () => getTeam(ctx, id));

export const teamResolvers: Resolvers = {
  Query: {
    team: (_parent, { id }, ctx) => getTeam(ctx, id),
    teams: (_parent, { filter, first, after }, ctx) => listTeams(ctx, filter, { first, after }),
  },
  Mutation: {
    teamCreate: async (_parent, { input }, ctx) => toPayload('team', await createTeam(ctx, input)),
    teamMemberAdd: (_parent, { input }, ctx) => teamPayload(ctx, input.team, addTeamMember(ctx, input)),
    teamMemberRemove: (_parent, { input }, ctx) => teamPayload(ctx, input.team, removeTeamMember(ctx, input)),
    teamCaptainSet: (_parent, { input }, ctx) => teamPayload(ctx, input.team, setTeamCaptain(ctx, input)),
  },
  Team: {
    __resolveReference: (reference, ctx) => referencedRow('Team', ctx.loaders.teamById.load(reference.id)),
    community: async (team, _args, ctx) => {
      const community = await ctx.loaders.regionById.load(team.communityId);
      // The foreign key guarantees the row; a miss means the database is broken.
      return required(community, `community of team ${team.id}`);
    },
    organization: (team, _args, ctx) => (team.organizationId ? ctx.loaders.organizationById.load(team.organizationId) : null),
    captain: async (team, _args, ctx) => {
      requireCaptainReader(ctx);
      const captainId = await ctx.loaders.captainOfTeam.load(team.id);
      return captainId ? ctx.loaders.personById.load(captainId) : null;
    },
    categories: (team, _args, ctx) => ctx.loaders.categoriesOfTeam.load(team.id),
    coverage: (team, _args, ctx) => ctx.loaders.coverageOfTeam.load(team.id),
    memberCount: (team, _args, ctx) => ctx.loaders.memberCountOfTeam.load(team.id),
    members: (team, { first, after, includeFormer }, ctx) => {
      requirePersonReader(ctx);
      return listMembers(ctx, team.id, { first, after, includeFormer });
    },
  },
  TeamMemberEdge: {
    node: async (edge, _args, ctx) => {
      const person = await ctx.loaders.personById.load(edge.node.personId);
      return required(person, `person ${edge.node.personId}, a member of a team`);
    },
    role: (edge) => edge.node.role,
    joinedAt: (edge) => edge.node.joinedAt,
    leftAt: (edge) => edge.node.leftAt,
  },
};
