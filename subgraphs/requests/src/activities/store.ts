/** SQL for activities, sign-ups and attendances. */
import { and, asc, count, eq, gte, inArray, isNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import { pagesPerParent, required, type Executor, type PageRequest } from '@lianxin/shared';
import { activities, activityAttendances, activitySignups, type ActivityAttendanceRow, type ActivityRow, type ActivitySignupRow } from '../db/schema.js';
import { withinAny } from '../sql.js';

export function findActivitiesByIds(db: Executor, ids: readonly string[]): Promise<ActivityRow[]> {
  return db
    .select()
    .from(activities)
    .where(inArray(activities.id, [...ids]));
}

/** The activity, locked: sign-ups for one activity are counted and placed one at a time. */
export async function lockActivity(db: Executor, id: string): Promise<ActivityRow | null> {
  const [row] = await db.select().from(activities).where(eq(activities.id, id)).for('update');
  return row ?? null;
}

export async function insertActivity(db: Executor, values: typeof activities.$inferInsert): Promise<ActivityRow> {
  const [row] = await db.insert(activities).values(values).returning();
  return required(row, 'row inserted into activities');
}

export interface ActivityListFilter {
  region?: string | undefined;
  startsFrom?: Date | undefined;
  startsBefore?: Date | undefined;
  /** Only the activities of this series. */
  series?: string | undefined;
}

function activityConditions(filter: ActivityListFilter): SQL | undefined {
  return and(
    filter.region ? withinAny(activities.regionPath, [filter.region]) : undefined,
    filter.startsFrom ? gte(activities.startsAt, filter.startsFrom) : undefined,
    filter.startsBefore ? lt(activities.startsAt, filter.startsBefore) : undefined,
    filter.series ? eq(activities.seriesId, filter.series) : undefined,
  );
}

/** A page of activities by start time, earliest first. */
export function findActivityPage(db: Executor, filter: ActivityListFilter, page: PageRequest): Promise<ActivityRow[]> {
  const after = page.after ? sql`(${activities.startsAt}, ${activities.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(activities)
    .where(and(activityConditions(filter), after))
    .orderBy(asc(activities.startsAt), asc(activities.id))
    .limit(page.limit + 1);
}

/** How many activities the filter holds, counted in SQL. */
export async function countActivities(db: Executor, filter: ActivityListFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(activities).where(activityConditions(filter));
  return row?.total ?? 0;
}

export const activityCursor = (row: ActivityRow): string[] => [row.startsAt.toISOString(), row.id];

/** Confirmed and waitlisted counts of each of `activityIds`; activities with no sign-ups are absent. */
export function countSignupsOfActivities(db: Executor, activityIds: readonly string[]): Promise<{ activityId: string; confirmed: number; waitlisted: number }[]> {
  return db
    .select({
      activityId: activitySignups.activityId,
      confirmed: sql<number>`(count(*) filter (where ${activitySignups.status} = 'confirmed'))::int`,
      waitlisted: sql<number>`(count(*) filter (where ${activitySignups.status} = 'waitlisted'))::int`,
    })
    .from(activitySignups)
    .where(inArray(activitySignups.activityId, [...activityIds]))
    .groupBy(activitySignups.activityId);
}

export async function countConfirmed(db: Executor, activityId: string): Promise<number> {
  const [row] = await db
    .select({ total: count() })
    .from(activitySignups)
    .where(and(eq(activitySignups.activityId, activityId), eq(activitySignups.status, 'confirmed')));
  return row?.total ?? 0;
}

/** One person's sign-up for each of `activityIds`. */
export function findSignupsOfPerson(db: Executor, personId: string, activityIds: readonly string[]): Promise<ActivitySignupRow[]> {
  return db
    .select()
    .from(activitySignups)
    .where(and(eq(activitySignups.personId, personId), inArray(activitySignups.activityId, [...activityIds])));
}

export async function upsertSignup(db: Executor, values: { activityId: string; personId: string; status: 'confirmed' | 'waitlisted'; at: Date }): Promise<ActivitySignupRow> {
  const [row] = await db
    .insert(activitySignups)
    .values({ activityId: values.activityId, personId: values.personId, status: values.status, signedUpAt: values.at, changedAt: values.at })
    .onConflictDoUpdate({
      target: [activitySignups.activityId, activitySignups.personId],
      // Signing up again after giving a place back joins the end of the line.
      set: { status: values.status, signedUpAt: values.at, changedAt: values.at },
    })
    .returning();
  return required(row, 'row upserted into activity_signups');
}

export async function setSignupStatus(db: Executor, activityId: string, personId: string, status: ActivitySignupRow['status'], at: Date): Promise<ActivitySignupRow> {
  const [row] = await db
    .update(activitySignups)
    .set({ status, changedAt: at })
    .where(and(eq(activitySignups.activityId, activityId), eq(activitySignups.personId, personId)))
    .returning();
  return required(row, 'sign-up, its activity locked by this transaction');
}

/** The first in line on an activity's waitlist, if anyone waits. */
export async function findFirstWaitlisted(db: Executor, activityId: string): Promise<ActivitySignupRow | null> {
  const [row] = await db
    .select()
    .from(activitySignups)
    .where(and(eq(activitySignups.activityId, activityId), eq(activitySignups.status, 'waitlisted')))
    .orderBy(asc(activitySignups.signedUpAt), asc(activitySignups.personId))
    .limit(1);
  return row ?? null;
}

/** The same page of sign-ups, in order of signing up, for each of `activityIds`, in one statement. */
export function findSignupPagesOfActivities(db: Executor, activityIds: readonly string[], page: PageRequest, includeCancelled: boolean): Promise<ActivitySignupRow[]> {
  const after = page.after ? sql`(${activitySignups.signedUpAt}, ${activitySignups.personId}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return pagesPerParent(db, {
    table: activitySignups,
    parent: activitySignups.activityId,
    parentIds: activityIds,
    orderBy: sql`${activitySignups.signedUpAt}, ${activitySignups.personId}`,
    where: and(includeCancelled ? undefined : ne(activitySignups.status, 'cancelled'), after),
    limit: page.limit,
  });
}

export const signupCursor = (row: ActivitySignupRow): string[] => [row.signedUpAt.toISOString(), row.personId];

/** One person's attendance at each of `activityIds`, where they checked in. */
export function findAttendancesOfPerson(db: Executor, personId: string, activityIds: readonly string[]): Promise<ActivityAttendanceRow[]> {
  return db
    .select()
    .from(activityAttendances)
    .where(and(eq(activityAttendances.personId, personId), inArray(activityAttendances.activityId, [...activityIds])));
}

export async function lockAttendance(db: Executor, activityId: string, personId: string): Promise<ActivityAttendanceRow | null> {
  const [row] = await db
    .select()
    .from(activityAttendances)
    .where(and(eq(activityAttendances.activityId, activityId), eq(activityAttendances.personId, personId)))
    .for('update');
  return row ?? null;
}

export async function insertAttendance(db: Executor, values: typeof activityAttendances.$inferInsert): Promise<ActivityAttendanceRow> {
  const [row] = await db.insert(activityAttendances).values(values).returning();
  return required(row, 'row inserted into activity_attendances');
}

export async function updateAttendance(
  db: Executor,
  activityId: string,
  personId: string,
  values: Partial<typeof activityAttendances.$inferInsert>,
): Promise<ActivityAttendanceRow> {
  const [row] = await db
    .update(activityAttendances)
    .set(values)
    .where(and(eq(activityAttendances.activityId, activityId), eq(activityAttendances.personId, personId)))
    .returning();
  return required(row, 'attendance, locked by this transaction');
}

/** The same page of attendances, in order of arrival, for each of `activityIds`, in one statement. */
export function findAttendancePagesOfActivities(db: Executor, activityIds: readonly string[], page: PageRequest): Promise<ActivityAttendanceRow[]> {
  const after = page.after ? sql`(${activityAttendances.checkedInAt}, ${activityAttendances.personId}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return pagesPerParent(db, {
    table: activityAttendances,
    parent: activityAttendances.activityId,
    parentIds: activityIds,
    orderBy: sql`${activityAttendances.checkedInAt}, ${activityAttendances.personId}`,
    where: after,
    limit: page.limit,
  });
}

export const attendanceCursor = (row: ActivityAttendanceRow): string[] => [row.checkedInAt.toISOString(), row.personId];

/**
 * Closes every check-in still open 24 hours after its activity ended (of one
 * activity when `activityId` is given): checked out at the end, its minutes
 * capped at the activity's length, and flagged for the organiser. Returns how
 * many it closed.
 */
export async function closeForgottenCheckOuts(db: Executor, now: Date, activityId?: string): Promise<number> {
  const closed = await db
    .update(activityAttendances)
    .set({
      checkedOutAt: sql`greatest(${activities.endsAt}, ${activityAttendances.checkedInAt})`,
      autoClosed: true,
      minutes: sql`least(
        floor(extract(epoch from greatest(${activities.endsAt}, ${activityAttendances.checkedInAt}) - ${activityAttendances.checkedInAt}) / 60),
        floor(extract(epoch from ${activities.endsAt} - ${activities.startsAt}) / 60)
      )::int`,
    })
    .from(activities)
    .where(
      and(
        eq(activities.id, activityAttendances.activityId),
        activityId ? eq(activityAttendances.activityId, activityId) : undefined,
        isNull(activityAttendances.checkedOutAt),
        sql`${activities.endsAt} + interval '24 hours' <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .returning({ personId: activityAttendances.personId });
  return closed.length;
}
