/**
 * The service menu's and the rosters' finer rules: a priced offer quotes its
 * orders for the tiered price, an order keeps to the offer's windows (Beijing
 * time), claiming a need files a request dispatched to the claiming team, the
 * database refuses new rows under a retired category while keeping old ones,
 * and a shift's attendance is approved or refused volunteer by volunteer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { isConstraintViolation, newId, rowsOf, type Viewer } from '@lianxin/shared';
import { DEMO_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { viewerOf } from '@lianxin/shared/testing';
import { activities, dutyPosts, dutyShiftSignups, serviceNeeds, serviceOffers, serviceRequests } from '../src/db/schema.js';
import { EAST_BUILDING_1, LEXIUJIANG, XINGLE, fileRequest, must, run, startRequests, viewers, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

const HOUR = 3600_000;
const WINDOWS = [
  { weekday: 2, start: '09:00', end: '11:30' },
  { weekday: 6, start: '14:00', end: '17:00' },
];

type OfferPayload = { offer: { id: string; price: { labour: number; materials: number; total: number } | null } | null; userErrors: UserErrorShape[] };

async function publish(overrides: Record<string, unknown> = {}): Promise<OfferPayload> {
  const data = await run<{ serviceOfferPublish: OfferPayload }>(
    bed,
    `mutation ($input: ServiceOfferPublishInput!) { serviceOfferPublish(input: $input) { offer { id price { labour materials total } } userErrors { field code message } } }`,
    viewers.wang,
    { input: { team: LEXIUJIANG, category: 'cleaning', description: '楼道保洁', regions: [XINGLE], windows: WINDOWS, capacityPerWeek: 50, ...overrides } },
  );
  return data.serviceOfferPublish;
}

async function offerOf(overrides: Record<string, unknown> = {}): Promise<string> {
  const payload = await publish(overrides);
  if (!payload.offer) throw new Error(JSON.stringify(payload.userErrors));
  return payload.offer.id;
}

type OrderPayload = { serviceRequest: { id: string; status: string } | null; userErrors: UserErrorShape[] };
async function order(offer: string, overrides: Record<string, unknown> = {}, viewer: Viewer = viewers.zheng): Promise<OrderPayload> {
  const data = await run<{ serviceRequestFromOffer: OrderPayload }>(
    bed,
    `mutation ($input: ServiceRequestFromOfferInput!) { serviceRequestFromOffer(input: $input) { serviceRequest { id status } userErrors { field code message } } }`,
    viewer,
    { input: { offer, description: '请上门帮忙。', place: EAST_BUILDING_1, ...overrides } },
  );
  return data.serviceRequestFromOffer;
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

describe('an order and the offer’s windows', () => {
  const OUTSIDE = [{ field: ['input', 'wishedAt'], code: 'INVALID_STATE', message: expect.any(String) }];

  it('accepts a wished time inside a window, start included, and refuses one before, at or after the end, or on another weekday', async () => {
    const offer = await offerOf();
    // 2027-03-02 is a Tuesday; Beijing is UTC+8.
    const cases: [string, boolean][] = [
      ['2027-03-02T00:59:00Z', false], // Tuesday 08:59: before the window
      ['2027-03-02T01:00:00Z', true], // Tuesday 09:00: the start belongs to it
      ['2027-03-02T03:29:00Z', true], // Tuesday 11:29
      ['2027-03-02T03:30:00Z', false], // Tuesday 11:30: the end does not
      ['2027-03-02T05:00:00Z', false], // Tuesday 13:00: after it
      ['2027-03-03T02:00:00Z', false], // Wednesday 10:00: another weekday
      ['2027-03-06T06:00:00Z', true], // Saturday 14:00: the second window
    ];
    for (const [wishedAt, accepted] of cases) {
      const payload = await order(offer, { wishedAt });
      if (accepted) expect([wishedAt, payload.userErrors]).toEqual([wishedAt, []]);
      else expect([wishedAt, payload]).toEqual([wishedAt, { serviceRequest: null, userErrors: OUTSIDE }]);
    }
  });

  it('reads the weekday and the hour in Beijing, not in UTC', async () => {
    // Sunday 16:00 to 17:00 Beijing, and Monday 00:00 to 01:00 Beijing.
    const offer = await offerOf({
      windows: [
        { weekday: 7, start: '16:00', end: '17:00' },
        { weekday: 1, start: '00:00', end: '01:00' },
      ],
    });
    // Sunday 16:30 UTC is Monday 00:30 in Beijing: inside the Monday window, not the Sunday one.
    expect((await order(offer, { wishedAt: '2027-03-07T16:30:00Z' })).userErrors).toEqual([]);
    // Sunday 08:30 UTC is Sunday 16:30 in Beijing.
    expect((await order(offer, { wishedAt: '2027-03-07T08:30:00Z' })).userErrors).toEqual([]);
    // Monday 00:30 UTC is Monday 08:30 in Beijing: outside both.
    expect((await order(offer, { wishedAt: '2027-03-08T00:30:00Z' })).userErrors).toEqual(OUTSIDE);
  });

  it('leaves the time to the team when none is wished, and the database refuses an order outside the windows from any writer', async () => {
    const offer = await offerOf();
    const filed = await order(offer);
    expect(filed.userErrors).toEqual([]);
    const [row] = await bed.requests.database.db.select().from(serviceRequests).where(eq(serviceRequests.id, filed.serviceRequest!.id));
    const copy = { ...row!, id: newId(), wishedAt: new Date('2027-03-03T02:00:00Z') };
    expect(await refusedBy(bed.requests.database.db.insert(serviceRequests).values(copy), '23514', 'service_offers_window')).toBe(true);
  });
});

describe('a priced offer', () => {
  it('must name a price when its category is priced, and none when it is free', async () => {
    const repair = { category: 'home_repair' };
    expect((await publish(repair)).userErrors).toEqual([{ field: ['input', 'price'], code: 'REQUIRED', message: expect.any(String) }]);
    expect((await publish({ price: { labour: 100, materials: 0 } })).userErrors).toEqual([{ field: ['input', 'price'], code: 'INVALID', message: expect.any(String) }]);
    expect((await publish({ ...repair, price: { labour: -1, materials: 0 } })).userErrors).toMatchObject([{ field: ['input', 'price', 'labour'], code: 'INVALID' }]);
    expect((await publish({ ...repair, price: { labour: 0, materials: 10_000_001 } })).userErrors).toMatchObject([{ field: ['input', 'price', 'materials'], code: 'INVALID' }]);
    expect(await publish({ ...repair, price: { labour: 10000, materials: 3000 } })).toMatchObject({
      offer: { price: { labour: 10000, materials: 3000, total: 13000 } },
      userErrors: [],
    });
  });

  it('shows what each tier pays at a place, and quotes each order at its price for the household to agree at its own tier', async () => {
    const offer = await offerOf({ category: 'home_repair', price: { labour: 10000, materials: 3000 } });
    const tiers = await run<{ serviceOffers: { edges: { node: { id: string; tierPrices: unknown } }[] } }>(
      bed,
      `query ($place: ID!) { serviceOffers(first: 100) { edges { node { id tierPrices(place: $place) { tier ordinaryLabourPercent residentPays charityFundPays } } } } }`,
      viewers.zheng,
      { place: EAST_BUILDING_1 },
    );
    // Xingle's ordinary households pay 80% of the labour.
    expect(tiers.serviceOffers.edges.find((edge) => edge.node.id === offer)?.node.tierPrices).toEqual([
      { tier: 'ORDINARY', ordinaryLabourPercent: 80, residentPays: 8000 + 3000, charityFundPays: 0 },
      { tier: 'LOW_INCOME', ordinaryLabourPercent: 80, residentPays: 3000, charityFundPays: 10000 },
      { tier: 'SPECIAL_HARDSHIP', ordinaryLabourPercent: 80, residentPays: 0, charityFundPays: 13000 },
    ]);
    const filed = await order(offer, { wishedAt: '2027-03-02T02:00:00Z' }, viewers.liu);
    expect(filed.userErrors).toEqual([]);
    const request = filed.serviceRequest!.id;
    const events = await rowsOf<{ type: string }>(bed.requests.database.db, sql`select type from requests.outbox where aggregate_id = ${request} order by position`);
    expect(events.map((event) => event.type)).toContain('service_request.quoted');
    await must(bed, 'serviceRequestApprove', { request }, viewers.lin);
    // The household reads the quote at its tier (reported through the graph) and agrees; the price is then the tier's share of the offer's.
    const representation = { __typename: 'ServiceRequest', id: request, requester: { household: { id: demoId(45, 99), hardshipLevel: 'LOW_INCOME' } } };
    const read = await run<{ _entities: { quote: { tier: string; residentPays: number; charityFundPays: number; token: string } | null }[] }>(
      bed,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRequest { cost { labour materials } quote { tier residentPays charityFundPays token } } } }`,
      viewers.liu,
      { r: [representation] },
    );
    const quote = read._entities[0]!.quote!;
    expect(quote).toMatchObject({ tier: 'LOW_INCOME', residentPays: 3000, charityFundPays: 10000 });
    const agreed = await run<{ serviceRequestQuoteAgree: { serviceRequest: { agreedPrice: unknown } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: ServiceRequestQuoteAgreeInput!) { serviceRequestQuoteAgree(input: $input) { serviceRequest { agreedPrice { labour materials residentPays charityFundPays } } userErrors { field code message } } }`,
      viewers.liu,
      { input: { request, quoteToken: quote.token } },
    );
    expect(agreed.serviceRequestQuoteAgree).toEqual({
      serviceRequest: { agreedPrice: { labour: 10000, materials: 3000, residentPays: 3000, charityFundPays: 10000 } },
      userErrors: [],
    });
  });

  it('quotes nothing for an order from a free offer', async () => {
    const filed = await order(await offerOf());
    const quotes = await rowsOf<{ n: number }>(
      bed.requests.database.db,
      sql`select count(*)::int as n from requests.request_quotes where request_id = ${filed.serviceRequest!.id}`,
    );
    expect(quotes[0]!.n).toBe(0);
  });
});

describe('claiming a need', () => {
  type NeedPayload = { need: { id: string; request: { id: string; status: string } | null } | null; userErrors: UserErrorShape[] };
  async function publishNeed(title: string): Promise<string> {
    const data = await run<{ serviceNeedPublish: NeedPayload }>(
      bed,
      `mutation ($input: ServiceNeedPublishInput!) { serviceNeedPublish(input: $input) { need { id request { id status } } userErrors { field code message } } }`,
      viewers.station,
      { input: { category: 'cleaning', title, description: '每周一次。', place: EAST_BUILDING_1 } },
    );
    return data.serviceNeedPublish.need!.id;
  }
  async function claim(need: string, viewer: Viewer = viewers.wang): Promise<NeedPayload> {
    const data = await run<{ serviceNeedClaim: NeedPayload }>(
      bed,
      `mutation ($input: ServiceNeedClaimInput!) { serviceNeedClaim(input: $input) { need { id request { id status } } userErrors { field code message } } }`,
      viewer,
      { input: { need, team: LEXIUJIANG } },
    );
    return data.serviceNeedClaim;
  }

  it('files one request dispatched to the claiming team, which its members take as any other, however many claims arrive', async () => {
    const title = `楼道清扫 ${newId()}`;
    const need = await publishNeed(title);
    const attempts = await Promise.all([claim(need), claim(need), claim(need)]);
    const won = attempts.filter((attempt) => attempt.userErrors.length === 0);
    expect(won).toHaveLength(1);
    expect(won[0]!.need!.request).toMatchObject({ status: 'DISPATCHED' });
    const requestId = won[0]!.need!.request!.id;
    const filed = await bed.requests.database.db
      .select()
      .from(serviceRequests)
      .where(sql`${serviceRequests.description} like ${`${title}%`}`);
    expect(filed.map((row) => [row.id, row.status, row.dispatchedTeamId, row.categoryCode, row.regionId])).toEqual([
      [requestId, 'dispatched', LEXIUJIANG, 'cleaning', EAST_BUILDING_1],
    ]);
    const history = await rowsOf<{ from_status: string | null; to_status: string }>(
      bed.requests.database.db,
      sql`select from_status, to_status from requests.request_transitions where request_id = ${requestId}`,
    );
    expect(history.map((row) => `${row.from_status ?? ''}>${row.to_status}`).sort()).toEqual(['>submitted', 'approved>dispatched', 'submitted>approved']);
    const events = await rowsOf<{ type: string }>(bed.requests.database.db, sql`select type from requests.outbox where aggregate_id = ${requestId}`);
    expect(events.map((event) => event.type)).toEqual(['service_request.dispatched']);
    expect((await must(bed, 'serviceRequestAccept', { request: requestId }, viewers.zhang)).status).toBe('ACCEPTED');
  });

  it('keeps the claim’s request in the database: never changed, never shared with another need', async () => {
    const need = await publishNeed('独居老人家中保洁');
    const requestId = (await claim(need)).need!.request!.id;
    const db = bed.requests.database.db;
    expect(await refusedBy(db.update(serviceNeeds).set({ requestId: null }).where(eq(serviceNeeds.id, need)), '23505', 'service_needs_claimed_once')).toBe(true);
    const [row] = await db.select().from(serviceNeeds).where(eq(serviceNeeds.id, need));
    expect(await refusedBy(db.insert(serviceNeeds).values({ ...row!, id: newId() }), '23505', 'service_needs_one_request')).toBe(true);
    expect(
      await refusedBy(
        db.insert(serviceNeeds).values({ ...row!, id: newId(), requestId, claimedAt: null, claimedById: null, claimedByTeamId: null }),
        '23514',
        'service_needs_request_claimed',
      ),
    ).toBe(true);
  });

  it('refuses a claim by someone who is not the captain before filing anything', async () => {
    const need = await publishNeed('楼道灯更换');
    expect(await claim(need, viewers.zhang)).toMatchObject({ userErrors: [{ field: ['input', 'team'], code: 'NOT_ALLOWED' }] });
    const [row] = await bed.requests.database.db.select().from(serviceNeeds).where(eq(serviceNeeds.id, need));
    expect(row?.requestId).toBeNull();
  });
});

describe('a retired category in the database', () => {
  /** A copy of a row of `table` under the category `code`, with a new id. */
  async function copyUnder(table: PgTable, code: string, change: Record<string, unknown> = {}): Promise<boolean> {
    const db = bed.requests.database.db;
    const [row] = await db.select().from(table).limit(1);
    const copy: PgTable['$inferInsert'] = { ...row, id: newId(), categoryCode: code, ...change };
    return refusedBy(db.insert(table).values(copy), '23514', 'categories_in_use');
  }

  it('keeps the rows filed before it was retired and refuses new ones, and moves, from any writer', async () => {
    const code = `retired_${Date.now().toString(36)}`;
    const created = await run<{ serviceCategoryCreate: { userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: ServiceCategoryCreateInput!) { serviceCategoryCreate(input: $input) { userErrors { field code message } } }`,
      viewers.platform,
      { input: { code, name: '旧服务' } },
    );
    expect(created.serviceCategoryCreate.userErrors).toEqual([]);
    // Before retiring, the database takes new rows under it.
    expect(await copyUnder(dutyPosts, code)).toBe(false);
    const oldRequest = await fileRequest(bed, { category: code, requester: viewers.zheng, place: EAST_BUILDING_1 });
    await run(bed, `mutation { serviceCategoryRetire(input: { code: "${code}" }) { userErrors { code } } }`, viewers.platform);
    const db = bed.requests.database.db;
    for (const table of [serviceRequests, serviceOffers, activities, dutyPosts] as PgTable[]) expect(await copyUnder(table, code)).toBe(true);
    expect(await copyUnder(serviceNeeds, code, { claimedAt: null, claimedById: null, claimedByTeamId: null, requestId: null })).toBe(true);
    // Moving an old row to it is a new filing too.
    const [other] = await db.select().from(serviceRequests).where(eq(serviceRequests.categoryCode, 'cleaning')).limit(1);
    expect(await refusedBy(db.update(serviceRequests).set({ categoryCode: code }).where(eq(serviceRequests.id, other!.id)), '23514', 'categories_in_use')).toBe(true);
    // The old request stays, readable and changeable in its other columns.
    await db.update(serviceRequests).set({ updatedAt: new Date() }).where(eq(serviceRequests.id, oldRequest));
    const read = await run<{ serviceRequest: { category: { code: string; retiredAt: Date | null } } }>(
      bed,
      `query ($id: ID!) { serviceRequest(id: $id) { category { code retiredAt } } }`,
      viewers.zheng,
      { id: oldRequest },
    );
    expect(read.serviceRequest.category.code).toBe(code);
    expect(read.serviceRequest.category.retiredAt).not.toBeNull();
    // And the services say so before the database has to.
    const post = await run<{ dutyPostCreate: { userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: DutyPostCreateInput!) { dutyPostCreate(input: $input) { userErrors { field code message } } }`,
      viewers.lin,
      { input: { name: '旧岗', kind: 'GATE', place: XINGLE, category: code } },
    );
    expect(post.dutyPostCreate.userErrors).toMatchObject([{ field: ['input', 'category'], code: 'INVALID_STATE' }]);
  });
});

