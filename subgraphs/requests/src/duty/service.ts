/**
 * Rules for duty rosters (排班): a post (a gate, a checkpoint, a hotline) is
 * set up by the station or community admin of its place, who lays out its
 * shifts (several at once, or a week copied to the following weeks);
 * volunteers take a place on a shift and give it back before the start;
 * they check in and out with the door codes activities use (their own key:
 * `duty-door-code`); after the shift the admin approves the attendance, which
 * writes one service record per volunteer through `writeServiceRecord`, as
 * activities do, so points and recognition hear of it by the same events.
 * Confirmed volunteers who never checked in are marked no-shows when the
 * shift is approved, and by the scheduled sweep (src/jobs.ts).
 */
import { z } from 'zod';
import {
  BadInputError,
  isUuid,
  optionalId,
  readPage,
  refused,
  requireRoles,
  toConnection,
  type Connection,
  type ConnectionArgs,
  type Executor,
  type Result,
  type Role,
} from '@lianxin/shared';
import { administers, REGION_ADMIN_ROLES, requirePerson, requireReader } from '../access.js';
import { issueDoorCode, type DoorAction, type DoorCode } from '../activities/door-code.js';
import { checkInOpen, codeInput, readCode } from '../activities/service.js';
import type { RequestsContext } from '../context.js';
import type { DutyPostRow, DutyShiftRow, DutyShiftSignupRow, ServiceRecordRow } from '../db/schema.js';
import { placeOf, requireKnownPersons } from '../directory/service.js';
import { userError } from '../errors.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput, type ConstraintRefusal } from '../mutation.js';
import { writeServiceRecord } from '../records/service.js';
import type { RequestsSettings } from '../settings.js';
import {
  closeOpenCheckIns,
  countConfirmedOnShift,
  dutyPostCursor,
  findDutyPostPage,
  findDutyPostsByIds,
  findShiftSignupsOfPerson,
  findShiftsOfPost,
  findSignup,
  findSignupsOfShifts,
  insertDutyPost,
  insertDutyShifts,
  lockPost,
  lockShift,
  markNoShows,
  updateSignup,
  upsertConfirmedSignup,
} from './store.js';
import { refuseUnfitMinor } from '../directory/minors.js';

/** Who lays out rosters: the admins of a station or community (and platform admins), inside their scope. */
const ROSTER_ROLES: readonly Role[] = REGION_ADMIN_ROLES;

const DAY_MS = 24 * 3600_000;
const WEEK_MS = 7 * DAY_MS;
/** The most shifts one read returns. */
const MAX_SHIFTS_READ = 500;

/** The length of a shift in whole minutes: the most anyone's hours there can be. */
export const shiftMinutes = (shift: DutyShiftRow): number => Math.floor((shift.endsAt.getTime() - shift.startsAt.getTime()) / 60_000);

/** Whether the viewer runs the post: an admin whose scope holds its place. */
export const runsPost = (ctx: RequestsContext, post: DutyPostRow): boolean => administers(ctx.viewer, post.regionPath);

async function postOf(ctx: RequestsContext, shift: DutyShiftRow): Promise<DutyPostRow> {
  const post = await ctx.loaders.dutyPostById.load(shift.postId);
  if (!post) throw new Error(`duty post ${shift.postId} of shift ${shift.id} is missing`);
  return post;
}

