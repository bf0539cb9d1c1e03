/**
 * Micro-wishes and activities that count, end to end through the gateway: a
 * fulfilled wish's hours, stated by the volunteer and confirmed by the
 * station, become a service record that points deposits on the volunteer's
 * account and recognition adds to their tally, as any other record.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
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
const XINGLE = DEMO_REGIONS.xingle.id;
const volunteer = DEMO_VOLUNTEERS[1]!;
const resident = DEMO_RESIDENTS[2]!;

type Standing = { person: { account: { balance: number } | null; serviceHours: { minutes: number }; serviceTally: { minutes: number; services: number } | null } };
const standingQuery = `query ($id: ID!) { person(id: $id) { account { balance } serviceHours { minutes } serviceTally { minutes services } } }`;

describe('a fulfilled micro-wish', () => {
  it('claimed for 75 minutes and confirmed by the station: a record, a deposit on the fulfiller’s account, a tally', async () => {
    const admin = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const wisher = await graph.token({ roles: ['resident'], personId: resident.id });
    const token = await graph.token({ roles: ['volunteer'], personId: volunteer.id });
    const before = await ok<Standing>(standingQuery, token, { id: volunteer.id });

    const { microWish } = await must<{ microWish: { id: string } }>(
      'microWishPost',
      'microWish { id }',
      { title: '一套绘本', story: '孩子想要一套绘本。', place: DEMO_REGIONS.eastBuilding1.id },
      wisher,
    );
    const wish = { wish: microWish.id };
    await must('microWishPublish', 'microWish { id }', wish, admin);
    await must('microWishClaim', 'microWish { id }', wish, token);
    await must('microWishFulfil', 'microWish { id }', { ...wish, note: '送去了一套绘本。', evidenceUrls: ['https://example.org/books.jpg'] }, token);
    // The volunteer may not confirm their own hours, nor state them twice while they wait.
    await must('microWishHoursClaim', 'microWish { hoursClaim { status } }', { ...wish, minutes: 75 }, token);
    const own = await ok<{ microWishHoursConfirm: { userErrors: { code: string }[] } }>(
      'mutation ($input: MicroWishHoursConfirmInput!) { microWishHoursConfirm(input: $input) { userErrors { code } } }',
      token,
      { input: wish },
    );
    expect(own.microWishHoursConfirm.userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);

    const confirmed = await must<{ serviceRecord: { id: string; minutes: number; microWish: { id: string } | null } }>(
      'microWishHoursConfirm',
      'serviceRecord { id minutes microWish { id } }',
      wish,
      admin,
    );
    expect(confirmed.serviceRecord).toMatchObject({ minutes: 75, microWish: { id: microWish.id } });

    type Deposited = { serviceRecord: { deposit: { points: number } | null } };
    const deposited = await eventually<Deposited>(
      'the deposit of the wish’s record',
      `query ($id: ID!) { serviceRecord(id: $id) { deposit { points } } }`,
      token,
      { id: confirmed.serviceRecord.id },
      (data) => data.serviceRecord.deposit !== null,
    );
    const after = await eventually<Standing>(
      'the tally of the wish’s record',
      standingQuery,
      token,
      { id: volunteer.id },
      (data) => (data.person.serviceTally?.minutes ?? 0) === (before.person.serviceTally?.minutes ?? 0) + 75,
    );
    expect(after.person.serviceHours.minutes - before.person.serviceHours.minutes).toBe(75);
    expect(deposited.serviceRecord.deposit!.points).toBeGreaterThan(0);
    expect(after.person.account!.balance - before.person.account!.balance).toBe(deposited.serviceRecord.deposit!.points);
    expect(after.person.serviceTally!.services - (before.person.serviceTally?.services ?? 0)).toBe(1);
  });
});
