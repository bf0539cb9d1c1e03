/**
 * Honour campaigns (评选表彰; docs/recognition.md, "Campaigns and honour
 * titles"): created in DRAFT by the admins of an organiser region, moved
 * forward stage by stage by them, reviewed by the reviewers they appoint and
 * published by them in one transaction that writes the winners (bounded by
 * each category's quota in the database), moves the campaign to PUBLISHED
 * and announces `campaign.published`. Nominations and scores are in
 * nominations.ts, honour titles in titles.ts.
 */
import { z } from 'zod';
import {
  BadInputError,
  idInput,
  inTransaction,
  hasRole,
  isPlatformAdmin,
  isUuid,
  parseInput,
  readPage,
  refuseUnseen,
  textInput,
  toConnection,
  type Connection,
  type Result,
  type Transaction,
  type Viewer,
} from '@lianxin/shared';
import { STAR_ADMIN_ROLES, administersRegion, requireStarAdmin } from '../access.js';
import type { RecognitionContext } from '../context.js';
import { CAMPAIGN_STAGES, type campaignCategories, type CampaignCategoryRow, type CampaignRow, type CampaignStage } from '../db/schema.js';
import { honourCertificateOf, issueHonourCertificate } from '../certificates/service.js';
import { refuse } from '../errors.js';
import { campaignPublished } from '../events/publish.js';
import { findRegions } from '../regions/store.js';
import type { CertificateModel } from '../certificates/model.js';
import type { CampaignNominationModel, CampaignWinnerModel } from './model.js';
import {
  findCampaignPage,
  findCategoriesOfCampaigns,
  findNominationsOfCategories,
  insertCampaign,
  insertCategories,
  insertReviewer,
  insertStageChange,
  insertWinners,
  lockCampaign,
  setCampaignStage,
  type ScoredNomination,
} from './store.js';

// Who sees and who organises
// --------------------------

/** Organisers: platform admins, and station and community admins whose scope holds the organiser region. */
export const isOrganiser = (viewer: Viewer, campaign: CampaignRow): boolean => administersRegion(viewer, campaign.regionChain);

/** A published campaign is public; one taking nominations or in review is for anyone signed in; a draft for its organisers. */
export function seesCampaign(viewer: Viewer, campaign: CampaignRow): boolean {
  if (campaign.stage === 'published' || campaign.stage === 'closed') return true;
  if (campaign.stage === 'draft') return isOrganiser(viewer, campaign);
  return viewer.subject !== null;
}

/** The campaign if the viewer may see it, else null (unknown and unseen alike). */
export async function campaignOf(ctx: RecognitionContext, id: string): Promise<CampaignRow | null> {
  if (!isUuid(id)) return null;
  const campaign = await ctx.loaders.campaignById.load(id.toLowerCase());
  return campaign && seesCampaign(ctx.viewer, campaign) ? campaign : null;
}

/** Whether the viewer is one of the campaign's reviewers. */
export async function isReviewer(ctx: RecognitionContext, campaign: CampaignRow): Promise<boolean> {
  if (ctx.viewer.personId === null) return false;
  const reviewers = await ctx.loaders.reviewersOfCampaign.load(campaign.id);
  return reviewers.some((reviewer) => reviewer.personId === ctx.viewer.personId);
}

const filterInput = z
  .object({
    region: z.string().nullish(),
    year: z.number().int().nullish(),
    stage: z.enum(CAMPAIGN_STAGES).nullish(),
  })
  .nullish();

/** `campaigns(filter, first, after)`: what the viewer may see, newest first. */
export async function campaignsOf(ctx: RecognitionContext, args: { filter?: unknown; first?: number | null; after?: string | null }): Promise<Connection<CampaignRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const filter = filterInput.parse(args.filter ?? null);
  if (filter?.region != null && !isUuid(filter.region)) throw new BadInputError('filter.region is not a region id.', 'filter');
  const viewer = ctx.viewer;
  const rows = await findCampaignPage(ctx.db, {
    visibility: { signedIn: viewer.subject !== null, organiserRegions: isPlatformAdmin(viewer) ? null : hasRole(viewer, ...STAR_ADMIN_ROLES) ? viewer.regionIds : [] },
    region: filter?.region?.toLowerCase() ?? null,
    year: filter?.year ?? null,
    stage: filter?.stage ?? null,
    limit: page.limit,
    after: page.after,
  });
  return toConnection(rows, page, (row) => [row.createdAt.toISOString(), row.id]);
}

// Ranking
// -------

/**
 * Ranks a category's nominations: standing nominations with at least one
 * score by average score, higher first (compared exactly, as fractions);
 * equal averages by more scores, then the earlier nomination, then id. The
 * order is total, so ranks are 1, 2, 3 … with no ties and a quota never
 * splits a tie. Unscored and withdrawn nominations follow, unranked.
 */