export async function getDutyPost(ctx: RequestsContext, id: string): Promise<DutyPostRow | null> {
  requireReader(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a duty post id.', 'id');
  return ctx.loaders.dutyPostById.load(id);
}

export async function listDutyPosts(
  ctx: RequestsContext,
  filter: { region?: string | null | undefined } | null | undefined,
  args: ConnectionArgs,
): Promise<Connection<DutyPostRow>> {
  requireReader(ctx.viewer);
  const region = optionalId(filter?.region, 'filter.region', 'a region id');
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findDutyPostPage(ctx.db, region, page);
  for (const row of rows) ctx.loaders.dutyPostById.prime(row.id, row);
  return toConnection(rows, page, dutyPostCursor);
}

function rangeOf(from: Date | null | undefined, to: Date | null | undefined, now: Date): { from: Date; to: Date } {
  const start = from ?? new Date(now.getTime() - DAY_MS);
  const end = to ?? new Date(start.getTime() + 5 * WEEK_MS);
  if (end <= start) throw new BadInputError('to must be after from.', 'to');
  return { from: start, to: end };
}

/** A post's shifts starting in [from, to) (by default from a day ago for five weeks), at most 500. */
export async function shiftsOfPost(ctx: RequestsContext, post: DutyPostRow, from: Date | null | undefined, to: Date | null | undefined): Promise<DutyShiftRow[]> {
  const range = rangeOf(from, to, ctx.settings.now());
  return findShiftsOfPost(ctx.db, post.id, range.from, range.to, MAX_SHIFTS_READ);
}

/** Who took a place on a shift: all of them for those who run the post, only their own for anyone else. */
export async function signupsOfShift(ctx: RequestsContext, shift: DutyShiftRow, includeWithdrawn: boolean): Promise<DutyShiftSignupRow[]> {
  const post = await postOf(ctx, shift);
  const rows = await ctx.loaders.signupsOfShift(includeWithdrawn).load(shift.id);
  return runsPost(ctx, post) ? rows : rows.filter((row) => row.personId === ctx.viewer.personId);
}

export async function confirmedCountOf(ctx: RequestsContext, shift: DutyShiftRow): Promise<number> {
  return ctx.loaders.confirmedCountOfShift.load(shift.id);
}

/** The viewer's own shifts (`Person.dutyShifts`); someone else's are theirs and their admins' business, not shown here. */
export async function shiftsOfPerson(ctx: RequestsContext, personId: string, from: Date | null | undefined, to: Date | null | undefined): Promise<DutyShiftRow[] | null> {
  if (ctx.viewer.personId !== personId) return null;
  const range = rangeOf(from, to, ctx.settings.now());
  const rows = await findShiftSignupsOfPerson(ctx.db, personId, range.from, range.to, MAX_SHIFTS_READ);
  return rows.map((row) => row.shift);
}

/** A fresh door code of the shift, for those who run its post; null for everyone else. */
export async function shiftDoorCode(ctx: RequestsContext, shift: DutyShiftRow, action: DoorAction): Promise<DoorCode | null> {
  const post = await postOf(ctx, shift);
  if (!runsPost(ctx, post)) return null;
  return issueDoorCode(ctx.settings.signingKey, shift.id, action, ctx.settings.now(), ctx.settings.qrCodeTtlSeconds, 'duty-door-code');
}

/** A shift by id for another subgraph's reference; null for viewers who may not read here. */
export async function resolveShiftReference(ctx: RequestsContext, id: string): Promise<DutyShiftRow | null> {
  requireReader(ctx.viewer);
  return ctx.loaders.dutyShiftById.load(id);
}

/** The scheduled sweep: marks no-shows on every ended shift, as of `settings.now()`. */
export function sweepNoShows(db: Executor, settings: Pick<RequestsSettings, 'now'>): Promise<number> {
  return markNoShows(db, settings.now());
}

const postInput = z.object({
  name: textInput(100),
  kind: z.enum(['gate', 'checkpoint', 'hotline', 'other']),
  place: idInput('a region'),
  category: z.string().trim().min(1, 'must not be empty.').nullish(),
});

export async function createDutyPost(ctx: RequestsContext, input: unknown): Promise<Result<DutyPostRow>> {
  const me = requirePerson(ctx.viewer, 'set up duty posts');
  requireRoles(ctx.viewer, ROSTER_ROLES, 'set up duty posts');
  const parsed = parseInput(postInput, input);
  if (!parsed.ok) return parsed;
  const { name, kind, place: placeId, category: categoryCode } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const place = await placeOf(tx, placeId, inputField('place'));
    if (!administers(ctx.viewer, place.path)) refuse(inputField('place'), 'NOT_ALLOWED', 'The place lies outside your scope.');
    const category = await ctx.loaders.categoryByCode.load(categoryCode ?? 'other');
    if (!category) refuse(inputField('category'), 'NOT_FOUND', `There is no category ${categoryCode ?? ''}.`);
    if (category.retiredAt) refuse(inputField('category'), 'INVALID_STATE', `The category ${category.code} is retired; choose another.`);
    return insertDutyPost(tx, { name, kind, categoryCode: category.code, regionId: place.id, regionPath: place.path, organiserId: me, createdAt: ctx.settings.now() });
  });
}

const shiftInput = z
  .object({
    startsAt: z.date(),
    endsAt: z.date(),
    places: z.number().int().min(1, 'must be 1 to 1000.').max(1000, 'must be 1 to 1000.'),
  })
  .refine((shift) => shift.endsAt > shift.startsAt, { path: ['endsAt'], message: 'must be after startsAt.' })
  .refine((shift) => shift.endsAt.getTime() - shift.startsAt.getTime() <= DAY_MS, { path: ['endsAt'], message: 'must be within 24 hours of startsAt.' });

