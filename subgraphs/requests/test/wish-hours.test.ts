/** A fulfilled micro-wish's hours: stated by the fulfiller, confirmed or rejected by station staff of its place, recorded once. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Viewer } from '@lianxin/shared';
import { sql } from 'drizzle-orm';
import { EAST_BUILDING_1, codeOf, run, startRequests, viewers, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

interface HoursShape {
  id: string;
  status: string;
  hoursClaim: { minutes: number; status: string; rejectionReason: string | null; decidedBy: { id: string } | null; serviceRecord: { id: string; minutes: number } | null } | null;
}
interface Payload {
  microWish: HoursShape | null;
  serviceRecord?: { id: string; minutes: number; volunteer: { id: string }; microWish: { id: string } | null; category: { code: string } } | null;
  userErrors: UserErrorShape[];
}

const WISH_FIELDS = 'microWish { id status hoursClaim { minutes status rejectionReason decidedBy { id } serviceRecord { id minutes } } }';

async function mutate(mutation: string, input: Record<string, unknown>, viewer: Viewer, extra = ''): Promise<Payload> {
  const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const data = await run<Record<string, Payload>>(
    bed,
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${WISH_FIELDS} ${extra} userErrors { field code message } } }`,
    viewer,
    {
      input,
    },
  );
  return data[mutation]!;
}

const codes = (payload: Payload) => payload.userErrors.map((error) => error.code);

/** A wish taken to `fulfilled` by 王建国. */
async function fulfilledWish(fulfil = true): Promise<string> {
  const posted = await mutate('microWishPost', { title: '一盏台灯', story: '晚上写作业光线太暗。', place: EAST_BUILDING_1 }, viewers.zheng);
  const id = posted.microWish!.id;
  await mutate('microWishPublish', { wish: id }, viewers.station);
  await mutate('microWishClaim', { wish: id }, viewers.wang);
  if (fulfil) await mutate('microWishFulfil', { wish: id, note: '送去了台灯。', evidenceUrls: ['https://example.org/lamp.jpg'] }, viewers.wang);
  return id;
}

