/**
 * SQL for reviews and office ratings: the cycles and what they froze, the
 * head banks and their savings offices as points announced them, each
 * office's year on the five indicators, and the banks' rating schemes.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '@lianxin/shared';
import {
  bankUnits,
  leaderboardOptOuts,
  officeRatingSchemes,
  officeRatings,
  officeYearTallies,
  regionLevels,
  reviewCycles,
  reviewRankings,
  type OfficeRatingRow,
  type OfficeRatingSchemeRow,
  type ReviewCycleRow,
} from '../db/schema.js';
import type { BoardKind, BoardRow, BoardSubject } from '../leaderboards/store.js';
import type { OfficeYearFigures } from '../offices/rating.js';

/** A head bank as recognition knows it: its area, and that area's chain from the root (itself last). */
export interface HeadBank {
  bankId: string;
  regionId: string;
  regionChain: string[];
}

/** The head banks among `ids` (units of another kind, or unknown, are left out). */
export async function findHeadBanks(db: Executor, ids: readonly string[]): Promise<HeadBank[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ bankId: bankUnits.unitId, regionId: bankUnits.regionId, path: regionLevels.path })
    .from(bankUnits)
    .leftJoin(regionLevels, eq(regionLevels.regionId, bankUnits.regionId))
    .where(and(inArray(bankUnits.unitId, [...ids]), eq(bankUnits.kind, 'head_bank')));
  return rows.map((row) => ({ bankId: row.bankId, regionId: row.regionId, regionChain: [...(row.path ?? []), row.regionId] }));
}

/** Every head bank recognition has heard of: what the scheduled close goes through. */
export async function allHeadBankIds(db: Executor): Promise<string[]> {
  const rows = await db.select({ id: bankUnits.unitId }).from(bankUnits).where(eq(bankUnits.kind, 'head_bank')).orderBy(bankUnits.unitId);
  return rows.map((row) => row.id);
}

/** Units among `ids` with their kind and head bank. */
export function findUnits(db: Executor, ids: readonly string[]): Promise<{ unitId: string; kind: string; bankId: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select({ unitId: bankUnits.unitId, kind: bankUnits.kind, bankId: bankUnits.bankId })
    .from(bankUnits)
    .where(inArray(bankUnits.unitId, [...ids]));
}

/**
 * Makes the cycle unless the period is closed already; the second of two
 * concurrent closes waits on the unique key until the first commits and
 * then makes nothing. Returns the new row, or null.
 */
export async function insertReviewCycle(db: Executor, cycle: typeof reviewCycles.$inferInsert): Promise<ReviewCycleRow | null> {
  const [row] = await db
    .insert(reviewCycles)
    .values(cycle)
    .onConflictDoNothing({ target: [reviewCycles.bankId, reviewCycles.bucket, reviewCycles.periodStart] })
    .returning();
  return row ?? null;
}

export async function findReviewCycle(db: Executor, key: { bankId: string; bucket: ReviewCycleRow['bucket']; periodStart: string }): Promise<ReviewCycleRow | null> {
  const [row] = await db
    .select()
    .from(reviewCycles)
    .where(and(eq(reviewCycles.bankId, key.bankId), eq(reviewCycles.bucket, key.bucket), eq(reviewCycles.periodStart, key.periodStart)));
  return row ?? null;
}

/** A bank's cycles, the latest period first; of periods ending together, the shortest first. */
export function findReviewCyclesOfBank(db: Executor, query: { bankId: string; bucket: ReviewCycleRow['bucket'] | null; first: number }): Promise<ReviewCycleRow[]> {
  return db
    .select()
    .from(reviewCycles)
    .where(and(eq(reviewCycles.bankId, query.bankId), query.bucket === null ? undefined : eq(reviewCycles.bucket, query.bucket)))
    .orderBy(desc(reviewCycles.periodEnd), desc(reviewCycles.periodStart))
    .limit(query.first);
}

/** Freezes one board's rows. */
export async function insertRankings(db: Executor, reviewId: string, board: { subject: BoardSubject; kind: BoardKind; rows: readonly BoardRow[] }): Promise<void> {
  if (board.rows.length === 0) return;
  await db
    .insert(reviewRankings)
    .values(board.rows.map((row) => ({ reviewId, subject: board.subject, kind: board.kind, subjectId: row.subjectId, rank: row.rank, value: row.value, ratings: row.ratings })));
}

