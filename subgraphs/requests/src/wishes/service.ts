/**
 * Rules for micro-wishes (微心愿): posted by a resident (or staff for them),
 * published by an admin of the place, claimed by one volunteer or
 * organisation at a time, fulfilled with evidence, thanked. Each change goes
 * through the table below in one transaction that locks the wish and writes
 * a history row. Published wishes are visible to every signed-in viewer;
 * others only to the wisher, the poster and region staff.
 */
import { requirePerson, REGION_ADMIN_ROLES, REGION_STAFF_ROLES, administers, requireReader, staffScope } from '../access.js';
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  hasRole,
  isUuid,
  optionalId,
  readPage,
  toConnection,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Role,
  type Transaction,
  requireRoles,
  refuseUnseen,
  refused,
  userError,
} from '@lianxin/shared';
import { filesAsCaretaker } from '../caseloads/service.js';
import type { RequestsContext } from '../context.js';
import { requestChannel, type MicroWishRow, type RequestChannel, type WishStatus } from '../db/schema.js';
import { placeOf, requireKnownPersons } from '../directory/service.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput, urlInput } from '../mutation.js';
import { wishChannelAllowed } from '../requests/channels.js';
import { findWishPage, insertWish, insertWishTransition, lockWish, updateWish, wishCursor } from './store.js';

type WishAction = 'publish' | 'claim' | 'release' | 'fulfil' | 'thank' | 'withdraw';

/** The life of a wish: which statuses each change starts from and where it leads. */
export const WISH_TRANSITIONS: Readonly<Record<WishAction, { from: readonly WishStatus[]; to: WishStatus }>> = {
  publish: { from: ['posted'], to: 'published' },
  claim: { from: ['published'], to: 'claimed' },
  release: { from: ['claimed'], to: 'published' },
  fulfil: { from: ['claimed'], to: 'fulfilled' },
  thank: { from: ['fulfilled'], to: 'thanked' },
  withdraw: { from: ['posted', 'published'], to: 'withdrawn' },
};

const WISH_VERBS: Record<WishAction, string> = {
  publish: 'published',
  claim: 'claimed',
  release: 'given back',
  fulfil: 'fulfilled',
  thank: 'thanked',
  withdraw: 'withdrawn',
};

/** Staff who post wishes for residents who do not use the app. */
const POST_ON_BEHALF_ROLES: readonly Role[] = ['grid_worker', 'station_admin', 'community_admin', 'platform_admin'];
/** Who may claim a wish for themselves. */
const CLAIMER_ROLES: readonly Role[] = ['volunteer', 'team_captain'];

const PUBLIC: readonly WishStatus[] = ['published', 'claimed', 'fulfilled', 'thanked'];

export function maySeeWish(ctx: RequestsContext, wish: MicroWishRow): boolean {
  if (PUBLIC.includes(wish.status)) return true;
  const me = ctx.viewer.personId;
  return (me !== null && (me === wish.wisherId || me === wish.postedById)) || administers(ctx.viewer, wish.regionPath, REGION_STAFF_ROLES);
}

