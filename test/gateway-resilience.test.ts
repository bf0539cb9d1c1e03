/**
 * The gateway when things go wrong around it, on the whole graph: a subgraph
 * stopped mid-run and restarted, each subgraph stopped in turn while the
 * others' data keeps arriving, a reference that dangles, a shutdown with a
 * request in flight, and the trace id that ties one request's log lines
 * together across services.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { SUBGRAPH_NAMES, TRACE_ID_HEADER, createLogger, memoryLog, newId, rowsOf, type SubgraphName } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';

const log = memoryLog();
let graph: TestGraph;
let token: string;

beforeAll(async () => {
  graph = await startTestGraph({}, { logger: createLogger('lianxin', 'info', log.stream) });
  token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
});
afterAll(async () => {
  await graph?.stop();
});

const personAndAccount = `query PersonAndAccount($id: ID!) { person(id: $id) { name account { balance } } }`;

describe('trace ids and request logs', () => {
  it('gives each request its own trace id, found in the gateway log and in the log of every subgraph it asked', async () => {
    const clientTrace = 'chosen-by-the-client-0001';
    const response = await fetch(graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [TRACE_ID_HEADER]: clientTrace },
      body: JSON.stringify({ query: personAndAccount, variables: { id: DEMO_SAMPLE_PERSON_ID }, operationName: 'PersonAndAccount' }),
    });
    expect(response.status).toBe(200);
    const trace = response.headers.get(TRACE_ID_HEADER);
    expect(trace).toMatch(/^[0-9a-f-]{36}$/);
    expect(trace).not.toBe(clientTrace);

    const lines = log.lines.filter((line) => line['traceId'] === trace && line['msg'] === 'request');
    expect(lines.map((line) => line['service']).sort()).toEqual(['gateway', 'people', 'points']);
    expect(lines.find((line) => line['service'] === 'gateway')).toMatchObject({
      level: 30,
      method: 'POST',
      operationName: 'PersonAndAccount',
      operationType: 'query',
      status: 200,
      subject: DEMO_SAMPLE_PERSON_ID,
      durationMs: expect.any(Number),
    });
    expect(log.lines.some((line) => line['traceId'] === clientTrace)).toBe(false);
  });

  it('never logs a token or what a response holds', () => {
    const text = JSON.stringify(log.lines);
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect(text).not.toContain('王建国');
  });

  it('logs refused requests too, with their error codes', async () => {
    const response = await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ persons { totalCount } }' }) });
    const trace = response.headers.get(TRACE_ID_HEADER);
    expect(log.lines.find((line) => line['traceId'] === trace && line['service'] === 'gateway' && line['msg'] === 'request')).toMatchObject({
      status: 200,
      subject: null,
      errorCodes: ['UNAUTHENTICATED'],
    });
  });
});

describe('a subgraph that goes away and comes back', () => {
  it('yields partial data and an error naming the service, then full data once it is back on its port', async () => {
    const points = graph.graph.subgraphs.points;
    await points.stop();
    try {
      const partial = await graph.query<{ person: { name: string; account: null } }>(personAndAccount, { variables: { id: DEMO_SAMPLE_PERSON_ID }, token });
      expect(partial.status).toBe(200);
      expect(partial.data).toEqual({ person: { name: '王建国', account: null } });
      expect(partial.errors).toEqual([
        { message: 'The points service is unavailable; its part of the result is missing.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'points' } },
      ]);

      const ready = await fetch(new URL('/ready', graph.url));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', service: 'gateway', unavailable: ['points'] });
      expect((await fetch(new URL('/health', graph.url))).status).toBe(200);
      expect(log.lines.some((line) => line['msg'] === 'subgraph unavailable' && line['service'] === 'gateway' && line['subgraph'] === 'points' && line['level'] === 40)).toBe(true);
    } finally {
      await points.restart();
    }

    const full = await graph.query<{ person: { name: string; account: { balance: number } } }>(personAndAccount, { variables: { id: DEMO_SAMPLE_PERSON_ID }, token });
    expect(full.errors).toBeUndefined();
    expect(full.data!.person.account.balance).toEqual(expect.any(Number));
    expect((await fetch(new URL('/ready', graph.url))).status).toBe(200);
  });
});

const ops = operationsOn(() => graph);

/** The error the gateway adds when `service` does not answer. */
const unavailable = (service: SubgraphName) => ({
  message: `The ${service} service is unavailable; its part of the result is missing.`,
  extensions: { code: 'SUBGRAPH_UNAVAILABLE', service },
});

