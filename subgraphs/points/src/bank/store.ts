/** SQL for the bank's structure: units, their clerks and their deposit rules. */
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { pagesPerParent, UNIQUE_VIOLATION, isConstraintViolation, required, uuidArray, type Executor, type PageRequest } from '@lianxin/shared';
import {
  accounts,
  bankClerks,
  bankUnits,
  depositRules,
  knownCategories,
  type BankUnitKind,
  type BankUnitRow,
  type DepositRuleRow,
  type RedemptionWindowKind,
} from '../db/schema.js';
import { customerAccountIs, type CustomerKey } from '../ledger/store.js';

export function findBankUnitsByIds(db: Executor, ids: readonly string[]): Promise<BankUnitRow[]> {
  return db
    .select()
    .from(bankUnits)
    .where(inArray(bankUnits.id, [...ids]));
}

/** The savings office of the customer account (by passbook number or id), if there is such an account. */
export async function findOfficeOfCustomer(db: Executor, customer: CustomerKey): Promise<BankUnitRow | null> {
  const [row] = await db.select({ office: bankUnits }).from(accounts).innerJoin(bankUnits, eq(bankUnits.id, accounts.officeId)).where(customerAccountIs(customer));
  return row?.office ?? null;
}

/** Unit lists sort by name, then id. */
export const unitCursor = (row: BankUnitRow): string[] => [row.name, row.id];

