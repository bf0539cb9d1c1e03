/**
 * The head bank's yearly recommendation list (年总评: 高积分客户推荐参加总行集中兑换).
 * When recognition closes a bank's yearly review (`review.closed`, bucket
 * `year`), every customer of the bank whose balance at the year's end reached
 * the threshold of the bank's central exchange is put forward; the head bank
 * accepts or declines each, once. Month and quarter closes (月兑换, 季小评)
 * make no list.
 *
 * Who: the list is read by the staff who serve the bank (its clerks at any
 * level) and platform admins; a recommendation is decided by the head bank
 * itself, i.e. clerks assigned to the head bank unit, and platform admins.
 * Authority before state: a viewer who decides for no head bank is refused
 * before anything is read, and one who decides for another bank hears of a
 * recommendation exactly what they would hear of an id that names none.
 */
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  UnprocessableEventError,
  isUuid,
  newId,
  readPage,
  refused,
  requireSignedIn,
  toConnection,
  unseenObject,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
} from '@lianxin/shared';
import { mayActForHeadBank, mayActForSomeHeadBank, mayReadAccount, mayServeBank } from '../access.js';
import type { PointsContext } from '../context.js';
import { RECOMMENDATION_YEARS, type AccountRow, type BankUnitRow, type CentralExchangeRecommendationStatus } from '../db/schema.js';
import { findBankUnitsByIds } from '../bank/store.js';
import { refuse, userError } from '../errors.js';
import { idInput, inTransaction, parseInput } from '../mutation.js';
import {
  findCentralExchangeOfBank,
  findCustomerBalancesAt,
  findRecommendationPage,
  findRecommendationsByIds,
  insertDecision,
  insertRecommendations,
  recommendationCursor,
  type RecommendationModel,
} from './store.js';

/** A closed yearly review as recognition announced it (`review.closed`, bucket `year`). */
export interface ClosedYear {
  reviewId: string;
  bankId: string;
  year: number;
  /** The end of the year: 1 January of the next year, 00:00 Beijing time. */
  endsAt: Date;
}

/**
 * Makes head bank `bankId`'s list for the year: each customer account at one
 * of its savings offices whose balance at `endsAt` (from the ledger) is at
 * least its central exchange's minimum balance, and more than zero. A bank
 * without a central exchange gets no list. Runs in the event's transaction;
 * the list's unique key makes a replayed or repeated close add nothing.
 * Returns how many recommendations were new.
 */
export async function recommendForClosedYear(tx: Transaction, closed: ClosedYear, actor: string): Promise<number> {
  const [bank] = await findBankUnitsByIds(tx, [closed.bankId]);
  // Recognition knows banks from points' own `bank_unit.opened`: any other id is a broken contract, for the dead letters.
  if (bank?.kind !== 'head_bank') throw new UnprocessableEventError(`review ${closed.reviewId} names ${closed.bankId}, which is no head bank of points`);
  const exchange = await findCentralExchangeOfBank(tx, bank.id);
  if (!exchange) return 0;
  const threshold = exchange.minimumBalance;
  const balances = await findCustomerBalancesAt(tx, bank.id, closed.endsAt, Math.max(threshold, 1));
  return insertRecommendations(
    tx,
    balances.map((row) => ({
      id: newId(),
      bankId: bank.id,
      year: closed.year,
      accountId: row.accountId,
      holderId: row.holderId,
      officeId: row.officeId,
      balance: row.balance,
      threshold,
      reviewId: closed.reviewId,
      endsAt: closed.endsAt,
      createdBy: actor,
    })),
  );
}

const BALANCE_CURSOR = /^[0-9]{1,18}$/;

/**
 * `BankUnit.centralExchangeRecommendations`: a head bank's list for a year,
 * highest balance first, for platform admins and the clerks who serve the
 * bank; other units have none.
 */
