/**
 * Rules for caseloads (包干): a household is in the caseload of its caretaker,
 * whom admins assign in people (`householdCaretakerAssign`); its
 * `household.caretaker_changed` events keep the assignments here (events.ts),
 * one volunteer per household at a time, earlier ones kept on record. The
 * volunteer logs visits, files the needs a visit finds as requests, and may
 * file requests and post wishes on behalf of their households' members. See
 * docs/requests.md.
 */
import { requirePerson, REGION_ADMIN_ROLES, REGION_STAFF_ROLES, administers, requireReader } from '../access.js';
import { z } from 'zod';
import {
  ForbiddenError,
  isUuid,
  refused,
  readPage,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
  holdsAnyOf,
  requireRoles,
  refuseUnseen,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import type { CaseloadAssignmentRow, CaseloadVisitRow, ServiceRequestRow } from '../db/schema.js';
import { findCategoriesByCodes } from '../categories/store.js';
import { maySeeRequest } from '../requests/access.js';
import { insertServiceRequest, insertTransition } from '../requests/store.js';
import { requireKnownPersons } from '../directory/service.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { findCurrentAssignmentsOfHouseholds, findMembersAmong, insertVisit, isInCaseloadOf, linkVisitRequests, lockCurrentAssignment, visitCursor } from './store.js';

/** Who sees an assignment (`Person.caseload`): its volunteer, and staff whose scope holds it. */
const maySeeEntry = (ctx: RequestsContext, entry: CaseloadAssignmentRow): boolean =>
  ctx.viewer.personId === entry.volunteerId || administers(ctx.viewer, entry.regionPath, REGION_STAFF_ROLES);

export async function caseloadOf(ctx: RequestsContext, personId: string): Promise<CaseloadAssignmentRow[]> {
  requireReader(ctx.viewer);
  const entries = await ctx.loaders.caseloadOfVolunteer.load(personId);
  if (ctx.viewer.personId === personId) return entries;
  if (!holdsAnyOf(ctx.viewer, REGION_STAFF_ROLES)) throw new ForbiddenError("Only the volunteer and staff may see a volunteer's caseload.");
  return entries.filter((entry) => maySeeEntry(ctx, entry));
}

/**
 * The household's current assignment, to a viewer who sees it as
 * `Person.caseload` would show it: what a refused assignment or end returns.
 * Null when the household is in no caseload, the viewer may not see the
 * assignment, or the id is malformed.
 */
export async function currentEntryOf(ctx: RequestsContext, householdId: string): Promise<CaseloadAssignmentRow | null> {
  requireReader(ctx.viewer);
  if (!isUuid(householdId)) return null;
  const [entry] = await findCurrentAssignmentsOfHouseholds(ctx.db, [householdId]);
  return entry && maySeeEntry(ctx, entry) ? entry : null;
}

export async function lastVisitOf(ctx: RequestsContext, entry: CaseloadAssignmentRow): Promise<Date | null> {
  return ctx.loaders.lastVisitOfAssignment.load(entry.id);
}

export async function visitsOf(ctx: RequestsContext, entry: CaseloadAssignmentRow, args: ConnectionArgs): Promise<Connection<CaseloadVisitRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await ctx.loaders.visitPage(page).load(entry.id);
  return toConnection(rows, page, visitCursor);
}

/** What the deprecated `caseloadAssign` and `caseloadEnd` answer: caseloads follow people's caretaker assignment (docs/requests.md). */
const assignedInPeople = (verb: string) =>
  refused(
    userError(
      inputField('household'),
      'NOT_ALLOWED',
      `Caseloads follow the household's caretaker: ${verb} it in people with householdCaretaker${verb === 'assign' ? 'Assign' : 'End'}.`,
    ),
  );

/** Deprecated: always refused, after the admin gates, so a caller without the rights still hears FORBIDDEN. */
export function assignCaseload(ctx: RequestsContext): Result<CaseloadAssignmentRow> {
  requirePerson(ctx.viewer, 'assign caseloads');
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'assign caseloads');
  return assignedInPeople('assign');
}

/** Deprecated: always refused, as `assignCaseload`. */
export function endCaseload(ctx: RequestsContext): Result<CaseloadAssignmentRow> {
  requirePerson(ctx.viewer, 'end caseload assignments');
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'end caseload assignments');
  return assignedInPeople('end');
}

/**
 * Whether the viewer files for `personId` as their caseload volunteer: the
 * person belongs to a household of the viewer's current caseload. What lets
 * a volunteer file requests and post wishes on behalf of their households.
 */
export async function filesAsCaretaker(ctx: RequestsContext, personId: string): Promise<boolean> {
  const me = ctx.viewer.personId;
  return me !== null && me !== personId && isInCaseloadOf(ctx.db, me, personId);
}

