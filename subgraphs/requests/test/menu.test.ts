/**
 * The service menu (服务清单): teams publish offers, residents order from
 * them and the station's approval dispatches the order to the offering team;
 * the database holds an offer's weekly capacity under concurrent orders and
 * lets a station's need be claimed once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { ANONYMOUS, rowsOf, type Viewer } from '@lianxin/shared';
import { DEMO_REGIONS } from '@lianxin/shared/demo';
import { EAST_BUILDING_1, LEXIUJIANG, XINGLE, ZIMING, codeOf, must, run, startRequests, viewers, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

const EAST_BUILDING_2 = DEMO_REGIONS.eastBuilding2.id;
const WINDOWS = [
  { weekday: 2, start: '09:00', end: '11:30' },
  { weekday: 6, start: '14:00', end: '17:00' },
];

interface OfferShape {
  id: string;
  team: { id: string };
  category: { code: string };
  area: { id: string }[];
  windows: typeof WINDOWS;
  capacityPerWeek: number;
  withdrawnAt: unknown;
}
type OfferPayload = { offer: OfferShape | null; userErrors: UserErrorShape[] };
const OFFER = 'offer { id team { id } category { code } area { id } windows { weekday start end } capacityPerWeek withdrawnAt } userErrors { field code message }';

async function publish(viewer: Viewer, overrides: Record<string, unknown> = {}) {
  const result = await bed.requests.execute(`mutation ($input: ServiceOfferPublishInput!) { serviceOfferPublish(input: $input) { ${OFFER} } }`, {
    variables: { input: { team: LEXIUJIANG, category: 'cleaning', description: '楼道、家庭保洁', regions: [XINGLE], windows: WINDOWS, capacityPerWeek: 3, ...overrides } },
    viewer,
  });
  return { result, payload: (result.data as { serviceOfferPublish: OfferPayload } | null | undefined)?.serviceOfferPublish ?? null };
}

async function offerOf(overrides: Record<string, unknown> = {}): Promise<string> {
  const { payload } = await publish(viewers.wang, overrides);
  if (!payload?.offer) throw new Error(JSON.stringify(payload?.userErrors));
  return payload.offer.id;
}

async function withdraw(offer: string, viewer: Viewer) {
  const result = await bed.requests.execute(`mutation ($input: ServiceOfferWithdrawInput!) { serviceOfferWithdraw(input: $input) { ${OFFER} } }`, {
    variables: { input: { offer } },
    viewer,
  });
  return { result, payload: (result.data as { serviceOfferWithdraw: OfferPayload } | null | undefined)?.serviceOfferWithdraw ?? null };
}

type OrderPayload = { serviceRequest: { id: string; status: string; category: { code: string } } | null; userErrors: UserErrorShape[] };
async function order(offer: string, viewer: Viewer = viewers.zheng, overrides: Record<string, unknown> = {}) {
  const result = await bed.requests.execute(
    `mutation ($input: ServiceRequestFromOfferInput!) { serviceRequestFromOffer(input: $input) { serviceRequest { id status category { code } } userErrors { field code message } } }`,
    { variables: { input: { offer, description: '请来打扫楼道。', place: EAST_BUILDING_2, ...overrides } }, viewer },
  );
  return { result, payload: (result.data as { serviceRequestFromOffer: OrderPayload } | null | undefined)?.serviceRequestFromOffer ?? null };
}

const MENU = `query ($filter: ServiceOfferFilter) { serviceOffers(filter: $filter, first: 100) { edges { node { id } } } }`;
async function menuIds(filter: Record<string, unknown>, viewer: Viewer = ANONYMOUS): Promise<string[]> {
  const data = await run<{ serviceOffers: { edges: { node: { id: string } }[] } }>(bed, MENU, viewer, { filter });
  return data.serviceOffers.edges.map((edge) => edge.node.id);
}

describe('publishing an offer', () => {
  it('puts the team’s offer on the public menu, found by the places and category it serves', async () => {
    const { payload } = await publish(viewers.wang);
    expect(payload).toMatchObject({
      offer: { team: { id: LEXIUJIANG }, category: { code: 'cleaning' }, area: [{ id: XINGLE }], windows: WINDOWS, capacityPerWeek: 3, withdrawnAt: null },
      userErrors: [],
    });
    const id = payload!.offer!.id;
    expect(await menuIds({})).toContain(id);
    expect(await menuIds({ region: EAST_BUILDING_1, category: 'cleaning' })).toContain(id);
    expect(await menuIds({ region: ZIMING })).not.toContain(id);
    expect(await menuIds({ category: 'home_repair' })).not.toContain(id);
  });

  it('is for the team’s captain and admins of its community; others are refused before anything else is checked', async () => {
    expect((await publish(viewers.lin)).payload?.userErrors).toEqual([]);
    const count = async () => (await rowsOf<{ n: number }>(bed.requests.database.db, sql`select count(*)::int as n from requests.service_offers`))[0]!.n;
    const before = await count();
    for (const viewer of [viewers.zhang, viewers.outsider, viewers.zheng, viewers.zimingStation]) {
      // A retired or unknown category would be refused too, but authority comes first.
      expect((await publish(viewer, { category: 'no_such_category' })).payload).toMatchObject({ offer: null, userErrors: [{ field: ['input', 'team'], code: 'NOT_ALLOWED' }] });
    }
    expect(codeOf((await publish(ANONYMOUS)).result)).toBe('UNAUTHENTICATED');
    expect(await count()).toBe(before);
  });

  it('refuses bad windows, an unknown region and a category no one may file under', async () => {
    expect((await publish(viewers.wang, { windows: [{ weekday: 8, start: '09:00', end: '10:00' }] })).payload?.userErrors[0]).toMatchObject({ code: 'INVALID' });
    expect((await publish(viewers.wang, { windows: [{ weekday: 1, start: '10:00', end: '09:00' }] })).payload?.userErrors[0]).toMatchObject({ code: 'INVALID' });
    expect((await publish(viewers.wang, { capacityPerWeek: 0 })).payload?.userErrors[0]).toMatchObject({ field: ['input', 'capacityPerWeek'], code: 'INVALID' });
    expect((await publish(viewers.wang, { regions: [ZIMING, '00000000-0000-7000-8fff-0000000000ee'] })).payload?.userErrors[0]).toMatchObject({
      field: ['input', 'regions'],
      code: 'NOT_FOUND',
    });
    expect((await publish(viewers.wang, { category: 'no_such_category' })).payload?.userErrors[0]).toMatchObject({ field: ['input', 'category'], code: 'NOT_FOUND' });
  });
});

describe('ordering from an offer', () => {
  it('files a request under the offer’s category that the station’s approval dispatches to the offering team', async () => {
    const offer = await offerOf();
    const { payload } = await order(offer);
    expect(payload).toMatchObject({ serviceRequest: { status: 'SUBMITTED', category: { code: 'cleaning' } }, userErrors: [] });
    const request = payload!.serviceRequest!.id;
    const approved = await must(bed, 'serviceRequestApprove', { request }, viewers.station);
    expect(approved.status).toBe('DISPATCHED');
    const seen = await run<{ serviceRequest: { dispatchedTeam: { id: string } | null; history: { to: string }[] } }>(
      bed,
      `query ($id: ID!) { serviceRequest(id: $id) { dispatchedTeam { id } history { to } } }`,
      viewers.station,
      { id: request },
    );
    expect(seen.serviceRequest.dispatchedTeam).toEqual({ id: LEXIUJIANG });
    expect(seen.serviceRequest.history.map((step) => step.to)).toEqual(['SUBMITTED', 'APPROVED', 'DISPATCHED']);
    // The team's members take it as any request dispatched to the team.
    expect((await must(bed, 'serviceRequestAccept', { request }, viewers.zhang)).status).toBe('ACCEPTED');
  });

  it('refuses a place outside the area served, and an unknown offer', async () => {
    const offer = await offerOf({ regions: [EAST_BUILDING_1] });
    expect((await order(offer)).payload).toMatchObject({ serviceRequest: null, userErrors: [{ field: ['input', 'place'], code: 'NOT_ALLOWED' }] });
    expect((await order('00000000-0000-7000-8fff-0000000000ef')).payload).toMatchObject({ serviceRequest: null, userErrors: [{ field: ['input', 'offer'], code: 'NOT_FOUND' }] });
  });

  it('takes no more orders in a Beijing week than the offer’s capacity, however many arrive at once', async () => {
    // Served Tuesday mornings and, for the week's boundary, Monday 00:00 to 01:00 (Beijing).
    const offer = await offerOf({ capacityPerWeek: 2, windows: [...WINDOWS, { weekday: 1, start: '00:00', end: '01:00' }] });
    // Tuesday 10:00 Beijing; the next Monday 00:30 Beijing is Sunday 16:30 UTC, already the next week.
    const thisWeek = '2027-03-02T02:00:00Z';
    const nextWeek = '2027-03-07T16:30:00Z';
    const orderers = [viewers.zheng, viewers.liu, viewers.he, viewers.zheng, viewers.liu];
    const attempts = await Promise.all(orderers.map(async (viewer) => ({ viewer, ...(await order(offer, viewer, { wishedAt: thisWeek, place: EAST_BUILDING_1 })) })));
    const accepted = attempts.filter((attempt) => attempt.payload?.serviceRequest);
    expect(accepted).toHaveLength(2);
    for (const attempt of attempts.filter((candidate) => !candidate.payload?.serviceRequest)) {
      expect(attempt.payload?.userErrors).toEqual([{ field: ['input', 'offer'], code: 'ALREADY_EXISTS', message: expect.any(String) }]);
    }
    const [counted] = await rowsOf<{ n: number }>(bed.requests.database.db, sql`select count(*)::int as n from requests.service_requests where offer_id = ${offer}`);
    expect(counted!.n).toBe(2);
    // Another week has its own places; a cancelled order gives its place back.
    expect((await order(offer, viewers.zheng, { wishedAt: nextWeek, place: EAST_BUILDING_1 })).payload?.serviceRequest).not.toBeNull();
    expect((await order(offer, viewers.he, { wishedAt: thisWeek, place: EAST_BUILDING_1 })).payload?.userErrors).toMatchObject([{ code: 'ALREADY_EXISTS' }]);
    await must(bed, 'serviceRequestCancel', { request: accepted[0]!.payload!.serviceRequest!.id, reason: '不需要了。' }, accepted[0]!.viewer);
    expect((await order(offer, viewers.he, { wishedAt: thisWeek, place: EAST_BUILDING_1 })).payload?.serviceRequest).not.toBeNull();
  });
});

describe('withdrawing an offer', () => {
  it('takes it off the menu and refuses new orders, for those who may publish; others learn nothing of its state', async () => {
    const offer = await offerOf();
    expect((await withdraw(offer, viewers.outsider)).payload).toMatchObject({ userErrors: [{ field: ['input', 'offer'], code: 'NOT_ALLOWED' }] });
    expect((await withdraw(offer, viewers.wang)).payload?.offer?.withdrawnAt).not.toBeNull();
    expect(await menuIds({})).not.toContain(offer);
    expect((await order(offer)).payload).toMatchObject({ serviceRequest: null, userErrors: [{ field: ['input', 'offer'], code: 'INVALID_STATE' }] });
    expect((await withdraw(offer, viewers.wang)).payload).toMatchObject({ userErrors: [{ field: ['input', 'offer'], code: 'INVALID_STATE' }] });
    // Withdrawn or not, someone who may not act for the team is told the same.
    expect((await withdraw(offer, viewers.outsider)).payload).toMatchObject({ userErrors: [{ field: ['input', 'offer'], code: 'NOT_ALLOWED' }] });
  });
});

describe('need lists (认领)', () => {
  type NeedPayload = { need: { id: string; claimedBy: { id: string } | null; region: { id: string } } | null; userErrors: UserErrorShape[] };
  async function publishNeed(viewer: Viewer, place: string = EAST_BUILDING_1) {
    const result = await bed.requests.execute(
      `mutation ($input: ServiceNeedPublishInput!) { serviceNeedPublish(input: $input) { need { id claimedBy { id } region { id } } userErrors { field code message } } }`,
      { variables: { input: { category: 'cleaning', title: '独居老人家中保洁', description: '每周一次。', place } }, viewer },
    );
    return { result, payload: (result.data as { serviceNeedPublish: NeedPayload } | null | undefined)?.serviceNeedPublish ?? null };
  }
  async function claim(need: string, viewer: Viewer) {
    const result = await bed.requests.execute(
      `mutation ($input: ServiceNeedClaimInput!) { serviceNeedClaim(input: $input) { need { id claimedBy { id } region { id } } userErrors { field code message } } }`,
      { variables: { input: { need, team: LEXIUJIANG } }, viewer },
    );
    return { result, payload: (result.data as { serviceNeedClaim: NeedPayload } | null | undefined)?.serviceNeedClaim ?? null };
  }

  it('lets a station publish a need inside its scope, and no one else', async () => {
    expect((await publishNeed(viewers.station)).payload).toMatchObject({ need: { claimedBy: null, region: { id: EAST_BUILDING_1 } }, userErrors: [] });
    expect((await publishNeed(viewers.zimingStation)).payload).toMatchObject({ need: null, userErrors: [{ field: ['input', 'place'], code: 'NOT_ALLOWED' }] });
    expect(codeOf((await publishNeed(viewers.wang)).result)).toBe('FORBIDDEN');
  });

  it('is claimed once, by a team’s captain, even when claims arrive together', async () => {
    const need = (await publishNeed(viewers.station)).payload!.need!.id;
    expect((await claim(need, viewers.zhang)).payload).toMatchObject({ userErrors: [{ field: ['input', 'team'], code: 'NOT_ALLOWED' }] });
    const attempts = await Promise.all([claim(need, viewers.wang), claim(need, viewers.wang), claim(need, viewers.wang)]);
    expect(attempts.filter((attempt) => attempt.payload?.userErrors.length === 0)).toHaveLength(1);
    for (const attempt of attempts.filter((candidate) => candidate.payload?.userErrors.length)) {
      expect(attempt.payload?.userErrors).toMatchObject([{ field: ['input', 'need'], code: 'ALREADY_EXISTS' }]);
    }
    // Claimed or not, a member who is not the captain is told the same.
    expect((await claim(need, viewers.zhang)).payload).toMatchObject({ userErrors: [{ field: ['input', 'team'], code: 'NOT_ALLOWED' }] });
    const open = await run<{ serviceNeeds: { edges: { node: { id: string } }[] } }>(
      bed,
      `{ serviceNeeds(filter: { open: true }, first: 100) { edges { node { id } } } }`,
      viewers.zheng,
    );
    expect(open.serviceNeeds.edges.map((edge) => edge.node.id)).not.toContain(need);
    // The database keeps the claim: it cannot be moved to another team or taken back.
    await expect(
      bed.requests.database.db.execute(sql`update requests.service_needs set claimed_at = null, claimed_by = null, claimed_by_team = null where id = ${need}`),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/claimed already/) },
    });
  });
});
