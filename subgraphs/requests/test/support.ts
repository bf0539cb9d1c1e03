/**
 * What the requests tests share: the subgraph on a fresh database with the
 * demo data and a clock the test sets, the demo cast as viewers, and
 * builders that take a request through the order flow by the graph's own
 * mutations.
 */
import { newId, type Viewer } from '@lianxin/shared';
import {
  DEMO_GRID_WORKERS,
  DEMO_HOUSEHOLDS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_REGIONS,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_TEAM,
  DEMO_VOLUNTEERS,
  DEMO_XINCHENG_REGIONS,
} from '@lianxin/shared/demo';
import { startSubgraphHarness, testClock, viewerOf, type ExecuteResult, type SubgraphHarness, type TestClock } from '@lianxin/shared/testing';
import type { RequestsContext } from '../src/context.js';
import { caseloadHandlers } from '../src/caseloads/events.js';
import { insertDirectoryPersons } from '../src/directory/store.js';
import { requestsSubgraph } from '../src/index.js';

export interface RequestsTestBed {
  requests: SubgraphHarness<RequestsContext>;
  clock: TestClock;
  stop(): Promise<void>;
}

/**
 * The requests subgraph with demo data on a fresh database, its clock in the
 * test's hands. The test viewers who are not in the demo cast are put in the
 * directory as registered persons, as people's `person.registered` would.
 */
export async function startRequests(env: NodeJS.ProcessEnv = {}): Promise<RequestsTestBed> {
  const clock = testClock();
  const module = {
    ...requestsSubgraph,
    settings: (variables: NodeJS.ProcessEnv) => ({ ...requestsSubgraph.settings({ ...variables, ...env }), now: clock.now }),
  };
  const requests = await startSubgraphHarness(module);
  const bed = { requests, clock, stop: () => requests.stop() };
  await knowPersons(
    bed,
    Object.values(viewers).flatMap((viewer) => (viewer.personId ? [viewer.personId] : [])),
  );
  return bed;
}

/**
 * Applies people's `household.caretaker_changed` as the consumer does: the
 * one way a household enters, moves between or leaves caseloads here.
 */
export async function changeCaretaker(bed: RequestsTestBed, householdId: string, caretakerId: string | null, regionId: string = EAST_BUILDING_1): Promise<void> {
  const handler = caseloadHandlers['household.caretaker_changed']!;
  const payload = { householdId, caretakerId, regionId, changedAt: new Date().toISOString(), changedById: linXiao.id };
  await bed.requests.database.db.transaction((tx) =>
    handler(tx, {
      id: newId(),
      source: 'people',
      type: 'household.caretaker_changed',
      aggregateType: 'household',
      aggregateId: householdId,
      sequence: 1,
      payload,
      occurredAt: new Date(),
      attempt: 1,
    }),
  );
}

/** Puts persons in the directory, as if people had registered them: writes for them are accepted from now on. */
export async function knowPersons(bed: RequestsTestBed, personIds: readonly string[]): Promise<void> {
  await insertDirectoryPersons(
    bed.requests.database.db,
    personIds.map((id) => ({ id, registeredAt: new Date() })),
  );
}

export const [liuGuifang, heDeshun, zhengXiaohong] = DEMO_RESIDENTS as unknown as [
  (typeof DEMO_RESIDENTS)[number],
  (typeof DEMO_RESIDENTS)[number],
  (typeof DEMO_RESIDENTS)[number],
];
export const wangJianguo = DEMO_VOLUNTEERS[0]!;
export const zhangXiuying = DEMO_VOLUNTEERS[1]!;
export const linXiao = DEMO_STAFF[0]!;
/** A volunteer of 七色光, not of 乐修匠. */
export const qiseguangVolunteer = DEMO_MORE_VOLUNTEERS.find((volunteer) => volunteer.team === 'qiseguang')!;
export const XINGLE = DEMO_REGIONS.xingle.id;
export const ZIMING = DEMO_XINCHENG_REGIONS['ziming']!.id;
export const EAST_BUILDING_1 = DEMO_REGIONS.eastBuilding1.id;
export const LEXIUJIANG = DEMO_TEAM.id;
/** The households of the seed's three residents: special hardship, low income, ordinary. */
export const [liuHousehold, heHousehold, zhengHousehold] = DEMO_HOUSEHOLDS as unknown as [
  (typeof DEMO_HOUSEHOLDS)[number],
  (typeof DEMO_HOUSEHOLDS)[number],
  (typeof DEMO_HOUSEHOLDS)[number],
];

