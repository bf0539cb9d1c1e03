/**
 * OpenTelemetry traces, with manual spans: a server span per HTTP request,
 * a client span per subgraph fetch (carrying W3C `traceparent`), and a span
 * per SQL statement run for a traced request. No auto-instrumentation: it
 * would have to load before the modules it patches (an `--import` preload in
 * every entry, and ESM loader hooks under jest), and a forgotten preload
 * would lose spans silently; spans made where we call the libraries work
 * whatever loads first.
 *
 * Tracing is on when spans go somewhere: OTEL_EXPORTER_OTLP_ENDPOINT set, or
 * a test's span processor. Off, no tracer exists: no span objects, no
 * wrapped database client, no context manager, and trace ids stay the
 * random ones `traceIds` makes. Nor is the SDK loaded: only the API, whose
 * calls do nothing without a provider, is imported here; the SDK's packages
 * (about 250 ms and 10 MB of every start) load when tracing starts.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { NodeTracerProvider, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
  ATTR_URL_FULL,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import type { RequestHandler } from 'express';
import type { RequestRecord } from './http.js';

export type { Tracer, Span };

/** Where spans go; neither set means tracing is off. */
export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans are sent in batches to `<endpoint>/v1/traces` (OTLP over HTTP, protobuf). */
  endpoint?: string | undefined;
  /** Processors of our own (tests pass a SimpleSpanProcessor on an InMemorySpanExporter). */
  processors?: SpanProcessor[];
}

export interface Tracing {
  readonly enabled: boolean;
  /**
   * The tracer of the service named `serviceName` (`service.name` of its
   * spans); undefined when tracing is off. Services in one process (`npm
   * start`, tests) each get a provider of their own, so their spans carry
   * their own name. With `global`, its provider also serves libraries that
   * trace through the global API (Apollo Gateway's request, plan and fetch
   * spans): the gateway's.
   */
  tracer(serviceName: string, options?: { global?: boolean }): Tracer | undefined;
  /** Sends the spans still buffered and stops; the process's global registrations are undone. */
  shutdown(): Promise<void>;
}

/** Tracing that is off: every tracer is undefined. */
export const NO_TRACING: Tracing = { enabled: false, tracer: () => undefined, shutdown: async () => undefined };

/**
 * Starts tracing when `options` give spans somewhere to go, loading the SDK
 * then; otherwise returns NO_TRACING without loading it.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (!options.endpoint && (options.processors ?? []).length === 0) return NO_TRACING;
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { OTLPTraceExporter }, { resourceFromAttributes }, sdk] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-proto'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  const processors = [...(options.processors ?? [])];
  if (options.endpoint) processors.push(new sdk.BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(options.endpoint) })));
  // One context manager and propagator per process: the first tracing started registers them (the calls refuse a second).
  const registered = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  if (registered) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const providers = new Map<string, NodeTracerProvider>();
  let globalProvider = false;
  return {
    enabled: true,
    tracer(serviceName, { global = false } = {}) {
      let provider = providers.get(serviceName);
      if (!provider) {
        provider = new sdk.NodeTracerProvider({ resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }), spanProcessors: processors });
        providers.set(serviceName, provider);
      }
      if (global && !globalProvider) globalProvider = trace.setGlobalTracerProvider(provider);
      return provider.getTracer('lianxin');
    },
    async shutdown() {
      // Providers share the processors: flush through each, shut the processors down once.
      await Promise.all([...providers.values()].map((provider) => provider.forceFlush()));
      await Promise.all(processors.map((processor) => processor.shutdown()));
      if (globalProvider) trace.disable();
      if (registered) {
        context.disable();
        propagation.disable();
      }
    },
  };
}

/** The OTLP/HTTP traces URL under a collector's base URL, as the OTLP exporter specification derives it. */
export function tracesUrl(endpoint: string): string {
  return new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
}

/** The id of the trace the current request is in, or undefined when it is not traced. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span && trace.isSpanContextValid(span.spanContext()) ? span.spanContext().traceId : undefined;
}

const headerGetter = {
  keys: (carrier: IncomingHttpHeaders) => Object.keys(carrier),
  get: (carrier: IncomingHttpHeaders, key: string) => carrier[key],
};

/**
 * A server span around each request, active while it is handled, ended when
 * the response closes with its status and the operation the request log
 * records. With `acceptIncoming` the caller's `traceparent` is its parent
 * (a subgraph, whose only caller is the gateway); the gateway starts a new
 * trace for every client request, as it starts a new trace id. Without a
 * tracer, it does nothing.
 */
