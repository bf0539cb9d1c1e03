/** GraphQL resolvers for honour campaigns and honour titles; thin, they hand over to the services. */
import { toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { nominate, nominationModel, scoreNomination, withdrawNomination } from './nominations.js';
import {
  advanceCampaign,
  assignReviewer,
  campaignOf,
  campaignsOf,
  createCampaign,
  isOrganiser,
  isReviewer,
  nominationsOfCategory,
  publishCampaign,
  winnerCertificateOf,
  winnersOf,
} from './service.js';
import { honoursOf, recordHonourTitle, withdrawHonourTitle } from './titles.js';
import type { Result } from '@lianxin/shared';
import type { CampaignNominationRow } from '../db/schema.js';
import type { RecognitionContext } from '../context.js';

/** A nomination mutation's payload, the nomination ranked as it now stands. */
async function nominationPayload(ctx: RecognitionContext, result: Result<CampaignNominationRow>) {
  const { nomination, userErrors } = toPayload('nomination', result);
  return { nomination: await nominationModel(ctx, nomination), userErrors };
}

const byKind = (kind: string, id: string, wanted: string) => (kind === wanted ? { id } : null);

export const campaignResolvers: Resolvers = {
  Query: {
    campaign: (_parent, { id }, ctx) => campaignOf(ctx, id),
    campaigns: (_parent, args, ctx) => campaignsOf(ctx, args),
  },
  Mutation: {
    campaignCreate: async (_parent, { input }, ctx) => toPayload('campaign', await createCampaign(ctx, input)),
    campaignAdvance: async (_parent, { input }, ctx) => toPayload('campaign', await advanceCampaign(ctx, input)),
    campaignReviewerAssign: async (_parent, { input }, ctx) => toPayload('campaign', await assignReviewer(ctx, input)),
    campaignPublish: async (_parent, { input }, ctx) => toPayload('campaign', await publishCampaign(ctx, input)),
    campaignNominate: async (_parent, { input }, ctx) => nominationPayload(ctx, await nominate(ctx, input)),
    campaignNominationWithdraw: async (_parent, { input }, ctx) => nominationPayload(ctx, await withdrawNomination(ctx, input)),
    campaignScore: async (_parent, { input }, ctx) => nominationPayload(ctx, await scoreNomination(ctx, input)),
    honourTitleRecord: async (_parent, { input }, ctx) => toPayload('title', await recordHonourTitle(ctx, input)),
    honourTitleWithdraw: async (_parent, { input }, ctx) => toPayload('title', await withdrawHonourTitle(ctx, input)),
  },
  Campaign: {
    __resolveReference: (reference, ctx) => campaignOf(ctx, reference.id),
    region: (campaign) => ({ id: campaign.regionId }),
    periodEnd: (campaign) => {
      const last = new Date(`${campaign.periodEnd}T00:00:00Z`);
      last.setUTCDate(last.getUTCDate() - 1);
      return last.toISOString().slice(0, 10);
    },
    stageHistory: (campaign, _args, ctx) => ctx.loaders.stageChangesOfCampaign.load(campaign.id),
    categories: (campaign, _args, ctx) => ctx.loaders.categoriesOfCampaign.load(campaign.id),
    winners: (campaign, _args, ctx) => winnersOf(ctx, campaign),
    viewerIsOrganiser: (campaign, _args, ctx) => isOrganiser(ctx.viewer, campaign),
    viewerIsReviewer: (campaign, _args, ctx) => isReviewer(ctx, campaign),
  },
  CampaignStageChange: {
    from: (change) => change.fromStage,
    to: (change) => change.toStage,
    at: (change) => change.changedAt,
  },
  CampaignCategory: {
    region: (category) => (category.regionId === null ? null : { id: category.regionId }),
    nominations: (category, _args, ctx) => nominationsOfCategory(ctx, category),
    winners: async (category, _args, ctx) => {
      const campaign = await ctx.loaders.campaignById.load(category.campaignId);
      return campaign ? (await winnersOf(ctx, campaign)).filter((winner) => winner.categoryId === category.id) : [];
    },
  },
  CampaignNomination: {
    person: (nomination) => byKind(nomination.subjectKind, nomination.subjectId, 'volunteer'),
    team: (nomination) => byKind(nomination.subjectKind, nomination.subjectId, 'team'),
    organization: (nomination) => byKind(nomination.subjectKind, nomination.subjectId, 'organization'),
    averageScore: (nomination) => (nomination.scores === 0 ? null : Math.round((nomination.scoreTotal * 100) / nomination.scores) / 100),
    viewerHasScored: (nomination, _args, ctx) => ctx.viewer.personId !== null && nomination.scoredBy.includes(ctx.viewer.personId),
  },
  CampaignWinner: {
    campaign: async (winner, _args, ctx) => {
      const campaign = await ctx.loaders.campaignById.load(winner.campaignId);
      if (!campaign) throw new Error(`campaign ${winner.campaignId} of a winner is missing`);
      return campaign;
    },
    person: (winner) => byKind(winner.subjectKind, winner.subjectId, 'volunteer'),
    team: (winner) => byKind(winner.subjectKind, winner.subjectId, 'team'),
    organization: (winner) => byKind(winner.subjectKind, winner.subjectId, 'organization'),
    certificate: (winner, _args, ctx) => winnerCertificateOf(ctx, winner),
  },
  Honour: {
    campaign: (honour, _args, ctx) => (honour.campaignId === null ? null : campaignOf(ctx, honour.campaignId)),
  },
  HonourTitle: {
    person: (title) => ({ id: title.personId }),
    withdrawn: (title) => title.withdrawalReason !== null,
  },
  Person: {
    honours: (person, _args, ctx) => honoursOf(ctx, person.id),
  },
};
