/**
 * Rules for care plans (recurring services): station and community admins
 * whose scope holds the beneficiary's place (and platform admins) make and
 * end plans; they and the plan's own volunteer skip or move one occurrence.
 * The beneficiary, the volunteer, the team's members, the plan's maker and
 * region staff in scope read a plan. Occurrences are ordinary requests
 * (generate.ts), so starting, completing, recording hours and rating go
 * through the request's own mutations.
 */
import { z } from 'zod';
import {
  BadInputError,
  isUuid,
  optionalId,
  readPage,
  refuseUnseen,
  requireRoles,
  toConnection,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
  type Viewer,
} from '@lianxin/shared';
import { administers, REGION_ADMIN_ROLES, REGION_STAFF_ROLES, requirePerson, requireReader, staffScope } from '../access.js';
import type { RequestsContext } from '../context.js';
import type { CarePlanRow, ServiceRequestRow } from '../db/schema.js';
import { placeOf, requireKnownPersons, teamOf } from '../directory/service.js';
import { findHouseholdsOfPersons, isTeamMember } from '../directory/store.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { insertTransition, lockServiceRequest, updateServiceRequest } from '../requests/store.js';
import { generateOccurrences } from './generate.js';
import { isDate } from './recurrence.js';
import {
  carePlanCursor,
  countCarePlans,
  countOccurrences,
  findCarePlanPage,
  findOccurrencePage,
  insertCarePlan,
  lockCarePlan,
  lockFutureOpenRequestsOfPlan,
  lockOccurrenceOfRequest,
  updateCarePlan,
  updateOccurrence,
} from './store.js';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const dateInput = z.string().refine(isDate, 'must be a date written YYYY-MM-DD.');

/** A weekly plan's weekday as the schema names it; null for monthly plans. */
export const weekdayOf = (plan: CarePlanRow): (typeof WEEKDAYS)[number] | null => (plan.weekday === null ? null : (WEEKDAYS[plan.weekday - 1] ?? null));

/** Whether the viewer makes and ends plans placed at `regionPath`. */
const managesPlans = (viewer: Viewer, plan: Pick<CarePlanRow, 'regionPath'>): boolean => administers(viewer, plan.regionPath, REGION_ADMIN_ROLES);

/** Whether the viewer may read the plan (without loaders, so it works inside a transaction too). */
async function maySeePlan(db: Parameters<typeof isTeamMember>[0], viewer: Viewer, plan: CarePlanRow): Promise<boolean> {
  if (administers(viewer, plan.regionPath, REGION_STAFF_ROLES)) return true;
  const me = viewer.personId;
  if (me === null) return false;
  if ([plan.beneficiaryId, plan.volunteerId, plan.createdById].includes(me)) return true;
  return plan.teamId !== null && isTeamMember(db, plan.teamId, me);
}

