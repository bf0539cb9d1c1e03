/** SQL for persons. */
import { asc, count, inArray, sql } from 'drizzle-orm';
import type { Executor, PageRequest } from '@lianxin/shared';
import { persons, type PersonRow } from '../db/schema.js';

export function findPersonsByIds(db: Executor, ids: readonly string[]): Promise<PersonRow[]> {
  return db.select().from(persons).where(inArray(persons.id, [...ids]));
}

/** A page of everyone, oldest registration first. */
export function findPersonPage(db: Executor, page: PageRequest): Promise<PersonRow[]> {
  const after = page.after
    ? sql`(${persons.registeredAt}, ${persons.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
    : undefined;
  return db
    .select()
    .from(persons)
    .where(after)
    .orderBy(asc(persons.registeredAt), asc(persons.id))
    .limit(page.limit + 1);
}

export async function countPersons(db: Executor): Promise<number> {
  const [row] = await db.select({ total: count() }).from(persons);
  return row?.total ?? 0;
}

/** Person page cursors sort by registration time, then id. */
export const personCursor = (row: PersonRow): string[] => [row.registeredAt.toISOString(), row.id];
