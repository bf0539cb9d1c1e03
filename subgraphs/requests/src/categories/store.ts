/** SQL for service categories. */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { categories, type CategoryRow } from '../db/schema.js';

/** Every category, in the order residents see them. A short reference list, so never paged. */
export function findCategories(db: Executor): Promise<CategoryRow[]> {
  return db.select().from(categories).orderBy(asc(categories.position), asc(categories.code));
}

export function findCategoriesByCodes(db: Executor, codes: readonly string[]): Promise<CategoryRow[]> {
  return db
    .select()
    .from(categories)
    .where(inArray(categories.code, [...codes]));
}

/** Adds a category after the existing ones; null when the code is taken (the caller refuses it). */
export async function insertCategory(db: Executor, row: { code: string; name: string; description: string }): Promise<CategoryRow | null> {
  const [inserted] = await db
    .insert(categories)
    .values({ ...row, position: sql<number>`(select coalesce(max(${categories.position}), 0) + 1 from ${categories})` })
    .onConflictDoNothing()
    .returning();
  return inserted ?? null;
}

/** The category, locked so two admins changing it at once take turns. */
export async function lockCategory(db: Executor, code: string): Promise<CategoryRow | null> {
  const [row] = await db.select().from(categories).where(eq(categories.code, code)).for('update');
  return row ?? null;
}

export async function updateCategory(
  db: Executor,
  code: string,
  change: { name?: string; description?: string; retiredAt?: Date; suitableForMinors?: boolean },
): Promise<CategoryRow> {
  const [row] = await db.update(categories).set(change).where(eq(categories.code, code)).returning();
  if (!row) throw new Error(`category ${code} vanished under its lock`);
  return row;
}
