/** SQL for what activities count for beyond hours: participants' ratings and recorded outputs. */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { activityOutputs, activityRatings, type ActivityOutputRow, type ActivityRatingRow } from '../db/schema.js';

/** Inserts a rating; null when the person has rated the activity already (the primary key). */
export async function insertRating(db: Executor, values: typeof activityRatings.$inferInsert): Promise<ActivityRatingRow | null> {
  const [row] = await db.insert(activityRatings).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

/** Score counts (1 to 5) of each of `activityIds`; activities with no ratings are absent. */
export function countRatingsOfActivities(db: Executor, activityIds: readonly string[]): Promise<{ activityId: string; score: number; count: number }[]> {
  return db
    .select({ activityId: activityRatings.activityId, score: activityRatings.score, count: sql<number>`count(*)::int` })
    .from(activityRatings)
    .where(inArray(activityRatings.activityId, [...activityIds]))
    .groupBy(activityRatings.activityId, activityRatings.score);
}

/** The ratings of each of `activityIds`, newest first. */
export function findRatingsOfActivities(db: Executor, activityIds: readonly string[]): Promise<ActivityRatingRow[]> {
  return db
    .select()
    .from(activityRatings)
    .where(inArray(activityRatings.activityId, [...activityIds]))
    .orderBy(desc(activityRatings.ratedAt), asc(activityRatings.personId));
}

/** One person's ratings of `activityIds`. */
export function findRatingsOfPerson(db: Executor, personId: string, activityIds: readonly string[]): Promise<ActivityRatingRow[]> {
  return db
    .select()
    .from(activityRatings)
    .where(and(eq(activityRatings.personId, personId), inArray(activityRatings.activityId, [...activityIds])));
}

/** The outputs of each of `activityIds`, in the kinds' order. */
export function findOutputsOfActivities(db: Executor, activityIds: readonly string[]): Promise<ActivityOutputRow[]> {
  return db
    .select()
    .from(activityOutputs)
    .where(inArray(activityOutputs.activityId, [...activityIds]))
    .orderBy(asc(activityOutputs.activityId), asc(activityOutputs.kind), asc(activityOutputs.label));
}

/** Replaces the outputs of an activity with `rows`. */
export async function replaceOutputs(db: Executor, activityId: string, rows: readonly (typeof activityOutputs.$inferInsert)[]): Promise<void> {
  await db.delete(activityOutputs).where(eq(activityOutputs.activityId, activityId));
  if (rows.length > 0) await db.insert(activityOutputs).values([...rows]);
}
