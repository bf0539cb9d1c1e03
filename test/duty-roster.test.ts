/**
 * A duty roster end to end through the gateway: an admin sets up a hotline
 * post and a shift, a volunteer takes a place, checks in and out with the
 * codes shown at the post, the admin approves the shift, and the volunteer's
 * hours (requests) and balance (points, from `service_record.created`) move.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq } from 'drizzle-orm';
import { DEMO_REGIONS, DEMO_STAFF, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { dutyShiftSignups, dutyShifts } from '../subgraphs/requests/src/db/schema.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({ EVENT_POLL_INTERVAL_MS: '50' });
});
afterAll(async () => {
  await graph?.stop();
});

const { ok, must, eventually } = operationsOn(() => graph);
const HOUR = 3600_000;
const XINGLE = DEMO_REGIONS.xingle.id;
const volunteer = DEMO_VOLUNTEERS[1]!;

type Standing = { person: { account: { balance: number } | null; serviceHours: { minutes: number } } };
const standingQuery = `query ($id: ID!) { person(id: $id) { account { balance } serviceHours { minutes } } }`;

describe('a duty shift', () => {
  it('signed up for, checked in and out, approved: the volunteer’s hours and balance move', async () => {
    const admin = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const token = await graph.token({ roles: ['volunteer'], personId: volunteer.id });
    const before = await ok<Standing>(standingQuery, token, { id: volunteer.id });

    const { post } = await must<{ post: { id: string } }>('dutyPostCreate', 'post { id }', { name: '连心热线', kind: 'HOTLINE', place: XINGLE }, admin);
    const startsAt = new Date(Date.now() + HOUR / 2);
    const { shifts } = await must<{ shifts: { id: string }[] }>(
      'dutyShiftsCreate',
      'shifts { id }',
      { post: post.id, shifts: [{ startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), places: 2 }] },
      admin,
    );
    const shift = shifts[0]!.id;
    expect((await must<{ signup: { status: string } }>('dutyShiftSignUp', 'signup { status }', { shift }, token)).signup.status).toBe('CONFIRMED');
    const mine = await ok<{ person: { dutyShifts: { id: string }[] | null } }>(`query ($id: ID!) { person(id: $id) { dutyShifts { id } } }`, token, { id: volunteer.id });
    expect(mine.person.dutyShifts?.map((row) => row.id)).toContain(shift);

    type Codes = { dutyPost: { shifts: { id: string; checkInCode: { payload: string }; checkOutCode: { payload: string } }[] } };
    const codes = await ok<Codes>(`query ($id: ID!) { dutyPost(id: $id) { shifts { id checkInCode { payload } checkOutCode { payload } } } }`, admin, { id: post.id });
    const { checkInCode, checkOutCode } = codes.dutyPost.shifts.find((row) => row.id === shift)!;
    await must('dutyShiftCheckIn', 'signup { checkedInAt }', { code: checkInCode.payload }, token);
    await must('dutyShiftCheckOut', 'signup { minutes }', { code: checkOutCode.payload }, token);

    // Shifts are approved once over: move the shift, and the presence at it, three hours back.
    const db = graph.graph.subgraphs.requests.database.db;
    const began = new Date(Date.now() - 3 * HOUR);
    await db
      .update(dutyShifts)
      .set({ startsAt: began, endsAt: new Date(began.getTime() + 2 * HOUR) })
      .where(eq(dutyShifts.id, shift));
    await db
      .update(dutyShiftSignups)
      .set({ checkedInAt: began, checkedOutAt: new Date(began.getTime() + 100 * 60_000), minutes: 100 })
      .where(and(eq(dutyShiftSignups.shiftId, shift), eq(dutyShiftSignups.personId, volunteer.id)));

    const approved = await must<{ serviceRecords: { id: string; minutes: number }[] }>('dutyShiftApprove', 'serviceRecords { id minutes }', { shift }, admin);
    expect(approved.serviceRecords.map((record) => record.minutes)).toEqual([100]);
    expect((await must<{ serviceRecords: unknown[] }>('dutyShiftApprove', 'serviceRecords { id }', { shift }, admin)).serviceRecords).toEqual([]);

    type Deposited = { serviceRecord: { deposit: { points: number } | null } };
    const deposited = await eventually<Deposited>(
      'the deposit of the shift’s record',
      `query ($id: ID!) { serviceRecord(id: $id) { deposit { points } } }`,
      token,
      { id: approved.serviceRecords[0]!.id },
      (data) => data.serviceRecord.deposit !== null,
    );
    const after = await ok<Standing>(standingQuery, token, { id: volunteer.id });
    expect(after.person.serviceHours.minutes - before.person.serviceHours.minutes).toBe(100);
    expect(deposited.serviceRecord.deposit!.points).toBeGreaterThan(0);
    expect(after.person.account!.balance - before.person.account!.balance).toBe(deposited.serviceRecord.deposit!.points);
  });
});
