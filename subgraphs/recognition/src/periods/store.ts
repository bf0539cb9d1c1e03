/**
 * SQL for the read model by period (db/schema/periods.ts): the additions and
 * subtractions the event handlers make to person, team and office cells, in
 * the handler's transaction. A cell is created by its first addition; a
 * subtraction names a cell an addition made, so it is a plain update.
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { rowsOf, uuidArray, type Executor } from '@lianxin/shared';
import { beijingDayOf } from '../stats/facts.js';
import {
  bankUnits,
  countedDeposits,
  customerOffices,
  officeIndicators,
  officeYearActivities,
  officeYearTallies,
  personMonthTallies,
  teamMonthTallies,
  type CountedServiceRow,
} from '../db/schema.js';

/** The first day (`YYYY-MM-01`) of an instant's Beijing month: the `month` of the cells. */
export const beijingMonthOf = (instant: Date): string => `${beijingDayOf(instant).slice(0, 7)}-01`;

/** The Beijing year of an instant: the `year` of the office cells. */
export const beijingYearOf = (instant: Date): number => Number(beijingDayOf(instant).slice(0, 4));

/** The year of a cell's month. */
export const yearOfMonth = (month: string): number => Number(month.slice(0, 4));

/** A person's cell: their month in a category, at a place, with a team (each null where it does not apply). */
export interface PersonCell {
  personId: string;
  month: string;
  categoryCode: string | null;
  regionId: string | null;
  /** The place and every region above it; only the cell's first addition stores it. */
  regionPath: readonly string[];
  teamId: string | null;
}

export type PersonCounts = Partial<Record<'serviceMinutes' | 'services' | 'activities' | 'ratings' | 'ratingSum' | 'pointsDeposited' | 'pointsRedeemed', number>>;
export type TeamCounts = Partial<Record<'serviceMinutes' | 'services' | 'ratings' | 'ratingSum' | 'pointsDeposited', number>>;
export type OfficeCounts = Partial<Record<'accountsOpened' | 'serviceMinutes' | 'pointsDeposited' | 'redemptions' | 'pointsRedeemed' | 'merchantsJoined' | 'projects', number>>;

/** `set column = column + excluded.column` for each counter given, and the update stamp. */
function addExcluded(columns: Record<string, PgColumn>, counts: Record<string, number | undefined>): Record<string, SQL> {
  const set: Record<string, SQL> = { updatedAt: sql`now()` };
  for (const key of Object.keys(counts)) {
    const column = columns[key];
    if (column) set[key] = sql`${column} + excluded.${sql.identifier(column.name)}`;
  }
  return set;
}

/** `set column = column - n` for each counter given, and the update stamp. */
function subtract(columns: Record<string, PgColumn>, counts: Record<string, number | undefined>): Record<string, SQL> {
  const set: Record<string, SQL> = { updatedAt: sql`now()` };
  for (const [key, value] of Object.entries(counts)) {
    const column = columns[key];
    if (column && value !== undefined) set[key] = sql`${column} - ${value}`;
  }
  return set;
}

const personColumns: Record<string, PgColumn> = {
  serviceMinutes: personMonthTallies.serviceMinutes,
  services: personMonthTallies.services,
  activities: personMonthTallies.activities,
  ratings: personMonthTallies.ratings,
  ratingSum: personMonthTallies.ratingSum,
  pointsDeposited: personMonthTallies.pointsDeposited,
  pointsRedeemed: personMonthTallies.pointsRedeemed,
};

const teamColumns: Record<string, PgColumn> = {
  serviceMinutes: teamMonthTallies.serviceMinutes,
  services: teamMonthTallies.services,
  ratings: teamMonthTallies.ratings,
  ratingSum: teamMonthTallies.ratingSum,
  pointsDeposited: teamMonthTallies.pointsDeposited,
};

const officeColumns: Record<string, PgColumn> = {
  accountsOpened: officeYearTallies.accountsOpened,
  serviceMinutes: officeYearTallies.serviceMinutes,
  pointsDeposited: officeYearTallies.pointsDeposited,
  redemptions: officeYearTallies.redemptions,
  pointsRedeemed: officeYearTallies.pointsRedeemed,
  merchantsJoined: officeYearTallies.merchantsJoined,
  projects: officeYearTallies.projects,
};

/** Adds `counts` to a person's cell, creating it the first time. */
export async function addToPersonMonth(db: Executor, cell: PersonCell, counts: PersonCounts): Promise<void> {
  await db
    .insert(personMonthTallies)
    .values({ ...cell, regionPath: [...cell.regionPath], ...counts })
    .onConflictDoUpdate({
      // The cell's unique key (nulls not distinct): a null category, region or team is one cell, not many.
      target: [personMonthTallies.personId, personMonthTallies.month, personMonthTallies.categoryCode, personMonthTallies.regionId, personMonthTallies.teamId],
      set: addExcluded(personColumns, counts),
    });
}

