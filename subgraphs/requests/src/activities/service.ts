/**
 * Rules for activities (活动): organised by team captains and admins;
 * volunteers sign up (a waitlist beyond capacity), check in and out with the
 * door codes, and the organiser approves their hours, which become service
 * records. Hours are check-out minus check-in, capped at the activity's
 * length; a check-in still open 24 hours after the end is closed at the end
 * and flagged (`closeForgottenCheckOuts`): periodically by the subgraph's
 * sweep (`sweepForgottenCheckOuts`, src/jobs.ts), and for the one activity a
 * check-out or an approval locks, in its transaction, before it decides on
 * attendances. Reads never write: a forgotten check-in shows as open until
 * the next sweep.
 */
import { requirePerson, REGION_ADMIN_ROLES, administers, requireReader } from '../access.js';
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  hasRole,
  isUuid,
  optionalId,
  readPage,
  refused,
  toConnection,
  type Connection,
  type ConnectionArgs,
  type Executor,
  type Result,
  type Role,
  requireRoles,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import type { ActivityAttendanceRow, ActivityRow, ActivitySignupRow, ServiceRecordRow } from '../db/schema.js';
import { placeOf, requireKnownPersons } from '../directory/service.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { userError } from '../errors.js';
import { writeServiceRecord } from '../records/service.js';
import type { RequestsSettings } from '../settings.js';
import { requireSeriesFor } from '../series/access.js';
import { issueDoorCode, readDoorCode, type DoorAction, type DoorCode, type DoorKind } from './door-code.js';
import {
  activityCursor,
  attendanceCursor,
  closeForgottenCheckOuts,
  countConfirmed,
  countActivities,
  findActivityPage,
  findFirstWaitlisted,
  findSignupsOfPerson,
  insertActivity,
  insertAttendance,
  lockActivity,
  lockAttendance,
  setSignupStatus,
  signupCursor,
  updateAttendance,
  upsertSignup,
} from './store.js';
import { refuseUnfitMinor } from '../directory/minors.js';

/** Who may organise activities. */
const ORGANISER_ROLES: readonly Role[] = ['team_captain', 'station_admin', 'community_admin'];

/** How early before the start the door opens for checking in (at activities and duty shifts alike). */
const CHECK_IN_OPENS_BEFORE_MS = 60 * 60_000;

/** Whether check-in is open at `now` for something running from `startsAt` to `endsAt`: from an hour before the start until the end. */
export const checkInOpen = (now: Date, startsAt: Date, endsAt: Date): boolean => now.getTime() >= startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS && now < endsAt;

/** The length of an activity in whole minutes: the most anyone's hours there can be. */
export const lengthInMinutes = (activity: ActivityRow): number => Math.floor((activity.endsAt.getTime() - activity.startsAt.getTime()) / 60_000);

/** Whether the viewer runs the activity: its organiser, or an admin whose scope holds its place. */
export const runsActivity = (ctx: RequestsContext, activity: ActivityRow): boolean => ctx.viewer.personId === activity.organiserId || administers(ctx.viewer, activity.regionPath);

