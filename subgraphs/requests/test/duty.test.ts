/** Duty rosters: shifts at most a day long, places held under concurrent sign-ups, copying a week, door codes, no-shows, approval into service records once. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import { isConstraintViolation, newId, rowsOf, type Viewer } from '@lianxin/shared';
import { DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { dutyShiftSignups, dutyShifts, serviceRecords } from '../src/db/schema.js';
import { sweepNoShows } from '../src/duty/service.js';
import { XINGLE, run, startRequests, viewers, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

const volunteer = (index: number): Viewer => viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[index]!.id });
const HOUR = 3600_000;
const WEEK = 7 * 24 * HOUR;

async function createPost(viewer: Viewer = viewers.lin, place = XINGLE) {
  const data = await run<{ dutyPostCreate: { post: { id: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: DutyPostCreateInput!) { dutyPostCreate(input: $input) { post { id } userErrors { field code message } } }`,
    viewer,
    { input: { name: '防疫热线', kind: 'HOTLINE', place, category: 'other' } },
  );
  return data.dutyPostCreate;
}

async function newPost(): Promise<string> {
  const { post, userErrors } = await createPost();
  if (!post) throw new Error(JSON.stringify(userErrors));
  return post.id;
}

async function createShifts(post: string, shifts: { startsAt: Date; endsAt: Date; places: number }[], viewer: Viewer = viewers.lin) {
  const data = await run<{ dutyShiftsCreate: { shifts: { id: string; startsAt: Date }[]; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: DutyShiftsCreateInput!) { dutyShiftsCreate(input: $input) { shifts { id startsAt } userErrors { field code message } } }`,
    viewer,
    { input: { post, shifts } },
  );
  return data.dutyShiftsCreate;
}

async function newShift(startsAt: Date, hours: number, places: number): Promise<string> {
  const { shifts, userErrors } = await createShifts(await newPost(), [{ startsAt, endsAt: new Date(startsAt.getTime() + hours * HOUR), places }]);
  if (!shifts[0]) throw new Error(JSON.stringify(userErrors));
  return shifts[0].id;
}

async function place(mutation: 'dutyShiftSignUp' | 'dutyShiftWithdraw', shift: string, viewer: Viewer) {
  const data = await run<Record<string, { signup: { status: string; noShow: boolean } | null; userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${mutation === 'dutyShiftSignUp' ? 'DutyShiftSignUpInput' : 'DutyShiftWithdrawInput'}!) { ${mutation}(input: $input) { signup { status noShow } userErrors { field code message } } }`,
    viewer,
    { input: { shift } },
  );
  return data[mutation]!;
}

async function codes(shift: string, viewer: Viewer = viewers.lin) {
  const data = await run<{ dutyPosts: { edges: { node: { shifts: { id: string; checkInCode: { payload: string } | null; checkOutCode: { payload: string } | null }[] } }[] } }>(
    bed,
    `query { dutyPosts(first: 100) { edges { node { shifts(from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { id checkInCode { payload } checkOutCode { payload } } } } } }`,
    viewer,
  );
  const found = data.dutyPosts.edges.flatMap((edge) => edge.node.shifts).find((row) => row.id === shift);
  if (!found) throw new Error(`shift ${shift} not listed`);
  return found;
}

async function door(direction: 'in' | 'out', code: string, viewer: Viewer) {
  const mutation = direction === 'in' ? 'dutyShiftCheckIn' : 'dutyShiftCheckOut';
  const data = await run<Record<string, { signup: { minutes: number | null; checkedInAt: Date | null } | null; userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${direction === 'in' ? 'DutyShiftCheckInInput' : 'DutyShiftCheckOutInput'}!) { ${mutation}(input: $input) { signup { minutes checkedInAt } userErrors { field code message } } }`,
    viewer,
    { input: { code } },
  );
  return data[mutation]!;
}

async function approve(shift: string, viewer: Viewer = viewers.lin, minutes?: { person: string; minutes: number }[]) {
  const data = await run<{ dutyShiftApprove: { serviceRecords: { minutes: number; volunteer: { id: string } | null }[]; noShows: number; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: DutyShiftApproveInput!) { dutyShiftApprove(input: $input) { serviceRecords { minutes volunteer { id } } noShows userErrors { field code message } } }`,
    viewer,
    { input: { shift, minutes } },
  );
  return data.dutyShiftApprove;
}

/** Whether Postgres refused `work` by `constraint` (a check or a trigger raising under its name). */
async function refusedBy(work: PromiseLike<unknown>, code: string, constraint: string): Promise<boolean> {
  try {
    await work;
    return false;
  } catch (error) {
    return isConstraintViolation(error, code, constraint);
  }
}

