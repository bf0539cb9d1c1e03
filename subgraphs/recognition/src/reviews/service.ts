/**
 * Reviews (月兑换, 季小评, 年总评; docs/recognition.md, "Reviews"): a head
 * bank's month, quarter or year closed once, by the scheduler at the start
 * of the next period or by an admin. Closing freezes the period's rankings
 * (the leaderboards of the bank's persons, teams and, for a year, offices,
 * as they stand at the close) and a year's office star ratings, and
 * publishes `review.closed`, from which points draws up the year's
 * central-exchange recommendations. Reading closed reviews is public
 * recognition, like the leaderboards: anyone signed in.
 */
import { z } from 'zod';
import {
  BadInputError,
  inTransaction,
  idInput,
  isUuid,
  parseInput,
  refuse,
  required,
  requireSignedIn,
  type Database,
  type Result,
  type TimeBucket,
  type Transaction,
} from '@lianxin/shared';
import { requireReviewAdmin } from '../access.js';
import type { RecognitionContext } from '../context.js';
import type { ReviewCycleRow } from '../db/schema.js';
import { reviewClosed } from '../events/publish.js';
import { MINIMUM_RATINGS, toLeaderboardEntry, type LeaderboardEntryModel } from '../leaderboards/service.js';
import { leaderboard, type BoardKind, type BoardScope, type BoardSubject } from '../leaderboards/store.js';
import { rateBankYear, checkHeadBank } from '../offices/ratings.js';
import { calendarPeriodOf, endOfPeriod, lastEndedPeriods, type CalendarPeriod } from '../periods/calendar.js';
import {
  allHeadBankIds,
  findHeadBanks,
  findRankings,
  findRatingsOfReview,
  findReviewCycle,
  findReviewCyclesOfBank,
  insertOfficeRatings,
  insertRankings,
  insertReviewCycle,
  type HeadBank,
} from './store.js';

/** How many of each board a review keeps: the leaderboards' own maximum. */
export const FROZEN_ENTRIES = 100;

/** Who the audit column names for a close the scheduler made. */
export const SCHEDULER_ACTOR = 'system:scheduler';

const KINDS: readonly BoardKind[] = ['hours', 'services', 'rating', 'points'];

/** What one close answers: the review, and whether it existed before (nothing new frozen). */
export interface ClosedReview {
  review: ReviewCycleRow;
  alreadyClosed: boolean;
}

const bucketOf = (period: CalendarPeriod): ReviewCycleRow['bucket'] => (period.bucket === 'MONTH' ? 'month' : period.bucket === 'QUARTER' ? 'quarter' : 'year');

/**
 * The boards a review freezes: the bank's customers and the teams that
 * served in its area on every kind, and for a year its offices on the two
 * kinds an office's year holds.
 */
function boardsOf(bank: HeadBank, period: CalendarPeriod): { subject: BoardSubject; kind: BoardKind; scope: BoardScope }[] {
  const boards = KINDS.flatMap((kind): { subject: BoardSubject; kind: BoardKind; scope: BoardScope }[] => [
    { subject: 'person', kind, scope: { bank: bank.bankId } },
    { subject: 'team', kind, scope: { region: bank.regionId } },
  ]);
  if (period.bucket === 'YEAR') boards.push(...(['hours', 'points'] as const).map((kind) => ({ subject: 'office' as const, kind, scope: { bank: bank.bankId } })));
  return boards;
}

/**
 * Closes one period of one head bank in `tx`: the cycle, its boards, a
 * year's office ratings and the event, or, when the period was closed
 * already (before, or by a concurrent close that committed first), the
 * review it has. The period must have ended; the caller checks.
 */
export async function closeReview(tx: Transaction, bank: HeadBank, period: CalendarPeriod, closedBy: string): Promise<ClosedReview> {
  const bucket = bucketOf(period);
  const review = await insertReviewCycle(tx, { bankId: bank.bankId, bucket, periodStart: period.fromMonth, periodEnd: period.beforeMonth, closedBy });
  if (!review) {
    const existing = await findReviewCycle(tx, { bankId: bank.bankId, bucket, periodStart: period.fromMonth });
    return { review: required(existing, `the review of ${bank.bankId} for ${bucket} ${period.fromMonth}`), alreadyClosed: true };
  }
  for (const board of boardsOf(bank, period)) {
    const { rows } = await leaderboard(tx, { ...board, ...period, minimumRatings: MINIMUM_RATINGS, first: FROZEN_ENTRIES });
    await insertRankings(tx, review.id, { subject: board.subject, kind: board.kind, rows });
  }
  if (period.bucket === 'YEAR') {
    const ratings = await rateBankYear(tx, bank.bankId, period.year);
    await insertOfficeRatings(
      tx,
      ratings.map((rating) => ({ ...rating, reviewId: review.id, bankId: bank.bankId, year: period.year })),
    );
  }
  await reviewClosed(tx, review, endOfPeriod(period));
  return { review, alreadyClosed: false };
}