export async function getActivity(ctx: RequestsContext, id: string): Promise<ActivityRow | null> {
  requireReader(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not an activity id.', 'id');
  return ctx.loaders.activityById.load(id);
}

export async function resolveActivityReference(ctx: RequestsContext, id: string): Promise<ActivityRow | null> {
  requireReader(ctx.viewer);
  return ctx.loaders.activityById.load(id);
}

export interface ActivityFilterArgs {
  region?: string | null | undefined;
  startsFrom?: Date | null | undefined;
  startsBefore?: Date | null | undefined;
}

export async function listActivities(ctx: RequestsContext, filter: ActivityFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<ActivityRow>> {
  requireReader(ctx.viewer);
  const regionId = optionalId(filter?.region, 'filter.region', 'a region id');
  const page = readPage(args, ['timestamp', 'uuid']);
  const conditions = { region: regionId, startsFrom: filter?.startsFrom ?? undefined, startsBefore: filter?.startsBefore ?? undefined };
  const rows = await findActivityPage(ctx.db, conditions, page);
  for (const row of rows) ctx.loaders.activityById.prime(row.id, row);
  return toConnection(rows, page, activityCursor, () => countActivities(ctx.db, conditions));
}

/** A fresh door code, for those who run the activity; null for everyone else. */
export function doorCodeOf(ctx: RequestsContext, activity: ActivityRow, action: DoorAction): DoorCode | null {
  if (!runsActivity(ctx, activity)) return null;
  return issueDoorCode(ctx.settings.signingKey, activity.id, action, ctx.settings.now(), ctx.settings.qrCodeTtlSeconds);
}

export async function viewerSignupOf(ctx: RequestsContext, activity: ActivityRow): Promise<ActivitySignupRow | null> {
  return ctx.viewer.personId === null ? null : ctx.loaders.signupOfPerson(ctx.viewer.personId).load(activity.id);
}

/**
 * The viewer's sign-up for the activity `activityId` names, as
 * `Activity.viewerSignup` shows it: what a refused sign-up or cancellation
 * returns. Null when they have none; a malformed id is refused as the query
 * refuses it.
 */
export async function viewerSignupAt(ctx: RequestsContext, activityId: string): Promise<ActivitySignupRow | null> {
  const activity = await getActivity(ctx, activityId);
  return activity ? viewerSignupOf(ctx, activity) : null;
}

/**
 * The viewer's own attendance at the activity a door code names, as the
 * check-in and check-out payloads show it to them: what a refused check-in or
 * check-out returns. Null when they have not checked in there, and when the
 * code does not name an activity at this door (forged, altered, expired, the
 * other door's): such a code names nothing, as a malformed id does.
 */
export async function viewerAttendanceAt(ctx: RequestsContext, code: string, door: DoorAction): Promise<ActivityAttendanceRow | null> {
  requireReader(ctx.viewer);
  const me = ctx.viewer.personId;
  const reading = readCode(ctx, code, door);
  if (me === null || !reading.ok) return null;
  const activity = await ctx.loaders.activityById.load(reading.value);
  return activity ? ctx.loaders.attendanceOfPerson(me).load(activity.id) : null;
}

export async function listSignups(ctx: RequestsContext, activity: ActivityRow, includeCancelled: boolean, args: ConnectionArgs): Promise<Connection<ActivitySignupRow>> {
  if (!runsActivity(ctx, activity)) throw new ForbiddenError('Only the organiser and admins may see who signed up.');
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await ctx.loaders.signupPage({ page, includeCancelled }).load(activity.id);
  return toConnection(rows, page, signupCursor);
}

export async function listAttendances(ctx: RequestsContext, activity: ActivityRow, args: ConnectionArgs): Promise<Connection<ActivityAttendanceRow>> {
  if (!runsActivity(ctx, activity)) throw new ForbiddenError('Only the organiser and admins may see attendances.');
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await ctx.loaders.attendancePage(page).load(activity.id);
  return toConnection(rows, page, attendanceCursor);
}

/**
 * The sweep of forgotten check-outs: closes every check-in still open 24
 * hours after its activity ended, as of `settings.now()`, and returns how
 * many it closed. Safe at any time and from several instances at once (one
 * UPDATE; a row closed by one is no longer open for the other).
 */
export function sweepForgottenCheckOuts(db: Executor, settings: Pick<RequestsSettings, 'now'>): Promise<number> {
  return closeForgottenCheckOuts(db, settings.now());
}

const createInput = z
  .object({
    title: textInput(100),
    description: z.string().trim().max(2000, 'must be at most 2000 characters.').nullish(),
    category: z.string().trim().min(1, 'must not be empty.').nullish(),
    place: idInput('a region'),
    startsAt: z.date(),
    endsAt: z.date(),
    capacity: z.number().int().min(1, 'must be 1 to 10000.').max(10_000, 'must be 1 to 10000.'),
    series: idInput('a series').nullish(),
  })
  .refine((input) => input.endsAt > input.startsAt, { path: ['endsAt'], message: 'must be after startsAt.' })
  .refine((input) => input.endsAt.getTime() - input.startsAt.getTime() <= 24 * 3600_000, { path: ['endsAt'], message: 'must be within 24 hours of startsAt.' });

export async function createActivity(ctx: RequestsContext, input: unknown): Promise<Result<ActivityRow>> {
  const me = requirePerson(ctx.viewer, 'organise activities');
  requireRoles(ctx.viewer, ORGANISER_ROLES, 'organise activities');
  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  const { title, description, category: categoryCode, place: placeId, startsAt, endsAt, capacity, series } = parsed.value;
  const category = await ctx.loaders.categoryByCode.load(categoryCode ?? 'other');
  if (!category) return refused(userError(inputField('category'), 'NOT_FOUND', `There is no category ${categoryCode}.`));
  if (category.retiredAt) return refused(userError(inputField('category'), 'INVALID_STATE', `The category ${categoryCode} is retired; choose another.`));
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const place = await placeOf(tx, placeId, inputField('place'));
    // Admins organise inside their scope; team captains (whose teams serve across regions) anywhere.
    if (!hasRole(ctx.viewer, 'team_captain', 'platform_admin') && !administers(ctx.viewer, place.path, REGION_ADMIN_ROLES)) {
      refuse(inputField('place'), 'NOT_ALLOWED', 'The place lies outside your scope.');
    }
    if (series) await requireSeriesFor(ctx, tx, series, { regionPath: place.path });
    return insertActivity(tx, {
      seriesId: series ?? null,
      organiserId: me,
      title,
      description: description ?? '',
      categoryCode: category.code,
      regionId: place.id,
      regionPath: place.path,
      startsAt,
      endsAt,
      capacity,
      createdAt: ctx.settings.now(),
    });
  });
}