export async function getMicroWish(ctx: RequestsContext, id: string): Promise<MicroWishRow | null> {
  requireReader(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a micro-wish id.', 'id');
  return visibleWish(ctx, await ctx.loaders.microWishById.load(id));
}

/** A wish not yet published is hidden from others: null, as for an unknown one. */
function visibleWish(ctx: RequestsContext, wish: MicroWishRow | null): MicroWishRow | null {
  return wish && maySeeWish(ctx, wish) ? wish : null;
}

export async function resolveMicroWishReference(ctx: RequestsContext, id: string): Promise<MicroWishRow | null> {
  requireReader(ctx.viewer);
  return visibleWish(ctx, await ctx.loaders.microWishById.load(id));
}

export interface MicroWishFilterArgs {
  region?: string | null | undefined;
  status?: readonly WishStatus[] | null | undefined;
  channels?: readonly RequestChannel[] | null | undefined;
}

export async function listMicroWishes(ctx: RequestsContext, filter: MicroWishFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<MicroWishRow>> {
  requireReader(ctx.viewer);
  const regionId = optionalId(filter?.region, 'filter.region', 'a region id');
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findWishPage(
    ctx.db,
    {
      region: regionId,
      statuses: filter?.status ? [...filter.status] : undefined,
      channels: filter?.channels ? [...filter.channels] : undefined,
      unpublishedScope: staffScope(ctx.viewer),
      viewerId: ctx.viewer.personId,
    },
    page,
  );
  return toConnection(rows, page, wishCursor);
}

const postInput = z.object({
  wisher: idInput('a person').nullish(),
  title: textInput(100),
  story: textInput(2000),
  place: idInput('a region'),
  channel: z.enum(requestChannel.enumValues).nullish(),
});

export async function postMicroWish(ctx: RequestsContext, input: unknown): Promise<Result<MicroWishRow>> {
  const me = requirePerson(ctx.viewer, 'post a wish');
  const parsed = parseInput(postInput, input);
  if (!parsed.ok) return parsed;
  const { wisher, title, story, place: placeId } = parsed.value;
  const wisherId = wisher ?? me;
  if (wisherId !== me && !hasRole(ctx.viewer, ...POST_ON_BEHALF_ROLES) && !(await filesAsCaretaker(ctx, wisherId))) {
    throw new ForbiddenError('Only grid workers, staff and caseload volunteers for their households may post a wish for someone else.');
  }
  const channel = parsed.value.channel ?? (wisherId === me ? 'app' : 'grid_worker');
  if (!wishChannelAllowed(channel, wisherId !== me)) {
    const message =
      wisherId === me ? 'A wish posted by the wisher comes through the app or the mini program.' : 'A wish posted for someone else names how it was collected, never the app.';
    return refused(userError(inputField('channel'), 'INVALID', message));
  }
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    // The poster and the wisher must be known: the wish lists show both.
    await requireKnownPersons(tx, me, wisherId === me ? [] : [{ id: wisherId, field: inputField('wisher') }]);
    const place = await placeOf(tx, placeId, inputField('place'));
    const wish = await insertWish(tx, { wisherId, postedById: me, title, story, regionId: place.id, regionPath: place.path, channel, createdAt: now });
    await insertWishTransition(tx, { wishId: wish.id, fromStatus: null, toStatus: 'posted', actorId: me, at: now });
    return wish;
  });
}

/**
 * One change of a wish in one transaction: the viewer must be known; lock;
 * a wish the viewer may not see is FORBIDDEN as an id that names none
 * (`refuseUnseen`); then the viewer's authority (NOT_ALLOWED, whatever the
 * status), and only then the status against the table; write the new row
 * and a history row.
 */
async function changeWish(
  ctx: RequestsContext,
  action: WishAction,
  wishId: string,
  authorised: (wish: MicroWishRow, me: string) => boolean,
  notAllowed: string,
  values: (tx: Transaction, wish: MicroWishRow, now: Date) => Promise<Partial<MicroWishRow>> | Partial<MicroWishRow> = () => ({}),
  reason: string | null = null,
): Promise<Result<MicroWishRow>> {
  const me = requirePerson(ctx.viewer, 'change a wish');
  const { from, to } = WISH_TRANSITIONS[action];
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const wish = await lockWish(tx, wishId);
    if (!wish || !maySeeWish(ctx, wish)) refuseUnseen(ctx.viewer, inputField('wish'), 'wish');
    if (!authorised(wish, me)) refuse(inputField('wish'), 'NOT_ALLOWED', notAllowed);
    if (!from.includes(wish.status)) {
      refuse(inputField('wish'), 'INVALID_STATE', `A wish that is ${wish.status} cannot be ${WISH_VERBS[action]}.`);
    }
    const updated = await updateWish(tx, wish.id, { ...(await values(tx, wish, now)), status: to });
    await insertWishTransition(tx, { wishId: wish.id, fromStatus: wish.status, toStatus: to, actorId: me, reason, at: now });
    return updated;
  });
}

const wishOnly = z.object({ wish: idInput('a wish') });

export async function publishMicroWish(ctx: RequestsContext, input: unknown): Promise<Result<MicroWishRow>> {
  requirePerson(ctx.viewer, 'publish wishes');
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'publish wishes');
  const parsed = parseInput(wishOnly, input);
  if (!parsed.ok) return parsed;
  return changeWish(ctx, 'publish', parsed.value.wish, (wish) => administers(ctx.viewer, wish.regionPath), 'The wish lies outside your scope.');
}

