import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { count } from 'drizzle-orm';
import { encodeCursor, type Viewer } from '@lianxin/shared';
import { DEMO_BUILDING_CAPTAINS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_VOLUNTEERS, demoBeijing, demoId, demoRegionId } from '@lianxin/shared/demo';
import { countStatements, startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { requestsSubgraph } from '../src/index.js';
import type { RequestsContext } from '../src/context.js';
import { activityAttendances, alerts, caseloadAssignments, directoryTeamMembers, microWishes, requestTransitions, serviceRecords, serviceRequests } from '../src/db/schema.js';
import { insertDirectoryPersons } from '../src/directory/store.js';

let requests: SubgraphHarness<RequestsContext>;

const liuGuifang = DEMO_RESIDENTS[0]!;
const heDeshun = DEMO_RESIDENTS[1]!;
const zhengXiaohong = DEMO_RESIDENTS[2]!;
const wangJianguo = DEMO_VOLUNTEERS[0]!;
const linXiao = DEMO_STAFF[0]!;
/** Someone with no requests at all. */
const newcomerId = demoId(11, 1);

const residentViewer = (personId: string): Viewer => viewerOf({ roles: ['resident'], personId });
const liu = residentViewer(liuGuifang.id);
const he = residentViewer(heDeshun.id);
const zheng = residentViewer(zhengXiaohong.id);
const wang = viewerOf({ roles: ['volunteer', 'team_captain'], personId: wangJianguo.id });
const gridWorker = viewerOf({ roles: ['grid_worker'], personId: demoId(11, 2), regionIds: [DEMO_REGIONS.xingle.id] });
const stationAdmin = viewerOf({ roles: ['station_admin'], personId: linXiao.id, regionIds: [DEMO_REGIONS.xingle.id] });
/** A station admin of another community. */
const zimingStation = viewerOf({ roles: ['station_admin'], personId: demoId(11, 3), regionIds: [demoRegionId('ziming')] });
/** An operator account that is not a person. */
const platformAdmin = viewerOf({ roles: ['platform_admin'] });

beforeAll(async () => {
  requests = await startSubgraphHarness(requestsSubgraph);
  // The persons this file makes up are registered ones, as people's person.registered would announce them.
  await insertDirectoryPersons(
    requests.database.db,
    [newcomerId, gridWorker.personId!, zimingStation.personId!].map((id) => ({ id, registeredAt: new Date() })),
  );
});
afterAll(async () => {
  await requests?.stop();
});

const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] | undefined }): unknown => result.errors?.[0]?.extensions?.['code'];

async function storedRequests(): Promise<number> {
  const [row] = await requests.database.db.select({ total: count() }).from(serviceRequests);
  return row?.total ?? 0;
}

describe('the demo data', () => {
  it('loads again without change', async () => {
    const tables = [serviceRequests, requestTransitions, serviceRecords, activityAttendances, alerts, microWishes, caseloadAssignments, directoryTeamMembers];
    const counts = () => Promise.all(tables.map(async (table) => (await requests.database.db.select({ total: count() }).from(table))[0]!.total));
    const before = await counts();
    await requestsSubgraph.seedDemo(requests.database.db, requestsSubgraph.settings(process.env));
    expect(await counts()).toEqual(before);
    expect(before.every((total) => total > 0)).toBe(true);
  });
});

describe('categories', () => {
  it('lists every kind of help, in order, to anyone', async () => {
    const { data, errors } = await requests.execute(`{ categories { code name priced } }`);
    expect(errors).toBeUndefined();
    const categories = (data as { categories: { code: string; name: string; priced: boolean }[] }).categories;
    expect(categories.map((category) => category.code)).toEqual([
      'buying_daily_necessities',
      'hospital_escort',
      'urgent_medicine',
      'psychological_support',
      'home_repair',
      'cleaning',
      'haircut',
      'tutoring',
      'companionship',
      'other',
      'emergency_call',
    ]);
    expect(categories.find((category) => category.code === 'home_repair')).toEqual({ code: 'home_repair', name: '上门维修', priced: true });
    expect(categories.filter((category) => category.priced)).toHaveLength(1);
  });
});