const activityOnly = z.object({ activity: idInput('an activity') });

/** Signs the viewer up: a place while the activity has room, the waitlist after. The activity row lock keeps the count exact under races. */
export async function signUp(ctx: RequestsContext, input: unknown): Promise<Result<ActivitySignupRow>> {
  const me = requirePerson(ctx.viewer, 'sign up');
  const parsed = parseInput(activityOnly, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const activity = await lockActivity(tx, parsed.value.activity);
    if (!activity) refuse(inputField('activity'), 'NOT_FOUND', 'There is no such activity.');
    if (activity.endsAt <= now) refuse(inputField('activity'), 'INVALID_STATE', 'The activity is over.');
    await refuseUnfitMinor(tx, me, activity.categoryCode, inputField('activity'));
    const [existing] = await findSignupsOfPerson(tx, me, [activity.id]);
    if (existing && existing.status !== 'cancelled') refuse(inputField('activity'), 'ALREADY_EXISTS', 'You have signed up already.');
    const confirmed = await countConfirmed(tx, activity.id);
    return upsertSignup(tx, { activityId: activity.id, personId: me, status: confirmed < activity.capacity ? 'confirmed' : 'waitlisted', at: now });
  });
}

/** Gives the viewer's place back before the start; the first on the waitlist takes it. */
export async function cancelSignUp(ctx: RequestsContext, input: unknown): Promise<Result<ActivitySignupRow>> {
  const me = requirePerson(ctx.viewer, 'give a place back');
  const parsed = parseInput(activityOnly, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const activity = await lockActivity(tx, parsed.value.activity);
    if (!activity) refuse(inputField('activity'), 'NOT_FOUND', 'There is no such activity.');
    // The viewer's own place first: someone without one gets the same answer before and after the start.
    const [existing] = await findSignupsOfPerson(tx, me, [activity.id]);
    if (!existing || existing.status === 'cancelled') refuse(inputField('activity'), 'NOT_FOUND', 'You have not signed up for this activity.');
    if (activity.startsAt <= now) refuse(inputField('activity'), 'INVALID_STATE', 'The activity has started; tell the organiser instead.');
    const cancelled = await setSignupStatus(tx, activity.id, me, 'cancelled', now);
    if (existing.status === 'confirmed') {
      const next = await findFirstWaitlisted(tx, activity.id);
      if (next) await setSignupStatus(tx, activity.id, next.personId, 'confirmed', now);
    }
    return cancelled;
  });
}