export async function listRecommendations(
  ctx: PointsContext,
  unit: BankUnitRow,
  args: ConnectionArgs & { year: number; status?: CentralExchangeRecommendationStatus | null },
): Promise<Connection<RecommendationModel>> {
  requireSignedIn(ctx.viewer);
  if (!(await mayServeBank(ctx, unit.bankId))) throw new ForbiddenError("Only platform admins and the clerks who serve this bank may read its central exchange's recommendations.");
  const { min, max } = RECOMMENDATION_YEARS;
  if (!Number.isInteger(args.year) || args.year < min || args.year > max) throw new BadInputError(`year must be between ${min} and ${max}.`, 'year');
  const page = readPage(args, ['text', 'uuid']);
  if (page.after && !BALANCE_CURSOR.test(page.after[0] ?? '')) throw new BadInputError('The cursor is not one this list handed out.', 'after');
  if (unit.kind !== 'head_bank') return toConnection([], page, recommendationCursor);
  return toConnection(await findRecommendationPage(ctx.db, unit.id, args.year, args.status ?? null, page), page, recommendationCursor);
}

/**
 * A recommendation as whoever may read its bank's list sees it; null for an
 * id that names none, and for everyone else: what a refused decision
 * answers with.
 */
export async function recommendationAsItStands(ctx: PointsContext, id: string): Promise<RecommendationModel | null> {
  if (!isUuid(id)) return null;
  const [recommendation] = await findRecommendationsByIds(ctx.db, [id.toLowerCase()]);
  if (!recommendation || !(await mayServeBank(ctx, recommendation.bankId))) return null;
  return recommendation;
}

const decideInput = z.object({
  recommendation: idInput('a recommendation').transform((value) => value.toLowerCase()),
  decision: z.enum(['accept', 'decline']),
  reason: z
    .string()
    .trim()
    .min(1, 'must not be empty when given.')
    .refine((text) => Array.from(text).length <= 500, 'must be at most 500 characters.')
    .nullish()
    .transform((value) => value ?? null),
});

const DECIDED = { accept: 'accepted', decline: 'declined' } as const;

/**
 * `centralExchangeRecommendationDecide`: the head bank accepts or declines a
 * recommendation, once. The same decision again returns it as it stands; a
 * different one is `ALREADY_DECIDED`.
 */
export async function decideRecommendation(ctx: PointsContext, input: unknown): Promise<Result<RecommendationModel>> {
  const by = requireSignedIn(ctx.viewer, 'decide central exchange recommendations');
  if (!(await mayActForSomeHeadBank(ctx))) {
    throw new ForbiddenError("Only platform admins and the head bank's own clerks decide central exchange recommendations.");
  }
  const parsed = parseInput(decideInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'recommendation'];
  const [recommendation] = await findRecommendationsByIds(ctx.db, [parsed.value.recommendation]);
  if (!recommendation || !(await mayActForHeadBank(ctx, recommendation.bankId))) return unseenObject(ctx.viewer, field, 'recommendation');
  const { personId } = ctx.viewer;
  if (personId !== null && personId === recommendation.holderId) {
    return refused(userError(field, 'NOT_ALLOWED', 'This recommendation is your own: another of the head bank’s staff or a platform admin decides it.'));
  }
  const decision = DECIDED[parsed.value.decision];
  return inTransaction(ctx, async (tx) => {
    await insertDecision(tx, { recommendationId: recommendation.id, decision, reason: parsed.value.reason, decidedBy: by, decidedByPersonId: personId });
    const [current] = await findRecommendationsByIds(tx, [recommendation.id]);
    if (!current) throw new Error(`recommendation ${recommendation.id} vanished`);
    // Written now, or decided before the same way: either way the decision stands as asked.
    if (current.status !== decision) refuse(field, 'ALREADY_DECIDED', `This recommendation was ${current.status} before: a recommendation is decided once.`);
    return current;
  });
}

/** `CentralExchangeRecommendation.account`: the passbook account, for those who may read it; null for the others who read the list. */
export async function recommendedAccount(ctx: PointsContext, recommendation: RecommendationModel): Promise<AccountRow | null> {
  const account = await ctx.loaders.accountById.load(recommendation.accountId);
  return account && (await mayReadAccount(ctx, account)) ? account : null;
}
