/** Activities: sign-up with a waitlist, check-in and out by signed door codes, capped hours, forgotten check-outs, approval into service records. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq } from 'drizzle-orm';
import { createLogger, newId, startScheduler, type Viewer } from '@lianxin/shared';
import { DEMO_VOLUNTEERS, demoBeijing, demoId } from '@lianxin/shared/demo';
import { manualTimers, viewerOf, waitFor } from '@lianxin/shared/testing';
import { sweepForgottenCheckOuts } from '../src/activities/service.js';
import { activityAttendances, serviceRecords } from '../src/db/schema.js';
import { requestsJobs } from '../src/jobs.js';
import { readRequestsSettings } from '../src/settings.js';
import { XINGLE, codeOf, run, startRequests, viewers, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

const volunteer = (index: number): Viewer => viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[index]!.id });
const HOUR = 3600_000;

async function createActivity(startsAt: Date, hours: number, capacity: number): Promise<string> {
  const data = await run<{ activityCreate: { activity: { id: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: ActivityCreateInput!) { activityCreate(input: $input) { activity { id } userErrors { field code message } } }`,
    viewers.lin,
    { input: { title: '清理小广告', category: 'cleaning', place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + hours * HOUR), capacity } },
  );
  if (!data.activityCreate.activity) throw new Error(JSON.stringify(data.activityCreate.userErrors));
  return data.activityCreate.activity.id;
}

async function signUp(activity: string, viewer: Viewer, cancel = false) {
  const mutation = cancel ? 'activitySignUpCancel' : 'activitySignUp';
  const data = await run<Record<string, { signup: { status: string } | null; userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${cancel ? 'ActivitySignUpCancelInput' : 'ActivitySignUpInput'}!) { ${mutation}(input: $input) { signup { status } userErrors { field code message } } }`,
    viewer,
    { input: { activity } },
  );
  return data[mutation]!;
}

async function codes(activity: string, viewer: Viewer = viewers.lin) {
  const data = await run<{ activity: { checkInCode: { payload: string; expiresAt: Date } | null; checkOutCode: { payload: string } | null } }>(
    bed,
    `query ($id: ID!) { activity(id: $id) { checkInCode { payload expiresAt } checkOutCode { payload } } }`,
    viewer,
    { id: activity },
  );
  return data.activity;
}

async function door(direction: 'in' | 'out', code: string, viewer: Viewer) {
  const mutation = direction === 'in' ? 'activityCheckIn' : 'activityCheckOut';
  const data = await run<Record<string, { attendance: { minutes: number | null; autoClosed: boolean } | null; userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${direction === 'in' ? 'ActivityCheckInInput' : 'ActivityCheckOutInput'}!) { ${mutation}(input: $input) { attendance { minutes autoClosed } userErrors { field code message } } }`,
    viewer,
    { input: { code } },
  );
  return data[mutation]!;
}

/** A volunteer's attendance at an activity, read from its table. */
async function attendanceOf(activity: string, person: string) {
  const [row] = await bed.requests.database.db
    .select({ checkedOutAt: activityAttendances.checkedOutAt, autoClosed: activityAttendances.autoClosed })
    .from(activityAttendances)
    .where(and(eq(activityAttendances.activityId, activity), eq(activityAttendances.personId, person)));
  return row;
}