describe('approving a shift volunteer by volunteer', () => {
  const volunteer = (index: number): Viewer => viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[index]!.id });
  const person = (index: number): string => DEMO_VOLUNTEERS[index]!.id;

  type Approval = { serviceRecords: { id: string; minutes: number; volunteer: { id: string } | null }[]; noShows: number; userErrors: UserErrorShape[] };
  async function approve(input: Record<string, unknown>): Promise<Approval> {
    const data = await run<{ dutyShiftApprove: Approval }>(
      bed,
      `mutation ($input: DutyShiftApproveInput!) { dutyShiftApprove(input: $input) { serviceRecords { id minutes volunteer { id } } noShows userErrors { field code message } } }`,
      viewers.lin,
      { input },
    );
    return data.dutyShiftApprove;
  }

  async function servedShift(): Promise<string> {
    const post = await run<{ dutyPostCreate: { post: { id: string } } }>(
      bed,
      `mutation ($input: DutyPostCreateInput!) { dutyPostCreate(input: $input) { post { id } } }`,
      viewers.lin,
      { input: { name: '东门卡口', kind: 'GATE', place: XINGLE } },
    );
    const start = new Date(Math.ceil((Date.now() + 48 * HOUR) / HOUR) * HOUR);
    const made = await run<{ dutyShiftsCreate: { shifts: { id: string }[] } }>(
      bed,
      `mutation ($input: DutyShiftsCreateInput!) { dutyShiftsCreate(input: $input) { shifts { id } } }`,
      viewers.lin,
      { input: { post: post.dutyPostCreate.post.id, shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 2 * HOUR), places: 4 }] } },
    );
    const shift = made.dutyShiftsCreate.shifts[0]!.id;
    for (const index of [1, 2, 3, 4]) await run(bed, `mutation { dutyShiftSignUp(input: { shift: "${shift}" }) { userErrors { code } } }`, volunteer(index));
    // Volunteers 1 to 3 came at the start and left at the end; volunteer 4 never came.
    await bed.requests.database.db
      .update(dutyShiftSignups)
      .set({ checkedInAt: start, checkedOutAt: new Date(start.getTime() + 2 * HOUR), minutes: 120 })
      .where(and(eq(dutyShiftSignups.shiftId, shift), sql`${dutyShiftSignups.personId} in (${person(1)}, ${person(2)}, ${person(3)})`));
    bed.clock.set(new Date(start.getTime() + 3 * HOUR));
    return shift;
  }

  it('refuses lists that disagree or name volunteers who did not serve, writing nothing', async () => {
    const shift = await servedShift();
    try {
      const bad: [Record<string, unknown>, UserErrorShape['field'], string][] = [
        [{ persons: [person(1), person(1)] }, ['input', 'persons', '1'], 'INVALID'],
        [
          {
            refusals: [
              { person: person(1), reason: '早退' },
              { person: person(1), reason: '早退' },
            ],
          },
          ['input', 'refusals', '1', 'person'],
          'INVALID',
        ],
        [{ persons: [person(1)], refusals: [{ person: person(1), reason: '早退' }] }, ['input', 'refusals', '0', 'person'], 'INVALID'],
        [{ refusals: [{ person: person(2), reason: '   ' }] }, ['input', 'refusals', '0', 'reason'], 'REQUIRED'],
        [{ refusals: [{ person: person(2), reason: '长'.repeat(501) }] }, ['input', 'refusals', '0', 'reason'], 'INVALID'],
        [{ refusals: [{ person: person(4), reason: '未到岗' }] }, ['input', 'refusals', '0', 'person'], 'NOT_FOUND'],
        [{ persons: [person(5)] }, ['input', 'persons', '0'], 'NOT_FOUND'],
        [{ persons: ['not-an-id'] }, ['input', 'persons', '0'], 'INVALID'],
        [{ persons: [] }, ['input', 'persons'], 'INVALID'],
      ];
      for (const [input, field, code] of bad) {
        const answer = await approve({ shift, ...input });
        expect([input, answer.userErrors.map((error) => [error.field, error.code])]).toEqual([input, [[field, code]]]);
        expect(answer.serviceRecords).toEqual([]);
      }
      const [approved] = await rowsOf<{ n: number }>(
        bed.requests.database.db,
        sql`select count(*)::int as n from requests.duty_shift_signups where shift_id = ${shift} and approved_at is not null`,
      );
      expect(approved!.n).toBe(0);
    } finally {
      bed.clock.reset();
    }
  });

  it('approves some volunteers, refuses one with a reason, approves the rest later, and never approves the refused one', async () => {
    const shift = await servedShift();
    try {
      const first = await approve({ shift, persons: [person(1)], minutes: [{ person: person(1), minutes: 90 }] });
      expect(first.userErrors).toEqual([]);
      expect(first.serviceRecords.map((record) => [record.volunteer?.id, record.minutes])).toEqual([[person(1), 90]]);
      expect(first.noShows).toBe(1);
      // The rest of the shift, with volunteer 2's attendance refused.
      const second = await approve({ shift, refusals: [{ person: person(2), reason: '提前离岗，未完成值守。' }] });
      expect(second.userErrors).toEqual([]);
      expect(second.serviceRecords.map((record) => [record.volunteer?.id, record.minutes])).toEqual([[person(3), 120]]);
      // Approved is approved, refused is refused.
      expect((await approve({ shift, refusals: [{ person: person(1), reason: '重复' }] })).userErrors).toMatchObject([
        { field: ['input', 'refusals', '0', 'person'], code: 'INVALID_STATE' },
      ]);
      expect((await approve({ shift, refusals: [{ person: person(2), reason: '重复' }] })).userErrors).toMatchObject([
        { field: ['input', 'refusals', '0', 'person'], code: 'INVALID_STATE' },
      ]);
      expect((await approve({ shift, persons: [person(2)] })).userErrors).toMatchObject([{ field: ['input', 'persons', '0'], code: 'INVALID_STATE' }]);
      expect((await approve({ shift })).serviceRecords).toEqual([]);
      type SignUpShape = { person: { id: string }; refusedAt: Date | null; refusalReason: string | null; serviceRecord: { minutes: number } | null };
      const seen = await run<{ _entities: { signUps: SignUpShape[] }[] }>(
        bed,
        `{ _entities(representations: [{ __typename: "DutyShift", id: "${shift}" }]) { ... on DutyShift { signUps { person { id } refusedAt refusalReason serviceRecord { minutes } } } } }`,
        viewers.lin,
      );
      const signUps = seen._entities[0]!.signUps;
      const byPerson = new Map(signUps.map((signup) => [signup.person.id, signup]));
      expect(byPerson.get(person(2))).toMatchObject({ refusalReason: '提前离岗，未完成值守。', serviceRecord: null });
      expect(byPerson.get(person(2))?.refusedAt).not.toBeNull();
      expect(byPerson.get(person(1))).toMatchObject({ refusedAt: null, serviceRecord: { minutes: 90 } });
      // The database keeps a refused place unapproved, whatever code writes.
      expect(
        await refusedBy(
          bed.requests.database.db
            .update(dutyShiftSignups)
            .set({ approvedAt: new Date(), approvedById: newId(), approvedMinutes: 60 })
            .where(and(eq(dutyShiftSignups.shiftId, shift), eq(dutyShiftSignups.personId, person(2)))),
          '23514',
          'duty_shift_signups_refusal',
        ),
      ).toBe(true);
      // Each record's event names the shift it came from.
      const payloads = await rowsOf<{ payload: { dutyShiftId: string | null; volunteerId: string } }>(
        bed.requests.database.db,
        sql`select payload from requests.outbox where type = 'service_record.created' and aggregate_id in (${first.serviceRecords[0]!.id}, ${second.serviceRecords[0]!.id})`,
      );
      expect(payloads.map((row) => row.payload.dutyShiftId)).toEqual([shift, shift]);
    } finally {
      bed.clock.reset();
    }
  });

  it('names no shift in the events of records that do not come from one', async () => {
    const [row] = await rowsOf<{ n: number }>(
      bed.requests.database.db,
      sql`select count(*)::int as n from requests.outbox o join requests.service_records r on r.id::text = o.aggregate_id::text
          where o.type = 'service_record.created' and r.duty_shift_id is null and o.payload->>'dutyShiftId' is not null`,
    );
    expect(row!.n).toBe(0);
    const [activityRecord] = await rowsOf<{ payload: Record<string, unknown> }>(
      bed.requests.database.db,
      sql`select o.payload from requests.outbox o where o.type = 'service_record.created' and o.payload->>'activityId' is not null limit 1`,
    );
    expect(activityRecord?.payload).toMatchObject({ dutyShiftId: null });
  });
});
