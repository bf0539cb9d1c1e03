/** Service records: append-only in the database, corrected once by reversal, summed and paged per person in batches. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import { DEMO_VOLUNTEERS, demoBeijing, demoId } from '@lianxin/shared/demo';
import { countStatements } from '@lianxin/shared/testing';
import { serviceRecords } from '../src/db/schema.js';
import { codeOf, requestAt, run, startRequests, viewers, wangJianguo, zhangXiuying, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

/** A date of the demo stories (month, day of their year), as it falls relative to today. */
const storyDay = (month: number, day: number): string => demoBeijing(month, day, 12).toISOString().slice(0, 10);

const hoursQuery = `query ($r: [_Any!]!, $from: Date, $to: Date) { _entities(representations: $r) { ... on Person { id serviceHours(from: $from, to: $to) { minutes hours records } } } }`;
type Hours = { minutes: number; hours: number; records: number };

async function hoursOf(personIds: string[], from?: string, to?: string): Promise<Hours[]> {
  const data = await run<{ _entities: { serviceHours: Hours }[] }>(bed, hoursQuery, viewers.station, {
    r: personIds.map((id) => ({ __typename: 'Person', id })),
    from,
    to,
  });
  return data._entities.map((entity) => entity.serviceHours);
}

interface Correction {
  reversal: { id: string; kind: string; minutes: number; reverses: { id: string } | null } | null;
  replacement: { id: string; minutes: number; corrects: { id: string } | null } | null;
  userErrors: UserErrorShape[];
}

async function correct(input: Record<string, unknown>, viewer = viewers.lin): Promise<Correction> {
  const data = await run<{ serviceRecordCorrect: Correction }>(
    bed,
    `mutation ($input: ServiceRecordCorrectInput!) { serviceRecordCorrect(input: $input) {
      reversal { id kind minutes reverses { id } } replacement { id minutes corrects { id } } userErrors { field code message } } }`,
    viewer,
    { input },
  );
  return data.serviceRecordCorrect;
}

describe('service hours', () => {
  it('sum each person’s records over Beijing calendar days, reversals included', async () => {
    // 王建国: the leaking tap (90), the activity day (150) in March, the ceiling light (70) in November.
    // 张秀英: 150 approved by mistake, reversed and replaced by 135.
    expect(await hoursOf([wangJianguo.id, zhangXiuying.id, newId()], storyDay(1, 1), storyDay(12, 31))).toEqual([
      { minutes: 310, hours: 5.17, records: 3 },
      { minutes: 135, hours: 2.25, records: 1 },
      { minutes: 0, hours: 0, records: 0 },
    ]);
    expect(await hoursOf([wangJianguo.id], storyDay(3, 1), storyDay(3, 31))).toEqual([{ minutes: 240, hours: 4, records: 2 }]);
    // 2 March 15:00 Beijing is still 2 March, though it is 07:00 UTC.
    expect(await hoursOf([wangJianguo.id], storyDay(3, 2), storyDay(3, 2))).toEqual([{ minutes: 90, hours: 1.5, records: 1 }]);
  });

  it('sum from a day on, up to a day, or over all time, each bound applied alone', async () => {
    // Each combination of bounds is a statement of its own: a bound given alone must be the one applied.
    expect(await hoursOf([wangJianguo.id], storyDay(3, 3))).toEqual([{ minutes: 220, hours: 3.67, records: 2 }]);
    expect(await hoursOf([wangJianguo.id], undefined, storyDay(3, 2))).toEqual([{ minutes: 90, hours: 1.5, records: 1 }]);
    expect(await hoursOf([wangJianguo.id])).toEqual([{ minutes: 310, hours: 5.17, records: 3 }]);
  });

  it('cost one statement however many persons are asked about', async () => {
    const one = await countStatements(bed.requests.database, () => hoursOf([wangJianguo.id], storyDay(1, 1), storyDay(12, 31)));
    const twelve = await countStatements(bed.requests.database, () =>
      hoursOf(
        DEMO_VOLUNTEERS.map((volunteer) => volunteer.id),
        storyDay(1, 1),
        storyDay(12, 31),
      ),
    );
    expect(one.count).toBe(1);
    expect(twelve.count).toBe(1);
  });

  it('refuses a range that ends before it starts', async () => {
    const result = await bed.requests.execute(hoursQuery, {
      variables: { r: [{ __typename: 'Person', id: wangJianguo.id }], from: storyDay(5, 1), to: storyDay(4, 1) },
      viewer: viewers.station,
    });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
  });
});

