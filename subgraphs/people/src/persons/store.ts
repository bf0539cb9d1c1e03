/** SQL for persons and their volunteer profiles. */
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { inUuids, preparedOnce, required, type Executor, type PageRequest } from '@lianxin/shared';
import { persons, teamMembers, volunteerProfiles, type PersonRow, type VolunteerProfileRow } from '../db/schema.js';
import { inAnySubtree, inSubtree } from '../sql.js';

type VolunteerStatus = VolunteerProfileRow['status'];

// Every person a request shows passes here (the viewer, members, requesters): built once, run with the ids.
const personsByIds = preparedOnce((db) => db.select().from(persons).where(inUuids(persons.id, 'ids')).prepare('find_persons_by_ids'));

export function findPersonsByIds(db: Executor, ids: readonly string[]): Promise<PersonRow[]> {
  return personsByIds(db, { ids });
}

/** Locks one person for a change; null when there is none. */
export async function lockPerson(db: Executor, id: string): Promise<PersonRow | null> {
  const [row] = await db.select().from(persons).where(eq(persons.id, id)).for('update');
  return row ?? null;
}

export interface PersonListFilter {
  region?: string | undefined;
  skill?: string | undefined;
  team?: string | undefined;
  partyMember?: boolean | undefined;
  status?: VolunteerStatus | undefined;
  /** Region subtrees the list is bounded to; undefined for no bound. */
  scope?: readonly string[] | undefined;
}

function personConditions(filter: PersonListFilter): SQL | undefined {
  const v = volunteerProfiles;
  const volunteerConditions = [
    filter.skill !== undefined ? sql`${v.skills} @> array[${filter.skill}]::text[]` : undefined,
    filter.partyMember !== undefined ? eq(v.partyMember, filter.partyMember) : undefined,
    filter.status !== undefined ? eq(v.status, filter.status) : undefined,
  ].filter((condition): condition is SQL => condition !== undefined);
  return and(
    filter.scope !== undefined ? inAnySubtree(persons.homeRegionId, filter.scope) : undefined,
    filter.region !== undefined ? inSubtree(persons.homeRegionId, filter.region) : undefined,
    volunteerConditions.length > 0 ? sql`exists (select 1 from ${v} where ${v.personId} = ${persons.id} and ${and(...volunteerConditions)})` : undefined,
    filter.team !== undefined
      ? sql`exists (select 1 from ${teamMembers} where ${teamMembers.personId} = ${persons.id} and ${teamMembers.teamId} = ${filter.team}::uuid and ${teamMembers.leftAt} is null)`
      : undefined,
  );
}

/** A page of the persons matching `filter`, oldest registration first. */
export function findPersonPage(db: Executor, filter: PersonListFilter, page: PageRequest): Promise<PersonRow[]> {
  const after = page.after ? sql`(${persons.registeredAt}, ${persons.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(persons)
    .where(and(personConditions(filter), after))
    .orderBy(asc(persons.registeredAt), asc(persons.id))
    .limit(page.limit + 1);
}

export async function countPersons(db: Executor, filter: PersonListFilter = {}): Promise<number> {
  const [row] = await db.select({ total: count() }).from(persons).where(personConditions(filter));
  return row?.total ?? 0;
}

export type NewPerson = typeof persons.$inferInsert;

export async function insertPerson(db: Executor, values: NewPerson): Promise<PersonRow> {
  const [row] = await db.insert(persons).values(values).returning();
  return required(row, 'row inserted into persons');
}

export async function updatePerson(db: Executor, id: string, changes: Partial<Pick<PersonRow, 'name' | 'phone' | 'homeRegionId' | 'homeUnit'>>): Promise<PersonRow> {
  if (Object.keys(changes).length === 0) {
    const [unchanged] = await db.select().from(persons).where(eq(persons.id, id));
    return required(unchanged, `person ${id}, locked by this transaction`);
  }
  const [row] = await db.update(persons).set(changes).where(eq(persons.id, id)).returning();
  return required(row, `person ${id}, locked by this transaction`);
}

/** Records the person's choice about public leaderboards, with when they made it. */
export async function setLeaderboardOptOut(db: Executor, id: string, optedOut: boolean): Promise<PersonRow & { leaderboardOptOutChangedAt: Date }> {
  const [row] = await db
    .update(persons)
    .set({ leaderboardOptOut: optedOut, leaderboardOptOutChangedAt: sql`now()` })
    .where(eq(persons.id, id))
    .returning();
  const person = required(row, `person ${id}, locked by this transaction`);
  return { ...person, leaderboardOptOutChangedAt: required(person.leaderboardOptOutChangedAt, 'the instant just set') };
}

export function findVolunteerProfiles(db: Executor, personIds: readonly string[]): Promise<VolunteerProfileRow[]> {
  return db
    .select()
    .from(volunteerProfiles)
    .where(inArray(volunteerProfiles.personId, [...personIds]));
}

/** Creates a profile or changes the given fields of an existing one. */
export async function upsertVolunteerProfile(
  db: Executor,
  personId: string,
  changes: { skills?: string[] | undefined; partyMember?: boolean | undefined; status?: VolunteerStatus | undefined },
): Promise<VolunteerProfileRow> {
  const given = {
    ...(changes.skills !== undefined ? { skills: changes.skills } : {}),
    ...(changes.partyMember !== undefined ? { partyMember: changes.partyMember } : {}),
    ...(changes.status !== undefined ? { status: changes.status } : {}),
  };
  const [row] = await db
    .insert(volunteerProfiles)
    .values({ personId, ...given })
    .onConflictDoUpdate({ target: volunteerProfiles.personId, set: { ...given, updatedAt: sql`now()` } })
    .returning();
  return required(row, 'row upserted into volunteer_profiles');
}

/** Person page cursors sort by registration time, then id. */
export const personCursor = (row: PersonRow): string[] => [row.registeredAt.toISOString(), row.id];
