/** SQL for caseloads (包干) and their visit logs. */
import { and, asc, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import { pagesPerParent, required, type Executor, type PageRequest } from '@lianxin/shared';
import {
  caseloadAssignments,
  caseloadVisitRequests,
  caseloadVisits,
  directoryHouseholdMembers,
  serviceRequests,
  type CaseloadAssignmentRow,
  type CaseloadVisitRow,
  type ServiceRequestRow,
} from '../db/schema.js';

/** The current assignment of a household, locked. */
export async function lockCurrentAssignment(db: Executor, householdId: string): Promise<CaseloadAssignmentRow | null> {
  const [row] = await db
    .select()
    .from(caseloadAssignments)
    .where(and(eq(caseloadAssignments.householdId, householdId), isNull(caseloadAssignments.endedAt)))
    .for('update');
  return row ?? null;
}

export async function endAssignment(db: Executor, id: string, at: Date, by: string | null): Promise<CaseloadAssignmentRow> {
  const [row] = await db.update(caseloadAssignments).set({ endedAt: at, endedById: by }).where(eq(caseloadAssignments.id, id)).returning();
  return required(row, `caseload assignment ${id}, locked by this transaction`);
}

export async function insertAssignment(db: Executor, values: typeof caseloadAssignments.$inferInsert): Promise<CaseloadAssignmentRow> {
  const [row] = await db.insert(caseloadAssignments).values(values).returning();
  return required(row, 'row inserted into caseload_assignments');
}

/** The current assignment of each of `householdIds`, where there is one. */
export function findCurrentAssignmentsOfHouseholds(db: Executor, householdIds: readonly string[]): Promise<CaseloadAssignmentRow[]> {
  if (householdIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(caseloadAssignments)
    .where(and(inArray(caseloadAssignments.householdId, [...householdIds]), isNull(caseloadAssignments.endedAt)));
}

/** The current assignments of each of `volunteerIds`, longest-held first. */
export function findCurrentAssignmentsOf(db: Executor, volunteerIds: readonly string[]): Promise<CaseloadAssignmentRow[]> {
  return db
    .select()
    .from(caseloadAssignments)
    .where(and(inArray(caseloadAssignments.volunteerId, [...volunteerIds]), isNull(caseloadAssignments.endedAt)))
    .orderBy(asc(caseloadAssignments.volunteerId), asc(caseloadAssignments.assignedAt), asc(caseloadAssignments.id));
}

export async function insertVisit(db: Executor, values: typeof caseloadVisits.$inferInsert): Promise<CaseloadVisitRow> {
  const [row] = await db.insert(caseloadVisits).values(values).returning();
  return required(row, 'row inserted into caseload_visits');
}

/** The latest visit time of each of `assignmentIds`; assignments never visited are absent. */
export function findLastVisits(db: Executor, assignmentIds: readonly string[]): Promise<{ assignmentId: string; at: Date | null }[]> {
  return db
    .select({ assignmentId: caseloadVisits.assignmentId, at: max(caseloadVisits.visitedAt) })
    .from(caseloadVisits)
    .where(inArray(caseloadVisits.assignmentId, [...assignmentIds]))
    .groupBy(caseloadVisits.assignmentId);
}

/** The same page of visits, newest first, for each of `assignmentIds`, in one statement. */
export function findVisitPagesOfAssignments(db: Executor, assignmentIds: readonly string[], page: PageRequest): Promise<CaseloadVisitRow[]> {
  const after = page.after ? sql`(${caseloadVisits.visitedAt}, ${caseloadVisits.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return pagesPerParent(db, {
    table: caseloadVisits,
    parent: caseloadVisits.assignmentId,
    parentIds: assignmentIds,
    orderBy: sql`${caseloadVisits.visitedAt} desc, ${caseloadVisits.id} desc`,
    where: after,
    limit: page.limit,
  });
}

export const visitCursor = (row: CaseloadVisitRow): string[] => [row.visitedAt.toISOString(), row.id];

/** Whether `personId` belongs to a household in `volunteerId`'s current caseload, per the directory. */
export async function isInCaseloadOf(db: Executor, volunteerId: string, personId: string): Promise<boolean> {
  const rows = await db
    .select({ householdId: caseloadAssignments.householdId })
    .from(caseloadAssignments)
    .innerJoin(directoryHouseholdMembers, eq(directoryHouseholdMembers.householdId, caseloadAssignments.householdId))
    .where(and(eq(caseloadAssignments.volunteerId, volunteerId), isNull(caseloadAssignments.endedAt), eq(directoryHouseholdMembers.personId, personId)));
  return rows.length > 0;
}

/** Of `personIds`, those who belong to household `householdId`, per the directory. */
export async function findMembersAmong(db: Executor, householdId: string, personIds: readonly string[]): Promise<string[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .select({ personId: directoryHouseholdMembers.personId })
    .from(directoryHouseholdMembers)
    .where(and(eq(directoryHouseholdMembers.householdId, householdId), inArray(directoryHouseholdMembers.personId, [...personIds])));
  return rows.map((row) => row.personId);
}

export async function linkVisitRequests(db: Executor, visitId: string, requestIds: readonly string[]): Promise<void> {
  if (requestIds.length > 0) await db.insert(caseloadVisitRequests).values(requestIds.map((requestId) => ({ visitId, requestId })));
}

/** The requests each of `visitIds` filed, tagged with the visit, oldest first. */
export async function findRequestsOfVisits(db: Executor, visitIds: readonly string[]): Promise<(ServiceRequestRow & { visitId: string })[]> {
  const rows = await db
    .select({ request: serviceRequests, visitId: caseloadVisitRequests.visitId })
    .from(caseloadVisitRequests)
    .innerJoin(serviceRequests, eq(serviceRequests.id, caseloadVisitRequests.requestId))
    .where(inArray(caseloadVisitRequests.visitId, [...visitIds]))
    .orderBy(asc(serviceRequests.createdAt), asc(serviceRequests.id));
  return rows.map(({ request, visitId }) => ({ ...request, visitId }));
}
