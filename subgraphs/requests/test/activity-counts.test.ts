/** Activities that count: participants' ratings (once, by those who checked in), outputs as data, series with totals, counted lists and statistics. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { rowsOf, type Viewer } from '@lianxin/shared';
import { DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { viewerOf } from '@lianxin/shared/testing';
import { XINGLE, ZIMING, codeOf, run, startRequests, viewers, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});
afterEach(() => {
  bed.clock.reset();
});

const volunteer = (index: number): Viewer => viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[index]!.id });
const analyst = viewerOf({ roles: ['analyst'] });
const HOUR = 3600_000;

interface Payload {
  activity: { id: string } | null;
  userErrors: UserErrorShape[];
}

async function mutate<T = Payload>(mutation: string, input: Record<string, unknown>, viewer: Viewer, selection = 'activity { id }'): Promise<T & { userErrors: UserErrorShape[] }> {
  const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const data = await run<Record<string, T & { userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${selection} userErrors { field code message } } }`,
    viewer,
    { input },
  );
  return data[mutation]!;
}

const codes = (payload: { userErrors: UserErrorShape[] }) => payload.userErrors.map((error) => error.code);

async function createSeries(name: string, viewer: Viewer = viewers.lin, place = XINGLE): Promise<string> {
  const created = await mutate<{ series: { id: string } | null }>('activitySeriesCreate', { name, description: '党建引领、共建单位、志愿者', place }, viewer, 'series { id }');
  if (!created.series) throw new Error(JSON.stringify(created.userErrors));
  return created.series.id;
}

async function createActivity(startsAt: Date, series: string | null = null): Promise<string> {
  const input = { title: '防疫宣传', category: 'other', place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), capacity: 20, series };
  const created = await mutate('activityCreate', input, viewers.lin);
  if (!created.activity) throw new Error(JSON.stringify(created.userErrors));
  return created.activity.id;
}

/** Signs the volunteers up, then checks them in ten minutes after the start, where the test's clock stays. */
async function attend(activity: string, startsAt: Date, indexes: readonly number[]): Promise<void> {
  for (const index of indexes) await mutate('activitySignUp', { activity }, volunteer(index), 'signup { status }');
  bed.clock.set(new Date(startsAt.getTime() + 10 * 60_000));
  const data = await run<{ activity: { checkInCode: { payload: string } } }>(bed, 'query ($id: ID!) { activity(id: $id) { checkInCode { payload } } }', viewers.lin, {
    id: activity,
  });
  for (const index of indexes) {
    const checkedIn = await mutate('activityCheckIn', { code: data.activity.checkInCode.payload }, volunteer(index), 'attendance { checkedInAt }');
    expect(checkedIn.userErrors).toEqual([]);
  }
}

