/**
 * Micro-wishes and activities that count, end to end through the gateway: a
 * fulfilled wish's hours, stated by the volunteer and confirmed by the
 * station, become a service record that points deposits on the volunteer's
 * account and recognition adds to their tally, as any other record; and an
 * activity's ratings and outputs reach the analysts' statistics.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
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

describe('an activity’s ratings and outputs', () => {
  it('appear in the analysts’ activity statistics by series, ratings withheld while too few', async () => {
    const HOUR = 3600_000;
    const admin = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const analyst = await graph.token({ roles: ['analyst'] });
    const { series } = await must<{ series: { id: string } }>('activitySeriesCreate', 'series { id }', { name: '消杀进小区', place: XINGLE }, admin);
    const startsAt = new Date(Date.now() + 2 * HOUR);
    const input = { title: '小区消杀', category: 'other', place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), capacity: 10, series: series.id };
    const { activity } = await must<{ activity: { id: string } }>('activityCreate', 'activity { id }', input, admin);
    const { activity: started } = await must<{ activity: { id: string } }>(
      'activityCreate',
      'activity { id }',
      { ...input, startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + HOUR) },
      admin,
    );
    await must('activitySeriesAttach', 'activity { id }', { activity: started.id, series: series.id }, admin);
    // Outputs wait for the start; the started one records them.
    const early = await ok<{ activityOutputsSet: { userErrors: { code: string }[] } }>(
      'mutation ($input: ActivityOutputsSetInput!) { activityOutputsSet(input: $input) { userErrors { code } } }',
      admin,
      { input: { activity: activity.id, outputs: [{ kind: 'AREA_COVERED_SQUARE_METRES', quantity: 1 }] } },
    );
    expect(early.activityOutputsSet.userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    const outputs = [
      { kind: 'MATERIALS_DISTRIBUTED', quantity: 4200 },
      { kind: 'AREA_COVERED_SQUARE_METRES', quantity: 76000 },
    ];
    await must('activityOutputsSet', 'activity { id }', { activity: started.id, outputs }, admin);

    // Five participants check in at the started activity and rate it.
    const { activity: door } = await ok<{ activity: { checkInCode: { payload: string } } }>('query ($id: ID!) { activity(id: $id) { checkInCode { payload } } }', admin, {
      id: started.id,
    });
    const scores = [5, 5, 4, 4, 3];
    for (const [index, score] of scores.entries()) {
      const person = DEMO_VOLUNTEERS[index + 2]!;
      const token = await graph.token({ roles: ['volunteer'], personId: person.id });
      const signedUp = await ok<{ activitySignUp: { signup: { status: string } | null; userErrors: unknown[] } }>(
        'mutation ($input: ActivitySignUpInput!) { activitySignUp(input: $input) { signup { status } userErrors { code } } }',
        token,
        { input: { activity: started.id } },
      );
      expect(signedUp.activitySignUp.userErrors).toEqual([]);
      await must('activityCheckIn', 'attendance { checkedInAt }', { code: door.checkInCode.payload }, token);
      await must('activityRate', 'activity { id }', { activity: started.id, score }, token);
    }

    const QUERY = `query ($f: ActivityStatsFilter, $g: ActivityGrouping) { activityStats(filter: $f, groupBy: $g) {
      total { activities ratings averageRating ratingsWithheld outputs { kind quantity unit } }
      buckets { region { id } series { name } figures { activities ratings averageRating outputs { kind quantity } } } } }`;
    type Stats = {
      activityStats: { total: Record<string, unknown>; buckets: { region: { id: string } | null; series: { name: string } | null; figures: Record<string, unknown> }[] };
    };
    const stats = await ok<Stats>(QUERY, analyst, { f: { series: series.id }, g: { region: 'COMMUNITY', series: true } });
    expect(stats.activityStats.total).toEqual({
      activities: 2,
      ratings: 5,
      averageRating: 4.2,
      ratingsWithheld: false,
      outputs: [
        { kind: 'MATERIALS_DISTRIBUTED', quantity: 4200, unit: '份' },
        { kind: 'AREA_COVERED_SQUARE_METRES', quantity: 76000, unit: '平方米' },
      ],
    });
    expect(stats.activityStats.buckets).toEqual([
      {
        region: { id: XINGLE },
        series: { name: '消杀进小区' },
        figures: {
          activities: 2,
          ratings: 5,
          averageRating: 4.2,
          outputs: [
            { kind: 'MATERIALS_DISTRIBUTED', quantity: 4200 },
            { kind: 'AREA_COVERED_SQUARE_METRES', quantity: 76000 },
          ],
        },
      },
    ]);
    // The demo's 1+10+N series has two ratings: too few, so withheld from analysts.
    const few = await ok<Stats>(QUERY, analyst, { f: { series: demoId(13, 0x301) } });
    expect(few.activityStats.total).toMatchObject({ activities: 1, ratings: null, averageRating: null, ratingsWithheld: true });
  });
});
