/** SQL for the personal-data access log. */
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Executor, PageRequest } from '@lianxin/shared';
import { personalDataAccesses, type PersonalDataAccessRow } from '../db/schema.js';

export type NewAccess = typeof personalDataAccesses.$inferInsert;

/** Appends the entries of one batch in one statement. */
export async function insertAccesses(db: Executor, rows: NewAccess[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(personalDataAccesses).values(rows);
}

export interface AccessFilter {
  subjectPersonId?: string | undefined;
  subjectHouseholdId?: string | undefined;
  viewerPersonId?: string | undefined;
  viewerSubject?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

/** A page of the log, newest first. */
export function findAccessPage(db: Executor, filter: AccessFilter, page: PageRequest): Promise<PersonalDataAccessRow[]> {
  const t = personalDataAccesses;
  const after = page.after ? sql`(${t.at}, ${t.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(t)
    .where(
      and(
        filter.subjectPersonId ? eq(t.subjectPersonId, filter.subjectPersonId) : undefined,
        filter.subjectHouseholdId ? eq(t.subjectHouseholdId, filter.subjectHouseholdId) : undefined,
        filter.viewerPersonId ? eq(t.viewerPersonId, filter.viewerPersonId) : undefined,
        filter.viewerSubject ? eq(t.viewerSubject, filter.viewerSubject) : undefined,
        filter.since ? gte(t.at, filter.since) : undefined,
        filter.until ? lt(t.at, filter.until) : undefined,
        after,
      ),
    )
    .orderBy(desc(t.at), desc(t.id))
    .limit(page.limit + 1);
}

/** Access-log cursors sort by time, then id, both descending. */
export const accessCursor = (row: PersonalDataAccessRow): string[] => [row.at.toISOString(), row.id];
