/** SQL for care plans and their occurrences: one named query per function, nothing else. */
import { and, asc, count, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { required, type Executor, type PageRequest } from '@lianxin/shared';
import { carePlanOccurrences, carePlans, serviceRequests, type CarePlanOccurrenceRow, type CarePlanRow, type NewCarePlanRow, type ServiceRequestRow } from '../db/schema.js';
import { withinAny } from '../sql.js';

export function findCarePlansByIds(db: Executor, ids: readonly string[]): Promise<CarePlanRow[]> {
  return db
    .select()
    .from(carePlans)
    .where(inArray(carePlans.id, [...ids]));
}

export async function insertCarePlan(db: Executor, values: NewCarePlanRow): Promise<CarePlanRow> {
  const [row] = await db.insert(carePlans).values(values).returning();
  return required(row, 'row inserted into care_plans');
}

/** Locks a plan for a change or for generating its occurrences: generators of one plan run one after another. */
export async function lockCarePlan(db: Executor, id: string): Promise<CarePlanRow | null> {
  const [row] = await db.select().from(carePlans).where(eq(carePlans.id, id)).for('update');
  return row ?? null;
}

export async function updateCarePlan(db: Executor, id: string, values: Partial<NewCarePlanRow>): Promise<CarePlanRow> {
  const [row] = await db.update(carePlans).set(values).where(eq(carePlans.id, id)).returning();
  return required(row, 'care plan updated');
}

/** Ids of the active plans, for the scheduled generation. */
export async function findActiveCarePlanIds(db: Executor): Promise<string[]> {
  const rows = await db.select({ id: carePlans.id }).from(carePlans).where(eq(carePlans.status, 'active')).orderBy(asc(carePlans.createdAt), asc(carePlans.id));
  return rows.map((row) => row.id);
}

/** The days of a plan that have an occurrence already (skipped ones included). */
export async function findOccurrenceDays(db: Executor, planId: string, from: string, to: string): Promise<string[]> {
  const rows = await db
    .select({ occursOn: carePlanOccurrences.occursOn })
    .from(carePlanOccurrences)
    .where(and(eq(carePlanOccurrences.planId, planId), sql`${carePlanOccurrences.occursOn} between ${from} and ${to}`));
  return rows.map((row) => row.occursOn);
}

export async function insertOccurrence(db: Executor, values: typeof carePlanOccurrences.$inferInsert): Promise<CarePlanOccurrenceRow> {
  const [row] = await db.insert(carePlanOccurrences).values(values).returning();
  return required(row, 'row inserted into care_plan_occurrences');
}

/** The occurrence a request carries, locked. */
export async function lockOccurrenceOfRequest(db: Executor, requestId: string): Promise<CarePlanOccurrenceRow | null> {
  const [row] = await db.select().from(carePlanOccurrences).where(eq(carePlanOccurrences.requestId, requestId)).for('update');
  return row ?? null;
}

export async function updateOccurrence(db: Executor, requestId: string, values: Partial<typeof carePlanOccurrences.$inferInsert>): Promise<void> {
  await db.update(carePlanOccurrences).set(values).where(eq(carePlanOccurrences.requestId, requestId));
}

/** A plan's requests not yet started and due after `after`, locked: what ending the plan cancels. */
export function lockFutureOpenRequestsOfPlan(db: Executor, planId: string, after: Date): Promise<ServiceRequestRow[]> {
  const ofPlan = db.select({ id: carePlanOccurrences.requestId }).from(carePlanOccurrences).where(eq(carePlanOccurrences.planId, planId));
  return db
    .select()
    .from(serviceRequests)
    .where(and(inArray(serviceRequests.id, ofPlan), inArray(serviceRequests.status, ['dispatched', 'accepted']), gt(serviceRequests.wishedAt, after)))
    .orderBy(asc(serviceRequests.wishedAt))
    .for('update');
}

/** The plans of these requests, keyed by request. */
export function findPlansOfRequests(db: Executor, requestIds: readonly string[]): Promise<{ requestId: string; planId: string }[]> {
  return db
    .select({ requestId: carePlanOccurrences.requestId, planId: carePlanOccurrences.planId })
    .from(carePlanOccurrences)
    .where(inArray(carePlanOccurrences.requestId, [...requestIds]));
}

/** One page of a plan's occurrence requests, by day. */
export function findOccurrencePage(db: Executor, planId: string, page: PageRequest): Promise<{ occursOn: string; request: ServiceRequestRow }[]> {
  return db
    .select({ occursOn: carePlanOccurrences.occursOn, request: serviceRequests })
    .from(carePlanOccurrences)
    .innerJoin(serviceRequests, eq(serviceRequests.id, carePlanOccurrences.requestId))
    .where(and(eq(carePlanOccurrences.planId, planId), page.after ? sql`${carePlanOccurrences.occursOn} > ${page.after[0]}::date` : undefined))
    .orderBy(asc(carePlanOccurrences.occursOn))
    .limit(page.limit + 1);
}

export async function countOccurrences(db: Executor, planId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(carePlanOccurrences).where(eq(carePlanOccurrences.planId, planId));
  return row?.total ?? 0;
}

/** What a list of plans is narrowed to; `party` keeps the plans a person receives or serves. */
export interface CarePlanFilter {
  scope: readonly string[] | null;
  party?: string | undefined;
  region?: string | undefined;
  beneficiaryId?: string | undefined;
  volunteerId?: string | undefined;
  status?: 'active' | 'ended' | undefined;
}

function planConditions(filter: CarePlanFilter): SQL | undefined {
  return and(
    filter.scope === null ? undefined : withinAny(carePlans.regionPath, filter.scope),
    filter.party ? or(eq(carePlans.beneficiaryId, filter.party), eq(carePlans.volunteerId, filter.party)) : undefined,
    filter.region ? withinAny(carePlans.regionPath, [filter.region]) : undefined,
    filter.beneficiaryId ? eq(carePlans.beneficiaryId, filter.beneficiaryId) : undefined,
    filter.volunteerId ? eq(carePlans.volunteerId, filter.volunteerId) : undefined,
    filter.status ? eq(carePlans.status, filter.status) : undefined,
  );
}

/** One page of plans in the order they were made. */
export function findCarePlanPage(db: Executor, filter: CarePlanFilter, page: PageRequest): Promise<CarePlanRow[]> {
  const after = page.after ? sql`(${carePlans.createdAt}, ${carePlans.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(carePlans)
    .where(and(planConditions(filter), after))
    .orderBy(asc(carePlans.createdAt), asc(carePlans.id))
    .limit(page.limit + 1);
}

export async function countCarePlans(db: Executor, filter: CarePlanFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(carePlans).where(planConditions(filter));
  return row?.total ?? 0;
}

export const carePlanCursor = (row: CarePlanRow): string[] => [row.createdAt.toISOString(), row.id];