const claimInput = z.object({ wish: idInput('a wish'), organization: idInput('an organisation').nullish() });

/** Claims a published wish; the conditional status check under the row lock makes it one claim at a time. */
export async function claimMicroWish(ctx: RequestsContext, input: unknown): Promise<Result<MicroWishRow>> {
  requirePerson(ctx.viewer, 'claim wishes');
  const parsed = parseInput(claimInput, input);
  if (!parsed.ok) return parsed;
  const { wish: wishId, organization } = parsed.value;
  if (organization) requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'record a claim for an organisation');
  if (!organization && !hasRole(ctx.viewer, ...CLAIMER_ROLES)) throw new ForbiddenError('Only volunteers claim wishes for themselves.');
  return changeWish(
    ctx,
    'claim',
    wishId,
    (wish) => !organization || administers(ctx.viewer, wish.regionPath),
    'The wish lies outside your scope.',
    (_tx, _wish, now) => ({ claimantId: ctx.viewer.personId, claimantOrganizationId: organization ?? null, claimedAt: now }),
  );
}

const releaseInput = z.object({ wish: idInput('a wish'), reason: textInput(500) });

export async function releaseMicroWish(ctx: RequestsContext, input: unknown): Promise<Result<MicroWishRow>> {
  requirePerson(ctx.viewer, 'give a wish back');
  const parsed = parseInput(releaseInput, input);
  if (!parsed.ok) return parsed;
  return changeWish(
    ctx,
    'release',
    parsed.value.wish,
    (wish, me) => wish.claimantId === me || administers(ctx.viewer, wish.regionPath),
    'Only the claimant and admins of the wish’s place may give it back.',
    () => ({ claimantId: null, claimantOrganizationId: null, claimedAt: null }),
    parsed.value.reason,
  );
}

const fulfilInput = z.object({
  wish: idInput('a wish'),
  note: textInput(2000),
  evidenceUrls: z.array(urlInput).min(1, 'must hold at least one URL.').max(10, 'must hold at most 10 URLs.'),
});

export async function fulfilMicroWish(ctx: RequestsContext, input: unknown): Promise<Result<MicroWishRow>> {
  requirePerson(ctx.viewer, 'fulfil a wish');
  const parsed = parseInput(fulfilInput, input);
  if (!parsed.ok) return parsed;
  const { wish: wishId, note, evidenceUrls } = parsed.value;
  return changeWish(
    ctx,
    'fulfil',
    wishId,
    (wish, me) => wish.claimantId === me,
    'Only whoever claimed the wish may fulfil it.',
    (_tx, _wish, now) => ({ fulfilmentNote: note, evidenceUrls, fulfilledAt: now }),
  );
}

const thankInput = z.object({ wish: idInput('a wish'), message: textInput(500) });

export async function thankMicroWish(ctx: RequestsContext, input: unknown): Promise<Result<MicroWishRow>> {
  requirePerson(ctx.viewer, 'say thanks');
  const parsed = parseInput(thankInput, input);
  if (!parsed.ok) return parsed;
  return changeWish(
    ctx,
    'thank',
    parsed.value.wish,
    (wish, me) => wish.wisherId === me || wish.postedById === me,
    'Only the wisher, or whoever posted the wish for them, may say thanks.',
    (_tx, _wish, now) => ({ thanks: parsed.value.message, thankedAt: now }),
  );
}

const withdrawInput = z.object({ wish: idInput('a wish'), reason: textInput(500) });

export async function withdrawMicroWish(ctx: RequestsContext, input: unknown): Promise<Result<MicroWishRow>> {
  requirePerson(ctx.viewer, 'withdraw a wish');
  const parsed = parseInput(withdrawInput, input);
  if (!parsed.ok) return parsed;
  return changeWish(
    ctx,
    'withdraw',
    parsed.value.wish,
    (wish, me) => wish.wisherId === me || wish.postedById === me || administers(ctx.viewer, wish.regionPath),
    'Only the wisher, whoever posted it and admins of its place may withdraw a wish.',
    () => ({}),
    parsed.value.reason,
  );
}