/**
 * Every error names the stopped subgraph. The gateway reports a failed fetch
 * without a `path`: the nulls in the data are where its part was.
 */
function expectOnlyUnavailable(response: GraphQLResponse<unknown>, stopped: SubgraphName) {
  expect(response.status).toBe(200);
  expect(response.errors?.length).toBeGreaterThan(0);
  for (const error of response.errors ?? []) expect(error).toEqual(unavailable(stopped));
}

/** Runs `check` with one subgraph stopped, and starts it again on its port afterwards. */
async function whileStopped(name: SubgraphName, check: () => Promise<void>): Promise<void> {
  const subgraph = graph.graph.subgraphs[name];
  await subgraph.stop();
  try {
    await check();
  } finally {
    await subgraph.restart();
  }
}

/** Which subgraph serves each field asked of a person below. */
const personFieldServedBy = { name: 'people', account: 'points', badges: 'recognition', serviceTally: 'recognition', requests: 'requests' } as const;
type PersonAnswer = Record<keyof typeof personFieldServedBy, unknown>;
const everythingAboutAPerson = `query Everything($id: ID!) {
  person(id: $id) { name account { passbookNumber } badges { code } serviceTally { __typename } requests(first: 3) { edges { node { description } } } }
}`;

/** Root fields of all four subgraphs in one document, each public. */
const rootFieldServedBy = { regions: 'people', categories: 'requests', merchants: 'points', badgeKinds: 'recognition' } as const;
const rootsOfAllFour = `{
  regions(first: 2) { edges { node { name } } }
  categories { code }
  merchants(first: 2) { edges { node { name } } }
  badgeKinds { code }
}`;

/** For each subgraph, a list another subgraph serves whose items each hold a field the first one serves. */
const listReachingInto: Record<SubgraphName, { list: string; field: string; query: string }> = {
  people: { list: 'microWishes', field: 'wisher', query: `{ microWishes(first: 5) { edges { node { title wisher { name } } } } }` },
  points: { list: 'persons', field: 'account', query: `{ persons(first: 3) { edges { node { name account { passbookNumber } } } } }` },
  recognition: { list: 'bankUnits', field: 'indicators', query: `{ bankUnits(first: 3) { edges { node { name indicators { accountsOpened } } } } }` },
  requests: { list: 'persons', field: 'serviceHours', query: `{ persons(first: 3) { edges { node { name serviceHours { minutes } } } } }` },
};
type ListAnswer = Record<string, { edges: { node: Record<string, unknown> }[] }>;