const needInput = z.object({
  person: idInput('a person'),
  category: z.string().trim().min(1, 'must not be empty.').max(100),
  description: textInput(2000),
  urgency: z.enum(['normal', 'urgent']).nullish(),
  wishedAt: z.date().nullish(),
});

const visitInput = z.object({ household: idInput('a household'), visitedAt: z.date().nullish(), note: textInput(1000), needs: z.array(needInput).max(10).nullish() });

type Need = z.infer<typeof needInput>;

/** A visit and the requests its needs became. */
export interface LoggedVisit {
  visit: CaseloadVisitRow;
  requests: ServiceRequestRow[];
}

/** Checks each need against the household and the categories, refusing the first that does not fit (nothing is written yet). */
async function checkNeeds(tx: Transaction, householdId: string, needs: readonly Need[]): Promise<void> {
  const members = new Set(
    await findMembersAmong(
      tx,
      householdId,
      needs.map((need) => need.person),
    ),
  );
  const categories = new Map((await findCategoriesByCodes(tx, [...new Set(needs.map((need) => need.category))])).map((category) => [category.code, category]));
  needs.forEach((need, index) => {
    const field = (name: string) => ['input', 'needs', String(index), name];
    if (!members.has(need.person)) refuse(field('person'), 'NOT_ALLOWED', 'The person is not a member of the household visited.');
    const category = categories.get(need.category);
    if (!category) refuse(field('category'), 'NOT_FOUND', `There is no category ${need.category}.`);
    if (category.retiredAt) refuse(field('category'), 'INVALID_STATE', `The category ${need.category} is retired; choose another.`);
    if (category.code === 'emergency_call') refuse(field('category'), 'NOT_ALLOWED', 'Emergency calls come from call buttons; call the station in an emergency.');
  });
}

/** Files each need as a request on behalf of its member, placed where the household lives, and links them to the visit. */
async function fileNeeds(tx: Transaction, entry: CaseloadAssignmentRow, visit: CaseloadVisitRow, needs: readonly Need[], now: Date): Promise<ServiceRequestRow[]> {
  const filed: ServiceRequestRow[] = [];
  for (const need of needs) {
    const request = await insertServiceRequest(tx, {
      requesterId: need.person,
      categoryCode: need.category,
      description: need.description,
      channel: 'grid_worker',
      filedById: visit.volunteerId,
      regionId: entry.regionId,
      regionPath: entry.regionPath,
      urgency: need.urgency ?? 'normal',
      wishedAt: need.wishedAt ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await insertTransition(tx, { requestId: request.id, fromStatus: null, toStatus: 'submitted', actorKind: 'person', actorId: visit.volunteerId, at: now });
    filed.push(request);
  }
  await linkVisitRequests(
    tx,
    visit.id,
    filed.map((request) => request.id),
  );
  return filed;
}

/**
 * Logs a visit by the household's caseload volunteer, and files the needs it
 * found as requests on behalf of the household's members, all in one
 * transaction: the visit and its requests are written together or not at all.
 */
export async function logVisit(ctx: RequestsContext, input: unknown): Promise<Result<LoggedVisit>> {
  const me = requirePerson(ctx.viewer, 'log visits');
  const parsed = parseInput(visitInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  const { household, visitedAt, note } = parsed.value;
  const needs = parsed.value.needs ?? [];
  if (visitedAt && visitedAt > now) return { ok: false, errors: [userError(inputField('visitedAt'), 'INVALID', 'visitedAt must not be in the future.')] };
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const current = await lockCurrentAssignment(tx, household);
    // The assignment is seen by its volunteer and the staff of its place (Person.caseload); anyone else hears what a household in no caseload gets.
    if (!current || !maySeeEntry(ctx, current)) {
      refuseUnseen(ctx.viewer, inputField('household'), 'caseload assignment');
    }
    if (current.volunteerId !== me) refuse(inputField('household'), 'NOT_ALLOWED', 'The household is not in your caseload: its volunteer logs the visits.');
    if (visitedAt && visitedAt < current.assignedAt) refuse(inputField('visitedAt'), 'INVALID', 'visitedAt must not be before the household was assigned to you.');
    await checkNeeds(tx, household, needs);
    const visit = await insertVisit(tx, { assignmentId: current.id, householdId: household, volunteerId: me, visitedAt: visitedAt ?? now, note, createdAt: now });
    return { visit, requests: await fileNeeds(tx, current, visit, needs, now) };
  });
}

/** The requests a visit filed that the viewer may see. */
export async function requestsOfVisit(ctx: RequestsContext, visit: CaseloadVisitRow): Promise<ServiceRequestRow[]> {
  const requests = await ctx.loaders.requestsOfVisit.load(visit.id);
  const seen = await Promise.all(requests.map((request) => maySeeRequest(ctx, request)));
  return requests.filter((_request, index) => seen[index]);
}