export async function getCarePlan(ctx: RequestsContext, id: string): Promise<CarePlanRow | null> {
  requireReader(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a care plan id.', 'id');
  const plan = await ctx.loaders.carePlanById.load(id);
  return plan && (await maySeePlan(ctx.db, ctx.viewer, plan)) ? plan : null;
}

/** The plan an occurrence's request belongs to; null for other requests and for viewers who may not read the plan. */
export async function carePlanOfRequest(ctx: RequestsContext, requestId: string): Promise<CarePlanRow | null> {
  const planId = await ctx.loaders.carePlanIdOfRequest.load(requestId);
  if (planId === null) return null;
  const plan = await ctx.loaders.carePlanById.load(planId);
  return plan && (await maySeePlan(ctx.db, ctx.viewer, plan)) ? plan : null;
}

interface PlanListFilter {
  region?: string | null | undefined;
  beneficiary?: string | null | undefined;
  volunteer?: string | null | undefined;
  status?: 'active' | 'ended' | null | undefined;
}

/** Plans in the order they were made: region staff see those in their scope, anyone else those they receive or serve. */
export async function listCarePlans(ctx: RequestsContext, filter: PlanListFilter | null | undefined, args: ConnectionArgs): Promise<Connection<CarePlanRow>> {
  requireReader(ctx.viewer);
  const scope = staffScope(ctx.viewer);
  const party = scope !== null && scope.length === 0 ? (ctx.viewer.personId ?? undefined) : undefined;
  const where = {
    scope: party === undefined ? scope : null,
    party,
    region: optionalId(filter?.region, 'filter.region', 'a region id'),
    beneficiaryId: optionalId(filter?.beneficiary, 'filter.beneficiary', 'a person id'),
    volunteerId: optionalId(filter?.volunteer, 'filter.volunteer', 'a person id'),
    status: filter?.status ?? undefined,
  };
  if (scope !== null && scope.length === 0 && party === undefined) return toConnection([], readPage(args, ['timestamp', 'uuid']), carePlanCursor, () => Promise.resolve(0));
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findCarePlanPage(ctx.db, where, page);
  for (const row of rows) ctx.loaders.carePlanById.prime(row.id, row);
  return toConnection(rows, page, carePlanCursor, () => countCarePlans(ctx.db, where));
}

/** A plan's occurrences by day, each its request. */
export async function occurrencesOf(ctx: RequestsContext, plan: CarePlanRow, args: ConnectionArgs): Promise<Connection<ServiceRequestRow>> {
  const page = readPage(args, ['text']);
  if (page.after && !isDate(page.after[0] ?? '')) throw new BadInputError('The cursor is not one this list handed out.', 'after');
  const rows = await findOccurrencePage(ctx.db, plan.id, page);
  const occurrenceDay = new Map(rows.map((row) => [row.request.id, row.occursOn]));
  return toConnection(
    rows.map((row) => row.request),
    page,
    (request) => [occurrenceDay.get(request.id) ?? ''],
    () => countOccurrences(ctx.db, plan.id),
  );
}

const createInput = z
  .object({
    beneficiary: idInput('a person'),
    household: idInput('a household').nullish(),
    place: idInput('a region'),
    category: z.string().trim().min(1, 'must not be empty.'),
    volunteer: idInput('a person').nullish(),
    team: idInput('a team').nullish(),
    description: textInput(2000),
    frequency: z.enum(['weekly', 'monthly']),
    weekday: z.enum(WEEKDAYS).nullish(),
    intervalWeeks: z.number().int().min(1, 'must be 1 to 8.').max(8, 'must be 1 to 8.').nullish(),
    monthDay: z.number().int().min(1, 'must be 1 to 31.').max(31, 'must be 1 to 31.').nullish(),
    startTime: z.string().regex(TIME, 'must be a time of day written HH:MM.'),
    durationMinutes: z.number().int().min(1, 'must be 1 to 1440.').max(1440, 'must be 1 to 1440.'),
    startsOn: dateInput,
    endsOn: dateInput.nullish(),
    horizonDays: z.number().int().min(1, 'must be 1 to 92.').max(92, 'must be 1 to 92.').nullish(),
  })
  .refine((input) => !input.volunteer !== !input.team, { path: ['volunteer'], message: 'give exactly one of volunteer and team.' })
  .refine((input) => input.frequency !== 'weekly' || Boolean(input.weekday), { path: ['weekday'], message: 'a weekly plan needs its weekday.' })
  .refine((input) => input.frequency !== 'monthly' || Boolean(input.monthDay), { path: ['monthDay'], message: 'a monthly plan needs its day of the month.' })
  .refine((input) => input.frequency !== 'monthly' || (!input.weekday && !input.intervalWeeks), { path: ['weekday'], message: 'a monthly plan takes no weekday or interval.' })
  .refine((input) => input.frequency !== 'weekly' || !input.monthDay, { path: ['monthDay'], message: 'a weekly plan takes no day of the month.' })
  .refine((input) => !input.endsOn || input.endsOn >= input.startsOn, { path: ['endsOn'], message: 'must not be before startsOn.' });

type CreateInput = z.infer<typeof createInput>;

/** The plan row an input describes, once its place is known. */
function planValues(input: CreateInput, me: string, place: { id: string; path: string[] }, householdId: string | null, now: Date) {
  const [hours, minutes] = input.startTime.split(':').map(Number);
  const weekly = input.frequency === 'weekly';
  return {
    beneficiaryId: input.beneficiary,
    householdId,
    regionId: place.id,
    regionPath: place.path,
    categoryCode: input.category,
    volunteerId: input.volunteer ?? null,
    teamId: input.team ?? null,
    description: input.description,
    frequency: input.frequency,
    intervalWeeks: weekly ? (input.intervalWeeks ?? 1) : null,
    weekday: weekly && input.weekday ? WEEKDAYS.indexOf(input.weekday) + 1 : null,
    monthDay: weekly ? null : (input.monthDay ?? null),
    startMinute: (hours ?? 0) * 60 + (minutes ?? 0),
    durationMinutes: input.durationMinutes,
    startsOn: input.startsOn,
    endsOn: input.endsOn ?? null,
    horizonDays: input.horizonDays ?? 28,
    createdById: me,
    createdAt: now,
    updatedAt: now,
  };
}

/** The beneficiary's household: the one named must be theirs; by default the one they belong to. */
async function householdOf(tx: Transaction, beneficiaryId: string, named: string | null | undefined): Promise<string | null> {
  const [row] = await findHouseholdsOfPersons(tx, [beneficiaryId]);
  if (named && row?.householdId !== named) refuse(inputField('household'), 'INVALID', 'The beneficiary does not belong to that household.');
  return row?.householdId ?? null;
}

/** Makes a plan and generates its first occurrences with it, all or nothing. */
export async function createCarePlan(ctx: RequestsContext, input: unknown): Promise<Result<CarePlanRow>> {
  const me = requirePerson(ctx.viewer, 'make care plans');
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'make care plans');
  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const category = await ctx.loaders.categoryByCode.load(value.category);
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    const named = [{ id: value.beneficiary, field: inputField('beneficiary') }, ...(value.volunteer ? [{ id: value.volunteer, field: inputField('volunteer') }] : [])];
    await requireKnownPersons(tx, me, named);
    const place = await placeOf(tx, value.place, inputField('place'));
    if (!administers(ctx.viewer, place.path)) refuse(inputField('place'), 'NOT_ALLOWED', 'The place lies outside your scope.');
    if (value.beneficiary === me) refuse(inputField('beneficiary'), 'NOT_ALLOWED', 'A care plan is made for someone else; ask the station to make yours.');
    if (value.team) await teamOf(tx, value.team, inputField('team'));
    if (!category) refuse(inputField('category'), 'NOT_FOUND', `There is no category ${value.category}.`);
    if (category.retiredAt) refuse(inputField('category'), 'INVALID_STATE', `The category ${value.category} is retired; choose another.`);
    if (category.code === 'emergency_call') refuse(inputField('category'), 'NOT_ALLOWED', 'Emergency calls are not planned.');
    const householdId = await householdOf(tx, value.beneficiary, value.household);
    const plan = await insertCarePlan(tx, planValues(value, me, place, householdId, now));
    await generateOccurrences(tx, plan.id, now);
    return plan;
  });
}

