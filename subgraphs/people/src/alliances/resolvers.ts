import { payloadAsItStands, referencedRow, required, toPayload, type Result } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { AllianceRow } from '../db/schema.js';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { teamLevelOf } from '../regions/rank.js';
import { addAllianceTeam, createAlliance, getAlliance, listAllianceTeams, listAlliances, removeAllianceTeam } from './service.js';

/** A change to alliance `id`: on refusal, the alliance as `alliance(id)` shows it. */
const alliancePayload = async (ctx: PeopleContext, id: string, work: Promise<Result<AllianceRow>>) => payloadAsItStands(ctx, 'alliance', await work, () => getAlliance(ctx, id));

export const allianceResolvers: Resolvers = {
  Query: {
    alliance: (_parent, { id }, ctx) => getAlliance(ctx, id),
    alliances: (_parent, { region, first, after }, ctx) => listAlliances(ctx, region, { first, after }),
  },
  Mutation: {
    allianceCreate: async (_parent, { input }, ctx) => toPayload('alliance', await createAlliance(ctx, input)),
    allianceTeamAdd: (_parent, { input }, ctx) => alliancePayload(ctx, input.alliance, addAllianceTeam(ctx, input)),
    allianceTeamRemove: (_parent, { input }, ctx) => alliancePayload(ctx, input.alliance, removeAllianceTeam(ctx, input)),
  },
  Alliance: {
    __resolveReference: (reference, ctx) => referencedRow('Alliance', ctx.loaders.allianceById.load(reference.id)),
    region: async (alliance, _args, ctx) => required(await ctx.loaders.regionById.load(alliance.regionId), `region of alliance ${alliance.id}`),
    memberTeams: (alliance, { first, after }, ctx) => listAllianceTeams(ctx, alliance.id, { first, after }),
  },
  Team: {
    level: async (team, _args, ctx) => teamLevelOf(required(await ctx.loaders.regionById.load(team.communityId), `region of team ${team.id}`).kind),
    alliances: (team, _args, ctx) => ctx.loaders.alliancesOfTeam.load(team.id),
  },
};
