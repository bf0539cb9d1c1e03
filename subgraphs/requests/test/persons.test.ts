/**
 * Writes for persons nobody registered. Every requests mutation that acts
 * for the viewer refuses a viewer whose person the directory does not know
 * (NOT_FOUND, no field), and every one that names a person in its input
 * refuses a person it does not know (NOT_FOUND on that field); either way
 * nothing at all is written. The directory learns persons from people's
 * `person.registered` (events.test.ts shows a person becoming known).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { newId, rowsOf, type Viewer } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { applyDeviceEvent } from '../src/alerts/service.js';
import { serviceRecords } from '../src/db/schema.js';
import { requestsSubgraph } from '../src/index.js';
import { issueQuoteToken } from '../src/pricing/token.js';
import { DEV_DEVICE_PLATFORM } from '../src/settings.js';
import {
  EAST_BUILDING_1,
  changeCaretaker,
  LEXIUJIANG,
  XINGLE,
  requestAt,
  run,
  startRequests,
  unknownPerson,
  viewers,
  wangJianguo,
  zhengHousehold,
  type RequestsTestBed,
  type Stage,
  type UserErrorShape,
} from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

const HOUR = 3600_000;

/** Runs a mutation and returns its user errors; a top-level error fails the test. */
async function attempt(mutation: string, input: Record<string, unknown>, viewer: Viewer): Promise<UserErrorShape[]> {
  const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const data = await run<Record<string, { userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { userErrors { field code message } } }`,
    viewer,
    { input },
  );
  return data[mutation]!.userErrors;
}

/** Runs a mutation that must succeed and returns the id of the object under `field`. */
async function created(mutation: string, field: string, input: Record<string, unknown>, viewer: Viewer): Promise<string> {
  const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const data = await run<Record<string, Record<string, unknown> & { userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${field} { id } userErrors { field code message } } }`,
    viewer,
    { input },
  );
  const payload = data[mutation]!;
  if (!payload[field]) throw new Error(`${mutation} refused: ${JSON.stringify(payload.userErrors)}`);
  return (payload[field] as { id: string }).id;
}

/** How many rows every table of the schema holds (the outbox included): a refusal changes none of them. */
async function rowCounts(): Promise<Record<string, number>> {
  const db = bed.requests.database.db;
  const tables = await rowsOf<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'requests' and table_type = 'BASE TABLE' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await rowsOf<{ n: number }>(db, sql.raw(`select count(*)::int as n from requests."${name}"`));
    counts[name] = row!.n;
  }
  return counts;
}

const unknownViewer = { field: null, code: 'NOT_FOUND', message: expect.stringContaining('not (yet) known') };

