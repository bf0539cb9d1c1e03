/**
 * The hours a micro-wish took (微心愿服务时长): whoever fulfilled a wish
 * states the minutes; station staff of the wish's place confirm them, which
 * writes a service record for the fulfiller (at most one per wish, the
 * database's own rule), or reject them with a reason, after which the
 * fulfiller may state them again. The record then counts for points and
 * recognition as any other.
 */
import { z } from 'zod';
import { UNIQUE_VIOLATION, refuseUnseen, userError, type Result, type Transaction } from '@lianxin/shared';
import { administers, requirePerson, REGION_ADMIN_ROLES, REGION_STAFF_ROLES } from '../access.js';
import type { RequestsContext } from '../context.js';
import type { MicroWishRow, ServiceRecordRow, WishHoursStatus } from '../db/schema.js';
import { requireKnownPersons } from '../directory/service.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { MAX_RECORD_MINUTES, resolveServiceRecord, writeServiceRecord } from '../records/service.js';
import { maySeeWish } from './service.js';
import { lockWish, updateWish } from './store.js';

/** The category a wish's record carries: wishes have none of their own. */
export const WISH_RECORD_CATEGORY = 'other';

/** Who may see a wish's hours claim: the fulfiller and staff of its place. */
export function maySeeWishHours(ctx: RequestsContext, wish: MicroWishRow): boolean {
  return (ctx.viewer.personId !== null && ctx.viewer.personId === wish.claimantId) || administers(ctx.viewer, wish.regionPath, REGION_STAFF_ROLES);
}

/** A wish's hours claim as the graph shows it. */
export interface WishHoursClaimModel {
  wish: MicroWishRow;
  minutes: number;
  status: WishHoursStatus;
  claimedAt: Date;
  decidedById: string | null;
  decidedAt: Date | null;
  rejectionReason: string | null;
}

/** The wish's hours claim, for those who may see it; null otherwise and when no minutes were stated. */
export function hoursClaimOf(ctx: RequestsContext, wish: MicroWishRow): WishHoursClaimModel | null {
  if (wish.hoursStatus === null || wish.hoursMinutes === null || wish.hoursClaimedAt === null || !maySeeWishHours(ctx, wish)) return null;
  return {
    wish,
    minutes: wish.hoursMinutes,
    status: wish.hoursStatus,
    claimedAt: wish.hoursClaimedAt,
    decidedById: wish.hoursDecidedById,
    decidedAt: wish.hoursDecidedAt,
    rejectionReason: wish.hoursRejectionReason,
  };
}

/** The record a confirmation wrote, as the viewer may see it. */
export async function recordOfWishHours(ctx: RequestsContext, claim: WishHoursClaimModel): Promise<ServiceRecordRow | null> {
  if (claim.status !== 'confirmed') return null;
  const record = await ctx.loaders.recordOfWish.load(claim.wish.id);
  return resolveServiceRecord(ctx, record?.id ?? null);
}

/** Locks the wish; one the viewer may not see at all is refused as an unknown one. */
async function lockSeenWish(ctx: RequestsContext, tx: Transaction, wishId: string, me: string): Promise<MicroWishRow> {
  await requireKnownPersons(tx, me);
  const wish = await lockWish(tx, wishId);
  if (!wish || !maySeeWish(ctx, wish)) refuseUnseen(ctx.viewer, inputField('wish'), 'wish');
  return wish;
}

const claimInput = z.object({
  wish: idInput('a wish'),
  minutes: z.number().int('must be a whole number of minutes.').min(1, 'must be at least 1.').max(MAX_RECORD_MINUTES, `must be at most ${MAX_RECORD_MINUTES}.`),
});