/** One frozen board, best first, with each person's choice about public leaderboards as it stands now. */
export async function findRankings(db: Executor, query: { reviewId: string; subject: BoardSubject; kind: BoardKind; first: number }): Promise<BoardRow[]> {
  const rows = await db
    .select({
      rank: reviewRankings.rank,
      subjectId: reviewRankings.subjectId,
      value: reviewRankings.value,
      ratings: reviewRankings.ratings,
      optedOut: sql<boolean>`coalesce(${leaderboardOptOuts.optedOut}, false)`,
    })
    .from(reviewRankings)
    .leftJoin(leaderboardOptOuts, and(eq(reviewRankings.subject, 'person'), eq(leaderboardOptOuts.personId, reviewRankings.subjectId)))
    .where(and(eq(reviewRankings.reviewId, query.reviewId), eq(reviewRankings.subject, query.subject), eq(reviewRankings.kind, query.kind)))
    .orderBy(asc(reviewRankings.rank), asc(reviewRankings.subjectId))
    .limit(query.first);
  return rows.map((row) => ({ ...row, value: Number(row.value) }));
}

/**
 * Every savings office of a bank with its year on the five indicators: the
 * offices points announced (zeroes for one nothing was counted for) and any
 * office the year's cells name that was not announced.
 */
export async function findOfficeYearFigures(db: Executor, bankId: string, year: number): Promise<OfficeYearFigures[]> {
  const rows = await rowsOf<{ office_id: string; accounts_opened: number; service_minutes: number; projects: number; points_redeemed: string; merchants_joined: number }>(
    db,
    sql`select o.office_id, coalesce(y.accounts_opened, 0) as accounts_opened, coalesce(y.service_minutes, 0) as service_minutes,
               coalesce(y.projects, 0) as projects, coalesce(y.points_redeemed, 0) as points_redeemed, coalesce(y.merchants_joined, 0) as merchants_joined
          from (select unit_id as office_id from ${bankUnits} where bank_id = ${bankId} and kind = 'savings_office'
                union
                select office_id from ${officeYearTallies} where bank_id = ${bankId} and year = ${year}) o
          left join ${officeYearTallies} y on y.office_id = o.office_id and y.year = ${year}`,
  );
  return rows.map((row) => ({
    officeId: row.office_id,
    accountsOpened: Number(row.accounts_opened),
    serviceMinutes: Number(row.service_minutes),
    projects: Number(row.projects),
    pointsRedeemed: Number(row.points_redeemed),
    merchantsJoined: Number(row.merchants_joined),
  }));
}

export function findRatingSchemes(db: Executor, bankIds: readonly string[]): Promise<OfficeRatingSchemeRow[]> {
  if (bankIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(officeRatingSchemes)
    .where(inArray(officeRatingSchemes.bankId, [...bankIds]));
}

export async function upsertRatingScheme(db: Executor, scheme: typeof officeRatingSchemes.$inferInsert): Promise<OfficeRatingSchemeRow> {
  const { bankId, ...rest } = scheme;
  const [row] = await db
    .insert(officeRatingSchemes)
    .values(scheme)
    .onConflictDoUpdate({ target: officeRatingSchemes.bankId, set: { ...rest, setAt: sql`now()` } })
    .returning();
  if (!row) throw new Error(`the rating scheme of bank ${bankId} was not written`);
  return row;
}

export async function insertOfficeRatings(db: Executor, ratings: readonly (typeof officeRatings.$inferInsert)[]): Promise<void> {
  if (ratings.length > 0) await db.insert(officeRatings).values([...ratings]);
}

/** Frozen ratings of the offices among `officeIds` in `year`, with when their review closed. */
export function findFrozenRatings(db: Executor, officeIds: readonly string[], year: number): Promise<(OfficeRatingRow & { frozenAt: Date })[]> {
  if (officeIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      reviewId: officeRatings.reviewId,
      officeId: officeRatings.officeId,
      bankId: officeRatings.bankId,
      year: officeRatings.year,
      stars: officeRatings.stars,
      rank: officeRatings.rank,
      offices: officeRatings.offices,
      scoreHundredths: officeRatings.scoreHundredths,
      indicators: officeRatings.indicators,
      explanation: officeRatings.explanation,
      frozenAt: reviewCycles.closedAt,
    })
    .from(officeRatings)
    .innerJoin(reviewCycles, eq(reviewCycles.id, officeRatings.reviewId))
    .where(and(inArray(officeRatings.officeId, [...officeIds]), eq(officeRatings.year, year)));
}

/** A year review's frozen ratings, best first. */
export function findRatingsOfReview(db: Executor, reviewId: string): Promise<OfficeRatingRow[]> {
  return db.select().from(officeRatings).where(eq(officeRatings.reviewId, reviewId)).orderBy(asc(officeRatings.rank), asc(officeRatings.officeId));
}