/** The period an input names, as a user error on `input.period` rather than a top-level one. */
function periodOfInput(period: { bucket: TimeBucket; start: string | Date }): CalendarPeriod {
  try {
    return calendarPeriodOf(period);
  } catch (error) {
    if (error instanceof BadInputError) refuse(['input', 'period'], 'INVALID', error.message.replace(/^period\./, ''));
    throw error;
  }
}

const reviewCloseInput = z.object({
  bank: idInput('a head bank'),
  period: z.object({ bucket: z.enum(['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']), start: z.union([z.string(), z.date()]) }),
});

/** `reviewClose`: an admin closes a period that has ended, by hand. */
export async function closeReviewByHand(ctx: RecognitionContext, input: unknown, now = new Date()): Promise<Result<ClosedReview>> {
  const subject = requireReviewAdmin(ctx.viewer, 'close a review');
  const parsed = parseInput(reviewCloseInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const bank = await checkHeadBank(ctx, tx, parsed.value.bank.toLowerCase());
    const period = periodOfInput(parsed.value.period);
    if (endOfPeriod(period).getTime() > now.getTime())
      refuse(['input', 'period'], 'INVALID_STATE', 'The period has not ended yet (Beijing time): it can be closed from its next day on.');
    return closeReview(tx, bank, period, subject);
  });
}

/**
 * The scheduled close: for every head bank, the latest month, quarter and
 * year that have ended, each closed unless it is already. Run every night,
 * it closes each period at the start of the next one and catches up on a
 * night it did not run. Returns how many reviews it made.
 */
export async function closeEndedReviews(db: Database, now: Date): Promise<number> {
  let made = 0;
  const banks = await findHeadBanks(db, await allHeadBankIds(db));
  for (const bank of banks) {
    for (const period of lastEndedPeriods(now)) {
      // One transaction per review: a bank whose close fails does not hold the others back.
      const closed = await db.transaction((tx) => closeReview(tx, bank, period, SCHEDULER_ACTOR));
      if (!closed.alreadyClosed) made += 1;
    }
  }
  return made;
}

/** `review(bank, period)`: null while the period is not closed. */
export async function reviewOf(ctx: RecognitionContext, args: { bank: string; period: { bucket: TimeBucket; start: string | Date } }): Promise<ReviewCycleRow | null> {
  requireSignedIn(ctx.viewer, 'see reviews');
  if (!isUuid(args.bank)) throw new BadInputError('bank is not a head bank id.', 'bank');
  const period = calendarPeriodOf(args.period);
  return findReviewCycle(ctx.db, { bankId: args.bank.toLowerCase(), bucket: bucketOf(period), periodStart: period.fromMonth });
}

const BUCKETS: Partial<Record<TimeBucket, ReviewCycleRow['bucket']>> = { MONTH: 'month', QUARTER: 'quarter', YEAR: 'year' };

/** `reviews(bank, bucket, first)`: the latest first. */
export async function reviewsOf(ctx: RecognitionContext, args: { bank: string; bucket?: TimeBucket | null; first?: number | null }): Promise<ReviewCycleRow[]> {
  requireSignedIn(ctx.viewer, 'see reviews');
  if (!isUuid(args.bank)) throw new BadInputError('bank is not a head bank id.', 'bank');
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw new BadInputError('first must be between 1 and 100.', 'first');
  const bucket = args.bucket ? BUCKETS[args.bucket] : null;
  if (bucket === undefined) throw new BadInputError('bucket must be MONTH, QUARTER or YEAR.', 'bucket');
  return findReviewCyclesOfBank(ctx.db, { bankId: args.bank.toLowerCase(), bucket, first });
}

/** `ReviewCycle.rankings`: a frozen board, with today's opt-outs applied. */
export async function rankingsOf(
  ctx: RecognitionContext,
  review: ReviewCycleRow,
  args: { subject: BoardSubject; kind: BoardKind; first?: number | null },
): Promise<LeaderboardEntryModel[]> {
  const first = args.first ?? 10;
  if (!Number.isInteger(first) || first < 1 || first > FROZEN_ENTRIES) throw new BadInputError(`first must be between 1 and ${FROZEN_ENTRIES}.`, 'first');
  const rows = await findRankings(ctx.db, { reviewId: review.id, subject: args.subject, kind: args.kind, first });
  return rows.map((row) => toLeaderboardEntry(args.subject, args.kind, row));
}

/** `ReviewCycle.officeRatings`: a year review's frozen ratings, best first; none for months and quarters. */
export async function officeRatingsOfReview(ctx: RecognitionContext, review: ReviewCycleRow) {
  const rows = await findRatingsOfReview(ctx.db, review.id);
  return rows.map((row) => ({ ...row, provisional: false, frozenAt: review.closedAt }));
}