describe('each subgraph stopped in turn', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await graph.token({ roles: ['platform_admin'] });
  });

  it.each(SUBGRAPH_NAMES)('with %s stopped, every other subgraph’s data still arrives, and only its own part is null', async (stopped) => {
    const person = (await ops.ok<{ person: PersonAnswer }>(everythingAboutAPerson, token, { id: DEMO_SAMPLE_PERSON_ID })).person;
    const roots = await ops.ok<Record<string, unknown>>(rootsOfAllFour, admin);
    const { list, field, query } = listReachingInto[stopped];
    const listed = await ops.ok<ListAnswer>(query, admin);
    expect(listed[list]!.edges.length).toBeGreaterThan(0);

    await whileStopped(stopped, async () => {
      // A person with fields from all four: the stopped one's fields are null; without people there is no person.
      const partialPerson = await graph.query<{ person: PersonAnswer | null }>(everythingAboutAPerson, { variables: { id: DEMO_SAMPLE_PERSON_ID }, token });
      expectOnlyUnavailable(partialPerson, stopped);
      const expectedPerson = Object.fromEntries(
        Object.entries(personFieldServedBy).map(([key, servedBy]) => [key, servedBy === stopped ? null : key === 'badges' ? expect.any(Array) : person[key as keyof PersonAnswer]]),
      );
      expect(partialPerson.data).toEqual({ person: stopped === 'people' ? null : expectedPerson });

      // Root fields of all four subgraphs in one document: only the stopped one's is null.
      const partialRoots = await graph.query<Record<string, unknown>>(rootsOfAllFour, { token: admin });
      expectOnlyUnavailable(partialRoots, stopped);
      expect(partialRoots.data).toEqual(Object.fromEntries(Object.entries(rootFieldServedBy).map(([key, servedBy]) => [key, servedBy === stopped ? null : roots[key]])));

      // A list from another subgraph reaching into the stopped one: every item arrives, with that field null.
      const partialList = await graph.query<ListAnswer>(query, { token: admin });
      expectOnlyUnavailable(partialList, stopped);
      expect(partialList.data).toEqual({ [list]: { edges: listed[list]!.edges.map(({ node }) => ({ node: { ...node, [field]: null } })) } });
    });

    expect(await ops.ok<ListAnswer>(query, admin)).toEqual(listed);
  });
});

describe('a reference that dangles', () => {
  it('nulls that one reference with NOT_FOUND at its path, and the rest of the list arrives', async () => {
    const admin = await graph.token({ roles: ['platform_admin'] });
    const query = `{ microWishes(first: 10) { edges { node { title wisher { name } } } } }`;
    const before = (await ops.ok<ListAnswer>(query, admin))['microWishes']!.edges;

    // A wish whose wisher the people subgraph has never heard of, written straight into the requests database.
    const { db } = graph.graph.subgraphs.requests.database;
    const wishId = newId();
    const stranger = newId();
    await db.execute(sql`
      insert into requests.micro_wishes (id, wisher_id, posted_by, title, story, region_id, region_path, status)
      select ${wishId}, ${stranger}, ${stranger}, '一把新雨伞', '旧伞坏了，下雨天出门买菜不方便。', region_id, region_path, 'published'
      from requests.micro_wishes limit 1`);
    try {
      const response = await graph.query<ListAnswer>(query, { token: admin });
      expect(response.status).toBe(200);
      const edges = response.data!['microWishes']!.edges;
      const dangling = edges.findIndex(({ node }) => node['title'] === '一把新雨伞');
      expect(dangling).toBeGreaterThanOrEqual(0);
      expect(edges[dangling]).toEqual({ node: { title: '一把新雨伞', wisher: null } });
      expect(edges.filter((_edge, index) => index !== dangling)).toEqual(before);
      expect(response.errors).toEqual([
        {
          message: 'The Person this refers to does not exist.',
          path: ['microWishes', 'edges', dangling, 'node', 'wisher'],
          extensions: { code: 'NOT_FOUND', serviceName: 'people' },
        },
      ]);
    } finally {
      await db.execute(sql`delete from requests.micro_wishes where id = ${wishId}`);
    }
  });
});

describe('shutdown', () => {
  it('stops taking new connections but finishes the request in flight', async () => {
    const { db } = graph.graph.subgraphs.people.database;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    // Holding the regions table makes a region query wait in the people subgraph for as long as the test needs.
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`lock table people.regions in access exclusive mode`);
      locked();
      await released;
    });
    await lockTaken;

    const inFlight = graph.query<{ region: { name: string } }>(`{ region(id: "${DEMO_REGIONS.xingle.id}") { name } }`);
    const someoneWaits = async () => (await rowsOf(db, sql`select 1 from pg_locks where not granted limit 1`)).length > 0;
    for (let attempt = 0; attempt < 200 && !(await someoneWaits()); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await someoneWaits()).toBe(true);

    const closing = graph.graph.gateway.close();
    let refused = false;
    for (let attempt = 0; attempt < 200 && !refused; attempt += 1) {
      refused = await fetch(new URL('/health', graph.url)).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(refused).toBe(true);

    release();
    await holder;
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.data).toEqual({ region: { name: DEMO_REGIONS.xingle.name } });
    await closing;
  });
});