describe('an activity’s ratings', () => {
  it('come once from each participant who checked in, 1 to 5; the organiser reads the comments, no one reads the names', async () => {
    const startsAt = new Date(Date.now() + 3 * HOUR);
    const activity = await createActivity(startsAt);
    await attend(activity, startsAt, [1, 2]);
    expect(codes(await mutate('activityRate', { activity, score: 5 }, volunteer(3)))).toEqual(['NOT_ALLOWED']);
    for (const score of [0, 6]) expect((await mutate('activityRate', { activity, score }, volunteer(1))).userErrors.map((error) => error.field)).toEqual([['input', 'score']]);
    expect((await mutate('activityRate', { activity, score: 4, comment: 'x'.repeat(501) }, volunteer(1))).userErrors.map((error) => error.field)).toEqual([['input', 'comment']]);
    expect(codes(await mutate('activityRate', { activity: 'nope', score: 4 }, volunteer(1)))).toEqual(['INVALID']);
    expect(codes(await mutate('activityRate', { activity, score: 4, comment: '组织得很好' }, volunteer(1)))).toEqual([]);
    expect(codes(await mutate('activityRate', { activity, score: 5 }, volunteer(1)))).toEqual(['ALREADY_EXISTS']);
    expect(codes(await mutate('activityRate', { activity, score: 3 }, volunteer(2)))).toEqual([]);

    const QUERY = 'query ($id: ID!) { activity(id: $id) { rating { average count stars } viewerRating { score } reviews { score comment } } }';
    type Rated = {
      activity: {
        rating: { average: number; count: number; stars: number[] };
        viewerRating: { score: number } | null;
        reviews: { score: number; comment: string | null }[] | null;
      };
    };
    const seenByOrganiser = await run<Rated>(bed, QUERY, viewers.lin, { id: activity });
    expect(seenByOrganiser.activity.rating).toEqual({ average: 3.5, count: 2, stars: [0, 0, 1, 1, 0] });
    expect(seenByOrganiser.activity.reviews).toEqual(
      expect.arrayContaining([
        { score: 4, comment: '组织得很好' },
        { score: 3, comment: null },
      ]),
    );
    const seenByRater = await run<Rated>(bed, QUERY, volunteer(1), { id: activity });
    expect(seenByRater.activity).toMatchObject({ viewerRating: { score: 4 }, reviews: null, rating: { count: 2 } });
    // The database holds the rule too: a rating without an attendance, or a changed one, is refused.
    const db = bed.requests.database.db;
    await expect(db.execute(sql`insert into requests.activity_ratings (activity_id, person_id, score) values (${activity}, ${DEMO_VOLUNTEERS[5]!.id}, 5)`)).rejects.toMatchObject({
      cause: { constraint_name: 'activity_ratings_attendance_fk' },
    });
    await expect(db.execute(sql`update requests.activity_ratings set score = 5 where activity_id = ${activity}`)).rejects.toThrow();
  });
});

describe('an activity’s outputs', () => {
  it('are recorded as whole numbers of kinds, once it has started, by whoever runs it', async () => {
    const later = await createActivity(new Date(Date.now() + 30 * HOUR));
    const materials = { kind: 'MATERIALS_DISTRIBUTED', quantity: 4200 };
    expect(codes(await mutate('activityOutputsSet', { activity: later, outputs: [materials] }, viewers.lin))).toEqual(['INVALID_STATE']);
    const activity = await createActivity(new Date(Date.now() + 2 * HOUR));
    bed.clock.set(new Date(Date.now() + 3 * HOUR));
    expect(codes(await mutate('activityOutputsSet', { activity, outputs: [materials] }, volunteer(1)))).toEqual(['NOT_ALLOWED']);
    const refusedFields = async (outputs: unknown[]) => (await mutate('activityOutputsSet', { activity, outputs }, viewers.lin)).userErrors.map((error) => error.field);
    expect(await refusedFields([{ kind: 'MATERIALS_DISTRIBUTED', quantity: -1 }])).toEqual([['input', 'outputs', '0', 'quantity']]);
    expect(await refusedFields([{ kind: 'MATERIALS_DISTRIBUTED', quantity: 1_000_000_001 }])).toEqual([['input', 'outputs', '0', 'quantity']]);
    expect(await refusedFields([{ kind: 'OTHER', quantity: 3, unit: '场' }])).toEqual([['input', 'outputs', '0', 'label']]);
    expect(await refusedFields([{ kind: 'BENEFICIARIES_SERVED', quantity: 3, unit: '位' }])).toEqual([['input', 'outputs', '0', 'unit']]);
    expect(codes(await mutate('activityOutputsSet', { activity, outputs: [materials, materials] }, viewers.lin))).toEqual(['ALREADY_EXISTS']);
    const outputs = [materials, { kind: 'AREA_COVERED_SQUARE_METRES', quantity: 76000 }, { kind: 'OTHER', label: '义诊', quantity: 2, unit: '场' }];
    const set = await mutate<{ activity: { outputs: unknown[] } }>('activityOutputsSet', { activity, outputs }, viewers.lin, 'activity { outputs { kind label quantity unit } }');
    expect(set.activity.outputs).toEqual([
      { kind: 'MATERIALS_DISTRIBUTED', label: null, quantity: 4200, unit: '份' },
      { kind: 'AREA_COVERED_SQUARE_METRES', label: null, quantity: 76000, unit: '平方米' },
      { kind: 'OTHER', label: '义诊', quantity: 2, unit: '场' },
    ]);
    // A new list replaces the old one.
    const replaced = await mutate<{ activity: { outputs: unknown[] } }>(
      'activityOutputsSet',
      { activity, outputs: [materials] },
      viewers.lin,
      'activity { outputs { kind quantity } }',
    );
    expect(replaced.activity.outputs).toEqual([{ kind: 'MATERIALS_DISTRIBUTED', quantity: 4200 }]);
    await expect(bed.requests.database.db.execute(sql`update requests.activity_outputs set quantity = -5 where activity_id = ${activity}`)).rejects.toMatchObject({
      cause: { constraint_name: 'activity_outputs_quantity' },
    });
  });
});

