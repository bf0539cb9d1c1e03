/** Caseloads (包干). */
import { sql } from 'drizzle-orm';
import { check, index, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { serviceRequests } from './requests.js';

/**
 * Households assigned to a volunteer; ending an assignment keeps it as
 * history. Written only from people's `household.caretaker_changed` events
 * (who assigned or ended it is the admin people names, null when that was
 * an account that is not a person).
 */
export const caseloadAssignments = requests.table(
  'caseload_assignments',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    householdId: uuid('household_id').notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    assignedById: uuid('assigned_by'),
    assignedAt: instant('assigned_at').notNull().defaultNow(),
    endedAt: instant('ended_at'),
    endedById: uuid('ended_by'),
  },
  (table) => [
    uniqueIndex('caseload_assignments_one_current')
      .on(table.householdId)
      .where(sql`${table.endedAt} is null`),
    index('caseload_assignments_volunteer_idx')
      .on(table.volunteerId, table.assignedAt, table.id)
      .where(sql`${table.endedAt} is null`),
    check('caseload_assignments_ended_by', sql`${table.endedById} is null or ${table.endedAt} is not null`),
    check('caseload_assignments_end_after_start', sql`${table.endedAt} >= ${table.assignedAt}`),
  ],
);

/** A volunteer's visit to a household of their caseload. Append-only. */
export const caseloadVisits = requests.table(
  'caseload_visits',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => caseloadAssignments.id),
    householdId: uuid('household_id').notNull(),
    volunteerId: uuid('volunteer_id').notNull(),
    visitedAt: instant('visited_at').notNull(),
    note: text('note').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('caseload_visits_assignment_idx').on(table.assignmentId, table.visitedAt, table.id),
    check('caseload_visits_note_length', sql`char_length(trim(${table.note})) between 1 and 1000`),
  ],
);

/** The requests a visit filed for the needs it found, each in the visit's own transaction. */
export const caseloadVisitRequests = requests.table(
  'caseload_visit_requests',
  {
    visitId: uuid('visit_id')
      .notNull()
      .references(() => caseloadVisits.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => serviceRequests.id),
  },
  (table) => [
    primaryKey({ name: 'caseload_visit_requests_pk', columns: [table.visitId, table.requestId] }),
    uniqueIndex('caseload_visit_requests_request_unique').on(table.requestId),
  ],
);

export type CaseloadAssignmentRow = typeof caseloadAssignments.$inferSelect;
export type CaseloadVisitRow = typeof caseloadVisits.$inferSelect;
