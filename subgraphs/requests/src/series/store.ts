/** SQL for activity series and what their activities add up to. */
import { eq, inArray, sql } from 'drizzle-orm';
import { required, type Executor } from '@lianxin/shared';
import { activities, activityAttendances, activityOutputs, activitySeries, serviceRecords, type ActivityOutputKind, type ActivitySeriesRow } from '../db/schema.js';

export function findSeriesByIds(db: Executor, ids: readonly string[]): Promise<ActivitySeriesRow[]> {
  return db
    .select()
    .from(activitySeries)
    .where(inArray(activitySeries.id, [...ids]));
}

export async function insertSeries(db: Executor, values: typeof activitySeries.$inferInsert): Promise<ActivitySeriesRow> {
  const [row] = await db.insert(activitySeries).values(values).returning();
  return required(row, 'row inserted into activity_series');
}

export async function setSeriesOfActivity(db: Executor, activityId: string, seriesId: string | null): Promise<void> {
  await db.update(activities).set({ seriesId }).where(eq(activities.id, activityId));
}

/** Activities, distinct participants (checked in) and recorded minutes (reversals subtracted) of a series, in one statement. */
export async function sumSeries(db: Executor, seriesId: string): Promise<{ activities: number; participants: number; minutes: number }> {
  const [row] = await db
    .select({
      activities: sql<number>`(select count(*) from ${activities} a where a.series_id = ${seriesId})::int`,
      participants: sql<number>`(select count(distinct t.person_id) from ${activityAttendances} t join ${activities} a on a.id = t.activity_id where a.series_id = ${seriesId})::int`,
      minutes: sql<number>`(select coalesce(sum(r.minutes), 0) from ${serviceRecords} r join ${activities} a on a.id = r.activity_id where a.series_id = ${seriesId})::int`,
    })
    .from(activitySeries)
    .where(eq(activitySeries.id, seriesId));
  return row ?? { activities: 0, participants: 0, minutes: 0 };
}

/** The largest sum shown (a GraphQL Int): sums beyond it are shown as it. */
export const OUTPUT_SUM_CAP = 2_147_483_647;

/** A series' outputs summed by kind, label and unit, each sum capped at `OUTPUT_SUM_CAP`. */
export function sumOutputsOfSeries(db: Executor, seriesId: string): Promise<{ kind: ActivityOutputKind; label: string; unit: string; quantity: number }[]> {
  const o = activityOutputs;
  return db
    .select({ kind: o.kind, label: o.label, unit: o.unit, quantity: sql<number>`least(sum(${o.quantity}), ${sql.raw(String(OUTPUT_SUM_CAP))})::int` })
    .from(o)
    .innerJoin(activities, eq(activities.id, o.activityId))
    .where(eq(activities.seriesId, seriesId))
    .groupBy(o.kind, o.label, o.unit)
    .orderBy(o.kind, o.label, o.unit);
}