describe('a micro-wish’s hours', () => {
  it('are stated by the fulfiller within bounds, and only for a fulfilled wish', async () => {
    const unfulfilled = await fulfilledWish(false);
    expect(codes(await mutate('microWishHoursClaim', { wish: unfulfilled, minutes: 60 }, viewers.wang))).toEqual(['INVALID_STATE']);
    const id = await fulfilledWish();
    expect(codes(await mutate('microWishHoursClaim', { wish: id, minutes: 60 }, viewers.zhang))).toEqual(['NOT_ALLOWED']);
    for (const minutes of [0, -5, 1441]) {
      const refused = await mutate('microWishHoursClaim', { wish: id, minutes }, viewers.wang);
      expect(refused.userErrors.map((error) => error.field)).toEqual([['input', 'minutes']]);
    }
    // A fraction is no Int: refused before the service, as a coded error.
    expect(codeOf(await bed.requests.execute('mutation { microWishHoursClaim(input: { wish: "x", minutes: 90.5 }) { userErrors { code } } }', { viewer: viewers.wang }))).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(codes(await mutate('microWishHoursClaim', { wish: 'not-an-id', minutes: 60 }, viewers.wang))).toEqual(['INVALID']);
    const claimed = await mutate('microWishHoursClaim', { wish: id, minutes: 90 }, viewers.wang);
    expect(claimed.userErrors).toEqual([]);
    expect(claimed.microWish!.hoursClaim).toMatchObject({ minutes: 90, status: 'CLAIMED', serviceRecord: null });
    // While it waits, it is not stated again.
    expect(codes(await mutate('microWishHoursClaim', { wish: id, minutes: 80 }, viewers.wang))).toEqual(['INVALID_STATE']);
    // The claim is the fulfiller's and staff's business: the wisher sees the wish but not the claim.
    const seen = await run<{ microWish: { hoursClaim: unknown } }>(bed, 'query ($id: ID!) { microWish(id: $id) { hoursClaim { minutes } } }', viewers.zheng, { id });
    expect(seen.microWish.hoursClaim).toBeNull();
  });

  it('are confirmed by station staff of the wish’s place into one service record, or rejected and stated again', async () => {
    const id = await fulfilledWish();
    await mutate('microWishHoursClaim', { wish: id, minutes: 45 }, viewers.wang);
    // A published wish is seen by all; its hours are decided inside its place only.
    expect(codes(await mutate('microWishHoursConfirm', { wish: id }, viewers.zimingStation))).toEqual(['NOT_ALLOWED']);
    expect(codes(await mutate('microWishHoursConfirm', { wish: id }, viewers.zhang))).toEqual(['NOT_ALLOWED']);
    expect(codes(await mutate('microWishHoursConfirm', { wish: id }, viewers.gridWorker))).toEqual(['NOT_ALLOWED']);
    expect(codes(await mutate('microWishHoursReject', { wish: id, reason: '' }, viewers.station))).toEqual(['REQUIRED']);

    const rejected = await mutate('microWishHoursReject', { wish: id, reason: '送台灯不需要四十五分钟。' }, viewers.station);
    expect(rejected.microWish!.hoursClaim).toMatchObject({ status: 'REJECTED', rejectionReason: '送台灯不需要四十五分钟。', decidedBy: { id: viewers.station.personId } });
    expect(codes(await mutate('microWishHoursConfirm', { wish: id }, viewers.station))).toEqual(['INVALID_STATE']);
    await mutate('microWishHoursClaim', { wish: id, minutes: 30 }, viewers.wang);

    const recordFields = 'serviceRecord { id minutes volunteer { id } microWish { id } category { code } }';
    const confirmed = await mutate('microWishHoursConfirm', { wish: id }, viewers.lin, recordFields);
    expect(confirmed.userErrors).toEqual([]);
    expect(confirmed.serviceRecord).toMatchObject({ minutes: 30, volunteer: { id: viewers.wang.personId }, microWish: { id }, category: { code: 'other' } });
    expect(confirmed.microWish!.hoursClaim).toMatchObject({ status: 'CONFIRMED', rejectionReason: null, serviceRecord: { id: confirmed.serviceRecord!.id, minutes: 30 } });

    // Once recorded, neither a second confirmation nor a new statement.
    const again = await mutate('microWishHoursConfirm', { wish: id }, viewers.station, recordFields);
    expect(codes(again)).toEqual(['ALREADY_EXISTS']);
    expect(again.serviceRecord).toBeNull();
    expect(codes(await mutate('microWishHoursClaim', { wish: id, minutes: 30 }, viewers.wang))).toEqual(['ALREADY_EXISTS']);
  });

  it('are recorded at most once per wish, by the database', async () => {
    const id = await fulfilledWish();
    await mutate('microWishHoursClaim', { wish: id, minutes: 20 }, viewers.wang);
    const confirmed = await mutate('microWishHoursConfirm', { wish: id }, viewers.station, 'serviceRecord { id }');
    expect(confirmed.userErrors).toEqual([]);
    const db = bed.requests.database.db;
    // A second record of the wish, written past the service, is refused by the unique index.
    await expect(
      db.execute(
        sql.raw(
          `insert into requests.service_records (id, volunteer_id, category_code, minutes, served_at, wish_id, region_path, description) select gen_random_uuid(), claimant_id, 'other', 20, now(), id, region_path, 'x' from requests.micro_wishes where id = '${id}'`,
        ),
      ),
    ).rejects.toMatchObject({ cause: { constraint_name: 'service_records_one_per_wish' } });
    // Nor may a wish's record name anyone but its fulfiller, or a wish whose hours are not confirmed.
    const other = await fulfilledWish();
    await expect(
      db.execute(
        sql.raw(
          `insert into requests.service_records (id, volunteer_id, category_code, minutes, served_at, wish_id, region_path, description) select gen_random_uuid(), claimant_id, 'other', 20, now(), id, region_path, 'x' from requests.micro_wishes where id = '${other}'`,
        ),
      ),
    ).rejects.toMatchObject({ cause: { constraint_name: 'service_records_wish_confirmed' } });
  });
});