describe('a series of activities', () => {
  it('groups activities of its region, attached at creation or later, with totals and counted lists', async () => {
    const series = await createSeries('邻里守望');
    expect(codes(await mutate('activitySeriesCreate', { name: '邻里守望', place: XINGLE }, viewers.lin, 'series { id }'))).toEqual(['ALREADY_EXISTS']);
    expect(codes(await mutate('activitySeriesCreate', { name: '', place: XINGLE }, viewers.lin, 'series { id }'))).toEqual(['REQUIRED']);
    expect(codeOf(await bed.requests.execute('mutation { activitySeriesCreate(input: { name: "x", place: "x" }) { userErrors { code } } }', { viewer: volunteer(1) }))).toBe(
      'FORBIDDEN',
    );
    const elsewhere = await createSeries('紫明行动', viewers.zimingStation, ZIMING);

    const startsAt = new Date(Date.now() + 4 * HOUR);
    const first = await createActivity(startsAt, series);
    const second = await createActivity(new Date(startsAt.getTime() + HOUR));
    expect(codes(await mutate('activitySeriesAttach', { activity: second, series: elsewhere }, viewers.lin))).toEqual(['NOT_ALLOWED']);
    expect(codes(await mutate('activitySeriesAttach', { activity: second, series }, volunteer(1)))).toEqual(['NOT_ALLOWED']);
    expect(codes(await mutate('activitySeriesAttach', { activity: second, series }, viewers.lin))).toEqual([]);
    await attend(first, startsAt, [1, 2]);
    await attend(second, new Date(startsAt.getTime() + HOUR), [2, 3]);
    await mutate('activityOutputsSet', { activity: first, outputs: [{ kind: 'MATERIALS_DISTRIBUTED', quantity: 4000 }] }, viewers.lin);
    await mutate('activityOutputsSet', { activity: second, outputs: [{ kind: 'MATERIALS_DISTRIBUTED', quantity: 200 }] }, viewers.lin);

    type Series = { activitySeries: { name: string; activities: { totalCount: number; edges: { node: { id: string } }[] }; totals: Record<string, unknown> } };
    const data = await run<Series>(
      bed,
      'query ($id: ID!) { activitySeries(id: $id) { name activities(first: 1) { totalCount edges { node { id } } } totals { activities participants minutes outputs { kind quantity unit } } } }',
      volunteer(4),
      { id: series },
    );
    expect(data.activitySeries.activities.totalCount).toBe(2);
    expect(data.activitySeries.activities.edges.map((edge) => edge.node.id)).toEqual([first]);
    expect(data.activitySeries.totals).toEqual({ activities: 2, participants: 3, minutes: 0, outputs: [{ kind: 'MATERIALS_DISTRIBUTED', quantity: 4200, unit: '份' }] });

    // Every activity list counts its whole list in SQL, whatever the page.
    const listed = await run<{ activities: { totalCount: number; edges: unknown[] } }>(bed, 'query { activities(first: 1) { totalCount edges { cursor } } }', volunteer(4));
    const [all] = await rowsOf<{ n: number }>(bed.requests.database.db, sql`select count(*)::int as n from requests.activities`);
    expect(listed.activities.edges).toHaveLength(1);
    expect(listed.activities.totalCount).toBe(all!.n);
    expect(all!.n).toBeGreaterThan(1);

    // Taken out, it leaves the series.
    expect(codes(await mutate('activitySeriesAttach', { activity: second, series: null }, viewers.lin))).toEqual([]);
    const after = await run<Series>(
      bed,
      'query ($id: ID!) { activitySeries(id: $id) { name activities { totalCount edges { node { id } } } totals { activities } } }',
      viewers.lin,
      { id: series },
    );
    expect(after.activitySeries.activities.totalCount).toBe(1);
  });
});