/** Takes `counts` back from a person's cell an addition made. */
export async function subtractFromPersonMonth(db: Executor, cell: Omit<PersonCell, 'regionPath'>, counts: PersonCounts): Promise<void> {
  await db
    .update(personMonthTallies)
    .set(subtract(personColumns, counts))
    .where(
      and(
        eq(personMonthTallies.personId, cell.personId),
        eq(personMonthTallies.month, cell.month),
        sql`${personMonthTallies.categoryCode} is not distinct from ${cell.categoryCode}`,
        sql`${personMonthTallies.regionId} is not distinct from ${cell.regionId}::uuid`,
        sql`${personMonthTallies.teamId} is not distinct from ${cell.teamId}::uuid`,
      ),
    );
}

/** Adds `counts` to a team's month, creating it the first time. */
export async function addToTeamMonth(db: Executor, cell: { teamId: string; month: string }, counts: TeamCounts): Promise<void> {
  await db
    .insert(teamMonthTallies)
    .values({ ...cell, ...counts })
    .onConflictDoUpdate({ target: [teamMonthTallies.teamId, teamMonthTallies.month], set: addExcluded(teamColumns, counts) });
}

export async function subtractFromTeamMonth(db: Executor, cell: { teamId: string; month: string }, counts: TeamCounts): Promise<void> {
  await db
    .update(teamMonthTallies)
    .set(subtract(teamColumns, counts))
    .where(and(eq(teamMonthTallies.teamId, cell.teamId), eq(teamMonthTallies.month, cell.month)));
}

/** Adds `counts` to an office's year, creating it the first time. */
export async function addToOfficeYear(db: Executor, cell: { officeId: string; year: number; bankId: string }, counts: OfficeCounts): Promise<void> {
  await db
    .insert(officeYearTallies)
    .values({ ...cell, ...counts })
    .onConflictDoUpdate({ target: [officeYearTallies.officeId, officeYearTallies.year], set: addExcluded(officeColumns, counts) });
}

export async function subtractFromOfficeYear(db: Executor, cell: { officeId: string; year: number }, counts: OfficeCounts): Promise<void> {
  await db
    .update(officeYearTallies)
    .set(subtract(officeColumns, counts))
    .where(and(eq(officeYearTallies.officeId, cell.officeId), eq(officeYearTallies.year, cell.year)));
}

/** An office and its head bank. */
export interface OfficeOfBank {
  officeId: string;
  bankId: string;
}

/** The savings office `personId` is a customer of (from `account.opened`), or null. */
export async function officeOfCustomer(db: Executor, personId: string): Promise<OfficeOfBank | null> {
  const [row] = await db
    .select({ officeId: customerOffices.officeId, bankId: officeIndicators.bankId })
    .from(customerOffices)
    .innerJoin(officeIndicators, eq(officeIndicators.officeId, customerOffices.officeId))
    .where(eq(customerOffices.personId, personId));
  return row ?? null;
}

/**
 * The savings office whose area holds a place (its regions from the root
 * down): the office whose region lies nearest the place on the path, as
 * points picks the office covering a place; null when none does.
 */
export async function officeCoveringPlace(db: Executor, place: readonly string[]): Promise<OfficeOfBank | null> {
  if (place.length === 0) return null;
  const path = uuidArray(place);
  const [row] = await db
    .select({ officeId: bankUnits.unitId, bankId: bankUnits.bankId })
    .from(bankUnits)
    .where(and(eq(bankUnits.kind, 'savings_office'), sql`${bankUnits.regionId} = any(${path})`))
    .orderBy(sql`array_position(${path}, ${bankUnits.regionId}) desc`, bankUnits.unitId)
    .limit(1);
  return row ?? null;
}

/** Records a bank unit points opened (a unit is announced once; its region is its area). */
export async function recordBankUnit(db: Executor, unit: { unitId: string; kind: string; bankId: string; parentId: string | null; regionId: string }): Promise<void> {
  await db.insert(bankUnits).values(unit).onConflictDoNothing({ target: bankUnits.unitId });
}

/**
 * One more (`delta` 1) or one fewer (−1) service of an activity in an
 * office's area in a year; the activity becomes one of the office's projects
 * with its first service and stops being one when none is left.
 */
