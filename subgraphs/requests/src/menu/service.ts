/**
 * Rules for the service menu (服务清单). Offers are public, like the teams
 * that publish them: a team, a category, an area and hours, nothing of any
 * person. A team's captain publishes and withdraws its offers, and so may the
 * region admins whose scope holds the team's community. Ordering from an
 * offer is filing a request (requests/lifecycle.ts) with the offer's category,
 * counted against its weekly capacity by the database. Need lists go the other
 * way: a station publishes what its residents need, and a team's captain
 * claims a need for the team, once.
 */
import { z } from 'zod';
import {
  CHECK_VIOLATION,
  UNIQUE_VIOLATION,
  optionalId,
  readPage,
  refused,
  requireRoles,
  toConnection,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
} from '@lianxin/shared';
import { REGION_ADMIN_ROLES, administers, requirePerson, requireReader } from '../access.js';
import { findCategoriesByCodes } from '../categories/store.js';
import type { RequestsContext } from '../context.js';
import type { CategoryRow, ServiceNeedRow, ServiceOfferRow, ServiceRequestRow } from '../db/schema.js';
import { placeOf, requireKnownPersons, teamOf } from '../directory/service.js';
import { findDirectoryRegions } from '../directory/store.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput, type ConstraintRefusal } from '../mutation.js';
import { userError } from '../errors.js';
import { requestStepTaken } from '../events/publish.js';
import { createServiceRequest } from '../requests/lifecycle.js';
import { insertServiceRequest, insertTransition } from '../requests/store.js';
import {
  claimNeed,
  findNeed,
  findNeedPage,
  findOfferPage,
  findOffersByIds,
  insertNeed,
  insertOffer,
  isTeamCaptain,
  lockOffer,
  needCursor,
  offerCursor,
  withdrawOffer,
} from './store.js';

const time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time HH:MM.');
const windowInput = z
  .object({ weekday: z.number().int().min(1, 'must be 1 to 7.').max(7, 'must be 1 to 7.'), start: time, end: time })
  .refine((window) => window.end > window.start, { path: ['end'], message: 'must be after start.' });

const MAX_FEN = 10_000_000;
const fen = z.number().int().min(0, 'must not be negative.').max(MAX_FEN, `must be at most ${MAX_FEN} fen.`);

const publishInput = z.object({
  team: idInput('a team'),
  category: z.string().trim().min(1, 'must not be empty.'),
  description: textInput(1000),
  regions: z.array(idInput('a region')).min(1, 'must name at least one region.').max(50, 'must name at most 50 regions.'),
  windows: z.array(windowInput).min(1, 'must give at least one window.').max(28, 'must give at most 28 windows.'),
  capacityPerWeek: z.number().int().min(1, 'must be 1 to 1000.').max(1000, 'must be 1 to 1000.'),
  price: z.object({ labour: fen, materials: fen }).nullish(),
});

/**
 * Whether the viewer may act for `teamId` on the menu: its captain, or an
 * admin whose scope holds the team's community. Teams are public, so an
 * unknown team is NOT_FOUND; one the viewer may not act for is NOT_ALLOWED.
 */
async function requireTeamAuthority(ctx: RequestsContext, tx: Transaction, me: string, teamId: string, field: string[]): Promise<void> {
  const team = await teamOf(tx, teamId, field);
  if (await isTeamCaptain(tx, team.id, me)) return;
  const [community] = await findDirectoryRegions(tx, [team.communityId]);
  const path = community ? [...community.path, community.id] : [];
  if (!administers(ctx.viewer, path)) refuse(field, 'NOT_ALLOWED', 'Only the team’s captain, or an admin of its community, acts for it on the menu.');
}

/** The category, which must be in use. Read through `tx`: on the embedded database a read on another handle would wait for this transaction. */
async function activeCategory(tx: Transaction, code: string): Promise<CategoryRow> {
  const [category] = await findCategoriesByCodes(tx, [code]);
  if (!category) refuse(inputField('category'), 'NOT_FOUND', `There is no category ${code}.`);
  if (category.retiredAt) refuse(inputField('category'), 'INVALID_STATE', `The category ${code} is retired; choose another.`);
  return category;
}

/** A priced category's offer names its price (the tiered price divides it); a free one names none. */
function requirePriceFits(category: CategoryRow, price: { labour: number; materials: number } | null | undefined): void {
  if (category.priced && !price) refuse(inputField('price'), 'REQUIRED', `${category.name} is priced: give the labour and materials each order costs.`);
  if (!category.priced && price) refuse(inputField('price'), 'INVALID', `${category.name} is free: an offer of it names no price.`);
}