export function requestSpan(tracer: Tracer | undefined, { acceptIncoming }: { acceptIncoming: boolean }): RequestHandler {
  if (!tracer) return (_req, _res, next) => next();
  return (req, res, next) => {
    const active = startServerSpan(tracer, req, res, res.locals, { acceptIncoming, route: req.baseUrl || req.path });
    // body-parser resumes the chain from the request's 'data' and 'end' events, which run outside any context the
    // middleware sets: listeners bound to the span's context keep it for what follows.
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}

/**
 * `requestSpan` without express: starts the server span of a request to
 * `route` and ends it when `res` closes (reading the record in
 * `locals.request` then); returns the context in which to handle it.
 */
export function startServerSpan(
  tracer: Tracer,
  req: IncomingMessage,
  res: ServerResponse,
  locals: Record<string, unknown>,
  { acceptIncoming, route }: { acceptIncoming: boolean; route: string },
): Context {
  const parent: Context = acceptIncoming ? propagation.extract(context.active(), req.headers, headerGetter) : context.active();
  const method = req.method ?? 'GET';
  const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: route } }, parent);
  res.once('close', () => {
    const record = locals['request'] as RequestRecord | undefined;
    if (record?.operationName) span.setAttribute('graphql.operation.name', record.operationName);
    if (record?.operationType) span.setAttribute('graphql.operation.type', record.operationType);
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return trace.setSpan(parent, span);
}

/**
 * Runs `work` (one outgoing HTTP exchange) in a client span, child of the
 * active span, with `headers` given the W3C `traceparent` naming it; the span
 * ends when `work` settles. Without a tracer, `work` runs as it is.
 */
export async function clientSpan<T>(tracer: Tracer | undefined, name: string, target: URL, headers: OutgoingHttpHeaders, work: () => Promise<T>): Promise<T> {
  if (!tracer) return work();
  const span = tracer.startSpan(name, {
    kind: SpanKind.CLIENT,
    attributes: { [ATTR_HTTP_REQUEST_METHOD]: 'POST', [ATTR_URL_FULL]: target.href, [ATTR_SERVER_ADDRESS]: target.hostname, [ATTR_SERVER_PORT]: Number(target.port) || 80 },
  });
  propagation.inject(trace.setSpan(context.active(), span), headers);
  try {
    const result = await work();
    // A fetch Response, or any answer that carries its HTTP status the same way.
    const status = typeof result === 'object' && result !== null && 'status' in result && typeof result.status === 'number' ? result.status : undefined;
    if (status !== undefined) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    }
    return result;
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** Statement text kept on a span: enough to recognise the statement, bounded for the exporter. */
const STATEMENT_TEXT_LIMIT = 4_096;

/**
 * Records one SQL statement as a span, child of the active span, ending when
 * `result` settles; returns `result` untouched. Only statements run for a
 * traced request are recorded: a statement with no active span (the event
 * runners' polls, the scheduler's claims, migrations) would start a trace of
 * its own several times a second. The text is the statement as sent, with
 * `$n` placeholders: drizzle binds every value, so no value is recorded.
 */
export function traceStatement<T extends PromiseLike<unknown>>(tracer: Tracer, statement: string, result: () => T): T {
  if (!trace.getActiveSpan()) return result();
  const operation = /^\s*([a-z]+)/i.exec(statement)?.[1]?.toUpperCase() ?? 'SQL';
  const span = tracer.startSpan(operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
      [ATTR_DB_OPERATION_NAME]: operation,
      [ATTR_DB_QUERY_TEXT]: statement.length > STATEMENT_TEXT_LIMIT ? `${statement.slice(0, STATEMENT_TEXT_LIMIT)}…` : statement,
    },
  });
  const pending = context.with(trace.setSpan(context.active(), span), result);
  // Observing the outcome also starts a lazy postgres.js query; drizzle awaits it at once anyway.
  pending.then(
    () => span.end(),
    (error: unknown) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
    },
  );
  return pending;
}

/**
 * Runs `open` outside any trace: for a long-lived connection opened lazily,
 * whose socket callbacks would otherwise run, for its whole life, in the
 * context of the request that happened to open it.
 */
export function outsideTraces<T>(open: () => T): T {
  return context.with(ROOT_CONTEXT, open);
}
