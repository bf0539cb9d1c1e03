/** SQL for the directory of persons points knows (`points.directory_persons`). */
import { inArray } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { directoryPersons } from '../db/schema.js';

/** Adds persons to the directory; a person already there keeps the first registration. */
export async function insertKnownPersons(db: Executor, persons: readonly { personId: string; registeredAt: Date }[]): Promise<void> {
  if (persons.length === 0) return;
  await db
    .insert(directoryPersons)
    .values(persons.map(({ personId, registeredAt }) => ({ personId, registeredAt })))
    .onConflictDoNothing();
}

/** Which of `personIds` the directory knows. */
export async function findKnownPersons(db: Executor, personIds: readonly string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .select({ personId: directoryPersons.personId })
    .from(directoryPersons)
    .where(inArray(directoryPersons.personId, [...personIds]));
  return new Set(rows.map((row) => row.personId));
}