describe('a person’s service records', () => {
  const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { serviceRecords(first: 3) {
    edges { node { id kind minutes category { code } serviceRequest { id } activity { title } reversedBy { id } } } pageInfo { hasNextPage } } } } }`;

  it('lists them newest service first, to the person and to staff', async () => {
    const data = await run<{ _entities: { serviceRecords: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } } }[] }>(bed, query, viewers.zhang, {
      r: [{ __typename: 'Person', id: zhangXiuying.id }],
    });
    const page = data._entities[0]!.serviceRecords;
    // All three began at the same moment, so the newest id comes first.
    expect(page.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ id: demoId(15, 10), kind: 'SERVICE', minutes: 135, reversedBy: null }),
      expect.objectContaining({ id: demoId(15, 9), kind: 'REVERSAL', minutes: -150 }),
      expect.objectContaining({ id: demoId(15, 8), kind: 'SERVICE', minutes: 150, reversedBy: { id: demoId(15, 9) }, activity: { title: '学雷锋日：清理小广告' } }),
    ]);
    expect(codeOf(await bed.requests.execute(query, { variables: { r: [{ __typename: 'Person', id: zhangXiuying.id }] }, viewer: viewers.wang }))).toBe('FORBIDDEN');
  });

  it('pages the records of many persons for the cost of a few statements', async () => {
    const run12 = (ids: string[]) =>
      countStatements(bed.requests.database, () => bed.requests.execute(query, { variables: { r: ids.map((id) => ({ __typename: 'Person', id })) }, viewer: viewers.station }));
    // 王建国's and 张秀英's pages hold every kind of nested row (a request, an activity, a reversal).
    const two = await run12([wangJianguo.id, zhangXiuying.id]);
    const all = await run12(DEMO_VOLUNTEERS.map((volunteer) => volunteer.id));
    expect(all.result.errors).toBeUndefined();
    expect(all.count).toBe(two.count);
  });
});

describe('correcting a record', () => {
  it('reverses it and records the right time, once', async () => {
    await requestAt(bed, 'completed');
    const [record] = await bed.requests.database.db
      .select()
      .from(serviceRecords)
      .where(eq(serviceRecords.volunteerId, wangJianguo.id))
      .orderBy(sql`created_at desc`)
      .limit(1);
    const corrected = await correct({ record: record!.id, minutes: 45, reason: '实际服务45分钟。' });
    expect(corrected).toEqual({
      reversal: { id: expect.any(String), kind: 'REVERSAL', minutes: -record!.minutes, reverses: { id: record!.id } },
      replacement: { id: expect.any(String), minutes: 45, corrects: { id: record!.id } },
      userErrors: [],
    });
    expect((await correct({ record: record!.id, reason: '再改一次。' })).userErrors.map((error) => error.code)).toEqual(['ALREADY_EXISTS']);
    expect((await correct({ record: corrected.reversal!.id, reason: '改撤销记录。' })).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    // The replacement is an ordinary record: it can be corrected in turn.
    expect((await correct({ record: corrected.replacement!.id, reason: '撤销。' })).userErrors).toEqual([]);
  });

  it('lets exactly one of two simultaneous corrections through', async () => {
    await requestAt(bed, 'completed');
    const [record] = await bed.requests.database.db
      .select()
      .from(serviceRecords)
      .where(eq(serviceRecords.volunteerId, wangJianguo.id))
      .orderBy(sql`created_at desc`)
      .limit(1);
    const results = await Promise.all([correct({ record: record!.id, minutes: 30, reason: '甲' }), correct({ record: record!.id, minutes: 20, reason: '乙' })]);
    expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(1);
    expect(results.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(['ALREADY_EXISTS']);
    const reversals = await bed.requests.database.db.select().from(serviceRecords).where(eq(serviceRecords.reversesId, record!.id));
    expect(reversals).toHaveLength(1);
  });

  it('refuses admins outside the record’s region, unknown records and minutes beyond a day', async () => {
    // Outside the admin's scope, a record is one they may not see: FORBIDDEN, as a made-up one is (to anyone but a platform admin).
    const refusedCode = async (record: string, viewer = viewers.lin) =>
      codeOf(
        await bed.requests.execute(`mutation ($input: ServiceRecordCorrectInput!) { serviceRecordCorrect(input: $input) { userErrors { code } } }`, {
          variables: { input: { record, reason: '无权。' } },
          viewer,
        }),
      );
    expect(await refusedCode(demoId(15, 1), viewers.zimingStation)).toBe('FORBIDDEN');
    expect(await refusedCode(newId())).toBe('FORBIDDEN');
    expect((await correct({ record: newId(), reason: '不存在。' }, viewers.platform)).userErrors.map((error) => error.code)).toEqual(['NOT_FOUND']);
    expect((await correct({ record: demoId(15, 1), minutes: 1441, reason: '太长。' })).userErrors.map((error) => error.field)).toEqual([['input', 'minutes']]);
    expect(
      codeOf(await bed.requests.execute(`mutation { serviceRecordCorrect(input: { record: "${demoId(15, 1)}", reason: "x" }) { userErrors { code } } }`, { viewer: viewers.wang })),
    ).toBe('FORBIDDEN');
  });
});

describe('the database', () => {
  const refusal = { cause: { message: expect.stringMatching(/keeps history/) } };

  it('refuses to update, delete or truncate service records', async () => {
    const db = bed.requests.database.db;
    await expect(db.execute(sql`update requests.service_records set minutes = 600 where id = ${demoId(15, 1)}`)).rejects.toMatchObject(refusal);
    await expect(db.execute(sql`delete from requests.service_records where id = ${demoId(15, 1)}`)).rejects.toMatchObject(refusal);
    await expect(db.execute(sql`truncate requests.service_records cascade`)).rejects.toMatchObject(refusal);
    await expect(db.execute(sql`delete from requests.request_transitions`)).rejects.toMatchObject(refusal);
  });

  it('refuses a reversal that does not negate its original exactly', async () => {
    const insert = (minutes: number) =>
      bed.requests.database.db
        .execute(sql`insert into requests.service_records (id, kind, volunteer_id, category_code, minutes, served_at, request_id, description, reverses_id, reason)
        values (${newId()}, 'reversal', ${wangJianguo.id}, 'home_repair', ${minutes}, now(), ${demoId(10, 9)}, '更正', ${demoId(15, 4)}, '更正')`);
    await expect(insert(-30)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/negate its original/) } });
  });
});