export async function countActivityService(db: Executor, cell: { officeId: string; year: number; activityId: string; bankId?: string }, delta: 1 | -1): Promise<void> {
  if (delta === 1) {
    const [row] = await db
      .insert(officeYearActivities)
      .values({ officeId: cell.officeId, year: cell.year, activityId: cell.activityId, services: 1 })
      .onConflictDoUpdate({
        target: [officeYearActivities.officeId, officeYearActivities.year, officeYearActivities.activityId],
        set: { services: sql`${officeYearActivities.services} + 1` },
      })
      .returning({ services: officeYearActivities.services });
    if (row?.services === 1 && cell.bankId) await addToOfficeYear(db, { officeId: cell.officeId, year: cell.year, bankId: cell.bankId }, { projects: 1 });
    return;
  }
  const [row] = await db
    .update(officeYearActivities)
    .set({ services: sql`${officeYearActivities.services} - 1` })
    .where(and(eq(officeYearActivities.officeId, cell.officeId), eq(officeYearActivities.year, cell.year), eq(officeYearActivities.activityId, cell.activityId)))
    .returning({ services: officeYearActivities.services });
  if (row?.services === 0) await subtractFromOfficeYear(db, cell, { projects: 1 });
}

/** Takes a reversed service's minutes, service and activity back from the cells it was counted in. */
export async function uncountServiceCells(db: Executor, counted: CountedServiceRow): Promise<void> {
  // Counted before the cells existed: the lifetime tally is all it added to.
  if (counted.month === null) return;
  const activities = counted.activityId === null ? 0 : 1;
  await subtractFromPersonMonth(
    db,
    { personId: counted.personId, month: counted.month, categoryCode: counted.categoryCode, regionId: counted.regionId, teamId: counted.teamId },
    { serviceMinutes: counted.minutes, services: 1, activities },
  );
  if (counted.teamId !== null) await subtractFromTeamMonth(db, { teamId: counted.teamId, month: counted.month }, { serviceMinutes: counted.minutes, services: 1 });
  const year = yearOfMonth(counted.month);
  if (counted.officeId !== null) await subtractFromOfficeYear(db, { officeId: counted.officeId, year }, { serviceMinutes: counted.minutes });
  if (counted.areaOfficeId !== null && counted.activityId !== null) {
    await countActivityService(db, { officeId: counted.areaOfficeId, year, activityId: counted.activityId }, -1);
  }
}

/**
 * Credits `office` with the services `personId` had counted while they were
 * no office's customer (a new customer brings what they served before), each
 * in its own year; those services are the office's from now on, so their
 * reversal takes the minutes back from it.
 */
export async function creditEarlierServices(db: Executor, personId: string, office: OfficeOfBank): Promise<void> {
  await rowsOf(
    db,
    sql`with moved as (
          update recognition.counted_services set office_id = ${office.officeId}
          where person_id = ${personId} and office_id is null and month is not null and reversed_at is null
          returning month, minutes
        )
        insert into recognition.office_year_tallies (office_id, year, bank_id, service_minutes)
        select ${office.officeId}::uuid, extract(year from month)::smallint, ${office.bankId}::uuid, sum(minutes)::integer from moved group by 2
        on conflict (office_id, year) do update
          set service_minutes = office_year_tallies.service_minutes + excluded.service_minutes, updated_at = now()`,
  );
}

/** Where a deposit's points go: the holder's cell, the team's month and the office's year. */
export type DepositCells = Pick<typeof countedDeposits.$inferInsert, 'month' | 'categoryCode' | 'regionId' | 'teamId' | 'officeId'>;

/** Remembers deposit `depositId` with its cells, unless known already (its reversal came first). Returns whether it was counted. */
export async function rememberDeposit(db: Executor, deposit: { depositId: string; personId: string; points: number } & DepositCells): Promise<boolean> {
  const rows = await db.insert(countedDeposits).values(deposit).onConflictDoNothing({ target: countedDeposits.depositId }).returning({ id: countedDeposits.depositId });
  return rows.length > 0;
}

/**
 * Marks deposit `depositId` reversed and returns it as it was counted, or
 * null when it never was: then it is remembered as reversed, so the deposit,
 * if it ever arrives, is not counted.
 */
export async function reverseDeposit(db: Executor, reversal: { depositId: string; personId: string; points: number }): Promise<typeof countedDeposits.$inferSelect | null> {
  const [counted] = await db
    .update(countedDeposits)
    .set({ reversedAt: sql`now()` })
    .where(and(eq(countedDeposits.depositId, reversal.depositId), isNull(countedDeposits.reversedAt)))
    .returning();
  if (counted) return counted;
  await db
    .insert(countedDeposits)
    .values({ ...reversal, reversedAt: sql`now()` })
    .onConflictDoNothing({ target: countedDeposits.depositId });
  return null;
}