/** A scanned door code, as the check-in and check-out mutations (of activities and duty shifts) take it. */
export const codeInput = z.object({ code: z.string().trim().min(1, 'must not be empty.').max(4096) });

/**
 * Reads a door code of `kind` (an activity's, or a duty shift's), refusing a
 * forged or altered one (INVALID), an expired one (EXPIRED) and the other
 * door's (INVALID); answers the id of what it opens.
 */
export function readCode(ctx: RequestsContext, code: string, expected: DoorAction, kind: DoorKind = 'door-code'): Result<string> {
  const reading = readDoorCode(ctx.settings.signingKey, code, ctx.settings.now(), kind);
  if (!reading.ok) {
    const what = kind === 'door-code' ? 'an activity' : 'a duty shift';
    return reading.reason === 'expired'
      ? refused(userError(inputField('code'), 'EXPIRED', 'The code has expired: scan the one on the screen now.'))
      : refused(userError(inputField('code'), 'INVALID', `This is not a code of ${what} of Lianxin, or it was altered.`));
  }
  if (reading.action !== expected) {
    return refused(
      userError(inputField('code'), 'INVALID', expected === 'in' ? 'This is the check-out code; scan the check-in code.' : 'This is the check-in code; scan the check-out code.'),
    );
  }
  return { ok: true, value: reading.activityId };
}

export async function checkIn(ctx: RequestsContext, input: unknown): Promise<Result<ActivityAttendanceRow>> {
  const me = requirePerson(ctx.viewer, 'check in');
  const parsed = parseInput(codeInput, input);
  if (!parsed.ok) return parsed;
  const code = readCode(ctx, parsed.value.code, 'in');
  if (!code.ok) return code;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const activity = await lockActivity(tx, code.value);
    if (!activity) refuse(inputField('code'), 'NOT_FOUND', 'The activity of this code no longer exists.');
    // Authority (a confirmed place) before the clock: someone without one gets the same answer at any hour.
    const [signup] = await findSignupsOfPerson(tx, me, [activity.id]);
    if (signup?.status !== 'confirmed') refuse(inputField('code'), 'NOT_ALLOWED', 'Only volunteers with a confirmed place may check in.');
    if (!checkInOpen(now, activity.startsAt, activity.endsAt)) {
      refuse(inputField('code'), 'INVALID_STATE', 'Check-in opens an hour before the start and closes at the end.');
    }
    if (await lockAttendance(tx, activity.id, me)) refuse(inputField('code'), 'ALREADY_EXISTS', 'You have checked in already.');
    return insertAttendance(tx, { activityId: activity.id, personId: me, checkedInAt: now });
  });
}

export async function checkOut(ctx: RequestsContext, input: unknown): Promise<Result<ActivityAttendanceRow>> {
  const me = requirePerson(ctx.viewer, 'check out');
  const parsed = parseInput(codeInput, input);
  if (!parsed.ok) return parsed;
  const code = readCode(ctx, parsed.value.code, 'out');
  if (!code.ok) return code;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const activity = await lockActivity(tx, code.value);
    if (!activity) refuse(inputField('code'), 'NOT_FOUND', 'The activity of this code no longer exists.');
    // Only this activity's forgotten check-ins, under its lock: the sweep does the rest.
    await closeForgottenCheckOuts(tx, now, activity.id);
    const attendance = await lockAttendance(tx, activity.id, me);
    if (!attendance) refuse(inputField('code'), 'INVALID_STATE', 'You have not checked in: check in before checking out.');
    if (attendance.checkedOutAt) {
      refuse(
        inputField('code'),
        'INVALID_STATE',
        attendance.autoClosed ? 'Your check-in was closed at the end of the activity; ask the organiser to confirm your time.' : 'You have checked out already.',
      );
    }
    const present = Math.floor((now.getTime() - attendance.checkedInAt.getTime()) / 60_000);
    return updateAttendance(tx, activity.id, me, { checkedOutAt: now, minutes: Math.max(0, Math.min(present, lengthInMinutes(activity))) });
  });
}