const createdEvents = async (): Promise<number> => {
  const [row] = await rowsOf<{ n: number }>(bed.requests.database.db, sql`select count(*)::int as n from requests.outbox where type = 'service_record.created'`);
  return Number(row?.n);
};

const codesOf = (result: { userErrors: UserErrorShape[] }) => result.userErrors.map((error) => error.code);

describe('shifts', () => {
  it('are refused by the database when longer than 24 hours, and by the mutation before it', async () => {
    const post = await newPost();
    const startsAt = new Date(Date.now() + 48 * HOUR);
    const refusedByService = await createShifts(post, [{ startsAt, endsAt: new Date(startsAt.getTime() + 25 * HOUR), places: 2 }]);
    expect(refusedByService.shifts).toEqual([]);
    expect(refusedByService.userErrors).toEqual([expect.objectContaining({ field: ['input', 'shifts', '0', 'endsAt'], code: 'INVALID' })]);
    // Written past the service, the row is refused by the table's own check.
    expect(
      await refusedBy(
        bed.requests.database.db.insert(dutyShifts).values({ postId: post, startsAt, endsAt: new Date(startsAt.getTime() + 24 * HOUR + 60_000), places: 1 }),
        '23514',
        'duty_shifts_length',
      ),
    ).toBe(true);
    await bed.requests.database.db.insert(dutyShifts).values({ postId: post, startsAt, endsAt: new Date(startsAt.getTime() + 24 * HOUR), places: 1 });
  });

  it('are laid out only by admins whose scope holds the post, and a refusal tells nothing more', async () => {
    const post = await newPost();
    const startsAt = new Date(Date.now() + 48 * HOUR);
    const shift = { startsAt, endsAt: new Date(startsAt.getTime() + 4 * HOUR), places: 2 };
    expect(codesOf(await createShifts(post, [shift], viewers.zimingStation))).toEqual(['NOT_ALLOWED']);
    expect(codesOf(await createShifts(newId(), [shift], viewers.zimingStation))).toEqual(['NOT_FOUND']);
    const volunteerTry = await bed.requests.execute(`mutation ($input: DutyShiftsCreateInput!) { dutyShiftsCreate(input: $input) { userErrors { code } } }`, {
      viewer: volunteer(1),
      variables: { input: { post, shifts: [shift] } },
    });
    expect(volunteerTry.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(codesOf(await createPost(viewers.zimingStation, XINGLE))).toEqual(['NOT_ALLOWED']);
  });

  it('copies a week to the following weeks, once', async () => {
    const post = await newPost();
    const monday = new Date(Math.ceil((Date.now() + WEEK) / WEEK) * WEEK);
    const pattern = [0, 1, 2].map((day) => ({
      startsAt: new Date(monday.getTime() + day * 24 * HOUR + 8 * HOUR),
      endsAt: new Date(monday.getTime() + day * 24 * HOUR + 20 * HOUR),
      places: 3,
    }));
    expect((await createShifts(post, pattern)).userErrors).toEqual([]);
    const copy = () =>
      run<{ dutyShiftsCopyWeek: { shifts: { startsAt: string; places: number }[]; userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: DutyShiftsCopyWeekInput!) { dutyShiftsCopyWeek(input: $input) { shifts { startsAt places } userErrors { field code message } } }`,
        viewers.lin,
        { input: { post, weekStarting: monday, weeks: 2 } },
      );
    const first = await copy();
    expect(first.dutyShiftsCopyWeek.userErrors).toEqual([]);
    expect(first.dutyShiftsCopyWeek.shifts.map((shift) => new Date(shift.startsAt).getTime())).toEqual(
      [1, 2].flatMap((week) => pattern.map((shift) => shift.startsAt.getTime() + week * WEEK)),
    );
    expect((await copy()).dutyShiftsCopyWeek.shifts).toEqual([]);
    const data = await run<{ dutyPost: { shifts: unknown[] } }>(
      bed,
      `query ($id: ID!) { dutyPost(id: $id) { shifts(from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { id } } }`,
      viewers.lin,
      {
        id: post,
      },
    );
    expect(data.dutyPost.shifts).toHaveLength(9);
  });
});

describe('places', () => {
  it('are never taken beyond the shift’s places when many sign up at once', async () => {
    const shift = await newShift(new Date(Date.now() + 48 * HOUR), 4, 3);
    const results = await Promise.all(DEMO_VOLUNTEERS.slice(0, 10).map((_, index) => place('dutyShiftSignUp', shift, volunteer(index))));
    expect(results.filter((result) => result.signup?.status === 'CONFIRMED' && result.userErrors.length === 0)).toHaveLength(3);
    expect(results.filter((result) => codesOf(result).includes('INVALID_STATE'))).toHaveLength(7);
    const [row] = await bed.requests.database.db
      .select({ total: sql<number>`count(*)::int` })
      .from(dutyShiftSignups)
      .where(and(eq(dutyShiftSignups.shiftId, shift), eq(dutyShiftSignups.status, 'confirmed')));
    expect(row?.total).toBe(3);
  });

  it('are held by the database itself: a second confirmed row on a one-place shift is refused', async () => {
    const shift = await newShift(new Date(Date.now() + 48 * HOUR), 4, 1);
    await bed.requests.database.db.insert(dutyShiftSignups).values({ shiftId: shift, personId: newId(), status: 'confirmed' });
    expect(
      await refusedBy(bed.requests.database.db.insert(dutyShiftSignups).values({ shiftId: shift, personId: newId(), status: 'confirmed' }), '23514', 'duty_shift_signups_places'),
    ).toBe(true);
  });

  it('are given back before the start, and taken again', async () => {
    const shift = await newShift(new Date(Date.now() + 48 * HOUR), 4, 1);
    expect((await place('dutyShiftSignUp', shift, volunteer(1))).signup?.status).toBe('CONFIRMED');
    expect(codesOf(await place('dutyShiftSignUp', shift, volunteer(2)))).toEqual(['INVALID_STATE']);
    expect(codesOf(await place('dutyShiftWithdraw', shift, volunteer(2)))).toEqual(['NOT_FOUND']);
    expect((await place('dutyShiftWithdraw', shift, volunteer(1))).signup?.status).toBe('WITHDRAWN');
    expect((await place('dutyShiftSignUp', shift, volunteer(2))).signup?.status).toBe('CONFIRMED');
  });
});

describe('attendance', () => {
  it('checks in and out with the shift’s own codes, caps minutes, and approves once into records and their events', async () => {
    const start = new Date(Math.ceil((Date.now() + 72 * HOUR) / HOUR) * HOUR);
    const shift = await newShift(start, 2, 3);
    for (const index of [1, 2, 3]) expect((await place('dutyShiftSignUp', shift, volunteer(index))).userErrors).toEqual([]);
    bed.clock.set(new Date(start.getTime() - 30 * 60_000));
    try {
      const { checkInCode, checkOutCode } = await codes(shift);
      expect(checkInCode).not.toBeNull();
      // A volunteer sees no code; an activity's code is not a shift's.
      expect((await codes(shift, volunteer(1))).checkInCode).toBeNull();
      expect(codesOf(await door('in', checkOutCode!.payload, volunteer(1)))).toEqual(['INVALID']);
      expect(codesOf(await door('in', checkInCode!.payload, volunteer(4)))).toEqual(['NOT_ALLOWED']);
      bed.clock.set(new Date(start.getTime() + 5 * 60_000));
      const fresh = await codes(shift);
      expect((await door('in', fresh.checkInCode!.payload, volunteer(1))).userErrors).toEqual([]);
      expect((await door('in', fresh.checkInCode!.payload, volunteer(2))).userErrors).toEqual([]);
      expect(codesOf(await door('in', fresh.checkInCode!.payload, volunteer(1)))).toEqual(['ALREADY_EXISTS']);
      bed.clock.set(new Date(start.getTime() + 65 * 60_000));
      const out = await door('out', (await codes(shift)).checkOutCode!.payload, volunteer(1));
      expect(out.userErrors).toEqual([]);
      expect(out.signup?.minutes).toBe(60);
      // Before the end: not yet.
      expect(codesOf(await approve(shift))).toEqual(['INVALID_STATE']);
      bed.clock.set(new Date(start.getTime() + 3 * HOUR));
      // Authority before state: an admin elsewhere learns nothing of the shift's attendance.
      expect(codesOf(await approve(shift, viewers.zimingStation))).toEqual(['NOT_ALLOWED']);
      const before = await createdEvents();
      const approved = await approve(shift);
      expect(approved.userErrors).toEqual([]);
      // Volunteer 1 checked out after 60 minutes; volunteer 2's open check-in is closed at the end (115 minutes); volunteer 3 never came.
      expect(approved.serviceRecords.map((record) => [record.volunteer?.id, record.minutes]).sort()).toEqual(
        [
          [DEMO_VOLUNTEERS[1]!.id, 60],
          [DEMO_VOLUNTEERS[2]!.id, 115],
        ].sort(),
      );
      expect(approved.noShows).toBe(1);
      expect((await createdEvents()) - before).toBe(2);
      // Again: nothing new.
      const again = await approve(shift);
      expect(again.userErrors).toEqual([]);
      expect(again.serviceRecords).toEqual([]);
      expect(again.noShows).toBe(0);
      const records = await bed.requests.database.db.select().from(serviceRecords).where(eq(serviceRecords.dutyShiftId, shift));
      expect(records).toHaveLength(2);
      // And the database holds one record per shift and volunteer, whatever code writes.
      const [first] = records;
      expect(await refusedBy(bed.requests.database.db.insert(serviceRecords).values({ ...first!, id: newId() }), '23505', 'service_records_one_per_shift_attendance')).toBe(true);
      // A reversal must stay on its original's shift, whatever code writes it; the correction mutation keeps it there.
      const otherShift = await newShift(new Date(Date.now() + 48 * HOUR), 1, 1);
      expect(
        await refusedBy(
          bed.requests.database.db
            .insert(serviceRecords)
            .values({ ...first!, id: newId(), kind: 'reversal', minutes: -first!.minutes, reversesId: first!.id, dutyShiftId: otherShift, reason: 'x' }),
          '23514',
          'service_records_reversal_matches',
        ),
      ).toBe(true);
      const corrected = await run<{ serviceRecordCorrect: { replacement: { minutes: number; dutyShift: { id: string } | null } | null; userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: ServiceRecordCorrectInput!) { serviceRecordCorrect(input: $input) { replacement { minutes dutyShift { id } } userErrors { field code message } } }`,
        viewers.lin,
        { input: { record: first!.id, minutes: 30, reason: '少算了交接时间' } },
      );
      expect(corrected.serviceRecordCorrect).toEqual({ replacement: { minutes: 30, dutyShift: { id: shift } }, userErrors: [] });
      const [noShow] = await bed.requests.database.db
        .select()
        .from(dutyShiftSignups)
        .where(and(eq(dutyShiftSignups.shiftId, shift), eq(dutyShiftSignups.personId, DEMO_VOLUNTEERS[3]!.id)));
      expect(noShow?.noShow).toBe(true);
    } finally {
      bed.clock.reset();
    }
  });

  it('keeps the place of a volunteer who checked in early: it is no longer theirs to give back', async () => {
    const start = new Date(Math.ceil((Date.now() + 96 * HOUR) / HOUR) * HOUR);
    const shift = await newShift(start, 2, 1);
    expect((await place('dutyShiftSignUp', shift, volunteer(8))).userErrors).toEqual([]);
    bed.clock.set(new Date(start.getTime() - 30 * 60_000));
    try {
      expect((await door('in', (await codes(shift)).checkInCode!.payload, volunteer(8))).userErrors).toEqual([]);
      const refused = await place('dutyShiftWithdraw', shift, volunteer(8));
      expect(codesOf(refused)).toEqual(['INVALID_STATE']);
      expect(refused.signup?.status).toBe('CONFIRMED');
    } finally {
      bed.clock.reset();
    }
  });

  it('marks no-shows by the sweep once a shift has ended', async () => {
    const start = new Date(Math.ceil((Date.now() + 24 * HOUR) / HOUR) * HOUR);
    const shift = await newShift(start, 1, 2);
    expect((await place('dutyShiftSignUp', shift, volunteer(5))).userErrors).toEqual([]);
    expect(await sweepNoShows(bed.requests.database.db, bed.clock)).toBe(0);
    bed.clock.set(new Date(start.getTime() + 2 * HOUR));
    try {
      expect(await sweepNoShows(bed.requests.database.db, bed.clock)).toBeGreaterThanOrEqual(1);
      expect(await sweepNoShows(bed.requests.database.db, bed.clock)).toBe(0);
      const [row] = await bed.requests.database.db.select().from(dutyShiftSignups).where(eq(dutyShiftSignups.shiftId, shift));
      expect(row?.noShow).toBe(true);
      expect(codesOf(await place('dutyShiftWithdraw', shift, volunteer(5)))).toEqual(['INVALID_STATE']);
    } finally {
      bed.clock.reset();
    }
  });

  it('reads a post’s shifts with their places and sign-ups in the same statements however many shifts it has', async () => {
    const post = await newPost();
    const start = Date.now() + 72 * HOUR;
    const { shifts } = await createShifts(
      post,
      Array.from({ length: 4 }, (_, day) => ({ startsAt: new Date(start + day * 24 * HOUR), endsAt: new Date(start + day * 24 * HOUR + 2 * HOUR), places: 2 })),
    );
    for (const shift of shifts) await place('dutyShiftSignUp', shift.id, volunteer(8));
    const read = (to: Date) =>
      countStatements(bed.requests.database, () =>
        run(bed, `query ($id: ID!, $to: DateTime) { dutyPost(id: $id) { shifts(to: $to) { confirmedCount signUps { person { id } } } } }`, viewers.lin, {
          id: post,
          to,
        }),
      );
    const one = await read(new Date(start + HOUR));
    const four = await read(new Date(start + 4 * 24 * HOUR));
    expect((four.result as { dutyPost: { shifts: { confirmedCount: number }[] } }).dutyPost.shifts.map((shift) => shift.confirmedCount)).toEqual([1, 1, 1, 1]);
    expect(four.count).toBe(one.count);
  });

  it('shows the whole list to the post’s admins and only their own place to a volunteer', async () => {
    const shift = await newShift(new Date(Date.now() + 48 * HOUR), 2, 3);
    await place('dutyShiftSignUp', shift, volunteer(6));
    await place('dutyShiftSignUp', shift, volunteer(7));
    const signUpsAs = async (viewer: Viewer) => {
      const data = await run<{ dutyPosts: { edges: { node: { shifts: { id: string; signUps: { person: { id: string } | null }[] }[] } }[] } }>(
        bed,
        `query { dutyPosts(first: 100) { edges { node { shifts(from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { id signUps { person { id } } } } } } }`,
        viewer,
      );
      return data.dutyPosts.edges
        .flatMap((edge) => edge.node.shifts)
        .find((row) => row.id === shift)!
        .signUps.map((row) => row.person?.id);
    };
    expect(await signUpsAs(viewers.lin)).toEqual([DEMO_VOLUNTEERS[6]!.id, DEMO_VOLUNTEERS[7]!.id]);
    expect(await signUpsAs(volunteer(7))).toEqual([DEMO_VOLUNTEERS[7]!.id]);
    const mine = await run<{ _entities: { dutyShifts: { id: string }[] | null }[] }>(
      bed,
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { dutyShifts { id } } } }`,
      volunteer(7),
      {
        reps: [
          { __typename: 'Person', id: DEMO_VOLUNTEERS[7]!.id },
          { __typename: 'Person', id: DEMO_VOLUNTEERS[6]!.id },
        ],
      },
    );
    expect(mine._entities[0]!.dutyShifts!.map((row) => row.id)).toContain(shift);
    expect(mine._entities[1]!.dutyShifts).toBeNull();
  });
});