const stationAdminId = newId();

export const viewers = {
  liu: viewerOf({ roles: ['resident'], personId: liuGuifang.id }),
  he: viewerOf({ roles: ['resident'], personId: heDeshun.id }),
  zheng: viewerOf({ roles: ['resident'], personId: zhengXiaohong.id }),
  /** 王建国: captain of 乐修匠. */
  wang: viewerOf({ roles: ['volunteer', 'team_captain'], personId: wangJianguo.id }),
  /** 张秀英: a member of 乐修匠. */
  zhang: viewerOf({ roles: ['volunteer'], personId: zhangXiuying.id }),
  /** A volunteer of another team. */
  outsider: viewerOf({ roles: ['volunteer'], personId: qiseguangVolunteer.id }),
  /** The station admin of Xingle community. */
  station: viewerOf({ roles: ['station_admin'], personId: stationAdminId, regionIds: [XINGLE] }),
  /** 林晓: community admin of Xingle. */
  lin: viewerOf({ roles: ['community_admin'], personId: linXiao.id, regionIds: [XINGLE] }),
  /** A station admin of Ziming community: not Xingle's. */
  zimingStation: viewerOf({ roles: ['station_admin'], personId: newId(), regionIds: [ZIMING] }),
  gridWorker: viewerOf({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[0]!.id, regionIds: [XINGLE] }),
  platform: viewerOf({ roles: ['platform_admin'], personId: newId() }),
  /** A registered resident with no relation to anything here. */
  stranger: viewerOf({ roles: ['resident'], personId: newId() }),
};

/**
 * A token whose person people never registered (or whose registration has
 * not reached this subgraph yet), with every role: each write is refused for
 * the person before anything else is looked at.
 */
export const unknownPerson: Viewer = viewerOf({
  roles: ['resident', 'volunteer', 'team_captain', 'grid_worker', 'station_admin', 'community_admin'],
  personId: newId(),
  regionIds: [XINGLE],
});

/** The code of the first error, for top-level refusals. */
export const codeOf = (result: { errors?: ExecuteResult['errors'] }): unknown => result.errors?.[0]?.extensions?.['code'];