describe('reading a request', () => {
  const query = `query ($id: ID!) { serviceRequest(id: $id) { id description status channel createdAt requester { id } filedBy { id } category { code name } } }`;

  it('shows a request to its requester', async () => {
    const { data, errors } = await requests.execute(query, { variables: { id: demoId(10, 1) }, viewer: liu });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      serviceRequest: {
        id: demoId(10, 1),
        description: expect.stringContaining('厨房水龙头漏水'),
        status: 'RATED',
        channel: 'PHONE',
        // In process the scalar hands over a Date; on the wire it is the RFC 3339 string.
        createdAt: demoBeijing(3, 2, 9, 20),
        requester: { id: liuGuifang.id },
        filedBy: null,
        category: { code: 'home_repair', name: '上门维修' },
      },
    });
  });

  it('shows a request filed on a resident’s behalf to whoever filed it, and names them', async () => {
    const filer = viewerOf({ roles: ['community_admin'], personId: linXiao.id });
    const asFiler = await requests.execute(query, { variables: { id: demoId(10, 3) }, viewer: filer });
    expect(asFiler.errors).toBeUndefined();
    expect(asFiler.data).toMatchObject({ serviceRequest: { channel: 'GRID_WORKER', requester: { id: liuGuifang.id }, filedBy: { id: linXiao.id } } });
  });

  it('shows a request to staff whose region scope holds its place, and not to staff elsewhere', async () => {
    const { data, errors } = await requests.execute(query, { variables: { id: demoId(10, 2) }, viewer: gridWorker });
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({ serviceRequest: { requester: { id: heDeshun.id }, category: { code: 'urgent_medicine' } } });
    expect(codeOf(await requests.execute(query, { variables: { id: demoId(10, 2) }, viewer: zimingStation }))).toBe('FORBIDDEN');
  });

  it('refuses another resident, and asks anonymous callers to sign in', async () => {
    const other = await requests.execute(query, { variables: { id: demoId(10, 1) }, viewer: he });
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(other.data).toEqual({ serviceRequest: null });
    const anonymous = await requests.execute(query, { variables: { id: demoId(10, 1) } });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
  });

  it('answers an unknown id as it answers a hidden request, null only to a platform admin, and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await requests.execute(query, { variables: { id: demoId(10, 999) }, viewer: he });
    const hidden = await requests.execute(query, { variables: { id: demoId(10, 1) }, viewer: he });
    expect(unknown).toEqual(hidden);
    expect(codeOf(unknown)).toBe('FORBIDDEN');
    expect(await requests.execute(query, { variables: { id: demoId(10, 999) }, viewer: platformAdmin })).toEqual({ data: { serviceRequest: null }, errors: undefined });
    const malformed = await requests.execute(query, { variables: { id: "1' or '1'='1" }, viewer: liu });
    expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
  });
});

