/** SQL for micro-wishes and their history. */
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { required, type Executor, type PageRequest } from '@lianxin/shared';
import { microWishes, wishTransitions, type MicroWishRow, type RequestChannel, type WishStatus, type WishTransitionRow } from '../db/schema.js';
import { withinAny } from '../sql.js';

export function findWishesByIds(db: Executor, ids: readonly string[]): Promise<MicroWishRow[]> {
  return db
    .select()
    .from(microWishes)
    .where(inArray(microWishes.id, [...ids]));
}

export async function lockWish(db: Executor, id: string): Promise<MicroWishRow | null> {
  const [row] = await db.select().from(microWishes).where(eq(microWishes.id, id)).for('update');
  return row ?? null;
}

export async function insertWish(db: Executor, values: typeof microWishes.$inferInsert): Promise<MicroWishRow> {
  const [row] = await db.insert(microWishes).values(values).returning();
  return required(row, 'row inserted into micro_wishes');
}

export async function updateWish(db: Executor, id: string, values: Partial<typeof microWishes.$inferInsert>): Promise<MicroWishRow> {
  const [row] = await db.update(microWishes).set(values).where(eq(microWishes.id, id)).returning();
  return required(row, `micro-wish ${id}, locked by this transaction`);
}

export async function insertWishTransition(db: Executor, values: typeof wishTransitions.$inferInsert): Promise<void> {
  await db.insert(wishTransitions).values(values);
}

export function findTransitionsOfWishes(db: Executor, wishIds: readonly string[]): Promise<WishTransitionRow[]> {
  return db
    .select()
    .from(wishTransitions)
    .where(inArray(wishTransitions.wishId, [...wishIds]))
    .orderBy(asc(wishTransitions.wishId), asc(wishTransitions.at), asc(wishTransitions.id));
}

export interface WishListFilter {
  region?: string | undefined;
  statuses?: readonly WishStatus[] | undefined;
  channels?: readonly RequestChannel[] | undefined;
  /** Wishes not yet published (or withdrawn) are listed only inside this scope (null: everywhere) or for this person. */
  unpublishedScope: readonly string[] | null;
  viewerId: string | null;
}

const PUBLIC_STATUSES: readonly WishStatus[] = ['published', 'claimed', 'fulfilled', 'thanked'];

function wishConditions(filter: WishListFilter): SQL | undefined {
  const hidden =
    filter.unpublishedScope === null
      ? sql`true`
      : or(
          filter.unpublishedScope.length ? withinAny(microWishes.regionPath, filter.unpublishedScope) : undefined,
          filter.viewerId ? or(eq(microWishes.wisherId, filter.viewerId), eq(microWishes.postedById, filter.viewerId)) : undefined,
          sql`false`,
        );
  return and(
    filter.region ? withinAny(microWishes.regionPath, [filter.region]) : undefined,
    filter.statuses?.length ? inArray(microWishes.status, [...filter.statuses]) : undefined,
    filter.channels?.length ? inArray(microWishes.channel, [...filter.channels]) : undefined,
    or(inArray(microWishes.status, [...PUBLIC_STATUSES]), hidden),
  );
}

export function findWishPage(db: Executor, filter: WishListFilter, page: PageRequest): Promise<MicroWishRow[]> {
  const after = page.after ? sql`(${microWishes.createdAt}, ${microWishes.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(microWishes)
    .where(and(wishConditions(filter), after))
    .orderBy(desc(microWishes.createdAt), desc(microWishes.id))
    .limit(page.limit + 1);
}

export const wishCursor = (row: MicroWishRow): string[] => [row.createdAt.toISOString(), row.id];