const shiftsInput = z.object({
  post: idInput('a duty post'),
  shifts: z.array(shiftInput).min(1, 'must not be empty.').max(100, 'must hold at most 100 shifts.'),
});

/** The database's own refusal of a shift longer than a day, should a check above ever let one through. */
const SHIFT_LENGTH: ConstraintRefusal = {
  sqlState: '23514',
  constraint: 'duty_shifts_length',
  error: userError(inputField('shifts'), 'INVALID', 'A shift lasts at most 24 hours.'),
};

/** Locks the post and checks the viewer runs it: the post's existence is all a refusal tells. */
async function lockRunPost(ctx: RequestsContext, tx: Executor, postId: string): Promise<DutyPostRow> {
  const post = await lockPost(tx, postId);
  if (!post) refuse(inputField('post'), 'NOT_FOUND', 'There is no such duty post.');
  if (!runsPost(ctx, post)) refuse(inputField('post'), 'NOT_ALLOWED', 'The post lies outside your scope.');
  return post;
}

export async function createDutyShifts(ctx: RequestsContext, input: unknown): Promise<Result<DutyShiftRow[]>> {
  const me = requirePerson(ctx.viewer, 'lay out shifts');
  requireRoles(ctx.viewer, ROSTER_ROLES, 'lay out shifts');
  const parsed = parseInput(shiftsInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, me);
      const post = await lockRunPost(ctx, tx, parsed.value.post);
      return insertDutyShifts(
        tx,
        parsed.value.shifts.map((shift) => ({ postId: post.id, startsAt: shift.startsAt, endsAt: shift.endsAt, places: shift.places, createdAt: now })),
      );
    },
    [SHIFT_LENGTH],
  );
}

const copyInput = z.object({
  post: idInput('a duty post'),
  weekStarting: z.date(),
  weeks: z.number().int().min(1, 'must be 1 to 12.').max(12, 'must be 1 to 12.'),
});

/**
 * The shifts a week's pattern makes in each of the `weeks` weeks after it:
 * same times of day and places, leaving out those already there at the same
 * start and end (`later`), so that copying twice adds nothing.
 */
export function copiesOfWeek(
  pattern: readonly Pick<DutyShiftRow, 'startsAt' | 'endsAt' | 'places'>[],
  later: readonly Pick<DutyShiftRow, 'startsAt' | 'endsAt'>[],
  weeks: number,
): { startsAt: Date; endsAt: Date; places: number }[] {
  const existing = new Set(later.map((shift) => `${shift.startsAt.getTime()}/${shift.endsAt.getTime()}`));
  const copies = [];
  for (let week = 1; week <= weeks; week += 1) {
    for (const shift of pattern) {
      const startsAt = new Date(shift.startsAt.getTime() + week * WEEK_MS);
      const endsAt = new Date(shift.endsAt.getTime() + week * WEEK_MS);
      if (existing.has(`${startsAt.getTime()}/${endsAt.getTime()}`)) continue;
      copies.push({ startsAt, endsAt, places: shift.places });
    }
  }
  return copies;
}

/**
 * Copies the post's shifts starting in the week from `weekStarting` to each
 * of the `weeks` weeks after it (七色光's daily batches), same times and
 * places; a shift already there at the same start and end is kept, not
 * doubled, so copying twice changes nothing. Returns the shifts made.
 */
export async function copyDutyWeek(ctx: RequestsContext, input: unknown): Promise<Result<DutyShiftRow[]>> {
  const me = requirePerson(ctx.viewer, 'lay out shifts');
  requireRoles(ctx.viewer, ROSTER_ROLES, 'lay out shifts');
  const parsed = parseInput(copyInput, input);
  if (!parsed.ok) return parsed;
  const { weekStarting, weeks } = parsed.value;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const post = await lockRunPost(ctx, tx, parsed.value.post);
    const pattern = await findShiftsOfPost(tx, post.id, weekStarting, new Date(weekStarting.getTime() + WEEK_MS), MAX_SHIFTS_READ);
    if (pattern.length === 0) refuse(inputField('weekStarting'), 'INVALID_STATE', 'The post has no shifts that week to copy.');
    const later = await findShiftsOfPost(tx, post.id, new Date(weekStarting.getTime() + WEEK_MS), new Date(weekStarting.getTime() + (weeks + 1) * WEEK_MS), MAX_SHIFTS_READ * 12);
    const copies = copiesOfWeek(pattern, later, weeks).map((copy) => ({ ...copy, postId: post.id, createdAt: now }));
    return copies.length === 0 ? [] : insertDutyShifts(tx, copies);
  });
}

