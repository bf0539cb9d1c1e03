/** SQL for badge kinds and the badges people hold. */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { inUuids, preparedOnce, type Executor } from '@lianxin/shared';
import { badgeAwards, badgeKinds, badgeRevocations, badgeRules, regionLevels, teamMemberships, type BadgeKindRow, type BadgeRow, type BadgeRuleRow } from '../db/schema.js';

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
  revokedAt: badgeRevocations.revokedAt,
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
    .leftJoin(badgeRevocations, eq(badgeRevocations.awardId, badgeAwards.id))
    .where(inArray(badgeAwards.id, [...ids]));
}

/** The badges of each of `holderIds` not revoked, earliest awarded first (a revoked award stays in the history). */
// Every Person.badges (a dashboard, a team's members) passes here: built once, run with the ids.
const badgesOfHolders = preparedOnce((db) =>
  db
    .select(badgeColumns)
    .from(badgeAwards)
    .innerJoin(badgeKinds, eq(badgeKinds.code, badgeAwards.badgeCode))
    .leftJoin(badgeRevocations, eq(badgeRevocations.awardId, badgeAwards.id))
    .where(and(inUuids(badgeAwards.holderId, 'holderIds'), isNull(badgeRevocations.awardId)))
    .orderBy(asc(badgeAwards.holderId), asc(badgeAwards.awardedAt), asc(badgeAwards.id))
    .prepare('find_badges_of_holders'),
);

export function findBadgesOfHolders(db: Executor, holderIds: readonly string[]): Promise<BadgeRow[]> {
  return badgesOfHolders(db, { holderIds });
}

/** Remembers that a person joined a team (a second `added` for the same pair keeps the first join). */
export async function recordTeamMembership(db: Executor, membership: { teamId: string; personId: string; joinedAt: Date }): Promise<void> {
  await db.insert(teamMemberships).values(membership).onConflictDoNothing();
}

export function findBadgeRulesByIds(db: Executor, ids: readonly string[]): Promise<BadgeRuleRow[]> {
  return db
    .select()
    .from(badgeRules)
    .where(inArray(badgeRules.id, [...ids]));
}

/** The rules, newest first; `active`: only those in force on `today` (true), or only the others (false). */
export function findBadgeRules(db: Executor, filter: { active?: boolean | null; today: string }): Promise<BadgeRuleRow[]> {
  const inForce = and(isNull(badgeRules.retiredAt), lte(badgeRules.validFrom, filter.today), or(isNull(badgeRules.validTo), sql`${badgeRules.validTo} >= ${filter.today}`));
  const where = filter.active === true ? inForce : filter.active === false ? sql`not (${inForce})` : undefined;
  return db.select().from(badgeRules).where(where).orderBy(desc(badgeRules.createdAt), desc(badgeRules.id));
}

export async function findBadgeKind(db: Executor, code: string): Promise<BadgeKindRow | null> {
  const [row] = await db.select().from(badgeKinds).where(eq(badgeKinds.code, code));
  return row ?? null;
}

export async function insertBadgeKind(db: Executor, kind: BadgeKindRow): Promise<void> {
  await db.insert(badgeKinds).values(kind);
}

export async function insertBadgeRule(db: Executor, rule: typeof badgeRules.$inferInsert): Promise<BadgeRuleRow> {
  const [row] = await db.insert(badgeRules).values(rule).returning();
  if (!row) throw new Error('badge rule insert returned no row');
  return row;
}

/** Retires a rule not yet retired; null when it already was (or a concurrent retire came first). */
export async function retireBadgeRule(db: Executor, retire: { ruleId: string; by: string; reason: string }): Promise<BadgeRuleRow | null> {
  const [row] = await db
    .update(badgeRules)
    .set({ retiredAt: sql`now()`, retiredBy: retire.by, retireReason: retire.reason })
    .where(and(eq(badgeRules.id, retire.ruleId), isNull(badgeRules.retiredAt)))
    .returning();
  return row ?? null;
}

/** Appends a revocation unless the badge already has one; whether it was appended. */
export async function insertRevocation(db: Executor, revocation: { awardId: string; revokedBy: string; reason: string }): Promise<boolean> {
  const rows = await db.insert(badgeRevocations).values(revocation).onConflictDoNothing().returning({ awardId: badgeRevocations.awardId });
  return rows.length > 0;
}

/** The stored ancestors (root first) of a region people announced; null for one recognition was not told of. */
export async function findRegionPath(db: Executor, regionId: string): Promise<string[] | null> {
  const [row] = await db
    .select({ path: regionLevels.path })
    .from(regionLevels)
    .where(and(eq(regionLevels.regionId, regionId), isNotNull(regionLevels.path)));
  return row?.path ?? null;
}
