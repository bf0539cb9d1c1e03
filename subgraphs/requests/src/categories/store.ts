/** SQL for service categories. */
import { asc, inArray } from 'drizzle-orm';
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