describe("a person's requests", () => {
  const query = `query ($r: [_Any!]!, $first: Int, $after: String) {
    _entities(representations: $r) { ... on Person { id requests(first: $first, after: $after) {
      totalCount edges { cursor node { id createdAt } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }
  }`;
  type Page = {
    totalCount: number;
    edges: { cursor: string; node: { id: string; createdAt: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  };
  const pageOf = (data: Record<string, unknown> | null | undefined): Page => (data as { _entities: { requests: Page }[] })._entities[0]!.requests;

  it('pages through them newest first for the person themselves, with a total', async () => {
    const variables = { r: [{ __typename: 'Person', id: wangJianguo.id }], first: 2 };
    const first = await requests.execute(query, { variables, viewer: wang });
    expect(first.errors).toBeUndefined();
    const page = pageOf(first.data);
    expect(page.totalCount).toBe(3);
    expect(page.edges.map((edge) => edge.node.id)).toEqual([demoId(10, 7), demoId(10, 6)]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await requests.execute(query, { variables: { ...variables, after: page.pageInfo.endCursor }, viewer: wang });
    expect(second.errors).toBeUndefined();
    const rest = pageOf(second.data);
    expect(rest.edges.map((edge) => edge.node.id)).toEqual([demoId(10, 5)]);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('shows them to staff, cut to their region scope, but not to another resident, nor to anonymous callers', async () => {
    const variables = { r: [{ __typename: 'Person', id: wangJianguo.id }], first: 5 };
    const staff = await requests.execute(query, { variables, viewer: stationAdmin });
    expect(staff.errors).toBeUndefined();
    expect(pageOf(staff.data).totalCount).toBe(3);
    const elsewhere = await requests.execute(query, { variables, viewer: zimingStation });
    expect(pageOf(elsewhere.data)).toMatchObject({ totalCount: 0, edges: [] });
    expect(codeOf(await requests.execute(query, { variables, viewer: liu }))).toBe('FORBIDDEN');
    expect(codeOf(await requests.execute(query, { variables }))).toBe('UNAUTHENTICATED');
  });

  it('is empty for a person who never asked for help', async () => {
    const { data, errors } = await requests.execute(query, {
      variables: { r: [{ __typename: 'Person', id: newcomerId }] },
      viewer: viewerOf({ roles: ['resident'], personId: newcomerId }),
    });
    expect(errors).toBeUndefined();
    expect(pageOf(data)).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null } });
  });

  it('refuses a cursor it did not hand out, even one shaped like its own', async () => {
    for (const after of ['bm90LWEtY3Vyc29y', encodeCursor(['yesterday', demoId(10, 5)]), encodeCursor(['2022-06-14T00:30:00.000Z', 'drop'])]) {
      const result = await requests.execute(query, { variables: { r: [{ __typename: 'Person', id: wangJianguo.id }], after }, viewer: wang });
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('federation contract', () => {
  it('resolves a batch of ServiceRequest references in one statement, in the order asked, an unknown id refused as a hidden one is', async () => {
    const ids = [demoId(10, 4), '00000000-0000-7000-8000-00000000dead', demoId(10, 1), 'not-a-uuid'];
    const { result, count: statements } = await countStatements(requests.database, () =>
      requests.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRequest { id requester { id } } } }`, {
        variables: { r: ids.map((id) => ({ __typename: 'ServiceRequest', id })) },
        viewer: stationAdmin,
      }),
    );
    expect(result.errors?.map((error) => [error.extensions?.['code'], error.path])).toEqual([
      ['FORBIDDEN', ['_entities', 1]],
      ['FORBIDDEN', ['_entities', 3]],
    ]);
    expect(result.data).toEqual({
      _entities: [{ id: demoId(10, 4), requester: { id: zhengXiaohong.id } }, null, { id: demoId(10, 1), requester: { id: liuGuifang.id } }, null],
    });
    expect(statements).toBe(1);
  });

  it('resolves a reference under the same rule as a query: a resident sees only their own', async () => {
    const result = await requests.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRequest { id } } }`, {
      variables: { r: [demoId(10, 1), demoId(10, 2)].map((id) => ({ __typename: 'ServiceRequest', id })) },
      viewer: liu,
    });
    expect(result.data).toEqual({ _entities: [{ id: demoId(10, 1) }, null] });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({ path: ['_entities', 1], extensions: { code: 'FORBIDDEN' } });
  });

  it('pages the requests of many persons for the cost of one', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person {
      id requests(first: 2) { totalCount edges { node { id category { name } } } } } } }`;
    const run = (ids: string[]) =>
      countStatements(requests.database, () => requests.execute(query, { variables: { r: ids.map((id) => ({ __typename: 'Person', id })) }, viewer: stationAdmin }));
    const one = await run([wangJianguo.id]);
    const three = await run([wangJianguo.id, liuGuifang.id, newcomerId]);
    expect(three.result.errors).toBeUndefined();
    type Entity = { id: string; requests: { totalCount: number; edges: { node: { id: string; category: { name: string } } }[] } };
    const persons = (three.result.data as { _entities: Entity[] })._entities;
    expect(persons.map((person) => person.id)).toEqual([wangJianguo.id, liuGuifang.id, newcomerId]);
    expect(persons.map((person) => person.requests.totalCount)).toEqual([3, 4, 0]);
    expect(persons[1]!.requests.edges.map((edge) => edge.node)).toEqual([
      { id: demoId(10, 12), category: { name: '一键呼叫' } },
      { id: demoId(10, 10), category: { name: '上门维修' } },
    ]);
    // One statement each for the pages, the totals and the categories, however many persons.
    expect(three.count).toBe(one.count);
    expect(three.count).toBe(3);
  });

  it('answers null for a Person reference that cannot be an id', async () => {
    const { data, errors } = await requests.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }`, {
      variables: { r: [{ __typename: 'Person', id: 'not-a-uuid' }] },
      viewer: stationAdmin,
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [null] });
  });
});

describe('filing a request', () => {
  const mutation = `mutation ($input: ServiceRequestCreateInput!) { serviceRequestCreate(input: $input) {
    serviceRequest { id description status channel requester { id } filedBy { id } category { code } }
    userErrors { field code message }
  } }`;
  type Payload = {
    serviceRequest: {
      id: string;
      description: string;
      status: string;
      channel: string;
      requester: { id: string };
      filedBy: { id: string } | null;
      category: { code: string };
    } | null;
    userErrors: { field: string[] | null; code: string; message: string }[];
  };

  async function file(input: Record<string, unknown>, viewer?: Viewer) {
    const result = await requests.execute(mutation, { variables: { input }, ...(viewer ? { viewer } : {}) });
    return { ...result, payload: (result.data as { serviceRequestCreate?: Payload } | null | undefined)?.serviceRequestCreate };
  }

  /** Files `input` as `viewer` and expects exactly one user error, and nothing written. */
  async function expectRefusal(input: Record<string, unknown>, viewer: Viewer, field: string[] | null, code: string): Promise<void> {
    const before = await storedRequests();
    const { payload, errors } = await file(input, viewer);
    expect(errors).toBeUndefined();
    expect(payload?.serviceRequest).toBeNull();
    expect(payload?.userErrors).toEqual([{ field, code, message: expect.any(String) }]);
    expect(await storedRequests()).toBe(before);
  }

  it('files a request for a resident, which then tops their list', async () => {
    const { payload, errors } = await file({ category: 'home_repair', description: '  卫生间灯不亮了，换了灯泡也不行。\n' }, he);
    expect(errors).toBeUndefined();
    expect(payload).toEqual({
      serviceRequest: {
        id: expect.any(String),
        description: '卫生间灯不亮了，换了灯泡也不行。',
        status: 'SUBMITTED',
        channel: 'APP',
        requester: { id: heDeshun.id },
        filedBy: null,
        category: { code: 'home_repair' },
      },
      userErrors: [],
    });

    const list = await requests.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { requests(first: 5) { totalCount edges { node { id } } } } } }`, {
      variables: { r: [{ __typename: 'Person', id: heDeshun.id }] },
      viewer: he,
    });
    expect(list.data).toEqual({
      _entities: [{ requests: { totalCount: 3, edges: [{ node: { id: payload!.serviceRequest!.id } }, { node: { id: demoId(10, 8) } }, { node: { id: demoId(10, 2) } }] } }],
    });
  });

  it('lets a grid worker file on a resident’s behalf, recorded as the filer, by the grid worker channel', async () => {
    const { payload, errors } = await file({ requester: zhengXiaohong.id, category: 'buying_daily_necessities', description: '家里米面快吃完了，请帮忙代买。' }, gridWorker);
    expect(errors).toBeUndefined();
    expect(payload?.userErrors).toEqual([]);
    expect(payload?.serviceRequest).toMatchObject({ requester: { id: zhengXiaohong.id }, filedBy: { id: gridWorker.personId }, channel: 'GRID_WORKER' });

    const asResident = await requests.execute(`query ($id: ID!) { serviceRequest(id: $id) { id } }`, {
      variables: { id: payload!.serviceRequest!.id },
      viewer: zheng,
    });
    expect(asResident.data).toEqual({ serviceRequest: { id: payload!.serviceRequest!.id } });
  });

  it('keeps the channel staff name when they file for someone, e.g. a phone call', async () => {
    const { payload } = await file({ requester: liuGuifang.id, category: 'urgent_medicine', description: '来电：速效救心丸用完了。', channel: 'PHONE' }, stationAdmin);
    expect(payload?.serviceRequest).toMatchObject({ channel: 'PHONE', filedBy: { id: linXiao.id } });
  });

  it('treats naming yourself as the requester as filing for yourself', async () => {
    const { payload } = await file({ requester: wangJianguo.id, category: 'other', description: '想咨询一下社区的志愿服务积分规则。' }, wang);
    expect(payload?.serviceRequest).toMatchObject({ requester: { id: wangJianguo.id }, filedBy: null, channel: 'APP' });
  });

  it('lets a building captain file for a resident of their building, and only there', async () => {
    const captain = DEMO_BUILDING_CAPTAINS.find((entry) => entry.building === 'eastBuilding1')!;
    const asCaptain = viewerOf({ roles: ['volunteer'], personId: captain.personId });
    const { payload } = await file({ requester: liuGuifang.id, category: 'cleaning', description: '老人家门口的杂物需要清理。', place: DEMO_REGIONS.eastBuilding1.id }, asCaptain);
    expect(payload).toMatchObject({ serviceRequest: { channel: 'BUILDING_CAPTAIN', filedBy: { id: captain.personId }, requester: { id: liuGuifang.id } }, userErrors: [] });
    const before = await storedRequests();
    // Another building is a place the captain sees but may not file for: NOT_ALLOWED on the place, as for a resident who captains nothing.
    await expectRefusal(
      { requester: heDeshun.id, category: 'cleaning', description: '帮忙清理。', place: DEMO_REGIONS.westBuilding1.id },
      asCaptain,
      ['input', 'place'],
      'NOT_ALLOWED',
    );
    await expectRefusal(
      { requester: heDeshun.id, category: 'cleaning', description: '帮忙清理。', place: DEMO_REGIONS.eastBuilding1.id },
      zheng,
      ['input', 'place'],
      'NOT_ALLOWED',
    );
    // Without a place there is no building to captain: filing for someone else is for staff, whoever asks.
    expect(codeOf(await file({ requester: heDeshun.id, category: 'cleaning', description: '帮忙清理。' }, asCaptain))).toBe('FORBIDDEN');
    expect(await storedRequests()).toBe(before);
  });

  it('refuses a plain resident filing for someone else, writing nothing', async () => {
    const before = await storedRequests();
    const result = await file({ requester: liuGuifang.id, category: 'cleaning', description: '帮邻居叫个保洁。' }, zheng);
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(await storedRequests()).toBe(before);
  });

  it('refuses an operator account that is not a person when it files for someone, since the filer must be recorded', async () => {
    const result = await file({ requester: liuGuifang.id, category: 'cleaning', description: '帮老人打扫卫生。' }, platformAdmin);
    expect(codeOf(result)).toBe('FORBIDDEN');
  });

  it('asks anonymous callers to sign in', async () => {
    const before = await storedRequests();
    const result = await file({ category: 'cleaning', description: '打扫楼道。' });
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    expect(await storedRequests()).toBe(before);
  });

  it('asks an account that is not a person whom the request is for', async () => {
    await expectRefusal({ category: 'cleaning', description: '打扫楼道。' }, platformAdmin, ['input', 'requester'], 'REQUIRED');
  });

  it('refuses a malformed requester id as INVALID', async () => {
    await expectRefusal({ requester: 'liu-guifang', category: 'cleaning', description: '打扫楼道。' }, gridWorker, ['input', 'requester'], 'INVALID');
    await expectRefusal({ requester: '123', category: 'cleaning', description: '打扫楼道。' }, liu, ['input', 'requester'], 'INVALID');
  });

  it('refuses an unknown category as NOT_FOUND', async () => {
    await expectRefusal({ category: 'plumbing', description: '水管堵了。' }, liu, ['input', 'category'], 'NOT_FOUND');
    await expectRefusal({ category: ' ', description: '水管堵了。' }, liu, ['input', 'category'], 'REQUIRED');
  });

  it('refuses a blank description as REQUIRED and an over-long one as INVALID', async () => {
    await expectRefusal({ category: 'other', description: '' }, liu, ['input', 'description'], 'REQUIRED');
    await expectRefusal({ category: 'other', description: ' \n\t\u3000' }, liu, ['input', 'description'], 'REQUIRED');
    await expectRefusal({ category: 'other', description: '修'.repeat(2001) }, liu, ['input', 'description'], 'INVALID');
  });

  it('counts the 2000-character limit in characters, as the database does, not in UTF-16 units', async () => {
    const { payload } = await file({ category: 'other', description: '🔧'.repeat(2000) }, liu);
    expect(payload?.userErrors).toEqual([]);
    expect(Array.from(payload?.serviceRequest?.description ?? '')).toHaveLength(2000);
  });

  it('reports every malformed field at once', async () => {
    const before = await storedRequests();
    const { payload } = await file({ requester: 'nobody', category: '', description: '  ' }, gridWorker);
    expect(payload?.userErrors.map((error) => [error.field, error.code])).toEqual([
      [['input', 'requester'], 'INVALID'],
      [['input', 'category'], 'REQUIRED'],
      [['input', 'description'], 'REQUIRED'],
    ]);
    expect(await storedRequests()).toBe(before);
  });

  it('leaves the device channel to call buttons and the grid worker channel to filing on someone’s behalf', async () => {
    await expectRefusal({ category: 'other', description: '测试呼叫。', channel: 'DEVICE' }, liu, ['input', 'channel'], 'NOT_ALLOWED');
    await expectRefusal({ category: 'other', description: '自己报的。', channel: 'GRID_WORKER' }, liu, ['input', 'channel'], 'INVALID');
  });
});