/** The database's own refusal of a retired category, should one be retired between the check and the insert. */
const CATEGORY_IN_USE: ConstraintRefusal = {
  sqlState: CHECK_VIOLATION,
  constraint: 'categories_in_use',
  error: userError(inputField('category'), 'INVALID_STATE', 'The category is retired; choose another.'),
};

export async function publishOffer(ctx: RequestsContext, input: unknown): Promise<Result<ServiceOfferRow>> {
  const me = requirePerson(ctx.viewer, 'publish offers');
  requireReader(ctx.viewer);
  const parsed = parseInput(publishInput, input);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const now = ctx.settings.now();
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, me);
      await requireTeamAuthority(ctx, tx, me, value.team, inputField('team'));
      requirePriceFits(await activeCategory(tx, value.category), value.price);
      const regions = [...new Set(value.regions)];
      const known = await findDirectoryRegions(tx, regions);
      if (known.length !== regions.length) refuse(inputField('regions'), 'NOT_FOUND', 'A region of the area does not exist.');
      return insertOffer(tx, {
        teamId: value.team,
        categoryCode: value.category,
        description: value.description,
        areaRegionIds: regions,
        windows: value.windows.map(({ weekday, start, end }) => ({ weekday, start, end })),
        capacityPerWeek: value.capacityPerWeek,
        labourFen: value.price?.labour ?? null,
        materialsFen: value.price?.materials ?? null,
        publishedById: me,
        publishedAt: now,
      });
    },
    [CATEGORY_IN_USE],
  );
}

const withdrawInput = z.object({ offer: idInput('an offer') });

export async function withdrawServiceOffer(ctx: RequestsContext, input: unknown): Promise<Result<ServiceOfferRow>> {
  const me = requirePerson(ctx.viewer, 'withdraw offers');
  requireReader(ctx.viewer);
  const parsed = parseInput(withdrawInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const offer = await lockOffer(tx, parsed.value.offer);
    if (!offer) refuse(inputField('offer'), 'NOT_FOUND', 'There is no such offer.');
    await requireTeamAuthority(ctx, tx, me, offer.teamId, inputField('offer'));
    if (offer.withdrawnAt) refuse(inputField('offer'), 'INVALID_STATE', 'The offer has been withdrawn already.');
    return withdrawOffer(tx, offer.id, now);
  });
}

/** An offer by id, for a refused change's payload; offers are public. */
export async function offerAsItStands(ctx: RequestsContext, id: string): Promise<ServiceOfferRow | null> {
  const parsed = idInput('an offer').safeParse(id);
  if (!parsed.success) return null;
  const [row] = await findOffersByIds(ctx.db, [parsed.data]);
  return row ?? null;
}

export interface OfferFilterArgs {
  region?: string | null | undefined;
  category?: string | null | undefined;
}

/** The menu, newest first; public. A region the directory does not know serves no offers. */
export async function listOffers(ctx: RequestsContext, filter: OfferFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<ServiceOfferRow>> {
  const regionId = optionalId(filter?.region, 'filter.region', 'a region id');
  const page = readPage(args, ['timestamp', 'uuid']);
  let placePath: string[] | undefined;
  if (regionId) {
    const [region] = await findDirectoryRegions(ctx.db, [regionId]);
    if (!region) return toConnection([], page, offerCursor);
    placePath = [...region.path, region.id];
  }
  const rows = await findOfferPage(ctx.db, { placePath, category: filter?.category ?? undefined }, page);
  return toConnection(rows, page, offerCursor);
}

const orderInput = z.object({ offer: idInput('an offer') }).passthrough();

/**
 * Orders from an offer: the request is filed as `serviceRequestCreate` files
 * one (who may file for whom included), under the offer's category, with the
 * offer named so the database counts it against the week's capacity and the
 * station's approval dispatches it to the team.
 */
export async function orderFromOffer(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  requireReader(ctx.viewer);
  const parsed = parseInput(orderInput, input);
  if (!parsed.ok) return parsed;
  const { offer: offerId, ...rest } = parsed.value;
  const [offer] = await findOffersByIds(ctx.db, [offerId]);
  if (!offer) return refused(userError(inputField('offer'), 'NOT_FOUND', 'There is no such offer.'));
  if (offer.withdrawnAt) return refused(userError(inputField('offer'), 'INVALID_STATE', 'The offer has been withdrawn.'));
  return createServiceRequest(ctx, { ...rest, category: offer.categoryCode }, offer);
}

const needInput = z.object({
  category: z.string().trim().min(1, 'must not be empty.'),
  title: textInput(100),
  description: z.string().trim().max(2000, 'must be at most 2000 characters.').nullish(),
  place: idInput('a region'),
});

export async function publishNeed(ctx: RequestsContext, input: unknown): Promise<Result<ServiceNeedRow>> {
  const me = requirePerson(ctx.viewer, 'publish needs');
  requireReader(ctx.viewer);
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'publish needs');
  const parsed = parseInput(needInput, input);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const now = ctx.settings.now();
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, me);
      const place = await placeOf(tx, value.place, inputField('place'));
      if (!administers(ctx.viewer, place.path)) refuse(inputField('place'), 'NOT_ALLOWED', 'The place lies outside your scope.');
      await activeCategory(tx, value.category);
      return insertNeed(tx, {
        categoryCode: value.category,
        title: value.title,
        description: value.description ?? '',
        regionId: place.id,
        regionPath: place.path,
        publishedById: me,
        publishedAt: now,
      });
    },
    [CATEGORY_IN_USE],
  );
}

