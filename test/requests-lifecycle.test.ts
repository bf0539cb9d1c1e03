/**
 * The order flow end to end through the gateway on real Postgres: a repair
 * filed, reviewed, dispatched, accepted, priced by the household's hardship
 * level (which the people subgraph hands over through `@requires`), agreed,
 * served, completed and rated; the accept race; and the team queue's SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_TEAM, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { countStatements } from '@lianxin/shared/testing';
import { fundCharges } from '../subgraphs/requests/src/db/schema.js';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';

let graph: TestGraph;

beforeAll(async () => {
  // The team queue's statements are counted on the requests database handle, which its event runner would also use.
  graph = await startTestGraph({ EVENT_RUNNERS: 'false' });
});
afterAll(async () => {
  await graph?.stop();
});

const [liuGuifang, heDeshun, zhengXiaohong] = DEMO_RESIDENTS as unknown as [{ id: string; name: string }, { id: string; name: string }, { id: string; name: string }];
const wangJianguo = DEMO_VOLUNTEERS[0]!;
const zhangXiuying = DEMO_VOLUNTEERS[1]!;
const XINGLE = DEMO_REGIONS.xingle.id;

type Tokens = Record<'liu' | 'he' | 'zheng' | 'wang' | 'zhang' | 'station', string>;
let tokens: Tokens;

beforeAll(async () => {
  tokens = {
    liu: await graph.token({ roles: ['resident'], personId: liuGuifang.id }),
    he: await graph.token({ roles: ['resident'], personId: heDeshun.id }),
    zheng: await graph.token({ roles: ['resident'], personId: zhengXiaohong.id }),
    wang: await graph.token({ roles: ['volunteer', 'team_captain'], personId: wangJianguo.id }),
    zhang: await graph.token({ roles: ['volunteer'], personId: zhangXiuying.id }),
    // 林晓, a registered person: requests refuses writes for persons it has not heard of, and a history names every actor.
    station: await graph.token({ roles: ['station_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] }),
  };
});

/** Sends an operation that must not fail at the top level. */
async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response: GraphQLResponse<T> = await graph.query<T>(query, { variables, token });
  if (response.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

type Payload = { serviceRequest: { id: string; status: string } | null; userErrors: { field: string[] | null; code: string; message: string }[] };

async function change(mutation: string, input: Record<string, unknown>, token: string): Promise<Payload> {
  const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const data = await ok<Record<string, Payload>>(
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { serviceRequest { id status } userErrors { field code message } } }`,
    token,
    { input },
  );
  return data[mutation]!;
}

async function must(mutation: string, input: Record<string, unknown>, token: string): Promise<string> {
  const payload = await change(mutation, input, token);
  // A refused change still shows the request as it stands: only the user errors tell a refusal.
  if (payload.userErrors.length > 0 || !payload.serviceRequest) throw new Error(`${mutation} refused: ${JSON.stringify(payload.userErrors)}`);
  return payload.serviceRequest.status;
}

async function file(token: string, place: string, category = 'home_repair'): Promise<string> {
  const data = await ok<{ serviceRequestCreate: { serviceRequest: { id: string } | null; userErrors: unknown[] } }>(
    `mutation ($input: ServiceRequestCreateInput!) { serviceRequestCreate(input: $input) { serviceRequest { id } userErrors { field code message } } }`,
    token,
    { input: { category, description: '水管接头漏水，需要更换。', place } },
  );
  if (!data.serviceRequestCreate.serviceRequest) throw new Error(JSON.stringify(data.serviceRequestCreate.userErrors));
  return data.serviceRequestCreate.serviceRequest.id;
}

/** A repair for `requesterToken` approved, dispatched to 乐修匠, accepted by 王建国 and quoted. */
async function quotedRepair(requesterToken: string, place: string, labour: number, materials: number): Promise<string> {
  const request = await file(requesterToken, place);
  await must('serviceRequestApprove', { request }, tokens.station);
  await must('serviceRequestDispatch', { request, team: DEMO_TEAM.id }, tokens.station);
  await must('serviceRequestAccept', { request }, tokens.wang);
  await must('serviceRequestQuote', { request, labour, materials }, tokens.wang);
  return request;
}

type Quote = { tier: string; householdKnown: boolean; residentPays: number; charityFundPays: number; token: string } | null;
const quoteQuery = `query ($id: ID!) { serviceRequest(id: $id) { quote { tier householdKnown residentPays charityFundPays token } } }`;

describe('a repair through the gateway', () => {
  it('is filed, reviewed, dispatched, accepted, priced by hardship, agreed, served, completed and rated', async () => {
    const request = await quotedRepair(tokens.liu, DEMO_REGIONS.eastBuilding1.id, 6000, 2500);

    // The volunteer sees the cost but not what the household pays: that would tell its hardship level.
    const asVolunteer = await ok<{ serviceRequest: { cost: { total: number }; quote: Quote } }>(
      `query ($id: ID!) { serviceRequest(id: $id) { cost { total } quote { tier } } }`,
      tokens.wang,
      { id: request },
    );
    expect(asVolunteer.serviceRequest).toEqual({ cost: { total: 8500 }, quote: null });

    // 刘桂芳's household is 特困 in the people subgraph: she pays nothing, the charity fund pays ¥85.
    const quote = (await ok<{ serviceRequest: { quote: Quote } }>(quoteQuery, tokens.liu, { id: request })).serviceRequest.quote!;
    expect(quote).toMatchObject({ tier: 'SPECIAL_HARDSHIP', householdKnown: true, residentPays: 0, charityFundPays: 8500 });
    await must('serviceRequestQuoteAgree', { request, quoteToken: quote.token }, tokens.liu);

    expect(await must('serviceRequestStart', { request }, tokens.wang)).toBe('IN_SERVICE');
    expect(await must('serviceRequestComplete', { request, note: '更换了接头和生料带。', materialsUsed: [{ name: '水管接头', quantity: 1 }] }, tokens.wang)).toBe('COMPLETED');
    expect(await must('serviceRequestRate', { request, score: 5, comment: '谢谢王师傅！' }, tokens.liu)).toBe('RATED');

    const seen = await ok<{ serviceRequest: Record<string, unknown> }>(
      `query ($id: ID!) { serviceRequest(id: $id) {
        status requester { name } assignee { name } dispatchedTeam { name } place { name }
        agreedPrice { tier residentPays charityFundPays agreedBy { name } }
        rating { score ratedBy { name } }
        history { from to actor { name } }
        serviceRecord { minutes volunteer { name } }
      } }`,
      tokens.station,
      { id: request },
    );
    expect(seen.serviceRequest).toMatchObject({
      status: 'RATED',
      requester: { name: '刘桂芳' },
      assignee: { name: '王建国' },
      dispatchedTeam: { name: '乐修匠服务队' },
      place: { name: '东院1号楼' },
      agreedPrice: { tier: 'SPECIAL_HARDSHIP', residentPays: 0, charityFundPays: 8500, agreedBy: { name: '刘桂芳' } },
      rating: { score: 5, ratedBy: { name: '刘桂芳' } },
      serviceRecord: { minutes: expect.any(Number), volunteer: { name: '王建国' } },
    });
    expect((seen.serviceRequest['history'] as { to: string }[]).map((step) => step.to)).toEqual([
      'SUBMITTED',
      'APPROVED',
      'DISPATCHED',
      'ACCEPTED',
      'IN_SERVICE',
      'COMPLETED',
      'RATED',
    ]);
    const charges = await graph.graph.subgraphs.requests.database.db.select().from(fundCharges).where(eq(fundCharges.requestId, request));
    expect(charges.map((charge) => charge.amountFen)).toEqual([8500]);

    // The hours show on the volunteer, across the graph.
    const person = await ok<{ person: { name: string; serviceHours: { minutes: number }; serviceRecords: { edges: { node: { serviceRequest: { id: string } | null } }[] } } }>(
      `query ($id: ID!) { person(id: $id) { name serviceHours { minutes } serviceRecords(first: 1) { edges { node { serviceRequest { id } } } } } }`,
      tokens.wang,
      { id: wangJianguo.id },
    );
    expect(person.person.name).toBe('王建国');
    expect(person.person.serviceHours.minutes).toBeGreaterThan(0);
    expect(person.person.serviceRecords.edges.map((edge) => edge.node.serviceRequest?.id)).toContain(request);
  });

  it('prices a low-income and an ordinary household by their own levels', async () => {
    const low = await quotedRepair(tokens.he, DEMO_REGIONS.westBuilding1.id, 5000, 1200);
    const ordinary = await quotedRepair(tokens.zheng, DEMO_REGIONS.eastBuilding2.id, 8000, 3000);
    expect((await ok<{ serviceRequest: { quote: Quote } }>(quoteQuery, tokens.he, { id: low })).serviceRequest.quote).toMatchObject({
      tier: 'LOW_INCOME',
      residentPays: 1200,
      charityFundPays: 5000,
    });
    expect((await ok<{ serviceRequest: { quote: Quote } }>(quoteQuery, tokens.zheng, { id: ordinary })).serviceRequest.quote).toMatchObject({
      tier: 'ORDINARY',
      residentPays: 6400 + 3000,
      charityFundPays: 0,
    });
    // The station admin of the place sees the same, as the people subgraph lets admins of the region see the household.
    expect((await ok<{ serviceRequest: { quote: Quote } }>(quoteQuery, tokens.station, { id: low })).serviceRequest.quote).toMatchObject({ tier: 'LOW_INCOME' });
    expect(DEMO_HOUSEHOLDS[1]!.hardship).toBe('low_income');
  });

  it('refuses an illegal transition as a user error, not a top-level error', async () => {
    // The requester may rate, but not before the service is done.
    const request = await file(tokens.zheng, DEMO_REGIONS.eastBuilding2.id, 'cleaning');
    const response = await graph.query<{ serviceRequestRate: Payload }>(
      `mutation { serviceRequestRate(input: { request: "${request}", score: 5 }) { serviceRequest { id status } userErrors { field code } } }`,
      { token: tokens.zheng },
    );
    expect(response.errors).toBeUndefined();
    // Beside the refusal, the request as it stands, which she may see.
    expect(response.data!.serviceRequestRate).toEqual({
      serviceRequest: { id: request, status: 'SUBMITTED' },
      userErrors: [{ field: ['input', 'request'], code: 'INVALID_STATE' }],
    });
  });
});

describe('bad inputs through the gateway', () => {
  it('are user errors with a field and a code, and write nothing', async () => {
    // A made-up request is, to a volunteer, one they may not see: FORBIDDEN, the one top-level answer among these.
    const unknown = await graph.query(`mutation ($input: ServiceRequestAcceptInput!) { serviceRequestAccept(input: $input) { userErrors { code } } }`, {
      variables: { input: { request: newId() } },
      token: tokens.wang,
    });
    expect(unknown.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(unknown.data).toEqual({ serviceRequestAccept: null });
    const request = await file(tokens.zheng, DEMO_REGIONS.eastBuilding2.id, 'cleaning');
    await must('serviceRequestApprove', { request }, tokens.station);
    await must('serviceRequestDispatch', { request, team: DEMO_TEAM.id }, tokens.station);
    await must('serviceRequestAccept', { request }, tokens.zhang);
    await must('serviceRequestStart', { request }, tokens.zhang);
    await must('serviceRequestComplete', { request, note: '好了。' }, tokens.zhang);
    expect((await change('serviceRequestRate', { request, score: 6 }, tokens.zheng)).userErrors).toEqual([
      { field: ['input', 'score'], code: 'INVALID', message: expect.any(String) },
    ]);
    expect(await must('serviceRequestRate', { request, score: 4 }, tokens.zheng)).toBe('RATED');

    // A check-out before any check-in.
    const admin = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const startsAt = new Date(Date.now() + 3600_000);
    const created = await ok<{ activityCreate: { activity: { id: string } } }>(
      `mutation ($input: ActivityCreateInput!) { activityCreate(input: $input) { activity { id } userErrors { code } } }`,
      admin,
      { input: { title: '义诊', place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + 7200_000), capacity: 5 } },
    );
    const activity = created.activityCreate.activity.id;
    await ok(`mutation ($id: ID!) { activitySignUp(input: { activity: $id }) { signup { status } } }`, tokens.zhang, { id: activity });
    const code = await ok<{ activity: { checkOutCode: { payload: string } } }>(`query ($id: ID!) { activity(id: $id) { checkOutCode { payload } } }`, admin, { id: activity });
    const checkOut = await ok<{ activityCheckOut: { attendance: unknown; userErrors: unknown[] } }>(
      `mutation ($code: String!) { activityCheckOut(input: { code: $code }) { attendance { minutes } userErrors { field code } } }`,
      tokens.zhang,
      { code: code.activity.checkOutCode.payload },
    );
    expect(checkOut.activityCheckOut).toEqual({ attendance: null, userErrors: [{ field: ['input', 'code'], code: 'INVALID_STATE' }] });
  });
});

describe('two volunteers accepting at the same moment', () => {
  it('lets exactly one win, every time', async () => {
    for (let round = 0; round < 5; round += 1) {
      const request = await file(tokens.zheng, DEMO_REGIONS.eastBuilding2.id, 'cleaning');
      await must('serviceRequestApprove', { request }, tokens.station);
      await must('serviceRequestDispatch', { request, team: DEMO_TEAM.id }, tokens.station);
      const results = await Promise.all([change('serviceRequestAccept', { request }, tokens.wang), change('serviceRequestAccept', { request }, tokens.zhang)]);
      expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(1);
      expect(results.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(['INVALID_STATE']);
      // The loser, refused, sees the request as the winner left it.
      expect(results.map((result) => result.serviceRequest)).toEqual([
        { id: request, status: 'ACCEPTED' },
        { id: request, status: 'ACCEPTED' },
      ]);
    }
  });
});

describe('the team queue', () => {
  const query = `query ($team: ID!) { teamQueue(team: $team, first: 100) { totalCount edges { node {
    id status urgency category { name } requester { name } place { name } history { to } cost { total } } } } }`;

  it('keeps a flat SQL statement count in the requests subgraph from a few requests to 50 more', async () => {
    const database = graph.graph.subgraphs.requests.database;
    const before = await countStatements(database, () => ok<{ teamQueue: { edges: unknown[] } }>(query, tokens.zhang, { team: DEMO_TEAM.id }));
    for (let index = 0; index < 50; index += 1) {
      const request = await file(
        index % 2 === 0 ? tokens.zheng : tokens.he,
        index % 2 === 0 ? DEMO_REGIONS.eastBuilding2.id : DEMO_REGIONS.westBuilding1.id,
        index % 3 === 0 ? 'home_repair' : 'cleaning',
      );
      await must('serviceRequestApprove', { request }, tokens.station);
      await must('serviceRequestDispatch', { request, team: DEMO_TEAM.id }, tokens.station);
    }
    const after = await countStatements(database, () =>
      ok<{ teamQueue: { totalCount: number; edges: { node: { requester: { name: string } } }[] } }>(query, tokens.zhang, { team: DEMO_TEAM.id }),
    );
    expect(after.result.teamQueue.edges.length).toBe(before.result.teamQueue.edges.length + 50);
    expect(after.result.teamQueue.edges.at(-1)!.node.requester.name).toBe('何德顺');
    expect(after.count).toBe(before.count);
  });
});
