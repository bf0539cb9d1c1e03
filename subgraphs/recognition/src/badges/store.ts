/** SQL for badge kinds and the badges people hold. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { badgeAwards, badgeKinds, type BadgeAwardRow, type BadgeKindRow, type BadgeRow } from '../db/schema.js';

/** An award with its kind's name and description: one joined statement serves a whole batch. */
const badgeColumns = {
  id: badgeAwards.id,
  badgeCode: badgeAwards.badgeCode,
  holderId: badgeAwards.holderId,
  awardedAt: badgeAwards.awardedAt,
  name: badgeKinds.name,
  description: badgeKinds.description,
};

export function findBadgeKinds(db: Executor): Promise<BadgeKindRow[]> {
  return db.select().from(badgeKinds).orderBy(asc(badgeKinds.code));
}

export function findBadgesByIds(db: Executor, ids: readonly string[]): Promise<BadgeRow[]> {
  return db
    .select(badgeColumns)
    .from(badgeAwards)
    .innerJoin(badgeKinds, eq(badgeKinds.code, badgeAwards.badgeCode))
    .where(inArray(badgeAwards.id, [...ids]));
}

/** The badges of each of `holderIds`, earliest awarded first. */
export function findBadgesOfHolders(db: Executor, holderIds: readonly string[]): Promise<BadgeRow[]> {
  return db
    .select(badgeColumns)
    .from(badgeAwards)
    .innerJoin(badgeKinds, eq(badgeKinds.code, badgeAwards.badgeCode))
    .where(inArray(badgeAwards.holderId, [...holderIds]))
    .orderBy(asc(badgeAwards.holderId), asc(badgeAwards.awardedAt), asc(badgeAwards.id));
}

/**
 * Awards badge `badgeCode` to `holderId` unless they already hold it (the
 * badge/holder unique key): a second team joined, or the same event applied
 * again, changes nothing and keeps the first award's time.
 */
export async function awardBadge(db: Executor, award: { badgeCode: string; holderId: string; awardedAt: Date }): Promise<BadgeAwardRow | null> {
  const [row] = await db
    .insert(badgeAwards)
    .values(award)
    .onConflictDoNothing({ target: [badgeAwards.badgeCode, badgeAwards.holderId] })
    .returning();
  return row ?? null;
}
