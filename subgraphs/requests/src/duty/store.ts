/** SQL for duty posts, shifts and shift sign-ups. */
import { and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { required, type Executor, type PageRequest } from '@lianxin/shared';
import { dutyPosts, dutyShiftSignups, dutyShifts, type DutyPostRow, type DutyShiftRow, type DutyShiftSignupRow } from '../db/schema.js';
import { withinAny } from '../sql.js';

export function findDutyPostsByIds(db: Executor, ids: readonly string[]): Promise<DutyPostRow[]> {
  return db
    .select()
    .from(dutyPosts)
    .where(inArray(dutyPosts.id, [...ids]));
}

export function findDutyShiftsByIds(db: Executor, ids: readonly string[]): Promise<DutyShiftRow[]> {
  return db
    .select()
    .from(dutyShifts)
    .where(inArray(dutyShifts.id, [...ids]));
}

export async function insertDutyPost(db: Executor, values: typeof dutyPosts.$inferInsert): Promise<DutyPostRow> {
  const [row] = await db.insert(dutyPosts).values(values).returning();
  return required(row, 'row inserted into duty_posts');
}

export function insertDutyShifts(db: Executor, values: (typeof dutyShifts.$inferInsert)[]): Promise<DutyShiftRow[]> {
  return db.insert(dutyShifts).values(values).returning();
}

/** A page of posts, newest last (creation order), optionally inside a region's subtree. */
export function findDutyPostPage(db: Executor, region: string | undefined, page: PageRequest): Promise<DutyPostRow[]> {
  const after = page.after ? sql`(${dutyPosts.createdAt}, ${dutyPosts.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(dutyPosts)
    .where(and(region ? withinAny(dutyPosts.regionPath, [region]) : undefined, after))
    .orderBy(asc(dutyPosts.createdAt), asc(dutyPosts.id))
    .limit(page.limit + 1);
}

export const dutyPostCursor = (row: DutyPostRow): string[] => [row.createdAt.toISOString(), row.id];

/** A post's shifts starting in [from, to), earliest first; at most `limit`. */
export function findShiftsOfPost(db: Executor, postId: string, from: Date, to: Date, limit: number): Promise<DutyShiftRow[]> {
  return db
    .select()
    .from(dutyShifts)
    .where(and(eq(dutyShifts.postId, postId), gte(dutyShifts.startsAt, from), lt(dutyShifts.startsAt, to)))
    .orderBy(asc(dutyShifts.startsAt), asc(dutyShifts.id))
    .limit(limit);
}

/** The shift, locked: its sign-ups, check-ins and approval are decided one at a time. */
export async function lockShift(db: Executor, id: string): Promise<DutyShiftRow | null> {
  const [row] = await db.select().from(dutyShifts).where(eq(dutyShifts.id, id)).for('update');
  return row ?? null;
}

export async function lockPost(db: Executor, id: string): Promise<DutyPostRow | null> {
  const [row] = await db.select().from(dutyPosts).where(eq(dutyPosts.id, id)).for('update');
  return row ?? null;
}

export async function findSignup(db: Executor, shiftId: string, personId: string): Promise<DutyShiftSignupRow | null> {
  const [row] = await db
    .select()
    .from(dutyShiftSignups)
    .where(and(eq(dutyShiftSignups.shiftId, shiftId), eq(dutyShiftSignups.personId, personId)))
    .for('update');
  return row ?? null;
}

/** How many confirmed places a shift has taken, read in the caller's transaction. */
export async function countConfirmedOnShift(db: Executor, shiftId: string): Promise<number> {
  const [row] = await countConfirmedOnShifts(db, [shiftId]);
  return row?.total ?? 0;
}

/** How many confirmed places each of `shiftIds` has taken; a shift with none is absent. */
export function countConfirmedOnShifts(db: Executor, shiftIds: readonly string[]): Promise<{ shiftId: string; total: number }[]> {
  return db
    .select({ shiftId: dutyShiftSignups.shiftId, total: sql<number>`count(*)::int` })
    .from(dutyShiftSignups)
    .where(and(inArray(dutyShiftSignups.shiftId, [...shiftIds]), eq(dutyShiftSignups.status, 'confirmed')))
    .groupBy(dutyShiftSignups.shiftId);
}

export async function upsertConfirmedSignup(db: Executor, shiftId: string, personId: string, at: Date): Promise<DutyShiftSignupRow> {
  const [row] = await db
    .insert(dutyShiftSignups)
    .values({ shiftId, personId, status: 'confirmed', signedUpAt: at, changedAt: at })
    .onConflictDoUpdate({ target: [dutyShiftSignups.shiftId, dutyShiftSignups.personId], set: { status: 'confirmed', signedUpAt: at, changedAt: at } })
    .returning();
  return required(row, 'row upserted into duty_shift_signups');
}

export async function updateSignup(db: Executor, shiftId: string, personId: string, values: Partial<typeof dutyShiftSignups.$inferInsert>): Promise<DutyShiftSignupRow> {
  const [row] = await db
    .update(dutyShiftSignups)
    .set(values)
    .where(and(eq(dutyShiftSignups.shiftId, shiftId), eq(dutyShiftSignups.personId, personId)))
    .returning();
  return required(row, 'shift sign-up, its shift locked by this transaction');
}

/** The sign-ups of each of `shiftIds` (withdrawn ones too when asked), in order of signing up. */
export function findSignupsOfShifts(db: Executor, shiftIds: readonly string[], includeWithdrawn: boolean): Promise<DutyShiftSignupRow[]> {
  return db
    .select()
    .from(dutyShiftSignups)
    .where(and(inArray(dutyShiftSignups.shiftId, [...shiftIds]), includeWithdrawn ? undefined : eq(dutyShiftSignups.status, 'confirmed')))
    .orderBy(asc(dutyShiftSignups.signedUpAt), asc(dutyShiftSignups.personId));
}

/** A person's confirmed sign-ups on shifts starting in [from, to), with the shifts, earliest first. */
export function findShiftSignupsOfPerson(db: Executor, personId: string, from: Date, to: Date, limit: number): Promise<{ signup: DutyShiftSignupRow; shift: DutyShiftRow }[]> {
  return db
    .select({ signup: dutyShiftSignups, shift: dutyShifts })
    .from(dutyShiftSignups)
    .innerJoin(dutyShifts, eq(dutyShifts.id, dutyShiftSignups.shiftId))
    .where(and(eq(dutyShiftSignups.personId, personId), eq(dutyShiftSignups.status, 'confirmed'), gte(dutyShifts.startsAt, from), lt(dutyShifts.startsAt, to)))
    .orderBy(asc(dutyShifts.startsAt), asc(dutyShifts.id))
    .limit(limit);
}

/**
 * Marks every confirmed volunteer who never checked in to a shift that has
 * ended (of one shift when `shiftId` is given) a no-show. Returns how many it
 * marked. One UPDATE, so several sweeps at once mark each row once.
 */
export async function markNoShows(db: Executor, now: Date, shiftId?: string): Promise<number> {
  const marked = await db
    .update(dutyShiftSignups)
    .set({ noShow: true })
    .from(dutyShifts)
    .where(
      and(
        eq(dutyShifts.id, dutyShiftSignups.shiftId),
        shiftId ? eq(dutyShiftSignups.shiftId, shiftId) : undefined,
        eq(dutyShiftSignups.status, 'confirmed'),
        isNull(dutyShiftSignups.checkedInAt),
        eq(dutyShiftSignups.noShow, false),
        sql`${dutyShifts.endsAt} <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .returning({ personId: dutyShiftSignups.personId });
  return marked.length;
}

/** Closes check-ins still open at a shift's end (of one shift), at the end: approval decides on them as they stand. */
export async function closeOpenCheckIns(db: Executor, now: Date, shiftId: string): Promise<number> {
  const closed = await db
    .update(dutyShiftSignups)
    .set({
      checkedOutAt: sql`greatest(${dutyShifts.endsAt}, ${dutyShiftSignups.checkedInAt})`,
      minutes: sql`floor(extract(epoch from greatest(${dutyShifts.endsAt}, ${dutyShiftSignups.checkedInAt}) - ${dutyShiftSignups.checkedInAt}) / 60)::int`,
    })
    .from(dutyShifts)
    .where(
      and(
        eq(dutyShifts.id, dutyShiftSignups.shiftId),
        eq(dutyShiftSignups.shiftId, shiftId),
        isNull(dutyShiftSignups.checkedOutAt),
        sql`${dutyShiftSignups.checkedInAt} is not null`,
        sql`${dutyShifts.endsAt} <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .returning({ personId: dutyShiftSignups.personId });
  return closed.length;
}