const claimInput = z.object({ need: idInput('a need'), team: idInput('a team') });

/**
 * The request a claim files, in the claim's transaction: the station's need
 * (the publisher is its requester), at the need's place, approved by the
 * station that published it and dispatched to the claiming team by its
 * captain, with the history rows and the `service_request.dispatched` event a
 * dispatch writes; the team's members accept it from their queue.
 */
export async function fileClaimedNeed(tx: Transaction, need: ServiceNeedRow, teamId: string, captainId: string, now: Date): Promise<ServiceRequestRow> {
  const description = (need.description ? `${need.title}\n\n${need.description}` : need.title).slice(0, 2000);
  const request = await insertServiceRequest(tx, {
    requesterId: need.publishedById,
    categoryCode: need.categoryCode,
    description,
    channel: 'app',
    filedById: null,
    regionId: need.regionId,
    regionPath: need.regionPath,
    urgency: 'normal',
    status: 'dispatched',
    dispatchedTeamId: teamId,
    createdAt: now,
    updatedAt: now,
  });
  const step = { requestId: request.id, actorKind: 'person' as const, at: now };
  await insertTransition(tx, { ...step, fromStatus: null, toStatus: 'submitted', actorId: need.publishedById });
  await insertTransition(tx, { ...step, fromStatus: 'submitted', toStatus: 'approved', actorId: need.publishedById, reason: 'Published as a need of the station.' });
  await insertTransition(tx, { ...step, fromStatus: 'approved', toStatus: 'dispatched', actorId: captainId, teamId });
  await requestStepTaken('dispatched')(tx, request);
  return request;
}

export async function claimServiceNeed(ctx: RequestsContext, input: unknown): Promise<Result<ServiceNeedRow>> {
  const me = requirePerson(ctx.viewer, 'claim needs');
  requireReader(ctx.viewer);
  const parsed = parseInput(claimInput, input);
  if (!parsed.ok) return parsed;
  const { need: needId, team: teamId } = parsed.value;
  const now = ctx.settings.now();
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, me);
      const need = await findNeed(tx, needId);
      if (!need) refuse(inputField('need'), 'NOT_FOUND', 'There is no such need.');
      await teamOf(tx, teamId, inputField('team'));
      if (!(await isTeamCaptain(tx, teamId, me))) refuse(inputField('team'), 'NOT_ALLOWED', 'Only the team’s captain claims needs for it.');
      if (need.claimedAt) refuse(inputField('need'), 'ALREADY_EXISTS', 'The need has been claimed already.');
      const request = await fileClaimedNeed(tx, need, teamId, me, now);
      const claimed = await claimNeed(tx, need.id, { teamId, personId: me, requestId: request.id, at: now });
      if (!claimed) refuse(inputField('need'), 'ALREADY_EXISTS', 'The need has been claimed already.');
      return claimed;
    },
    [{ sqlState: UNIQUE_VIOLATION, constraint: 'service_needs_claimed_once', error: userError(inputField('need'), 'ALREADY_EXISTS', 'The need has been claimed already.') }],
  );
}

/** A need by id, for a refused change's payload; needs are seen by every reader. */
export async function needAsItStands(ctx: RequestsContext, id: string): Promise<ServiceNeedRow | null> {
  requireReader(ctx.viewer);
  const parsed = idInput('a need').safeParse(id);
  if (!parsed.success) return null;
  return findNeed(ctx.db, parsed.data);
}

export interface NeedFilterArgs {
  region?: string | null | undefined;
  category?: string | null | undefined;
  open?: boolean | null | undefined;
}

export async function listNeeds(ctx: RequestsContext, filter: NeedFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<ServiceNeedRow>> {
  requireReader(ctx.viewer);
  const region = optionalId(filter?.region, 'filter.region', 'a region id');
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findNeedPage(ctx.db, { region, category: filter?.category ?? undefined, open: filter?.open ?? undefined }, page);
  return toConnection(rows, page, needCursor);
}