/** Locks the plan for a change by someone who may make plans: unseen as missing, seen but not theirs NOT_ALLOWED. */
async function lockManagedPlan(ctx: RequestsContext, tx: Transaction, planId: string, allowVolunteer: boolean, field = 'plan'): Promise<CarePlanRow> {
  const plan = await lockCarePlan(tx, planId);
  if (!plan || !(await maySeePlan(tx, ctx.viewer, plan))) refuseUnseen(ctx.viewer, inputField(field), 'care plan');
  const ownVolunteer = allowVolunteer && ctx.viewer.personId !== null && plan.volunteerId === ctx.viewer.personId;
  if (!managesPlans(ctx.viewer, plan) && !ownVolunteer) refuse(inputField(field), 'NOT_ALLOWED', 'Only admins whose scope holds the plan’s place may change it.');
  return plan;
}

/** Cancels a request of the plan with the history row that says why. */
async function cancelOccurrenceRequest(tx: Transaction, request: ServiceRequestRow, actorId: string, reason: string, now: Date): Promise<ServiceRequestRow> {
  const updated = await updateServiceRequest(tx, request.id, { status: 'cancelled', updatedAt: now });
  await insertTransition(tx, { requestId: request.id, fromStatus: request.status, toStatus: 'cancelled', actorKind: 'person', actorId, reason, at: now });
  return updated;
}

