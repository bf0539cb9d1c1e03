/** GraphQL resolvers for service projects and competitions; thin, they hand over to the services. */
import { hoursOf, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { createProject, linkActivity, linkRecord } from './projects.js';
import {
  applyToCompetition,
  assignJudge,
  closeStage,
  competitionOf,
  competitionStatus,
  competitionsOfProject,
  competitionsPage,
  createCompetition,
  entriesOf,
  resultsOf,
  scoreProject,
  scoresOf,
  serviceProjectOf,
  stagesOf,
} from './service.js';

const hundredthsToPoints = (hundredths: number | null): number | null => (hundredths === null ? null : hundredths / 100);

export const competitionResolvers: Resolvers = {
  Query: {
    serviceProject: (_parent, { id }, ctx) => serviceProjectOf(ctx, id),
    competition: (_parent, { id }, ctx) => competitionOf(ctx, id),
    competitions: (_parent, args, ctx) => competitionsPage(ctx, args),
  },
  Mutation: {
    serviceProjectCreate: async (_parent, { input }, ctx) => toPayload('serviceProject', await createProject(ctx, input)),
    serviceProjectActivityLink: async (_parent, { input }, ctx) => toPayload('serviceProject', await linkActivity(ctx, input)),
    serviceProjectRecordLink: async (_parent, { input }, ctx) => toPayload('serviceProject', await linkRecord(ctx, input)),
    competitionCreate: async (_parent, { input }, ctx) => toPayload('competition', await createCompetition(ctx, input)),
    competitionApply: async (_parent, { input }, ctx) => toPayload('competition', await applyToCompetition(ctx, input)),
    competitionJudgeAssign: async (_parent, { input }, ctx) => toPayload('competition', await assignJudge(ctx, input)),
    competitionScore: async (_parent, { input }, ctx) => {
      const { scores, userErrors } = toPayload('scores', await scoreProject(ctx, input));
      return { scores: scores ?? [], userErrors };
    },
    competitionStageClose: async (_parent, { input }, ctx) => {
      const { closed, userErrors } = toPayload('closed', await closeStage(ctx, input));
      return { competition: closed?.competition ?? null, results: closed?.results ?? [], alreadyClosed: closed?.alreadyClosed ?? null, userErrors };
    },
  },
  ServiceProject: {
    __resolveReference: (reference, ctx) => ctx.loaders.serviceProjectById.load(reference.id),
    category: (project) => project.categoryCode,
    region: (project) => ({ id: project.regionId }),
    ownerTeam: (project) => (project.ownerTeamId === null ? null : { id: project.ownerTeamId }),
    ownerOrganization: (project) => (project.ownerOrganizationId === null ? null : { id: project.ownerOrganizationId }),
    activities: async (project, _args, ctx) => (await ctx.loaders.activityLinksOfProject.load(project.id)).map((link) => ({ id: link.activityId })),
    serviceRecordIds: async (project, _args, ctx) => (await ctx.loaders.recordLinksOfProject.load(project.id)).map((link) => link.serviceRecordId),
    results: (project, _args, ctx) => ctx.loaders.resultsOfProject.load(project.id),
    competitions: (project, _args, ctx) => competitionsOfProject(ctx, project),
  },
  ServiceProjectResults: {
    hours: (results) => hoursOf(results.minutes),
  },
  Competition: {
    __resolveReference: (reference, ctx) => ctx.loaders.competitionById.load(reference.id),
    region: (competition) => ({ id: competition.regionId }),
    status: (competition, _args, ctx) => competitionStatus(ctx, competition),
    criteria: (competition, _args, ctx) => ctx.loaders.criteriaOfCompetition.load(competition.id),
    awardCounts: (competition) => [
      { level: 'gold', count: competition.goldCount },
      { level: 'silver', count: competition.silverCount },
      { level: 'bronze', count: competition.bronzeCount },
      { level: 'excellence', count: competition.excellenceCount },
    ],
    stages: (competition, _args, ctx) => stagesOf(ctx, competition),
    entries: (competition, _args, ctx) => entriesOf(ctx, competition),
    results: (competition, { stage }, ctx) => resultsOf(ctx, competition, stage),
    awards: async (competition, _args, ctx) => (await resultsOf(ctx, competition, 'final')).filter((result) => result.awardLevel !== null),
    scores: (competition, { stage }, ctx) => scoresOf(ctx, competition, stage),
  },
  CompetitionResult: {
    project: async (result, _args, ctx) => required(await ctx.loaders.serviceProjectById.load(result.projectId), `project ${result.projectId}`),
    score: (result) => hundredthsToPoints(result.scoreHundredths),
    award: (result) => result.awardLevel,
  },
  CompetitionScore: {
    judge: (score) => ({ id: score.judgeId }),
    project: async (score, _args, ctx) => required(await ctx.loaders.serviceProjectById.load(score.projectId), `project ${score.projectId}`),
    criterion: async (score, _args, ctx) =>
      required(
        (await ctx.loaders.criteriaOfCompetition.load(score.competitionId)).find((criterion) => criterion.id === score.criterionId),
        `criterion ${score.criterionId}`,
      ),
  },
};