/** The fulfiller states the minutes a fulfilled (or thanked) wish took; again only after a rejection. */
export async function claimWishHours(ctx: RequestsContext, input: unknown): Promise<Result<MicroWishRow>> {
  const me = requirePerson(ctx.viewer, 'state the hours of a wish');
  const parsed = parseInput(claimInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    const wish = await lockSeenWish(ctx, tx, parsed.value.wish, me);
    if (wish.claimantId !== me) refuse(inputField('wish'), 'NOT_ALLOWED', 'Only whoever fulfilled the wish may state its hours.');
    if (wish.status !== 'fulfilled' && wish.status !== 'thanked') refuse(inputField('wish'), 'INVALID_STATE', `A wish that is ${wish.status} has no hours to state yet.`);
    if (wish.hoursStatus === 'confirmed') refuse(inputField('wish'), 'ALREADY_EXISTS', 'The hours of this wish are confirmed and recorded already.');
    if (wish.hoursStatus === 'claimed') refuse(inputField('wish'), 'INVALID_STATE', 'The hours of this wish wait for a station’s decision.');
    return updateWish(tx, wish.id, {
      hoursMinutes: parsed.value.minutes,
      hoursStatus: 'claimed',
      hoursClaimedAt: now,
      hoursDecidedById: null,
      hoursDecidedAt: null,
      hoursRejectionReason: null,
    });
  });
}

/** Locks a wish whose stated hours wait for a decision by the viewer, station staff of its place. */
async function lockClaimToDecide(ctx: RequestsContext, tx: Transaction, wishId: string, me: string): Promise<MicroWishRow & { hoursMinutes: number }> {
  const wish = await lockSeenWish(ctx, tx, wishId, me);
  if (!administers(ctx.viewer, wish.regionPath, REGION_ADMIN_ROLES)) refuse(inputField('wish'), 'NOT_ALLOWED', 'Only station staff of the wish’s place decide on its hours.');
  if (wish.claimantId === me) refuse(inputField('wish'), 'NOT_ALLOWED', 'No one decides on their own hours.');
  if (wish.hoursStatus === 'confirmed') refuse(inputField('wish'), 'ALREADY_EXISTS', 'The hours of this wish are confirmed and recorded already.');
  if (wish.hoursStatus !== 'claimed' || wish.hoursMinutes === null) refuse(inputField('wish'), 'INVALID_STATE', 'No hours of this wish wait for a decision.');
  return { ...wish, hoursMinutes: wish.hoursMinutes };
}

export interface ConfirmedHours {
  wish: MicroWishRow;
  record: ServiceRecordRow;
}

const confirmInput = z.object({ wish: idInput('a wish') });

/** Confirms the stated minutes and writes the fulfiller's service record, served up to the fulfilment. */
export async function confirmWishHours(ctx: RequestsContext, input: unknown): Promise<Result<ConfirmedHours>> {
  const me = requirePerson(ctx.viewer, 'confirm the hours of a wish');
  const parsed = parseInput(confirmInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(
    ctx,
    async (tx) => {
      const wish = await lockClaimToDecide(ctx, tx, parsed.value.wish, me);
      if (wish.claimantId === null || wish.fulfilledAt === null) throw new Error(`fulfilled wish ${wish.id} has no claimant or fulfilment`);
      const updated = await updateWish(tx, wish.id, { hoursStatus: 'confirmed', hoursDecidedById: me, hoursDecidedAt: now });
      const record = await writeServiceRecord(tx, {
        volunteerId: wish.claimantId,
        categoryCode: WISH_RECORD_CATEGORY,
        minutes: wish.hoursMinutes,
        servedAt: new Date(wish.fulfilledAt.getTime() - wish.hoursMinutes * 60_000),
        wishId: wish.id,
        regionId: wish.regionId,
        regionPath: wish.regionPath,
        description: `微心愿：${wish.title}`,
        verifiedById: me,
        createdAt: now,
      });
      return { wish: updated, record };
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'service_records_one_per_wish',
        error: userError(inputField('wish'), 'ALREADY_EXISTS', 'The hours of this wish are recorded already.'),
      },
    ],
  );
}

const rejectInput = z.object({ wish: idInput('a wish'), reason: textInput(500) });

/** Rejects the stated minutes with a reason; the fulfiller may state them again. */
export async function rejectWishHours(ctx: RequestsContext, input: unknown): Promise<Result<MicroWishRow>> {
  const me = requirePerson(ctx.viewer, 'reject the hours of a wish');
  const parsed = parseInput(rejectInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    const wish = await lockClaimToDecide(ctx, tx, parsed.value.wish, me);
    return updateWish(tx, wish.id, { hoursStatus: 'rejected', hoursDecidedById: me, hoursDecidedAt: now, hoursRejectionReason: parsed.value.reason });
  });
}
