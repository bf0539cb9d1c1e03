/**
 * The gateway when things go wrong around it, on the whole graph: a subgraph
 * stopped mid-run and restarted, a shutdown with a request in flight, and the
 * trace id that ties one request's log lines together across services.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID, TRACE_ID_HEADER, createLogger, memoryLog } from '@lianxin/shared';
import { startTestGraph, type TestGraph } from './support/graph.js';

const log = memoryLog();
let graph: TestGraph;
let token: string;

beforeAll(async () => {
  graph = await startTestGraph({}, { logger: createLogger('lianxin', 'debug', log.stream) });
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
    // postgres.js returns the rows as an array.
    const someoneWaits = async () => ((await db.execute(sql`select 1 from pg_locks where not granted limit 1`)) as unknown as unknown[]).length > 0;
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