const approveInput = z.object({
  activity: idInput('an activity'),
  attendances: z
    .array(z.object({ person: idInput('a person'), minutes: z.number().int().min(1, 'must be at least 1.').nullish() }))
    .min(1, 'must not be empty.')
    .max(500, 'must hold at most 500 volunteers.'),
});

/**
 * Approves hours of checked-out volunteers, writing one service record each,
 * all or nothing. Minutes default to those checked and never exceed the
 * activity's length; a flagged check-in needs the organiser's minutes only if
 * the end was not right.
 */
export async function approveHours(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRecordRow[]>> {
  const me = requirePerson(ctx.viewer, 'approve hours');
  const parsed = parseInput(approveInput, input);
  if (!parsed.ok) return parsed;
  const { activity: activityId, attendances } = parsed.value;
  const persons = attendances.map((entry) => entry.person);
  const duplicate = persons.findIndex((person, index) => persons.indexOf(person) !== index);
  if (duplicate >= 0) return refused(userError(['input', 'attendances', String(duplicate), 'person'], 'INVALID', 'Each volunteer may be listed once.'));
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const activity = await lockActivity(tx, activityId);
    if (!activity) refuse(inputField('activity'), 'NOT_FOUND', 'There is no such activity.');
    await closeForgottenCheckOuts(tx, now, activity.id);
    if (!runsActivity(ctx, activity)) refuse(inputField('activity'), 'NOT_ALLOWED', 'Only the organiser and admins of its place may approve hours.');
    // Each volunteer named must be known (their record names them); after the organiser's authority, so others learn nothing of who attended.
    await requireKnownPersons(
      tx,
      null,
      attendances.map((entry, index) => ({ id: entry.person, field: ['input', 'attendances', String(index), 'person'] })),
    );
    if (activity.endsAt > now) refuse(inputField('activity'), 'INVALID_STATE', 'Hours are approved after the activity ends.');
    const length = lengthInMinutes(activity);
    const records: ServiceRecordRow[] = [];
    for (const [index, entry] of attendances.entries()) {
      const field = ['input', 'attendances', String(index)];
      const attendance = await lockAttendance(tx, activity.id, entry.person);
      if (!attendance) refuse([...field, 'person'], 'NOT_FOUND', 'This volunteer did not check in.');
      if (attendance.minutes === null || attendance.checkedOutAt === null) refuse([...field, 'person'], 'INVALID_STATE', 'This volunteer has not checked out.');
      if (attendance.approvedAt) refuse([...field, 'person'], 'ALREADY_EXISTS', 'This volunteer’s hours are approved already.');
      const minutes = entry.minutes ?? attendance.minutes;
      if (minutes > length) refuse([...field, 'minutes'], 'INVALID', `must be at most the activity's length, ${length} minutes.`);
      if (minutes < 1) refuse([...field, 'minutes'], 'INVALID', 'The volunteer was present for less than a minute: give the minutes to approve.');
      const record = await writeServiceRecord(tx, {
        volunteerId: entry.person,
        categoryCode: activity.categoryCode,
        minutes,
        servedAt: attendance.checkedInAt,
        activityId: activity.id,
        regionId: activity.regionId,
        regionPath: activity.regionPath,
        description: activity.title,
        verifiedById: me,
        createdAt: now,
      });
      await updateAttendance(tx, activity.id, entry.person, { approvedMinutes: minutes, approvedById: me, approvedAt: now, serviceRecordId: record.id });
      records.push(record);
    }
    return records;
  });
}
