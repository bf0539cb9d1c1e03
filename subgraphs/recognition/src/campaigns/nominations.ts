/**
 * Nominations and scores of honour campaigns. Who may nominate whom is
 * decided before anything about the campaign's state or the nominee's
 * figures is said (a nominee out of the caller's reach is NOT_ALLOWED
 * whatever the stage); then the stage, the category's eligibility conditions
 * (NOT_ELIGIBLE, naming the condition) and one nomination per category and
 * subject.
 */
import { z } from 'zod';
import {
  hasRole,
  idInput,
  inTransaction,
  isPlatformAdmin,
  parseInput,
  refuseUnseen,
  requireRoles,
  requireSignedIn,
  textInput,
  type Result,
  type Role,
  type Transaction,
  type Viewer,
} from '@lianxin/shared';
import { STAR_ADMIN_ROLES } from '../access.js';
import type { RecognitionContext } from '../context.js';
import type { CampaignCategoryRow, CampaignNominationRow, CampaignRow } from '../db/schema.js';
import { refuse } from '../errors.js';
import { findHomeChains } from '../stars/store.js';
import type { CampaignNominationModel } from './model.js';
import { isOrganiser, rankNominations, seesCampaign } from './service.js';
import {
  findCategoriesByIds,
  findNominationsByIds,
  findNominationsOfCategories,
  findReviewersOfCampaigns,
  findStarLevel,
  findTeam,
  insertNomination,
  insertScore,
  insertWithdrawal,
  captainsSide,
  isMemberOfTeams,
  lockCampaign,
  sumPersonMinutes,
  sumTeamMinutes,
} from './store.js';

/** Where a nominee belongs: a volunteer's home chain, a team's community chain (root first, itself last; empty when unknown). */
async function chainOfSubject(tx: Transaction, category: CampaignCategoryRow, subjectId: string): Promise<string[]> {
  if (category.subjectKind === 'volunteer') return (await findHomeChains(tx, [subjectId]))[0]?.chain ?? [];
  if (category.subjectKind === 'team') return (await findTeam(tx, subjectId))?.chain ?? [];
  return [];
}

/**
 * How the viewer may nominate `subjectId` in `category`, or a NOT_ALLOWED
 * refusal: admins whose scope holds the nominee (an organisation, of which
 * recognition knows no region: the campaign's organisers), a team's captain
 * for the team and its members, a volunteer for themself when the campaign
 * takes self-applications.
 */
async function nominatorKindOf(
  viewer: Viewer,
  tx: Transaction,
  campaign: CampaignRow,
  category: CampaignCategoryRow,
  subjectId: string,
  chain: readonly string[],
): Promise<CampaignNominationRow['nominatorKind']> {
  const field = ['input', 'subject'];
  if (isPlatformAdmin(viewer)) return 'admin';
  if (hasRole(viewer, ...STAR_ADMIN_ROLES)) {
    const reach = category.subjectKind === 'organization' ? campaign.regionChain : chain;
    if (reach.some((region) => viewer.regionIds.includes(region))) return 'admin';
  }
  const me = viewer.personId;
  if (me !== null && category.subjectKind === 'volunteer' && subjectId === me) {
    if (campaign.selfApplication) return 'self';
    refuse(field, 'NOT_ALLOWED', 'This campaign takes no self-applications: ask your station, community or team captain to nominate you.');
  }
  if (me !== null) {
    // A captain speaks for their team and, through it, for its organisation and the organisation's other teams.
    const side = await captainsSide(tx, me);
    const onSide =
      category.subjectKind === 'team'
        ? side.teamIds.includes(subjectId)
        : category.subjectKind === 'organization'
          ? side.organizationIds.includes(subjectId)
          : await isMemberOfTeams(tx, subjectId, side.teamIds);
    if (onSide) return 'captain';
  }
  return refuse(
    field,
    'NOT_ALLOWED',
    'You may not nominate them: they are neither within your scope nor on the side of a team you captain (its members, its organisation and its teams).',
  );
}

/** The first condition of the category the nominee does not meet, as a NOT_ELIGIBLE refusal. */
async function checkEligibility(tx: Transaction, campaign: CampaignRow, category: CampaignCategoryRow, subjectId: string, chain: readonly string[]): Promise<void> {
  const field = ['input', 'subject'];
  const regionId = category.regionId ?? campaign.regionId;
  if (category.subjectKind !== 'organization' && !chain.includes(regionId)) {
    const where = category.subjectKind === 'volunteer' ? 'home (as recorded)' : 'community';
    refuse(field, 'NOT_ELIGIBLE', `Region: the nominee's ${where} is not within the category's region.`);
  }
  if (category.minStarLevel !== null) {
    const level = await findStarLevel(tx, subjectId);
    if (level < category.minStarLevel) refuse(field, 'NOT_ELIGIBLE', `Star level: the category needs at least ${category.minStarLevel} stars; the volunteer holds ${level}.`);
  }
  if (category.minMinutes !== null) {
    const period = { from: campaign.periodStart, before: campaign.periodEnd };
    const minutes =
      category.subjectKind === 'team' ? await sumTeamMinutes(tx, { teamId: subjectId, ...period }) : await sumPersonMinutes(tx, { personId: subjectId, regionId, ...period });
    if (minutes < category.minMinutes)
      refuse(field, 'NOT_ELIGIBLE', `Hours: the category needs at least ${category.minMinutes} minutes of service in the campaign's period; the nominee has ${minutes}.`);
  }
}