export function rankNominations(nominations: readonly ScoredNomination[]): CampaignNominationModel[] {
  const ranked = nominations
    .filter((nomination) => !nomination.withdrawn && nomination.scores > 0)
    .sort((a, b) => b.scoreTotal * a.scores - a.scoreTotal * b.scores || b.scores - a.scores || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const rest = nominations.filter((nomination) => !ranked.includes(nomination)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  return [...ranked.map((nomination, index) => ({ ...nomination, rank: index + 1 })), ...rest.map((nomination) => ({ ...nomination, rank: null }))];
}

/** `CampaignCategory.nominations`: all of them for organisers and reviewers, a nominator's own for them, none for others. */
export async function nominationsOfCategory(ctx: RecognitionContext, category: CampaignCategoryRow): Promise<CampaignNominationModel[]> {
  const campaign = await ctx.loaders.campaignById.load(category.campaignId);
  if (!campaign || !seesCampaign(ctx.viewer, campaign) || ctx.viewer.subject === null) return [];
  const ranked = rankNominations(await ctx.loaders.nominationsOfCategory.load(category.id));
  if (isOrganiser(ctx.viewer, campaign) || (await isReviewer(ctx, campaign))) return ranked;
  return ranked.filter((nomination) => nomination.nominatedBy === ctx.viewer.subject);
}

/** The winners of a campaign: none before publication. */
export async function winnersOf(ctx: RecognitionContext, campaign: CampaignRow): Promise<CampaignWinnerModel[]> {
  return ctx.loaders.winnersOfCampaign.load(campaign.id);
}

// Creating
// --------

const beijingToday = (now: Date): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const dayOf = (value: Date | string): string => (value instanceof Date ? value.toISOString().slice(0, 10) : value);
export { beijingToday, dayOf };

const categoryInput = z.object({
  name: textInput(50),
  subjectKind: z.enum(['volunteer', 'team', 'organization']),
  quota: z.number().int().min(1).max(1000),
  minStarLevel: z.number().int().min(1).max(5).nullish(),
  minMinutes: z.number().int().min(1).max(10_000_000).nullish(),
  region: idInput('a region').nullish(),
});

const createInput = z.object({
  region: idInput('a region'),
  title: textInput(100),
  description: textInput(2000),
  year: z.number().int().min(2000).max(2100),
  periodStart: z.union([z.string(), z.date()]).nullish(),
  periodEnd: z.union([z.string(), z.date()]).nullish(),
  selfApplication: z.boolean(),
  categories: z.array(categoryInput).min(1).max(20),
});
type CreateInput = z.infer<typeof createInput>;

/** The hours period as `[start, firstDayAfter)`: whole months within the year, or a user error. */
function periodOf(input: CreateInput): { periodStart: string; periodEnd: string } {
  const start = input.periodStart ? dayOf(input.periodStart) : `${input.year}-01-01`;
  const last = input.periodEnd ? dayOf(input.periodEnd) : `${input.year}-12-31`;
  if (!start.startsWith(`${input.year}-`) || !start.endsWith('-01')) refuse(['input', 'periodStart'], 'INVALID', 'periodStart must be the first day of a month of the year.');
  const end = new Date(`${last}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  const after = end.toISOString().slice(0, 10);
  if (!last.startsWith(`${input.year}-`) || !after.endsWith('-01') || after <= start)
    refuse(['input', 'periodEnd'], 'INVALID', 'periodEnd must be the last day of a month of the year, not before periodStart.');
  return { periodStart: start, periodEnd: after };
}

/** Checks each category's conditions against its subject kind and region; returns the rows to insert. */
async function categoriesOf(tx: Transaction, input: CreateInput, campaignId: string, regionId: string): Promise<(typeof campaignCategories.$inferInsert)[]> {
  const names = new Set<string>();
  const regions = new Map(
    (
      await findRegions(
        tx,
        input.categories.flatMap((category) => (category.region ? [category.region.toLowerCase()] : [])),
      )
    ).map((region) => [region.regionId, region.chain]),
  );
  return input.categories.map((category, index) => {
    const field = ['input', 'categories', String(index)];
    if (names.has(category.name)) refuse([...field, 'name'], 'ALREADY_EXISTS', 'Two categories have this name.');
    names.add(category.name);
    if (category.minStarLevel != null && category.subjectKind !== 'volunteer')
      refuse([...field, 'minStarLevel'], 'INVALID', 'Only volunteer categories have a star level condition.');
    if (category.minMinutes != null && category.subjectKind === 'organization') refuse([...field, 'minMinutes'], 'INVALID', 'Organisation categories have no hours condition.');
    const region = category.region?.toLowerCase() ?? null;
    if (region !== null && !(regions.get(region) ?? []).includes(regionId))
      refuse([...field, 'region'], 'INVALID', "The category's region must be the campaign's region or lie within it.");
    return {
      campaignId,
      position: index + 1,
      name: category.name,
      subjectKind: category.subjectKind,
      quota: category.quota,
      minStarLevel: category.minStarLevel ?? null,
      minMinutes: category.minMinutes ?? null,
      regionId: region,
    };
  });
}

/** `campaignCreate`. */
export async function createCampaign(ctx: RecognitionContext, input: unknown): Promise<Result<CampaignRow>> {
  const by = requireStarAdmin(ctx.viewer, 'organise honour campaigns');
  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const regionId = parsed.value.region.toLowerCase();
    const [region] = await findRegions(tx, [regionId]);
    if (!region) refuse(['input', 'region'], 'NOT_FOUND', 'There is no such region (one created a moment ago may need a moment more).');
    if (!administersRegion(ctx.viewer, region.chain)) refuse(['input', 'region'], 'NOT_ALLOWED', 'The region lies outside your scope.');
    const period = periodOf(parsed.value);
    const campaign = await insertCampaign(tx, {
      regionId,
      regionChain: region.chain,
      title: parsed.value.title,
      description: parsed.value.description,
      year: parsed.value.year,
      ...period,
      selfApplication: parsed.value.selfApplication,
      createdBy: by,
    });
    await insertCategories(tx, await categoriesOf(tx, parsed.value, campaign.id, regionId));
    await insertStageChange(tx, { campaignId: campaign.id, fromStage: null, toStage: 'draft', changedBy: by });
    return campaign;
  });
}

// Moving on
// ---------

/**
 * The campaign named by `field`, locked, for an organiser: unseen or unknown
 * is refused as `refuseUnseen`, seen but not organised `NOT_ALLOWED`; the
 * stage is for the caller to check after.
 */
export async function organisedCampaign(ctx: RecognitionContext, tx: Transaction, id: string, field: string[]): Promise<CampaignRow> {
  const campaign = await lockCampaign(tx, id.toLowerCase());
  if (!campaign || !seesCampaign(ctx.viewer, campaign)) refuseUnseen(ctx.viewer, field, 'campaign');
  if (!isOrganiser(ctx.viewer, campaign)) refuse(field, 'NOT_ALLOWED', 'Only the campaign’s organisers may do this.');
  return campaign;
}

const nextStage = (stage: CampaignStage): CampaignStage | null => CAMPAIGN_STAGES[CAMPAIGN_STAGES.indexOf(stage) + 1] ?? null;

const advanceInput = z.object({ campaign: idInput('a campaign'), to: z.enum(CAMPAIGN_STAGES) });

/** `campaignAdvance`: one stage forward, named, so that a repeated request does not move twice. */
export async function advanceCampaign(ctx: RecognitionContext, input: unknown): Promise<Result<CampaignRow>> {
  const by = requireStarAdmin(ctx.viewer, 'move honour campaigns on');
  const parsed = parseInput(advanceInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const campaign = await organisedCampaign(ctx, tx, parsed.value.campaign, ['input', 'campaign']);
    const to = parsed.value.to;
    if (to === 'published') refuse(['input', 'to'], 'INVALID', 'A campaign is published with campaignPublish, which selects its winners.');
    if (nextStage(campaign.stage) !== to) refuse(['input', 'to'], 'INVALID_STATE', `The campaign is ${campaign.stage.toUpperCase()}: it can only move to the next stage, forward.`);
    const moved = await setCampaignStage(tx, campaign.id, to);
    await insertStageChange(tx, { campaignId: campaign.id, fromStage: campaign.stage, toStage: to, changedBy: by });
    return moved;
  });
}

const reviewerInput = z.object({ campaign: idInput('a campaign'), reviewer: idInput('a person') });

/** `campaignReviewerAssign`: before publication. */
export async function assignReviewer(ctx: RecognitionContext, input: unknown): Promise<Result<CampaignRow>> {
  const by = requireStarAdmin(ctx.viewer, 'appoint campaign reviewers');
  const parsed = parseInput(reviewerInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const campaign = await organisedCampaign(ctx, tx, parsed.value.campaign, ['input', 'campaign']);
    if (!['draft', 'nominating', 'reviewing'].includes(campaign.stage)) refuse(['input', 'campaign'], 'INVALID_STATE', 'Reviewers are appointed before the campaign is published.');
    if (!(await insertReviewer(tx, { campaignId: campaign.id, personId: parsed.value.reviewer.toLowerCase(), assignedBy: by })))
      refuse(['input', 'reviewer'], 'ALREADY_EXISTS', 'They review this campaign already.');
    return campaign;
  });
}

// Publishing
// ----------

const publishInput = z.object({
  campaign: idInput('a campaign'),
  citations: z
    .array(z.object({ nomination: idInput('a nomination'), citation: textInput(500) }))
    .max(1000)
    .nullish(),
});

/** Who a winner's certificate is made out to, by the kind of subject the category honours. */
const CERTIFICATE_SUBJECTS = { volunteer: 'PERSON', team: 'TEAM', organization: 'ORGANIZATION' } as const;

/** `CampaignWinner.certificate`: the honour certificate the publication issued to the winner, for those who may read it. */
export function winnerCertificateOf(ctx: RecognitionContext, winner: CampaignWinnerModel): Promise<CertificateModel | null> {
  return honourCertificateOf(ctx, {
    sourceId: winner.campaignId,
    subjectKind: winner.subjectKind === 'volunteer' ? 'person' : winner.subjectKind,
    subjectId: winner.subjectId,
    title: winner.categoryName,
  });
}

/**
 * Publishes a campaign in review, in `tx`: in each category the best-ranked
 * scored nominations up to the quota win, in slots 1, 2, 3 … by rank, each
 * with its citation from `citations` or one made of the campaign and
 * category; each winner receives an honour certificate (the category's name
 * as its title, issued in the campaign's name at `at`); the campaign moves to
 * PUBLISHED and `campaign.published` is announced, winners, certificates and
 * event together or not at all. The caller has locked the campaign and
 * checked its stage.
 * Returns the published campaign and the winners, or refuses (a citation
 * for a nomination that does not win).
 */
export async function publishWinners(tx: Transaction, campaign: CampaignRow, citations: ReadonlyMap<string, string>, by: string, at = new Date()): Promise<CampaignRow> {
  const categories = await findCategoriesOfCampaigns(tx, [campaign.id]);
  const nominations = await findNominationsOfCategories(
    tx,
    categories.map((category) => category.id),
  );
  const winners = categories.flatMap((category) =>
    rankNominations(nominations.filter((nomination) => nomination.categoryId === category.id))
      .filter((nomination) => nomination.rank !== null && nomination.rank <= category.quota)
      .map((nomination) => ({
        categoryId: category.id,
        slot: nomination.rank ?? 0,
        quota: category.quota,
        campaignId: campaign.id,
        nominationId: nomination.id,
        subjectKind: nomination.subjectKind,
        subjectId: nomination.subjectId,
        displayName: nomination.displayName,
        citation: citations.get(nomination.id) ?? `荣获${campaign.title}「${category.name}」称号。`,
        scoreTotal: nomination.scoreTotal,
        scores: nomination.scores,
      })),
  );
  [...citations.keys()].forEach((nominationId, index) => {
    if (!winners.some((winner) => winner.nominationId === nominationId))
      refuse(['input', 'citations', String(index), 'nomination'], 'INVALID', 'This nomination does not win: a citation is for a winner.');
  });
  const written = await insertWinners(tx, winners);
  const published = await setCampaignStage(tx, campaign.id, 'published');
  await insertStageChange(tx, { campaignId: campaign.id, fromStage: 'reviewing', toStage: 'published', changedBy: by });
  const categoryNames = new Map(categories.map((category) => [category.id, category.name]));
  for (const winner of written) {
    await issueHonourCertificate(tx, {
      subject: { kind: CERTIFICATE_SUBJECTS[winner.subjectKind], id: winner.subjectId },
      displayName: winner.displayName,
      title: categoryNames.get(winner.categoryId) ?? campaign.title,
      citation: winner.citation,
      issuer: campaign.title,
      source: { kind: 'CAMPAIGN', id: campaign.id },
      issuedAt: at,
      issuedBy: by,
    });
  }
  await campaignPublished(tx, published, written, categories);
  return published;
}

/**
 * `campaignPublish`. The campaign row is locked first, so a second
 * publication waits and then finds it PUBLISHED; and the winners' primary
 * key and quota check would refuse a second set anyway.
 */
export async function publishCampaign(ctx: RecognitionContext, input: unknown): Promise<Result<CampaignRow>> {
  const by = requireStarAdmin(ctx.viewer, 'publish honour campaigns');
  const parsed = parseInput(publishInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const campaign = await organisedCampaign(ctx, tx, parsed.value.campaign, ['input', 'campaign']);
    if (campaign.stage !== 'reviewing')
      refuse(['input', 'campaign'], 'INVALID_STATE', `The campaign is ${campaign.stage.toUpperCase()}: only a campaign in review is published, once.`);
    return publishWinners(tx, campaign, new Map((parsed.value.citations ?? []).map((entry) => [entry.nomination.toLowerCase(), entry.citation])), by);
  });
}
