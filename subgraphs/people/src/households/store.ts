/** SQL for households, their members and hardship decisions. */
import { and, asc, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { required, type Executor, type PageRequest } from '@lianxin/shared';
import {
  caseloadCaps,
  hardshipChanges,
  householdMembers,
  households,
  regions,
  type HardshipLevel,
  type HouseholdMemberRow,
  type HouseholdRow,
  type SpecialNeed,
} from '../db/schema.js';
import { inAnySubtree, inSubtree } from '../sql.js';

export function findHouseholdsByIds(db: Executor, ids: readonly string[]): Promise<HouseholdRow[]> {
  return db
    .select()
    .from(households)
    .where(inArray(households.id, [...ids]));
}

/** Locks one household for a change; null when there is none. */
export async function lockHousehold(db: Executor, id: string): Promise<HouseholdRow | null> {
  const [row] = await db.select().from(households).where(eq(households.id, id)).for('update');
  return row ?? null;
}

/** Current members of each of `householdIds`: heads first, then by joining. */
export function findMembersOfHouseholds(db: Executor, householdIds: readonly string[]): Promise<HouseholdMemberRow[]> {
  return db
    .select()
    .from(householdMembers)
    .where(and(inArray(householdMembers.householdId, [...householdIds]), isNull(householdMembers.leftAt)))
    .orderBy(sql`${householdMembers.relation} <> 'head'`, asc(householdMembers.joinedAt), asc(householdMembers.personId));
}

/** The household each of `personIds` currently belongs to, tagged with the person. */
export async function findHouseholdsOfPersons(db: Executor, personIds: readonly string[]): Promise<(HouseholdRow & { personId: string })[]> {
  const rows = await db
    .select({ household: households, personId: householdMembers.personId })
    .from(householdMembers)
    .innerJoin(households, eq(households.id, householdMembers.householdId))
    .where(and(inArray(householdMembers.personId, [...personIds]), isNull(householdMembers.leftAt)));
  return rows.map(({ household, personId }) => ({ ...household, personId }));
}

/** Of `personIds`, those who currently belong to a household, with it. */
export function findCurrentMemberships(db: Executor, personIds: readonly string[]): Promise<HouseholdMemberRow[]> {
  return db
    .select()
    .from(householdMembers)
    .where(and(inArray(householdMembers.personId, [...personIds]), isNull(householdMembers.leftAt)));
}

export interface HouseholdListFilter {
  region?: string | undefined;
  specialNeed?: SpecialNeed | undefined;
  hardshipLevel?: HardshipLevel | undefined;
  /** Region subtrees the list is bounded to; undefined for no bound. */
  scope?: readonly string[] | undefined;
}

function householdConditions(filter: HouseholdListFilter): SQL | undefined {
  return and(
    filter.scope !== undefined ? inAnySubtree(households.addressRegionId, filter.scope) : undefined,
    filter.region !== undefined ? inSubtree(households.addressRegionId, filter.region) : undefined,
    filter.specialNeed !== undefined ? sql`${households.specialNeeds} @> array[${filter.specialNeed}]::people.special_need[]` : undefined,
    filter.hardshipLevel !== undefined ? eq(households.hardshipLevel, filter.hardshipLevel) : undefined,
  );
}

/** A page of the households matching `filter`, oldest registration first. */
export function findHouseholdPage(db: Executor, filter: HouseholdListFilter, page: PageRequest): Promise<HouseholdRow[]> {
  const after = page.after ? sql`(${households.registeredAt}, ${households.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(households)
    .where(and(householdConditions(filter), after))
    .orderBy(asc(households.registeredAt), asc(households.id))
    .limit(page.limit + 1);
}

export async function countHouseholds(db: Executor, filter: HouseholdListFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(households).where(householdConditions(filter));
  return row?.total ?? 0;
}

export type NewHousehold = typeof households.$inferInsert;

export async function insertHousehold(db: Executor, values: NewHousehold): Promise<HouseholdRow> {
  const [row] = await db.insert(households).values(values).returning();
  return required(row, 'row inserted into households');
}

export async function insertHouseholdMembers(db: Executor, householdId: string, members: readonly { personId: string; relation: HouseholdMemberRow['relation'] }[]): Promise<void> {
  if (members.length === 0) return;
  await db.insert(householdMembers).values(members.map((member) => ({ householdId, ...member })));
}

/** Ends a current membership: the row stays, with the time the member left. */
export async function endHouseholdMembership(db: Executor, householdId: string, personId: string): Promise<void> {
  await db
    .update(householdMembers)
    .set({ leftAt: sql`greatest(now(), ${householdMembers.joinedAt})` })
    .where(and(eq(householdMembers.householdId, householdId), eq(householdMembers.personId, personId), isNull(householdMembers.leftAt)));
}

/** Sets the level and appends the decision to the household's history. */
export async function setHardship(db: Executor, values: { householdId: string; level: HardshipLevel; reason: string; changedBy: string }): Promise<HouseholdRow> {
  await db.insert(hardshipChanges).values(values);
  const [row] = await db.update(households).set({ hardshipLevel: values.level }).where(eq(households.id, values.householdId)).returning();
  return required(row, `household ${values.householdId}, locked by this transaction`);
}

/** Sets or clears (null) the household's caretaker; a trigger refuses a caretaker past their region's cap (`households_caseload_cap`). */
export async function setCaretaker(db: Executor, householdId: string, caretakerId: string | null): Promise<HouseholdRow> {
  const [row] = await db.update(households).set({ caretakerId }).where(eq(households.id, householdId)).returning();
  return required(row, `household ${householdId}, locked by this transaction`);
}

/** The transaction's own instant (the database's `now()`, to the millisecond), read beside household `id`. */
export async function transactionTime(db: Executor, householdId: string): Promise<Date> {
  const [row] = await db
    .select({ at: sql<number>`floor(extract(epoch from now()) * 1000)::float8` })
    .from(households)
    .where(eq(households.id, householdId));
  return new Date(Number(required(row, `household ${householdId}, locked by this transaction`).at));
}

/**
 * The cap a caretaker's households are held to when no region above them sets
 * one: the twelve households of the Jimo model (the cap trigger of migration
 * 0007 holds the same default).
 */
export const DEFAULT_CASELOAD_CAP = 12;

/** The cap each of `regionIds` has: its own setting or the nearest above it, `fallback` when none is set. */
export async function findCaseloadCaps(db: Executor, regionIds: readonly string[], fallback = DEFAULT_CASELOAD_CAP): Promise<{ regionId: string; cap: number }[]> {
  if (regionIds.length === 0) return [];
  const rows = await db
    .select({
      regionId: regions.id,
      cap: sql<number>`coalesce((
        select c.cap from ${caseloadCaps} c
         where c.region_id = ${regions.id} or c.region_id = any(${regions.path})
         order by case when c.region_id = ${regions.id} then 0 else 1 end, array_position(${regions.path}, c.region_id) desc
         limit 1), ${fallback})::int`,
    })
    .from(regions)
    .where(inArray(regions.id, [...regionIds]));
  return rows;
}

/** Sets the cap of one region. */
export async function upsertCaseloadCap(db: Executor, values: { regionId: string; cap: number; setBy: string }): Promise<void> {
  await db
    .insert(caseloadCaps)
    .values(values)
    .onConflictDoUpdate({ target: caseloadCaps.regionId, set: { cap: values.cap, setBy: values.setBy, setAt: sql`now()` } });
}

/** Household page cursors sort by registration time, then id. */
export const householdCursor = (row: HouseholdRow): string[] => [row.registeredAt.toISOString(), row.id];
