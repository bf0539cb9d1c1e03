/** SQL for badge kinds and the badges people hold. */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { badgeAwards, badgeKinds, badgeRevocations, teamMemberships, type BadgeAwardRow, type BadgeKindRow, type BadgeRow } from '../db/schema.js';

/** An award with its kind's name and description: one joined statement serves a whole batch. */
const badgeColumns = {
  id: badgeAwards.id,
  badgeCode: badgeAwards.badgeCode,
  holderId: badgeAwards.holderId,
  awardedAt: badgeAwards.awardedAt,
  ruleId: badgeAwards.ruleId,
  periodStart: badgeAwards.periodStart,
  tally: badgeAwards.tally,
  awardedBy: badgeAwards.awardedBy,
  reason: badgeAwards.reason,
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

/** The badges of each of `holderIds` not revoked, earliest awarded first (a revoked award stays in the history). */
export function findBadgesOfHolders(db: Executor, holderIds: readonly string[]): Promise<BadgeRow[]> {
  return db
    .select(badgeColumns)
    .from(badgeAwards)
    .innerJoin(badgeKinds, eq(badgeKinds.code, badgeAwards.badgeCode))
    .leftJoin(badgeRevocations, eq(badgeRevocations.awardId, badgeAwards.id))
    .where(and(inArray(badgeAwards.holderId, [...holderIds]), isNull(badgeRevocations.awardId)))
    .orderBy(asc(badgeAwards.holderId), asc(badgeAwards.awardedAt), asc(badgeAwards.id));
}

/**
 * Awards badge `badgeCode` to `holderId` unless they already hold it (the
 * badge/holder unique key): a second team joined, or the same event applied
 * again, changes nothing and keeps the first award's time.
 */
export async function awardBadge(db: Executor, award: { badgeCode: string; holderId: string; awardedAt: Date }): Promise<BadgeAwardRow | null> {
  const [row] = await db.insert(badgeAwards).values(award).onConflictDoNothing().returning();
  return row ?? null;
}

/** Remembers that a person joined a team (a second `added` for the same pair keeps the first join). */
export async function recordTeamMembership(db: Executor, membership: { teamId: string; personId: string; joinedAt: Date }): Promise<void> {
  await db.insert(teamMemberships).values(membership).onConflictDoNothing();
}
