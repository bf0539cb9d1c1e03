import { toGraphQLEnum } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { getTeam, listMembers } from './service.js';

export const teamResolvers: Resolvers = {
  Query: {
    team: (_parent, { id }, ctx) => getTeam(ctx, id),
  },
  Team: {
    __resolveReference: (reference, ctx) => ctx.loaders.teamById.load(reference.id),
    community: async (team, _args, ctx) => {
      const community = await ctx.loaders.regionById.load(team.communityId);
      // The foreign key guarantees the row; a miss means the database is broken.
      if (!community) throw new Error(`team ${team.id} has no community row`);
      return community;
    },
    members: (team, { first, after }, ctx) => listMembers(ctx, team.id, { first, after }),
  },
  TeamMemberEdge: {
    node: async (edge, _args, ctx) => {
      const person = await ctx.loaders.personById.load(edge.node.personId);
      if (!person) throw new Error(`team member ${edge.node.personId} has no person row`);
      return person;
    },
    role: (edge) => toGraphQLEnum(edge.node.role),
    joinedAt: (edge) => edge.node.joinedAt,
  },
};