/** The category and its campaign (locked against a stage move meanwhile), or the unseen refusal. */
async function categoryInReach(ctx: RecognitionContext, tx: Transaction, id: string, field: string[]): Promise<{ campaign: CampaignRow; category: CampaignCategoryRow }> {
  const [category] = await findCategoriesByIds(tx, [id.toLowerCase()]);
  const campaign = category ? await lockCampaign(tx, category.campaignId) : null;
  if (!category || !campaign || !seesCampaign(ctx.viewer, campaign)) refuseUnseen(ctx.viewer, field, 'campaign category');
  return { campaign, category };
}

/** Who may nominate at all (platform admins too): volunteers for themselves, team captains, station and community admins; the nominee decides the rest. */
const NOMINATOR_ROLES: readonly Role[] = ['volunteer', 'team_captain', 'station_admin', 'community_admin'];

const nominateInput = z.object({ category: idInput('a campaign category'), subject: idInput('a nominee'), statement: textInput(2000), displayName: textInput(50) });

/** `campaignNominate`. */
export async function nominate(ctx: RecognitionContext, input: unknown): Promise<Result<CampaignNominationRow>> {
  const by = requireRoles(ctx.viewer, NOMINATOR_ROLES, 'nominate for honours');
  const parsed = parseInput(nominateInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const { campaign, category } = await categoryInReach(ctx, tx, parsed.value.category, ['input', 'category']);
    const subjectId = parsed.value.subject.toLowerCase();
    const chain = await chainOfSubject(tx, category, subjectId);
    const nominatorKind = await nominatorKindOf(ctx.viewer, tx, campaign, category, subjectId, chain);
    if (campaign.stage !== 'nominating')
      refuse(['input', 'category'], 'INVALID_STATE', `The campaign is ${campaign.stage.toUpperCase()}: nominations are made while it is NOMINATING.`);
    await checkEligibility(tx, campaign, category, subjectId, chain);
    const row = await insertNomination(tx, {
      campaignId: campaign.id,
      categoryId: category.id,
      subjectKind: category.subjectKind,
      subjectId,
      nominatorKind,
      nominatorPersonId: ctx.viewer.personId,
      nominatedBy: by,
      statement: parsed.value.statement,
      displayName: parsed.value.displayName,
    });
    if (!row) refuse(['input', 'subject'], 'ALREADY_EXISTS', 'They are nominated in this category already.');
    return row;
  });
}

const withdrawInput = z.object({ nomination: idInput('a nomination'), reason: textInput(500) });

/** `campaignNominationWithdraw`: by the nominator or an organiser, while NOMINATING. */
export async function withdrawNomination(ctx: RecognitionContext, input: unknown): Promise<Result<CampaignNominationRow>> {
  const by = requireSignedIn(ctx.viewer, 'withdraw nominations');
  const parsed = parseInput(withdrawInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const [nomination] = await findNominationsByIds(tx, [parsed.value.nomination.toLowerCase()]);
    const campaign = nomination ? await lockCampaign(tx, nomination.campaignId) : null;
    const mine = nomination?.nominatedBy === by;
    if (!nomination || !campaign || !(mine || isOrganiser(ctx.viewer, campaign))) refuseUnseen(ctx.viewer, ['input', 'nomination'], 'nomination');
    if (campaign.stage !== 'nominating') refuse(['input', 'nomination'], 'INVALID_STATE', 'Nominations are withdrawn only while the campaign is NOMINATING.');
    if (!(await insertWithdrawal(tx, { nominationId: nomination.id, campaignId: campaign.id, reason: parsed.value.reason, withdrawnBy: by })))
      refuse(['input', 'nomination'], 'INVALID_STATE', 'The nomination was withdrawn already.');
    return nomination;
  });
}

const scoreInput = z.object({ nomination: idInput('a nomination'), score: z.number().int().min(0).max(100) });

/** `campaignScore`: a reviewer's score, once per nomination, while REVIEWING. */
export async function scoreNomination(ctx: RecognitionContext, input: unknown): Promise<Result<CampaignNominationRow>> {
  requireSignedIn(ctx.viewer, 'score nominations');
  const parsed = parseInput(scoreInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const [nomination] = await findNominationsByIds(tx, [parsed.value.nomination.toLowerCase()]);
    const campaign = nomination ? await lockCampaign(tx, nomination.campaignId) : null;
    const me = ctx.viewer.personId;
    const reviewers = campaign ? await findReviewersOfCampaigns(tx, [campaign.id]) : [];
    const reviews = me !== null && reviewers.some((reviewer) => reviewer.personId === me);
    if (!nomination || !campaign || !(reviews || isOrganiser(ctx.viewer, campaign))) refuseUnseen(ctx.viewer, ['input', 'nomination'], 'nomination');
    if (!reviews || me === null) return refuse(['input', 'nomination'], 'NOT_ALLOWED', 'Only the campaign’s reviewers score its nominations.');
    if (campaign.stage !== 'reviewing') refuse(['input', 'nomination'], 'INVALID_STATE', 'Nominations are scored while the campaign is REVIEWING.');
    if (nomination.withdrawn) refuse(['input', 'nomination'], 'INVALID_STATE', 'The nomination was withdrawn.');
    if (!(await insertScore(tx, { nominationId: nomination.id, reviewerId: me, campaignId: campaign.id, score: parsed.value.score })))
      refuse(['input', 'nomination'], 'ALREADY_EXISTS', 'You scored this nomination already.');
    return nomination;
  });
}

/** A nomination as its payload shows it, ranked within its category. */
export async function nominationModel(ctx: RecognitionContext, row: CampaignNominationRow | null): Promise<CampaignNominationModel | null> {
  if (row === null) return null;
  const ranked = rankNominations(await findNominationsOfCategories(ctx.db, [row.categoryId]));
  return ranked.find((nomination) => nomination.id === row.id) ?? null;
}
