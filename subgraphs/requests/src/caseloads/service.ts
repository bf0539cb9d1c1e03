/**
 * Rules for caseloads (包干): admins assign a household to a volunteer (one
 * volunteer per household at a time; reassigning ends the earlier
 * assignment, which stays on record), and the volunteer logs visits. The
 * people subgraph's `Household.caretaker` decides who may see the household;
 * this caseload decides whose duty it is to visit; people publishes no
 * caretaker event yet, so the two are kept in step by hand. See docs/requests.md.
 */
import { requirePerson, REGION_ADMIN_ROLES, REGION_STAFF_ROLES, administers, requireReader } from '../access.js';
import { z } from 'zod';
import {
  ForbiddenError,
  UNIQUE_VIOLATION,
  isUuid,
  readPage,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  holdsAnyOf,
  requireRoles,
  refuseUnseen,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import type { CaseloadAssignmentRow, CaseloadVisitRow } from '../db/schema.js';
import { placeOf, requireKnownPersons } from '../directory/service.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { endAssignment, findCurrentAssignmentsOfHouseholds, insertAssignment, insertVisit, lockCurrentAssignment, visitCursor } from './store.js';

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

const assignInput = z.object({ household: idInput('a household'), volunteer: idInput('a person'), place: idInput('a region') });

export async function assignCaseload(ctx: RequestsContext, input: unknown): Promise<Result<CaseloadAssignmentRow>> {
  const me = requirePerson(ctx.viewer, 'assign caseloads');
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'assign caseloads');
  const parsed = parseInput(assignInput, input);
  if (!parsed.ok) return parsed;
  const { household, volunteer, place: placeId } = parsed.value;
  const now = ctx.settings.now();
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, me, [{ id: volunteer, field: inputField('volunteer') }]);
      const place = await placeOf(tx, placeId, inputField('place'));
      if (!administers(ctx.viewer, place.path)) refuse(inputField('place'), 'NOT_ALLOWED', 'The place lies outside your scope.');
      const current = await lockCurrentAssignment(tx, household);
      if (current) {
        if (!administers(ctx.viewer, current.regionPath)) refuse(inputField('household'), 'NOT_ALLOWED', 'The household’s current assignment lies outside your scope.');
        if (current.volunteerId === volunteer) refuse(inputField('volunteer'), 'ALREADY_EXISTS', 'The household is in this volunteer’s caseload already.');
        await endAssignment(tx, current.id, now, me);
      }
      return insertAssignment(tx, { householdId: household, volunteerId: volunteer, regionId: place.id, regionPath: place.path, assignedById: me, assignedAt: now });
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'caseload_assignments_one_current',
        error: userError(inputField('household'), 'ALREADY_EXISTS', 'The household was assigned a moment ago; look again.'),
      },
    ],
  );
}

const endInput = z.object({ household: idInput('a household') });

export async function endCaseload(ctx: RequestsContext, input: unknown): Promise<Result<CaseloadAssignmentRow>> {
  const me = requirePerson(ctx.viewer, 'end caseload assignments');
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'end caseload assignments');
  const parsed = parseInput(endInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const current = await lockCurrentAssignment(tx, parsed.value.household);
    // An assignment outside the viewer's scope is one they may not see: the same answer as none at all.
    if (!current || !administers(ctx.viewer, current.regionPath)) refuseUnseen(ctx.viewer, inputField('household'), 'caseload assignment');
    return endAssignment(tx, current.id, now, me);
  });
}

const visitInput = z.object({ household: idInput('a household'), visitedAt: z.date().nullish(), note: textInput(1000) });

export async function logVisit(ctx: RequestsContext, input: unknown): Promise<Result<CaseloadVisitRow>> {
  const me = requirePerson(ctx.viewer, 'log visits');
  const parsed = parseInput(visitInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  const { household, visitedAt, note } = parsed.value;
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
    return insertVisit(tx, { assignmentId: current.id, householdId: household, volunteerId: me, visitedAt: visitedAt ?? now, note, createdAt: now });
  });
}