async function approve(activity: string, attendances: { person: string; minutes?: number }[], viewer: Viewer = viewers.lin) {
  const data = await run<{ activityHoursApprove: { serviceRecords: { minutes: number; verifiedBy: { id: string } | null }[]; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: ActivityHoursApproveInput!) { activityHoursApprove(input: $input) { serviceRecords { minutes verifiedBy { id } } userErrors { field code message } } }`,
    viewer,
    { input: { activity, attendances } },
  );
  return data.activityHoursApprove;
}

describe('signing up', () => {
  it('confirms places up to the capacity, then waitlists, and moves the waitlist up when a place is given back', async () => {
    const activity = await createActivity(new Date(Date.now() + 48 * HOUR), 2, 2);
    expect((await signUp(activity, volunteer(1))).signup).toEqual({ status: 'CONFIRMED' });
    expect((await signUp(activity, volunteer(2))).signup).toEqual({ status: 'CONFIRMED' });
    expect((await signUp(activity, volunteer(3))).signup).toEqual({ status: 'WAITLISTED' });
    expect((await signUp(activity, volunteer(3))).userErrors.map((error) => error.code)).toEqual(['ALREADY_EXISTS']);
    expect((await signUp(activity, volunteer(1), true)).signup).toEqual({ status: 'CANCELLED' });
    const data = await run<{ activity: { confirmedCount: number; waitlistCount: number; signups: { edges: { node: { person: { id: string }; status: string } }[] } } }>(
      bed,
      `query ($id: ID!) { activity(id: $id) { confirmedCount waitlistCount signups(includeCancelled: true) { edges { node { person { id } status } } } } }`,
      viewers.lin,
      { id: activity },
    );
    expect(data.activity).toEqual({
      confirmedCount: 2,
      waitlistCount: 0,
      signups: {
        edges: [
          { node: { person: { id: DEMO_VOLUNTEERS[1]!.id }, status: 'CANCELLED' } },
          { node: { person: { id: DEMO_VOLUNTEERS[2]!.id }, status: 'CONFIRMED' } },
          { node: { person: { id: DEMO_VOLUNTEERS[3]!.id }, status: 'CONFIRMED' } },
        ],
      },
    });
  });

  it('never confirms more than the capacity when many sign up at once', async () => {
    const activity = await createActivity(new Date(Date.now() + 48 * HOUR), 2, 3);
    const results = await Promise.all(DEMO_VOLUNTEERS.slice(0, 10).map((_, index) => signUp(activity, volunteer(index))));
    expect(results.filter((result) => result.signup?.status === 'CONFIRMED')).toHaveLength(3);
    expect(results.filter((result) => result.signup?.status === 'WAITLISTED')).toHaveLength(7);
  });

  it('leaves organising to team captains and admins inside their scope', async () => {
    const input = { title: '义诊', place: XINGLE, startsAt: new Date(Date.now() + HOUR), endsAt: new Date(Date.now() + 2 * HOUR), capacity: 5 };
    const mutation = `mutation ($input: ActivityCreateInput!) { activityCreate(input: $input) { activity { id } userErrors { field code } } }`;
    expect(codeOf(await bed.requests.execute(mutation, { variables: { input }, viewer: viewers.zhang }))).toBe('FORBIDDEN');
    const outside = await run<{ activityCreate: { userErrors: unknown[] } }>(bed, mutation, viewers.zimingStation, { input });
    expect(outside.activityCreate.userErrors).toEqual([{ field: ['input', 'place'], code: 'NOT_ALLOWED' }]);
    const tooLong = await run<{ activityCreate: { userErrors: unknown[] } }>(bed, mutation, viewers.lin, { input: { ...input, endsAt: new Date(Date.now() + 30 * HOUR) } });
    expect(tooLong.activityCreate.userErrors).toEqual([{ field: ['input', 'endsAt'], code: 'INVALID' }]);
  });
});

describe('the door', () => {
  it('shows codes to the organiser only, and refuses tampered, expired and wrong-door codes', async () => {
    const start = new Date(Date.now() + 10 * HOUR);
    const activity = await createActivity(start, 2, 5);
    await signUp(activity, volunteer(4));
    expect(await codes(activity, volunteer(4))).toEqual({ checkInCode: null, checkOutCode: null });
    bed.clock.set(new Date(start.getTime() - 10 * 60_000));
    try {
      const { checkInCode, checkOutCode } = await codes(activity);
      const [body, seal] = checkInCode!.payload.split('.') as [string, string];
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
      const stretched = `${Buffer.from(JSON.stringify({ ...claims, exp: (claims['exp'] as number) + 86_400 })).toString('base64url')}.${seal}`;
      expect((await door('in', stretched, volunteer(4))).userErrors).toEqual([{ field: ['input', 'code'], code: 'INVALID', message: expect.any(String) }]);
      expect((await door('in', checkOutCode!.payload, volunteer(4))).userErrors.map((error) => error.code)).toEqual(['INVALID']);
      expect((await door('in', 'garbage', volunteer(4))).userErrors.map((error) => error.code)).toEqual(['INVALID']);
      bed.clock.advance(121_000);
      expect((await door('in', checkInCode!.payload, volunteer(4))).userErrors).toEqual([{ field: ['input', 'code'], code: 'EXPIRED', message: expect.any(String) }]);
      const [attendance] = await bed.requests.database.db.select().from(activityAttendances).where(eq(activityAttendances.activityId, activity));
      expect(attendance).toBeUndefined();
    } finally {
      bed.clock.reset();
    }
  });

  it('refuses a check-out before a check-in, and a check-in without a confirmed place', async () => {
    const start = new Date(Date.now() + 20 * HOUR);
    const activity = await createActivity(start, 2, 1);
    await signUp(activity, volunteer(5));
    await signUp(activity, volunteer(6));
    bed.clock.set(new Date(start.getTime() + 5 * 60_000));
    try {
      const { checkInCode, checkOutCode } = await codes(activity);
      expect((await door('out', checkOutCode!.payload, volunteer(5))).userErrors).toEqual([
        { field: ['input', 'code'], code: 'INVALID_STATE', message: 'You have not checked in: check in before checking out.' },
      ]);
      expect((await door('in', checkInCode!.payload, volunteer(6))).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
      expect((await door('in', checkInCode!.payload, volunteer(5))).userErrors).toEqual([]);
      expect((await door('in', checkInCode!.payload, volunteer(5))).userErrors.map((error) => error.code)).toEqual(['ALREADY_EXISTS']);
    } finally {
      bed.clock.reset();
    }
  });

  it('counts the time between the codes, capped at the activity’s length, and closes forgotten check-outs 24 hours after the end', async () => {
    const start = new Date(Date.now() + 30 * HOUR);
    const end = new Date(start.getTime() + 2 * HOUR);
    const activity = await createActivity(start, 2, 5);
    for (const index of [7, 8, 9]) await signUp(activity, volunteer(index));
    bed.clock.set(new Date(start.getTime() - 30 * 60_000));
    try {
      const early = (await codes(activity)).checkInCode!.payload;
      for (const index of [7, 8, 9]) expect((await door('in', early, volunteer(index))).userErrors).toEqual([]);
      bed.clock.set(new Date(start.getTime() + 80 * 60_000));
      expect((await door('out', (await codes(activity)).checkOutCode!.payload, volunteer(8))).attendance).toEqual({ minutes: 110, autoClosed: false });
      // Checked in half an hour early and out an hour late: still at most the activity's two hours.
      bed.clock.set(new Date(end.getTime() + HOUR));
      expect((await door('out', (await codes(activity)).checkOutCode!.payload, volunteer(7))).attendance).toEqual({ minutes: 120, autoClosed: false });
      // 9 never checks out. Before 24 hours have passed the sweep closes nothing; after, it closes the check-in at the end and flags it.
      // (The sweep covers every activity: other tests' open check-ins may be closed by it too, so its counts are not this test's.)
      bed.clock.set(new Date(end.getTime() + 23 * HOUR));
      await sweepForgottenCheckOuts(bed.requests.database.db, bed.clock);
      expect(await attendanceOf(activity, DEMO_VOLUNTEERS[9]!.id)).toEqual({ checkedOutAt: null, autoClosed: false });
      bed.clock.set(new Date(end.getTime() + 24 * HOUR + 60_000));
      const attendances = () =>
        run<{ activity: { attendances: { edges: { node: { person: { id: string }; minutes: number | null; autoClosed: boolean; checkedOutAt: Date | null } }[] } } }>(
          bed,
          `query ($id: ID!) { activity(id: $id) { attendances { edges { node { person { id } minutes autoClosed checkedOutAt } } } } }`,
          viewers.lin,
          { id: activity },
        );
      const closedByThem = [
        { person: { id: DEMO_VOLUNTEERS[7]!.id }, minutes: 120, autoClosed: false, checkedOutAt: new Date(end.getTime() + HOUR) },
        { person: { id: DEMO_VOLUNTEERS[8]!.id }, minutes: 110, autoClosed: false, checkedOutAt: new Date(start.getTime() + 80 * 60_000) },
      ];
      // Reading writes nothing: until the sweep runs, the forgotten check-in shows as open.
      expect((await attendances()).activity.attendances.edges.map((edge) => edge.node)).toEqual([
        ...closedByThem,
        { person: { id: DEMO_VOLUNTEERS[9]!.id }, minutes: null, autoClosed: false, checkedOutAt: null },
      ]);
      expect(await attendanceOf(activity, DEMO_VOLUNTEERS[9]!.id)).toEqual({ checkedOutAt: null, autoClosed: false });
      expect(await sweepForgottenCheckOuts(bed.requests.database.db, bed.clock)).toBeGreaterThanOrEqual(1);
      // Once closed, a check-in is no longer forgotten: the next sweep finds nothing.
      expect(await sweepForgottenCheckOuts(bed.requests.database.db, bed.clock)).toBe(0);
      expect((await attendances()).activity.attendances.edges.map((edge) => edge.node)).toEqual([
        ...closedByThem,
        { person: { id: DEMO_VOLUNTEERS[9]!.id }, minutes: 120, autoClosed: true, checkedOutAt: end },
      ]);
      const late = await door('out', (await codes(activity)).checkOutCode!.payload, volunteer(9));
      expect(late.userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);

      // The organiser approves: 9's flagged time is confirmed at 90 minutes; nothing more than the length is allowed.
      const tooMuch = await approve(activity, [{ person: DEMO_VOLUNTEERS[7]!.id }, { person: DEMO_VOLUNTEERS[9]!.id, minutes: 121 }]);
      expect(tooMuch).toEqual({ serviceRecords: [], userErrors: [{ field: ['input', 'attendances', '1', 'minutes'], code: 'INVALID', message: expect.any(String) }] });
      expect(await bed.requests.database.db.select().from(serviceRecords).where(eq(serviceRecords.activityId, activity))).toEqual([]);
      const approved = await approve(activity, [{ person: DEMO_VOLUNTEERS[7]!.id }, { person: DEMO_VOLUNTEERS[8]!.id }, { person: DEMO_VOLUNTEERS[9]!.id, minutes: 90 }]);
      expect(approved).toEqual({
        serviceRecords: [120, 110, 90].map((minutes) => ({ minutes, verifiedBy: { id: viewers.lin.personId } })),
        userErrors: [],
      });
      expect((await approve(activity, [{ person: DEMO_VOLUNTEERS[7]!.id }])).userErrors.map((error) => error.code)).toEqual(['ALREADY_EXISTS']);
      expect((await approve(activity, [{ person: newId() }])).userErrors.map((error) => error.code)).toEqual(['NOT_FOUND']);
      expect((await approve(activity, [{ person: DEMO_VOLUNTEERS[7]!.id }], viewers.zhang)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    } finally {
      bed.clock.reset();
    }
  });

  it('keeps approval for after the end', async () => {
    const activity = await createActivity(new Date(Date.now() + 50 * HOUR), 1, 5);
    expect((await approve(activity, [{ person: DEMO_VOLUNTEERS[0]!.id }])).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
  });
});

describe('the sweep of forgotten check-outs', () => {
  it('is a job the subgraph’s scheduler runs on its own, at its tick', async () => {
    const start = new Date(Date.now() + 60 * HOUR);
    const end = new Date(start.getTime() + HOUR);
    const activity = await createActivity(start, 1, 5);
    await signUp(activity, volunteer(10));
    bed.clock.set(start);
    try {
      expect((await door('in', (await codes(activity)).checkInCode!.payload, volunteer(10))).userErrors).toEqual([]);
      // A day and an hour after the activity ended, on a five-minute tick.
      bed.clock.set(new Date(Math.ceil((end.getTime() + 25 * HOUR) / (5 * 60_000)) * 5 * 60_000 - 1000));
      const logger = createLogger('requests', 'silent');
      const settings = { ...readRequestsSettings({}), now: bed.clock.now };
      const jobs = requestsJobs({ db: bed.requests.database.db, settings, logger });
      expect(jobs.map((job) => [job.name, job.schedule])).toEqual([
        ['forgotten-check-outs', '*/5 * * * *'],
        ['duty-no-shows', '*/5 * * * *'],
        ['inactivity-alerts', '* * * * *'],
        ['care-plan-occurrences', '10 * * * *'],
        ['service-hour-rollups', '*/10 * * * * *'],
      ]);

      const timers = manualTimers();
      const running = startScheduler(bed.requests.database.db, jobs, { schema: 'requests', logger, now: bed.clock.now, timers });
      try {
        await waitFor('the scheduler sleeps', async () => timers.pending().length > 0);
        timers.fire();
        await waitFor('the scheduler sleeps', async () => timers.pending().length > 0);
        // Registered a second before the tick: nothing has run yet.
        expect(await attendanceOf(activity, DEMO_VOLUNTEERS[10]!.id)).toEqual({ checkedOutAt: null, autoClosed: false });
        bed.clock.advance(1000);
        timers.fire();
        await waitFor('the sweep closes the check-in', async () => (await attendanceOf(activity, DEMO_VOLUNTEERS[10]!.id))?.autoClosed === true);
      } finally {
        await running.stop();
      }
      expect(await attendanceOf(activity, DEMO_VOLUNTEERS[10]!.id)).toEqual({ checkedOutAt: end, autoClosed: true });
    } finally {
      bed.clock.reset();
    }
  });
});

describe('listing activities', () => {
  it('finds them by region subtree and start time', async () => {
    const data = await run<{ activities: { edges: { node: { id: string; title: string } }[] } }>(
      bed,
      `query ($f: ActivityFilter) { activities(filter: $f) { edges { node { id title } } } }`,
      viewers.zhang,
      // The demo's year up to the spring's gate duty: its activity day, not the duty's days, the planned day nor the tests' own (all later).
      { f: { region: XINGLE, startsFrom: demoBeijing(1, 1, 8), startsBefore: demoBeijing(4, 1, 0) } },
    );
    expect(data.activities.edges.map((edge) => edge.node)).toEqual([{ id: demoId(13, 1), title: '学雷锋日：清理小广告' }]);
  });
});
