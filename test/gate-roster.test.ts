/**
 * The demo's gate-scanning roster through the gateway: a compound gate with a
 * 05:00 shift every day for four weeks, its first week copied to the three
 * after it; the days before today served by 七色光's daily groups and
 * approved into service records that name their shift (and that points
 * deposited from `service_record.created`), a no-show and a refused
 * attendance among them, and the days ahead with open places.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_STAFF, demoBeijing } from '@lianxin/shared/demo';
import { GATE_POST } from '../subgraphs/requests/src/db/demo/gate-roster.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.stop();
});

const { ok } = operationsOn(() => graph);
const XINGLE = DEMO_REGIONS.xingle.id;
const QISEGUANG = new Set(DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'qiseguang').map((volunteer) => volunteer.id));

type SignUp = {
  person: { id: string };
  noShow: boolean;
  refusalReason: string | null;
  serviceRecord: { id: string; minutes: number; dutyShift: { id: string } | null } | null;
};
type Shift = { id: string; startsAt: string; endsAt: string; places: number; confirmedCount: number; signUps: SignUp[] };
type Post = { dutyPost: { name: string; kind: string; place: { id: string } | null; shifts: Shift[] } | null };

const POST_QUERY = `query ($id: ID!, $from: DateTime!, $to: DateTime!) { dutyPost(id: $id) {
  name kind place { id }
  shifts(from: $from, to: $to) { id startsAt endsAt places confirmedCount signUps { person { id } noShow refusalReason serviceRecord { id minutes dutyShift { id } } } }
} }`;

describe('the demo’s gate-scanning roster', () => {
  it('runs a 05:00 shift every day for four weeks, the first week’s pattern copied, served in 七色光’s daily groups', async () => {
    const admin = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const from = demoBeijing(11, 27, 0);
    const data = await ok<Post>(POST_QUERY, admin, { id: GATE_POST, from, to: demoBeijing(12, 31, 0) });
    const post = data.dutyPost!;
    expect(post).toMatchObject({ kind: 'GATE', place: { id: DEMO_REGIONS.xingleCompoundWest.id } });
    expect(post.shifts).toHaveLength(28);
    for (const [day, shift] of post.shifts.entries()) {
      expect([day, new Date(shift.startsAt).toISOString(), new Date(shift.endsAt).toISOString(), shift.places]).toEqual([
        day,
        demoBeijing(11, 28 + day, 5).toISOString(),
        demoBeijing(11, 28 + day, 11).toISOString(),
        5,
      ]);
    }
    const served = post.shifts.slice(0, 5).flatMap((shift) => shift.signUps.map((signUp) => ({ shift: shift.id, ...signUp })));
    expect(served.every((signUp) => QISEGUANG.has(signUp.person.id))).toBe(true);
    // Four a day for five days: one never came, one was refused, the others hold a record of the shift.
    expect(served).toHaveLength(20);
    expect(served.filter((signUp) => signUp.noShow)).toHaveLength(1);
    expect(served.filter((signUp) => signUp.refusalReason !== null)).toHaveLength(1);
    const recorded = served.filter((signUp) => signUp.serviceRecord !== null);
    expect(recorded).toHaveLength(18);
    expect(recorded.every((signUp) => signUp.serviceRecord?.dutyShift?.id === signUp.shift && signUp.serviceRecord.minutes === 360)).toBe(true);
    // Today's shift has no one yet; the week ahead has three of five places taken, the weeks after all five open.
    expect(post.shifts[5]!.confirmedCount).toBe(0);
    expect(post.shifts.slice(6, 13).map((shift) => shift.confirmedCount)).toEqual([3, 3, 3, 3, 3, 3, 3]);
    expect(post.shifts.slice(13).every((shift) => shift.confirmedCount === 0)).toBe(true);
  });

  it('has points deposit the approved hours, as for any service record', async () => {
    const admin = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const data = await ok<Post>(POST_QUERY, admin, { id: GATE_POST, from: demoBeijing(11, 28, 0), to: demoBeijing(11, 29, 0) });
    const served = data.dutyPost!.shifts[0]!.signUps.find((signUp) => signUp.serviceRecord !== null)!;
    const token = await graph.token({ roles: ['volunteer'], personId: served.person.id });
    const standing = await ok<{ person: { account: { balance: number } | null; serviceHours: { minutes: number } } }>(
      `query ($id: ID!) { person(id: $id) { account { balance } serviceHours { minutes } } }`,
      token,
      { id: served.person.id },
    );
    expect(standing.person.serviceHours.minutes).toBeGreaterThanOrEqual(360);
    expect(standing.person.account?.balance ?? 0).toBeGreaterThan(0);
  });
});