const shiftOnly = z.object({ shift: idInput('a duty shift') });

/** The trigger's refusal when the last place went to someone else between the count and the insert. */
const PLACES: ConstraintRefusal = {
  sqlState: '23514',
  constraint: 'duty_shift_signups_places',
  error: userError(inputField('shift'), 'INVALID_STATE', 'The shift has no place left.'),
};

/** Takes a place on a shift for the viewer while it has one; the database refuses the one too many. */
export async function signUpForShift(ctx: RequestsContext, input: unknown): Promise<Result<DutyShiftSignupRow>> {
  const me = requirePerson(ctx.viewer, 'sign up');
  const parsed = parseInput(shiftOnly, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, me);
      const shift = await lockShift(tx, parsed.value.shift);
      if (!shift) refuse(inputField('shift'), 'NOT_FOUND', 'There is no such shift.');
      const existing = await findSignup(tx, shift.id, me);
      if (existing?.status === 'confirmed') refuse(inputField('shift'), 'ALREADY_EXISTS', 'You have a place on this shift already.');
      if (shift.startsAt <= now) refuse(inputField('shift'), 'INVALID_STATE', 'The shift has started.');
      const [post] = await findDutyPostsByIds(tx, [shift.postId]);
      if (post) await refuseUnfitMinor(tx, me, post.categoryCode, inputField('shift'));
      if ((await countConfirmedOnShift(tx, shift.id)) >= shift.places) refuse(inputField('shift'), 'INVALID_STATE', 'The shift has no place left.');
      return upsertConfirmedSignup(tx, shift.id, me, now);
    },
    [PLACES],
  );
}

/** Gives the viewer's place back before the shift starts. */
export async function withdrawFromShift(ctx: RequestsContext, input: unknown): Promise<Result<DutyShiftSignupRow>> {
  const me = requirePerson(ctx.viewer, 'give a place back');
  const parsed = parseInput(shiftOnly, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const shift = await lockShift(tx, parsed.value.shift);
    if (!shift) refuse(inputField('shift'), 'NOT_FOUND', 'There is no such shift.');
    // The viewer's own place first: someone without one gets the same answer before and after the start.
    const existing = await findSignup(tx, shift.id, me);
    if (existing?.status !== 'confirmed') refuse(inputField('shift'), 'NOT_FOUND', 'You have no place on this shift.');
    if (shift.startsAt <= now) refuse(inputField('shift'), 'INVALID_STATE', 'The shift has started; tell the admin instead.');
    // Checked in early (the door opens an hour before): present, so the place is no longer theirs to give back.
    if (existing.checkedInAt) refuse(inputField('shift'), 'INVALID_STATE', 'You have checked in; tell the admin instead.');
    return updateSignup(tx, shift.id, me, { status: 'withdrawn', changedAt: now });
  });
}

/** The viewer's own place on the shift, as the sign-up payloads show it when refused. */
export async function viewerSignupOnShift(ctx: RequestsContext, shiftId: string): Promise<DutyShiftSignupRow | null> {
  requireReader(ctx.viewer);
  const me = ctx.viewer.personId;
  if (me === null || !isUuid(shiftId)) return null;
  return findSignup(ctx.db, shiftId, me);
}

function readShiftCode(ctx: RequestsContext, code: string, expected: DoorAction): Result<string> {
  return readCode(ctx, code, expected, 'duty-door-code');
}

/** The viewer's own place on the shift a door code names, as the check-in and check-out payloads show it when refused. */
export async function viewerSignupAtCode(ctx: RequestsContext, code: string, door: DoorAction): Promise<DutyShiftSignupRow | null> {
  requireReader(ctx.viewer);
  const reading = readShiftCode(ctx, code, door);
  return reading.ok ? viewerSignupOnShift(ctx, reading.value) : null;
}