const endInput = z.object({ plan: idInput('a care plan'), reason: textInput(500) });

/** Ends a plan: occurrences not started and still to come are cancelled; past ones stay as they are. */
export async function endCarePlan(ctx: RequestsContext, input: unknown): Promise<Result<CarePlanRow>> {
  const me = requirePerson(ctx.viewer, 'end care plans');
  requireReader(ctx.viewer);
  const parsed = parseInput(endInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const plan = await lockManagedPlan(ctx, tx, parsed.value.plan, false);
    if (plan.status === 'ended') refuse(inputField('plan'), 'INVALID_STATE', 'The plan has ended already.');
    for (const request of await lockFutureOpenRequestsOfPlan(tx, plan.id, now)) {
      await cancelOccurrenceRequest(tx, request, me, `Care plan ended: ${parsed.value.reason}`, now);
    }
    return updateCarePlan(tx, plan.id, { status: 'ended', endedAt: now, endedById: me, endReason: parsed.value.reason, updatedAt: now });
  });
}

/** Locks an occurrence's request and its plan for a change to that one occurrence; it must be still to come and not started. */
async function lockFutureOccurrence(ctx: RequestsContext, tx: Transaction, requestId: string, now: Date) {
  const occurrence = await lockOccurrenceOfRequest(tx, requestId);
  if (!occurrence) refuseUnseen(ctx.viewer, inputField('request'), 'occurrence of a care plan');
  const plan = await lockManagedPlan(ctx, tx, occurrence.planId, true, 'request');
  const request = await lockServiceRequest(tx, requestId);
  if (!request) refuse(inputField('request'), 'NOT_FOUND', 'There is no such occurrence of a care plan.');
  if (occurrence.skippedAt) refuse(inputField('request'), 'INVALID_STATE', 'The occurrence was skipped.');
  if (!['dispatched', 'accepted'].includes(request.status)) refuse(inputField('request'), 'INVALID_STATE', 'Only an occurrence not yet started can be changed.');
  if (request.wishedAt !== null && request.wishedAt <= now) refuse(inputField('request'), 'INVALID_STATE', 'Only an occurrence still to come can be changed.');
  return { occurrence, plan, request };
}

const skipInput = z.object({ request: idInput('a request'), reason: textInput(500) });

/** Skips one occurrence: its request is cancelled with the reason, and the day is not generated again. */
export async function skipOccurrence(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  const me = requirePerson(ctx.viewer, 'skip an occurrence');
  requireReader(ctx.viewer);
  const parsed = parseInput(skipInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const { request } = await lockFutureOccurrence(ctx, tx, parsed.value.request, now);
    await updateOccurrence(tx, request.id, { skippedAt: now, skippedById: me, skipReason: parsed.value.reason });
    return cancelOccurrenceRequest(tx, request, me, parsed.value.reason, now);
  });
}

const moveInput = z.object({ request: idInput('a request'), startsAt: z.date() });

/** Moves one occurrence to a new start (in the future): the request's wished time moves; the occurrence keeps its day. */
export async function moveOccurrence(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  const me = requirePerson(ctx.viewer, 'move an occurrence');
  requireReader(ctx.viewer);
  const parsed = parseInput(moveInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const { request } = await lockFutureOccurrence(ctx, tx, parsed.value.request, now);
    if (parsed.value.startsAt <= now) refuse(inputField('startsAt'), 'INVALID', 'The new start must be in the future.');
    return updateServiceRequest(tx, request.id, { wishedAt: parsed.value.startsAt, updatedAt: now });
  });
}