describe('a viewer whose person nobody registered', () => {
  it('is refused by every write that acts for them, before anything else, and nothing is written', async () => {
    const request = new Map<Stage, string>();
    for (const stage of ['submitted', 'approved', 'dispatched', 'accepted', 'in_service', 'completed'] as const) request.set(stage, await requestAt(bed, stage));
    const { signingKey } = requestsSubgraph.settings(process.env);
    const quoteToken = issueQuoteToken(signingKey, {
      r: request.get('accepted')!,
      v: 1,
      t: 'ordinary',
      k: false,
      l: 1000,
      m: 0,
      pc: 80,
      rp: 800,
      fp: 0,
      exp: Math.floor(Date.now() / 1000) + 3600,
    });

    const posted = await created('microWishPost', 'microWish', { title: '一把伞', story: '雨天出门。', place: EAST_BUILDING_1 }, viewers.zheng);
    const published = await created('microWishPost', 'microWish', { title: '一双鞋', story: '鞋破了。', place: EAST_BUILDING_1 }, viewers.zheng);
    await created('microWishPublish', 'microWish', { wish: published }, viewers.station);
    const claimed = await created('microWishPost', 'microWish', { title: '一本书', story: '想读书。', place: EAST_BUILDING_1 }, viewers.zheng);
    await created('microWishPublish', 'microWish', { wish: claimed }, viewers.station);
    await created('microWishClaim', 'microWish', { wish: claimed }, viewers.wang);

    const activity = async (startsIn: number) => {
      const startsAt = new Date(Date.now() + startsIn);
      return created(
        'activityCreate',
        'activity',
        { title: '植树', category: 'cleaning', place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), capacity: 5 },
        viewers.lin,
      );
    };
    const [upcoming, ongoing, ended] = [await activity(2 * HOUR), await activity(-HOUR), await activity(-4 * HOUR)];
    const doorCodes = await run<{ activity: { checkInCode: { payload: string }; checkOutCode: { payload: string } } }>(
      bed,
      `query ($id: ID!) { activity(id: $id) { checkInCode { payload } checkOutCode { payload } } }`,
      viewers.lin,
      { id: ongoing },
    );

    const [record] = await bed.requests.database.db
      .select()
      .from(serviceRecords)
      .where(eq(serviceRecords.requestId, request.get('completed')!));
    const externalId = `callbox-${newId()}`;
    await created(
      'deviceRegister',
      'device',
      { platform: DEV_DEVICE_PLATFORM, externalId, household: zhengHousehold.id, resident: viewers.zheng.personId, notify: DEMO_VOLUNTEERS[2]!.id, place: EAST_BUILDING_1 },
      viewers.lin,
    );
    const pressed = await applyDeviceEvent(
      bed.requests.database.db,
      { platform: DEV_DEVICE_PLATFORM, id: newId(), type: 'button_pressed', device: externalId, occurredAt: new Date() },
      new Date(),
    );
    if (pressed.kind !== 'accepted') throw new Error(pressed.kind);
    const household = DEMO_HOUSEHOLDS[2]!.id;
    await changeCaretaker(bed, household, DEMO_VOLUNTEERS[10]!.id);

    const writes: [string, Record<string, unknown>][] = [
      ['serviceRequestCreate', { category: 'cleaning', description: '打扫楼道。', place: EAST_BUILDING_1 }],
      ['serviceRequestApprove', { request: request.get('submitted') }],
      ['serviceRequestApprove', { request: request.get('submitted'), place: EAST_BUILDING_1 }],
      ['serviceRequestReject', { request: request.get('submitted'), reason: '不符合。' }],
      ['serviceRequestDispatch', { request: request.get('approved'), team: LEXIUJIANG }],
      ['serviceRequestAccept', { request: request.get('dispatched') }],
      ['serviceRequestQuote', { request: request.get('accepted'), labour: 1000, materials: 0 }],
      ['serviceRequestQuoteAgree', { request: request.get('accepted'), quoteToken }],
      ['serviceRequestStart', { request: request.get('accepted') }],
      ['serviceRequestComplete', { request: request.get('in_service'), note: '好了。' }],
      ['serviceRequestRate', { request: request.get('completed'), score: 5 }],
      ['serviceRequestCancel', { request: request.get('submitted'), reason: '不要了。' }],
      ['priceRuleSet', { region: XINGLE, ordinaryLabourPercent: 50 }],
      ['microWishPost', { title: '一顶帽子', story: '冬天冷。', place: EAST_BUILDING_1 }],
      ['microWishPublish', { wish: posted }],
      ['microWishClaim', { wish: published }],
      ['microWishRelease', { wish: claimed, reason: '没空。' }],
      ['microWishFulfil', { wish: claimed, note: '送到了。', evidenceUrls: ['https://example.org/book.jpg'] }],
      ['microWishThank', { wish: claimed, message: '谢谢。' }],
      ['microWishWithdraw', { wish: posted, reason: '不要了。' }],
      ['activityCreate', { title: '义诊', category: 'cleaning', place: XINGLE, startsAt: new Date(Date.now() + HOUR), endsAt: new Date(Date.now() + 2 * HOUR), capacity: 5 }],
      ['activitySignUp', { activity: upcoming }],
      ['activitySignUpCancel', { activity: upcoming }],
      ['activityCheckIn', { code: doorCodes.activity.checkInCode.payload }],
      ['activityCheckOut', { code: doorCodes.activity.checkOutCode.payload }],
      ['activityHoursApprove', { activity: ended, attendances: [{ person: wangJianguo.id }] }],
      ['serviceRecordCorrect', { record: record!.id, reason: '复核。' }],
      [
        'deviceRegister',
        {
          platform: DEV_DEVICE_PLATFORM,
          externalId: `callbox-${newId()}`,
          household: zhengHousehold.id,
          resident: viewers.zheng.personId,
          notify: DEMO_VOLUNTEERS[2]!.id,
          place: EAST_BUILDING_1,
        },
      ],
      ['alertAcknowledge', { alert: pressed.alertId }],
      ['caseloadVisitLog', { household, note: '探访。' }],
    ];
    const before = await rowCounts();
    for (const [mutation, input] of writes) {
      expect({ mutation, userErrors: await attempt(mutation, input, unknownPerson) }).toEqual({ mutation, userErrors: [unknownViewer] });
    }
    expect(await rowCounts()).toEqual(before);
  });
});

describe('a person named in the input whom nobody registered', () => {
  it('is refused on the field that names them, and nothing is written', async () => {
    const nobody = newId();
    const approved = await requestAt(bed, 'approved');
    const ended = new Date(Date.now() - 3 * HOUR);
    const activity = await created(
      'activityCreate',
      'activity',
      { title: '清扫', category: 'cleaning', place: XINGLE, startsAt: ended, endsAt: new Date(ended.getTime() + HOUR), capacity: 5 },
      viewers.lin,
    );
    const device = {
      platform: DEV_DEVICE_PLATFORM,
      externalId: `sensor-${newId()}`,
      household: zhengHousehold.id,
      resident: viewers.zheng.personId,
      notify: DEMO_VOLUNTEERS[2]!.id,
      place: EAST_BUILDING_1,
    };

    const cases: [string, Record<string, unknown>, Viewer, string[]][] = [
      ['serviceRequestCreate', { requester: nobody, category: 'cleaning', description: '代为点单。' }, viewers.gridWorker, ['input', 'requester']],
      ['serviceRequestDispatch', { request: approved, person: nobody }, viewers.station, ['input', 'person']],
      ['microWishPost', { wisher: nobody, title: '一个书包', story: '代为发布。', place: EAST_BUILDING_1 }, viewers.station, ['input', 'wisher']],
      ['deviceRegister', { ...device, resident: nobody }, viewers.lin, ['input', 'resident']],
      ['deviceRegister', { ...device, notify: nobody }, viewers.lin, ['input', 'notify']],
      ['activityHoursApprove', { activity, attendances: [{ person: nobody }] }, viewers.lin, ['input', 'attendances', '0', 'person']],
    ];
    const before = await rowCounts();
    for (const [mutation, input, viewer, field] of cases) {
      expect({ mutation, userErrors: await attempt(mutation, input, viewer) }).toEqual({
        mutation,
        userErrors: [{ field, code: 'NOT_FOUND', message: expect.stringContaining('not (yet) known') }],
      });
    }
    expect(await rowCounts()).toEqual(before);
  });
});