export async function checkInToShift(ctx: RequestsContext, input: unknown): Promise<Result<DutyShiftSignupRow>> {
  const me = requirePerson(ctx.viewer, 'check in');
  const parsed = parseInput(codeInput, input);
  if (!parsed.ok) return parsed;
  const code = readShiftCode(ctx, parsed.value.code, 'in');
  if (!code.ok) return code;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const shift = await lockShift(tx, code.value);
    if (!shift) refuse(inputField('code'), 'NOT_FOUND', 'The shift of this code no longer exists.');
    // Authority (a place) before the clock: someone without one gets the same answer at any hour.
    const signup = await findSignup(tx, shift.id, me);
    if (signup?.status !== 'confirmed') refuse(inputField('code'), 'NOT_ALLOWED', 'Only volunteers with a place on the shift may check in.');
    if (!checkInOpen(now, shift.startsAt, shift.endsAt)) {
      refuse(inputField('code'), 'INVALID_STATE', 'Check-in opens an hour before the start and closes at the end.');
    }
    if (signup.checkedInAt) refuse(inputField('code'), 'ALREADY_EXISTS', 'You have checked in already.');
    return updateSignup(tx, shift.id, me, { checkedInAt: now });
  });
}

export async function checkOutOfShift(ctx: RequestsContext, input: unknown): Promise<Result<DutyShiftSignupRow>> {
  const me = requirePerson(ctx.viewer, 'check out');
  const parsed = parseInput(codeInput, input);
  if (!parsed.ok) return parsed;
  const code = readShiftCode(ctx, parsed.value.code, 'out');
  if (!code.ok) return code;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const shift = await lockShift(tx, code.value);
    if (!shift) refuse(inputField('code'), 'NOT_FOUND', 'The shift of this code no longer exists.');
    const signup = await findSignup(tx, shift.id, me);
    if (!signup?.checkedInAt) refuse(inputField('code'), 'INVALID_STATE', 'You have not checked in: check in before checking out.');
    if (signup.checkedOutAt) refuse(inputField('code'), 'INVALID_STATE', 'You have checked out already.');
    if (signup.approvedAt) refuse(inputField('code'), 'INVALID_STATE', 'The shift is approved already.');
    const present = Math.floor((now.getTime() - signup.checkedInAt.getTime()) / 60_000);
    return updateSignup(tx, shift.id, me, { checkedOutAt: now, minutes: Math.max(0, Math.min(present, shiftMinutes(shift))) });
  });
}

const personId = idInput('a person');
const approveInput = z.object({
  shift: idInput('a duty shift'),
  minutes: z
    .array(z.object({ person: personId, minutes: z.number().int().min(1, 'must be at least 1.') }))
    .max(1000, 'must hold at most 1000 volunteers.')
    .nullish(),
  persons: z.array(personId).min(1, 'must name at least one volunteer.').max(1000, 'must hold at most 1000 volunteers.').nullish(),
  refusals: z
    .array(z.object({ person: personId, reason: textInput(500) }))
    .max(1000, 'must hold at most 1000 volunteers.')
    .nullish(),
});

type ApproveInput = z.infer<typeof approveInput>;

export interface ShiftApproval {
  shift: DutyShiftRow;
  serviceRecords: ServiceRecordRow[];
  noShows: number;
}

/** The first volunteer listed twice in one list, or both refused and approved, as a user error; null when the lists agree. */
function listsDisagree(value: ApproveInput): ReturnType<typeof userError> | null {
  const adjusted = (value.minutes ?? []).map((entry) => entry.person);
  const chosen = value.persons ?? [];
  const refusedPersons = (value.refusals ?? []).map((entry) => entry.person);
  const lists: [string, string[]][] = [
    ['minutes', adjusted],
    ['persons', chosen],
    ['refusals', refusedPersons],
  ];
  for (const [name, persons] of lists) {
    const duplicate = persons.findIndex((person, index) => persons.indexOf(person) !== index);
    if (duplicate >= 0) return userError(['input', name, String(duplicate), ...(name === 'persons' ? [] : ['person'])], 'INVALID', 'Each volunteer may be listed once.');
  }
  const approved = new Set([...adjusted, ...chosen]);
  const both = refusedPersons.findIndex((person) => approved.has(person));
  if (both >= 0) return userError(['input', 'refusals', String(both), 'person'], 'INVALID', 'A volunteer is either approved or refused, not both.');
  return null;
}

