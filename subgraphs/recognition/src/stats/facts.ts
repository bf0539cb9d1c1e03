/**
 * Writing the statistics' facts (db/schema/facts.ts), in the event handler's
 * transaction, next to the tallies. Each write is keyed by the event's own
 * record or request id, so applying an event twice leaves one row.
 */
import { eq } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { ratingFacts, serviceFacts } from '../db/schema.js';

/** The Beijing calendar day (`YYYY-MM-DD`) of an instant. */
export const beijingDayOf = (instant: Date): string => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export interface ServiceFact {
  serviceRecordId: string;
  volunteerId: string;
  minutes: number;
  servedAt: Date;
  regionPath: readonly string[];
  categoryCode: string;
}

/** A service record served on `servedAt`'s Beijing day. */
export async function recordService(db: Executor, fact: ServiceFact): Promise<void> {
  await db
    .insert(serviceFacts)
    .values({
      serviceRecordId: fact.serviceRecordId,
      volunteerId: fact.volunteerId,
      minutes: fact.minutes,
      servedOn: beijingDayOf(fact.servedAt),
      regionPath: [...fact.regionPath],
      categoryCode: fact.categoryCode,
    })
    .onConflictDoNothing({ target: serviceFacts.serviceRecordId });
}

/**
 * A reversal of record `reversesId`, on its original's day (so a period's
 * figures net out) and of `minutes` (negative). Written only when the
 * original's row is here: a reversal of a record the facts never held
 * (counted before they existed, or dead-lettered) would leave negative time.
 * Returns whether it was written.
 */
export async function recordReversal(
  db: Executor,
  reversal: { serviceRecordId: string; reversesId: string; volunteerId: string; minutes: number; regionPath: readonly string[]; categoryCode: string },
): Promise<boolean> {
  const [original] = await db.select({ servedOn: serviceFacts.servedOn }).from(serviceFacts).where(eq(serviceFacts.serviceRecordId, reversal.reversesId));
  if (!original) return false;
  const written = await db
    .insert(serviceFacts)
    .values({
      serviceRecordId: reversal.serviceRecordId,
      reversesId: reversal.reversesId,
      volunteerId: reversal.volunteerId,
      minutes: reversal.minutes,
      servedOn: original.servedOn,
      regionPath: [...reversal.regionPath],
      categoryCode: reversal.categoryCode,
    })
    .onConflictDoNothing({ target: serviceFacts.serviceRecordId })
    .returning({ id: serviceFacts.serviceRecordId });
  return written.length > 0;
}

/** A request's rating, on `ratedAt`'s Beijing day; `volunteerId` null for a team's service. */
export async function recordRating(
  db: Executor,
  fact: { requestId: string; volunteerId: string | null; score: number; ratedAt: Date; regionPath: readonly string[]; categoryCode: string },
): Promise<void> {
  await db
    .insert(ratingFacts)
    .values({
      requestId: fact.requestId,
      volunteerId: fact.volunteerId,
      score: fact.score,
      ratedOn: beijingDayOf(fact.ratedAt),
      regionPath: [...fact.regionPath],
      categoryCode: fact.categoryCode,
    })
    .onConflictDoNothing({ target: ratingFacts.requestId });
}