describe('activityStats', () => {
  it('sums outputs by kind and averages ratings by series, withholding ratings of buckets with too few', async () => {
    const big = await createSeries('文明创建');
    const small = await createSeries('周末清洁');
    const startsAt = new Date(Date.now() + 6 * HOUR);
    const a = await createActivity(startsAt, big);
    const b = await createActivity(new Date(startsAt.getTime() + HOUR), small);
    await attend(a, startsAt, [1, 2, 3, 4, 5, 6]);
    await attend(b, new Date(startsAt.getTime() + HOUR), [7, 8]);
    for (const [index, score] of [
      [1, 5],
      [2, 5],
      [3, 4],
      [4, 4],
      [5, 4],
      [6, 3],
    ] as const)
      await mutate('activityRate', { activity: a, score }, volunteer(index));
    for (const index of [7, 8]) await mutate('activityRate', { activity: b, score: 1 }, volunteer(index));
    await mutate(
      'activityOutputsSet',
      {
        activity: a,
        outputs: [
          { kind: 'AREA_COVERED_SQUARE_METRES', quantity: 76000 },
          { kind: 'BENEFICIARIES_SERVED', quantity: 120 },
        ],
      },
      viewers.lin,
    );
    await mutate('activityOutputsSet', { activity: b, outputs: [{ kind: 'AREA_COVERED_SQUARE_METRES', quantity: 4000 }] }, viewers.lin);

    const QUERY = `query ($f: ActivityStatsFilter, $g: ActivityGrouping) { activityStats(filter: $f, groupBy: $g) {
      total { activities ratings averageRating ratingsWithheld outputs { kind quantity unit } }
      buckets { series { id name } category { code } figures { activities checkIns ratings averageRating ratingsWithheld outputs { kind quantity } } } } }`;
    type Stats = { activityStats: { total: Record<string, unknown>; buckets: { series: { id: string; name: string } | null; figures: Record<string, unknown> }[] } };
    const bySeries = await run<Stats>(bed, QUERY, analyst, { g: { series: true, category: true } });
    const bucketOf = (id: string) => bySeries.activityStats.buckets.find((bucket) => bucket.series?.id === id);
    expect(bucketOf(big)).toMatchObject({
      series: { name: '文明创建' },
      category: { code: 'other' },
      figures: {
        activities: 1,
        checkIns: 6,
        outputs: [
          { kind: 'BENEFICIARIES_SERVED', quantity: 120 },
          { kind: 'AREA_COVERED_SQUARE_METRES', quantity: 76000 },
        ],
      },
    });
    // Two ratings are too few to show, and the other series' six would give them away from the total: both withheld, while the other figures stand.
    expect(bucketOf(small)!.figures).toMatchObject({
      activities: 1,
      ratings: null,
      averageRating: null,
      ratingsWithheld: true,
      outputs: [{ kind: 'AREA_COVERED_SQUARE_METRES', quantity: 4000 }],
    });
    expect(bucketOf(big)!.figures).toMatchObject({ ratings: null, averageRating: null, ratingsWithheld: true });
    expect(bySeries.activityStats.total).toMatchObject({ ratingsWithheld: false });
    const few = await run<Stats>(bed, QUERY, analyst, { f: { series: small } });
    expect(few.activityStats.total).toMatchObject({ activities: 1, ratings: null, ratingsWithheld: true });

    const one = await run<Stats>(bed, QUERY, analyst, { f: { series: big } });
    expect(one.activityStats.total).toEqual({
      activities: 1,
      ratings: 6,
      averageRating: 4.17,
      ratingsWithheld: false,
      outputs: [
        { kind: 'BENEFICIARIES_SERVED', quantity: 120, unit: '人' },
        { kind: 'AREA_COVERED_SQUARE_METRES', quantity: 76000, unit: '平方米' },
      ],
    });
    expect(codeOf(await bed.requests.execute(QUERY, { viewer: analyst, variables: { f: { series: 'nope' } } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await bed.requests.execute(QUERY, { viewer: volunteer(1) }))).toBe('FORBIDDEN');
  });
});