/** Runs an operation that must not fail at the top level and returns its data. */
export async function run<T = Record<string, unknown>>(bed: RequestsTestBed, query: string, viewer: Viewer, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await bed.requests.execute(query, { variables, viewer });
  if (result.errors) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

export interface UserErrorShape {
  field: string[] | null;
  code: string;
  message: string;
}

export interface RequestShape {
  id: string;
  status: string;
  assignee: { id: string } | null;
}

/** Every mutation that changes a request, with its input type. */
export const REQUEST_MUTATIONS = {
  serviceRequestApprove: 'ServiceRequestApproveInput',
  serviceRequestReject: 'ServiceRequestRejectInput',
  serviceRequestDispatch: 'ServiceRequestDispatchInput',
  serviceRequestAccept: 'ServiceRequestAcceptInput',
  serviceRequestQuote: 'ServiceRequestQuoteInput',
  serviceRequestQuoteAgree: 'ServiceRequestQuoteAgreeInput',
  serviceRequestStart: 'ServiceRequestStartInput',
  serviceRequestComplete: 'ServiceRequestCompleteInput',
  serviceRequestRate: 'ServiceRequestRateInput',
  serviceRequestCancel: 'ServiceRequestCancelInput',
} as const;
export type RequestMutation = keyof typeof REQUEST_MUTATIONS;

/** Runs a request mutation and returns its payload. */
export async function act(
  bed: RequestsTestBed,
  mutation: RequestMutation,
  input: Record<string, unknown>,
  viewer: Viewer,
): Promise<{ serviceRequest: RequestShape | null; userErrors: UserErrorShape[] }> {
  const data = await run<Record<string, { serviceRequest: RequestShape | null; userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${REQUEST_MUTATIONS[mutation]}!) { ${mutation}(input: $input) { serviceRequest { id status assignee { id } } userErrors { field code message } } }`,
    viewer,
    { input },
  );
  return data[mutation]!;
}

/**
 * Runs a request mutation that must be refused before its payload, as a
 * request out of the viewer's sight is (FORBIDDEN, whatever its status), and
 * returns the top-level code.
 */
export async function topLevelCodeOf(bed: RequestsTestBed, mutation: RequestMutation, input: Record<string, unknown>, viewer: Viewer): Promise<unknown> {
  const result = await bed.requests.execute(`mutation ($input: ${REQUEST_MUTATIONS[mutation]}!) { ${mutation}(input: $input) { userErrors { code } } }`, {
    variables: { input },
    viewer,
  });
  if (!result.errors) throw new Error(`${mutation} answered without a top-level error: ${JSON.stringify(result.data)}`);
  return codeOf(result);
}

/** Runs a request mutation that must succeed. */
export async function must(bed: RequestsTestBed, mutation: RequestMutation, input: Record<string, unknown>, viewer: Viewer): Promise<RequestShape> {
  const payload = await act(bed, mutation, input, viewer);
  // A refused change still shows the request as it stands: only the user errors tell a refusal.
  if (payload.userErrors.length > 0 || !payload.serviceRequest) throw new Error(`${mutation} refused: ${JSON.stringify(payload.userErrors)}`);
  return payload.serviceRequest;
}

/** Files a request as 郑小红 (or `requester`) in her building and returns its id. */
export async function fileRequest(bed: RequestsTestBed, overrides: { category?: string; requester?: Viewer; place?: string | null } = {}): Promise<string> {
  const viewer = overrides.requester ?? viewers.zheng;
  const data = await run<{ serviceRequestCreate: { serviceRequest: { id: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: ServiceRequestCreateInput!) { serviceRequestCreate(input: $input) { serviceRequest { id } userErrors { field code message } } }`,
    viewer,
    {
      input: {
        category: overrides.category ?? 'cleaning',
        description: '楼道需要打扫。',
        ...(overrides.place === null ? {} : { place: overrides.place ?? DEMO_REGIONS.eastBuilding2.id }),
      },
    },
  );
  const request = data.serviceRequestCreate.serviceRequest;
  if (!request) throw new Error(`filing refused: ${JSON.stringify(data.serviceRequestCreate.userErrors)}`);
  return request.id;
}

export type Stage = 'submitted' | 'approved' | 'rejected' | 'dispatched' | 'accepted' | 'in_service' | 'completed' | 'rated' | 'cancelled';

/**
 * A request of 郑小红's taken to `stage` by the actors the flow names: the
 * Xingle station reviews and dispatches to 乐修匠, 王建国 accepts and serves,
 * 郑小红 rates.
 */
export async function requestAt(bed: RequestsTestBed, stage: Stage, category = 'cleaning'): Promise<string> {
  const request = await fileRequest(bed, { category });
  if (stage === 'submitted') return request;
  if (stage === 'cancelled') {
    await must(bed, 'serviceRequestCancel', { request, reason: '不需要了。' }, viewers.zheng);
    return request;
  }
  if (stage === 'rejected') {
    await must(bed, 'serviceRequestReject', { request, reason: '不在服务范围内。' }, viewers.station);
    return request;
  }
  await must(bed, 'serviceRequestApprove', { request }, viewers.station);
  if (stage === 'approved') return request;
  await must(bed, 'serviceRequestDispatch', { request, team: LEXIUJIANG }, viewers.station);
  if (stage === 'dispatched') return request;
  await must(bed, 'serviceRequestAccept', { request }, viewers.wang);
  if (stage === 'accepted') return request;
  await must(bed, 'serviceRequestStart', { request }, viewers.wang);
  if (stage === 'in_service') return request;
  await must(bed, 'serviceRequestComplete', { request, note: '打扫干净了。' }, viewers.wang);
  if (stage === 'completed') return request;
  await must(bed, 'serviceRequestRate', { request, score: 5 }, viewers.zheng);
  return request;
}
