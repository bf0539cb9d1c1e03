/**
 * Tracing's parts on their own: off unless spans have somewhere to go, the
 * OTLP exporter posting to the collector's /v1/traces, statement spans on
 * the embedded database only inside a traced request, and the variables
 * that configure it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { ConfigError, NO_TRACING, loadSubgraphConfig, openDatabase, startTracing, tracesUrl, type DatabaseHandle } from '../src/index.js';
import { SpanKind, recordSpans, type RecordedSpans } from '../src/testing/index.js';

describe('tracing configuration', () => {
  it('is off without a collector, and names each service lianxin-<service> unless OTEL_SERVICE_NAME says otherwise', async () => {
    expect(loadSubgraphConfig('people', {}).tracing).toEqual({ endpoint: undefined, serviceName: 'lianxin-people' });
    expect(loadSubgraphConfig('points', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'ledger' }).tracing).toEqual({
      endpoint: 'http://collector:4318',
      serviceName: 'ledger',
    });
    await expect(startTracing({ endpoint: undefined })).resolves.toBe(NO_TRACING);
    expect(NO_TRACING.tracer('lianxin-people')).toBeUndefined();
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => loadSubgraphConfig('people', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(ConfigError);
    expect(() => loadSubgraphConfig('people', { OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(/^invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT: /);
  });

  it('sends traces to <endpoint>/v1/traces, under any path the endpoint has', () => {
    expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('https://otel.example.cn/otlp/')).toBe('https://otel.example.cn/otlp/v1/traces');
  });
});

describe('the OTLP exporter', () => {
  it('posts the spans ended to the collector as protobuf, by shutdown at the latest', async () => {
    const received: { path: string | undefined; type: string | undefined; body: Buffer }[] = [];
    const collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ path: req.url, type: req.headers['content-type'], body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const tracing = await startTracing({ endpoint: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` });
      tracing.tracer('lianxin-test')!.startSpan('exported span').end();
      await tracing.shutdown();
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ path: '/v1/traces', type: 'application/x-protobuf' });
      // Protobuf keeps strings as they are: the span's and the service's names are in the body.
      expect(received[0]!.body.toString('latin1')).toContain('exported span');
      expect(received[0]!.body.toString('latin1')).toContain('lianxin-test');
    } finally {
      collector.close();
    }
  });
});

describe('statement spans on the embedded database', () => {
  let recorded: RecordedSpans;
  let database: DatabaseHandle;

  beforeAll(async () => {
    recorded = await recordSpans();
    database = await openDatabase({ dataDir: 'memory://tracing', tracer: recorded.tracing.tracer('lianxin-test') });
  });
  afterAll(async () => {
    await database?.close();
    await recorded?.tracing.shutdown();
  });

  it('records a statement run inside a traced request as its child, with the text and not the values', async () => {
    const tracer = recorded.tracing.tracer('lianxin-test')!;
    await tracer.startActiveSpan('request', async (request) => {
      await database.db.execute(sql`select ${'a secret value'}::text as value`);
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`select ${42}::int as answer`);
      });
      request.end();
    });
    const spans = recorded.spans();
    const request = spans.find((span) => span.name === 'request')!;
    const statements = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
    expect(statements.map((span) => span.attributes['db.query.text'])).toEqual(['select $1::text as value', 'select $1::int as answer']);
    for (const statement of statements) {
      expect(statement).toMatchObject({ name: 'SELECT', kind: SpanKind.CLIENT });
      expect(statement.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    }
    expect(JSON.stringify(statements.map((span) => span.attributes))).not.toContain('a secret value');
  });

  it('records nothing for a statement outside any request (a runner polling, a migration)', async () => {
    const before = recorded.spans().length;
    await database.db.execute(sql`select 1`);
    expect(recorded.spans()).toHaveLength(before);
  });
});
