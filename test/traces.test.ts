/**
 * Traces and request logs on the whole graph with tracing on (spans kept in
 * memory): one cross-subgraph query is one trace, from the gateway's request
 * through its fetches to the subgraphs' requests and their SQL statements;
 * and its log lines, the gateway's and each subgraph's, carry that trace's
 * id, so they join on it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TRACE_ID_HEADER, createLogger, memoryLog } from '@lianxin/shared';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';
import { SpanKind, recordSpans, type ReadableSpan, type RecordedSpans } from '@lianxin/shared/testing';
import { startTestGraph, type TestGraph } from './support/graph.js';

const log = memoryLog();
let recorded: RecordedSpans;
let graph: TestGraph;
let token: string;

beforeAll(async () => {
  recorded = await recordSpans();
  graph = await startTestGraph({}, { logger: createLogger('lianxin', 'info', log.stream), tracing: recorded.tracing });
  token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
});
afterAll(async () => {
  await graph?.stop();
  await recorded?.tracing.shutdown();
});

/** Name and account: the person from people, the account from points. */
const personAndAccount = `query PersonAndAccount($id: ID!) { person(id: $id) { name account { balance } } }`;

/** Sends the query and returns the trace id the gateway answers with. */
async function ask(): Promise<string> {
  const response = await fetch(graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    body: JSON.stringify({ query: personAndAccount, variables: { id: DEMO_SAMPLE_PERSON_ID }, operationName: 'PersonAndAccount' }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data?: { person: { account: unknown } | null }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data?.person?.account).not.toBeNull();
  const trace = response.headers.get(TRACE_ID_HEADER);
  expect(trace).toMatch(/^[0-9a-f]{32}$/);
  return trace!;
}

/** Waits until `ready` holds: the gateway ends its span and writes its line when the response has closed, just after the client has it. */
async function until(ready: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !ready(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(ready()).toBe(true);
}

const serviceOf = (span: ReadableSpan) => span.resource.attributes['service.name'];
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const isGatewayRequest = (span: ReadableSpan) => serviceOf(span) === 'lianxin-gateway' && span.kind === SpanKind.SERVER;

describe('one trace per client request', () => {
  let trace: string;
  let spans: ReadableSpan[];
  const byId = () => new Map(spans.map((span) => [span.spanContext().spanId, span]));
  /** The chain of spans from `span` up to its root. */
  const ancestry = (span: ReadableSpan): ReadableSpan[] => {
    const index = byId();
    const chain = [span];
    for (let parent = parentOf(span); parent !== undefined; parent = parentOf(chain.at(-1)!)) {
      const next = index.get(parent);
      if (!next) break;
      chain.push(next);
    }
    return chain;
  };

  beforeAll(async () => {
    trace = await ask();
    await until(() => recorded.spans().some((span) => span.spanContext().traceId === trace && isGatewayRequest(span)));
    spans = recorded.spans().filter((span) => span.spanContext().traceId === trace);
  });

  it('starts at the gateway, which starts a trace of its own whatever traceparent the client sends', () => {
    const roots = spans.filter((span) => parentOf(span) === undefined);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ name: 'POST /graphql', kind: SpanKind.SERVER });
    expect(serviceOf(roots[0]!)).toBe('lianxin-gateway');
    expect(roots[0]!.attributes).toMatchObject({ 'graphql.operation.name': 'PersonAndAccount', 'graphql.operation.type': 'query', 'http.response.status_code': 200 });
    expect(trace).not.toBe('0af7651916cd43dd8448eb211c80319c');
    // Every span's parent is in the trace: one tree.
    const ids = byId();
    for (const span of spans) if (parentOf(span) !== undefined) expect(ids.has(parentOf(span)!)).toBe(true);
  });

  it("holds each subgraph's request as a child of the gateway's fetch from it, and their SQL statements under them", () => {
    const subgraphRequests = spans.filter((span) => span.kind === SpanKind.SERVER && serviceOf(span) !== 'lianxin-gateway');
    expect(subgraphRequests.map(serviceOf).sort()).toEqual(['lianxin-people', 'lianxin-points']);
    for (const request of subgraphRequests) {
      const [, fetch, ...above] = ancestry(request);
      expect(fetch).toMatchObject({ kind: SpanKind.CLIENT, name: 'POST /graphql' });
      expect(serviceOf(fetch!)).toBe('lianxin-gateway');
      expect(Number(fetch!.attributes['server.port'])).toBe(
        Number(new URL(graph.graph.subgraphs[request.resource.attributes['service.name'] === 'lianxin-people' ? 'people' : 'points'].server.url).port),
      );
      expect(isGatewayRequest(above.at(-1)!)).toBe(true);
      expect(request.attributes['graphql.operation.name']).toMatch(/^PersonAndAccount__(people|points)__\d+$/);

      const statements = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql' && serviceOf(span) === serviceOf(request));
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(ancestry(statement)).toContain(request);
        expect(statement.kind).toBe(SpanKind.CLIENT);
        expect(String(statement.attributes['db.query.text'])).toMatch(/^(select|with)\b/i);
      }
    }
  });

  it('records statements with placeholders, never the values bound to them', () => {
    const texts = spans.filter((span) => span.attributes['db.query.text'] !== undefined).map((span) => String(span.attributes['db.query.text']));
    expect(texts.some((text) => /\$1\b/.test(text))).toBe(true);
    for (const text of texts) expect(text).not.toContain(DEMO_SAMPLE_PERSON_ID);
  });
});

describe('request logs joined by trace id', () => {
  it("gives the gateway's line and each subgraph's line for one request the trace's id, each at info with the operation and its duration", async () => {
    const trace = await ask();
    const linesOf = () => log.lines.filter((line) => line['traceId'] === trace && line['msg'] === 'request');
    await until(() => linesOf().some((line) => line['service'] === 'gateway'));
    const lines = linesOf();
    expect(lines.map((line) => line['service']).sort()).toEqual(['gateway', 'people', 'points']);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 30, status: 200, operationType: 'query', durationMs: expect.any(Number) });
      expect(line['operationName']).toMatch(line['service'] === 'gateway' ? /^PersonAndAccount$/ : new RegExp(`^PersonAndAccount__${String(line['service'])}__\\d+$`));
    }
    // The id in the log is the trace's: the spans of the gateway's request carry it.
    await until(() => recorded.spans().some((span) => span.spanContext().traceId === trace && isGatewayRequest(span)));
  });
});