/** Checks each volunteer the input names against their place as it now stands; refuses the first that does not fit. */
function checkNamed(value: ApproveInput, signups: readonly DutyShiftSignupRow[], length: number): void {
  const placeOf = (person: string) => signups.find((row) => row.personId === person);
  for (const [index, entry] of (value.minutes ?? []).entries()) {
    const field = ['input', 'minutes', String(index)];
    if (!placeOf(entry.person)?.checkedOutAt) refuse([...field, 'person'], 'NOT_FOUND', 'This volunteer did not check in to the shift.');
    if (entry.minutes > length) refuse([...field, 'minutes'], 'INVALID', `must be at most the shift's length, ${length} minutes.`);
  }
  for (const [index, person] of (value.persons ?? []).entries()) {
    const signup = placeOf(person);
    if (!signup?.checkedOutAt) refuse(['input', 'persons', String(index)], 'NOT_FOUND', 'This volunteer did not check in to the shift.');
    if (signup.refusedAt) refuse(['input', 'persons', String(index)], 'INVALID_STATE', 'This volunteer’s attendance was refused.');
  }
  for (const [index, entry] of (value.refusals ?? []).entries()) {
    const field = ['input', 'refusals', String(index), 'person'];
    const signup = placeOf(entry.person);
    if (!signup?.checkedInAt) refuse(field, 'NOT_FOUND', 'This volunteer did not check in to the shift.');
    if (signup.approvedAt) refuse(field, 'INVALID_STATE', 'This volunteer’s attendance is approved already; correct the service record instead.');
    if (signup.refusedAt) refuse(field, 'INVALID_STATE', 'This volunteer’s attendance was refused already.');
  }
}

/**
 * Approves a shift's attendance after it ends: check-ins left open are
 * closed at the end, confirmed volunteers who never came are marked
 * no-shows, the attendance of those in `refusals` is refused with its reason
 * (no record, now or later), and each volunteer checked out, not refused and
 * not yet approved (only those in `persons` when it is given) gets one
 * service record (minutes as checked, or as the admin gives them, at most
 * the shift's length). Approving again writes nothing new: each place is
 * approved once, and the database holds one record per shift and volunteer.
 */
export async function approveShift(ctx: RequestsContext, input: unknown): Promise<Result<ShiftApproval>> {
  const me = requirePerson(ctx.viewer, 'approve duty hours');
  requireRoles(ctx.viewer, ROSTER_ROLES, 'approve duty hours');
  const parsed = parseInput(approveInput, input);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const disagreement = listsDisagree(value);
  if (disagreement) return refused(disagreement);
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const shift = await lockShift(tx, value.shift);
    if (!shift) refuse(inputField('shift'), 'NOT_FOUND', 'There is no such shift.');
    const post = await lockPost(tx, shift.postId);
    if (!post || !runsPost(ctx, post)) refuse(inputField('shift'), 'NOT_ALLOWED', 'Only admins of the post’s place may approve its shifts.');
    if (shift.endsAt > now) refuse(inputField('shift'), 'INVALID_STATE', 'A shift is approved after it ends.');
    await closeOpenCheckIns(tx, now, shift.id);
    const noShows = await markNoShows(tx, now, shift.id);
    const signups = await findSignupsOfShifts(tx, [shift.id], false);
    checkNamed(value, signups, shiftMinutes(shift));
    for (const refusal of value.refusals ?? []) {
      await updateSignup(tx, shift.id, refusal.person, { refusedAt: now, refusedById: me, refusalReason: refusal.reason });
    }
    const refusedNow = new Set((value.refusals ?? []).map((entry) => entry.person));
    const chosen = value.persons ? new Set(value.persons) : null;
    const records: ServiceRecordRow[] = [];
    for (const signup of signups) {
      if (signup.approvedAt || signup.refusedAt || refusedNow.has(signup.personId) || !signup.checkedInAt || signup.minutes === null) continue;
      if (chosen && !chosen.has(signup.personId)) continue;
      const minutes = value.minutes?.find((entry) => entry.person === signup.personId)?.minutes ?? signup.minutes;
      // Under a minute present and no minutes given: nothing to record; the place stays unapproved for a later call with minutes.
      if (minutes < 1) continue;
      const record = await writeServiceRecord(tx, {
        volunteerId: signup.personId,
        categoryCode: post.categoryCode,
        minutes,
        servedAt: signup.checkedInAt,
        dutyShiftId: shift.id,
        regionId: post.regionId,
        regionPath: post.regionPath,
        description: post.name,
        verifiedById: me,
        createdAt: now,
      });
      await updateSignup(tx, shift.id, signup.personId, { approvedMinutes: minutes, approvedById: me, approvedAt: now, serviceRecordId: record.id });
      records.push(record);
    }
    return { shift, serviceRecords: records, noShows };
  });
}