const afterUnit = (after: string[] | null): SQL | undefined => (after ? sql`(${bankUnits.name}, ${bankUnits.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined);

/** The same page of children for each of `parentIds`, in one statement (numbered per parent, cut at `limit + 1`). */
export async function findChildPages(db: Executor, parentIds: readonly string[], page: PageRequest): Promise<BankUnitRow[]> {
  return pagesPerParent(db, {
    table: bankUnits,
    parent: bankUnits.parentId,
    parentIds,
    orderBy: sql`${bankUnits.name}, ${bankUnits.id}`,
    where: afterUnit(page.after),
    limit: page.limit,
  });
}

export interface BankUnitListFilter {
  kind: BankUnitKind | null;
  bankId: string | null;
}

/** Units matching `filter`, by name; `limit + 1` rows. */
export function listBankUnits(db: Executor, filter: BankUnitListFilter, page: PageRequest): Promise<BankUnitRow[]> {
  return db
    .select()
    .from(bankUnits)
    .where(and(filter.kind ? eq(bankUnits.kind, filter.kind) : undefined, filter.bankId ? eq(bankUnits.bankId, filter.bankId) : undefined, afterUnit(page.after)))
    .orderBy(asc(bankUnits.name), asc(bankUnits.id))
    .limit(page.limit + 1);
}

export interface NewBankUnit {
  kind: BankUnitKind;
  name: string;
  parent: BankUnitRow | null;
  regionId: string;
  stationId: string | null;
  redemptionWindow: RedemptionWindowKind | null;
  createdBy: string;
}

/** Adds a unit under `parent`; null when a sibling already has the name. */
export async function insertBankUnit(db: Executor, unit: NewBankUnit, id: string): Promise<BankUnitRow | null> {
  try {
    const [row] = await db
      .insert(bankUnits)
      .values({
        id,
        kind: unit.kind,
        name: unit.name,
        parentId: unit.parent?.id ?? null,
        parentKind: unit.parent?.kind ?? null,
        bankId: unit.parent?.bankId ?? id,
        regionId: unit.regionId,
        stationId: unit.stationId,
        redemptionWindow: unit.redemptionWindow,
        createdBy: unit.createdBy,
      })
      .returning();
    return row ?? null;
  } catch (error) {
    if (isConstraintViolation(error, UNIQUE_VIOLATION, 'bank_units_parent_name')) return null;
    throw error;
  }
}

/**
 * The unit that covers a place: the deepest one (of `kind`, when given)
 * whose region lies on `path`, the place's regions from the root down to the
 * place itself. At one depth a savings office comes before a branch before a
 * head bank, then the oldest unit. Null when no unit covers the place.
 */
export async function findCoveringUnit(db: Executor, path: readonly string[], kind?: BankUnitKind): Promise<BankUnitRow | null> {
  if (path.length === 0) return null;
  const regions = uuidArray(path);
  const [row] = await db
    .select()
    .from(bankUnits)
    .where(and(sql`${bankUnits.regionId} = any(${regions})`, kind ? eq(bankUnits.kind, kind) : undefined))
    .orderBy(sql`array_position(${regions}, ${bankUnits.regionId}) desc`, desc(bankUnits.kind), asc(bankUnits.createdAt), asc(bankUnits.id))
    .limit(1);
  return row ?? null;
}

/** The office `accountOpen` uses when no office is named; null when the install has none. */
export async function findDefaultOffice(db: Executor): Promise<BankUnitRow | null> {
  const [row] = await db.select().from(bankUnits).where(eq(bankUnits.isDefaultOffice, true));
  return row ?? null;
}

/** Whom a clerk serves: one row per (clerk, unit, office at or under the unit); `officeId` null when the unit has no office yet. */
export interface ClerkScopeRow {
  personId: string;
  unitId: string;
  bankId: string;
  officeId: string | null;
}

export function findClerkScopes(db: Executor, personIds: readonly string[]): Promise<ClerkScopeRow[]> {
  const office = alias(bankUnits, 'office');
  return db
    .select({ personId: bankClerks.personId, unitId: bankUnits.id, bankId: bankUnits.bankId, officeId: office.id })
    .from(bankClerks)
    .innerJoin(bankUnits, eq(bankUnits.id, bankClerks.unitId))
    .leftJoin(
      office,
      and(
        eq(office.kind, 'savings_office'),
        or(eq(office.id, bankUnits.id), eq(office.parentId, bankUnits.id), and(eq(bankUnits.kind, 'head_bank'), eq(office.bankId, bankUnits.id))),
      ),
    )
    .where(inArray(bankClerks.personId, [...personIds]));
}

/** Makes `personId` a clerk of `unitId`; assigning twice changes nothing. */
export async function insertClerk(db: Executor, values: { personId: string; unitId: string; assignedBy: string }): Promise<void> {
  await db.insert(bankClerks).values(values).onConflictDoNothing();
}

export function findDepositRulesOfBanks(db: Executor, bankIds: readonly string[]): Promise<DepositRuleRow[]> {
  return db
    .select()
    .from(depositRules)
    .where(inArray(depositRules.bankId, [...bankIds]))
    .orderBy(asc(depositRules.categoryCode));
}

export async function findDepositRule(db: Executor, bankId: string, categoryCode: string): Promise<DepositRuleRow | null> {
  const [row] = await db
    .select()
    .from(depositRules)
    .where(and(eq(depositRules.bankId, bankId), eq(depositRules.categoryCode, categoryCode)));
  return row ?? null;
}

/** Sets a bank's rule for a category, replacing the one before. */
export async function upsertDepositRule(db: Executor, values: { bankId: string; categoryCode: string; pointsPerHour: number; updatedBy: string }): Promise<DepositRuleRow> {
  const [row] = await db
    .insert(depositRules)
    .values(values)
    .onConflictDoUpdate({
      target: [depositRules.bankId, depositRules.categoryCode],
      set: { pointsPerHour: values.pointsPerHour, updatedBy: values.updatedBy, updatedAt: sql`now()` },
    })
    .returning();
  return required(row, 'row upserted into deposit_rules');
}

/** Remembers a category requests announced; learning it twice changes nothing. */
export async function insertKnownCategory(db: Executor, code: string): Promise<void> {
  await db.insert(knownCategories).values({ code }).onConflictDoNothing();
}

/** The announced categories head bank `bankId` has no deposit rule for, by code. */
export async function findCategoriesWithoutRule(db: Executor, bankId: string): Promise<string[]> {
  const rows = await db
    .select({ code: knownCategories.code })
    .from(knownCategories)
    .where(sql`not exists (select 1 from ${depositRules} where ${depositRules.bankId} = ${bankId} and ${depositRules.categoryCode} = ${knownCategories.code})`)
    .orderBy(asc(knownCategories.code));
  return rows.map((row) => row.code);
}

/** Sets head bank `bankId`'s rate for settlement statements, in fen per point. */
export async function updateFenPerPoint(db: Executor, bankId: string, fenPerPoint: number): Promise<BankUnitRow> {
  const [row] = await db.update(bankUnits).set({ fenPerPoint }).where(eq(bankUnits.id, bankId)).returning();
  return required(row, `head bank ${bankId}`);
}
