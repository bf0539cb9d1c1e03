/**
 * Prometheus metrics (prom-client): one registry per process, every series
 * labelled with the service it describes, so `npm start` (five services in
 * one process) serves them all from one endpoint and a service run alone
 * serves its own. Served by a listener of its own (METRICS_PORT), never on a
 * service's port: the gateway's is the internet's way in, and what the
 * metrics say (operation names, volumes, backlogs) is for operators.
 *
 * Counters and histograms move as requests, fetches, refusals and scheduled
 * runs happen; what lives in the database (event backlogs, dead letters) is
 * read when Prometheus scrapes, with one cheap statement per consumer.
 * Label values are bounded: operation names are capped per service, error
 * codes are the graph's public ones.
 */
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import type { ApolloServerPlugin, BaseContext as ApolloContext } from '@apollo/server';
import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabaseHandle, Executor } from './db.js';
import { isPublicCode } from './errors.js';
import { type RequestRecord } from './http.js';
import type { Logger } from './logger.js';
import { rowsOf } from './sql.js';
import { StartupError } from './startup.js';
import { table } from './events/tables.js';

/** The operation label of a request that never named one: refused before GraphQL, or a document that did not parse or validate. */
export const UNKNOWN_OPERATION = '(unknown)';
/** The operation label of an operation without a name (`{ me { id } }`). */
export const ANONYMOUS_OPERATION = '(anonymous)';
/** The operation label once a service has seen its cap of names, and of a name that is not a GraphQL name. */
export const OTHER_OPERATION = '(other)';
/**
 * Distinct operation names one service labels before the rest become
 * `(other)`: far more than the apps' catalogue, few enough that clients
 * inventing names cannot grow the series without bound.
 */
export const MAX_OPERATION_NAMES = 200;

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
/** The gateway names a subgraph fetch `<operation>__<subgraph>__<n>`: the subgraph labels it with the client's operation. */
const FETCH_SUFFIX = /__[_0-9A-Za-z]+__\d+$/;

/** Seconds: from a fast cached read to the gateway's subgraph deadline. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Scheduled jobs are sweeps and purges: from milliseconds to minutes. */
const JOB_BUCKETS = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900];
/** How long a scrape waits for the database before it reports without the database's figures. */
const REFRESH_TIMEOUT_MS = 3_000;

/** What a subgraph fetch came to, as the gateway saw it. */
export type FetchOutcome = 'ok' | 'errors' | 'unavailable' | 'timeout' | 'failed';

/** A consumer whose inbox the scrape reads. */
interface WatchedConsumer {
  db: Executor;
  /** Its schema (the consuming subgraph). */
  consumer: string;
  /** The producers it consumes from: each gets a series, 0 when nothing waits. */
  sources: readonly string[];
}

/** Runs `work`, or rejects once `ms` have passed without an answer. */
function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The metrics of one process: its registry and the instruments the services record into. */
export class Metrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'service' | 'operation' | 'outcome'>;
  private readonly fetchDuration: Histogram<'subgraph' | 'outcome'>;
  private readonly rateLimitRefusals: Counter<'class'>;
  private readonly schedulerRuns: Counter<'service' | 'job' | 'outcome'>;
  private readonly schedulerDuration: Histogram<'service' | 'job'>;
  private readonly eventBacklog: Gauge<'consumer' | 'source'>;
  private readonly eventLag: Gauge<'consumer' | 'source'>;
  private readonly deadLetters: Gauge<'consumer' | 'source'>;
  private readonly poolSize: Gauge<'service' | 'pool'>;
  private readonly poolInFlight: Gauge<'service' | 'pool'>;
  private readonly refreshFailures: Counter<'consumer'>;
  /** Operation names labelled so far, per service (capped), and those always labelled (the apps' catalogue). */
  private readonly operations = new Map<string, Set<string>>();
  private readonly knownOperations = new Set<string>();
  private readonly consumers = new Map<string, WatchedConsumer>();
  private readonly pools = new Map<string, { service: string; pool: string; handle: DatabaseHandle }>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    // Node's own: CPU, memory, heap, event-loop delay, handles, GC. Per process, so without a service label.
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.requestDuration = new Histogram({
      name: 'lianxin_graphql_request_duration_seconds',
      help: 'GraphQL requests by service, operation name and outcome (ok, or the error code of the first error); _count is the request count.',
      labelNames: ['service', 'operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.fetchDuration = new Histogram({
      name: 'lianxin_gateway_subgraph_fetch_duration_seconds',
      help: 'Fetches from the gateway to a subgraph, by subgraph and outcome (ok, errors, unavailable, timeout, failed).',
      labelNames: ['subgraph', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.rateLimitRefusals = new Counter({
      name: 'lianxin_gateway_rate_limit_refusals_total',
      help: 'Requests the gateway refused with 429, by client class (anonymous, merchant, signedIn).',
      labelNames: ['class'],
      registers,
    });
    this.schedulerRuns = new Counter({
      name: 'lianxin_scheduler_runs_total',
      help: 'Scheduled job runs this process made, by service, job and outcome (succeeded, failed).',
      labelNames: ['service', 'job', 'outcome'],
      registers,
    });
    this.schedulerDuration = new Histogram({
      name: 'lianxin_scheduler_run_duration_seconds',
      help: 'How long the scheduled job runs of this process took.',
      labelNames: ['service', 'job'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.eventBacklog = new Gauge({
      name: 'lianxin_event_backlog',
      help: "Events received into a consumer's inbox and not yet applied (pending, retries included), by consumer and source.",
      labelNames: ['consumer', 'source'],
      registers,
    });
    this.eventLag = new Gauge({
      name: 'lianxin_event_lag_seconds',
      help: "Age of the oldest pending event in a consumer's inbox (since the producer wrote it); 0 when none is pending.",
      labelNames: ['consumer', 'source'],
      registers,
    });
    this.deadLetters = new Gauge({
      name: 'lianxin_event_dead_letters',
      help: 'Dead letters not yet replayed, by consumer and source.',
      labelNames: ['consumer', 'source'],
      registers,
    });
    this.poolSize = new Gauge({
      name: 'lianxin_db_pool_size',
      help: 'Connections a database pool of this process may open, by service and pool (main, analytics).',
      labelNames: ['service', 'pool'],
      registers,
    });
    this.poolInFlight = new Gauge({
      name: 'lianxin_db_pool_in_flight',
      help: 'Work holding a pool connection now: open transactions, reserved connections and statements awaiting their answer; at the pool size, more work waits.',
      labelNames: ['service', 'pool'],
      registers,
    });
    this.refreshFailures = new Counter({
      name: 'lianxin_metrics_refresh_failures_total',
      help: "Scrapes that could not read a consumer's inbox (its event series are left out of that scrape).",
      labelNames: ['consumer'],
      registers,
    });
  }

  /** Operation names always labelled as themselves, whatever the cap (the apps' catalogue of documents). */
  admitOperations(names: Iterable<string>): void {
    for (const name of names) if (GRAPHQL_NAME.test(name)) this.knownOperations.add(name);
  }

  /** The label of an operation name: itself while the service's cap allows, else one of the bracketed buckets. */
  operationLabel(service: string, name: string | null | undefined): string {
    if (name === undefined) return UNKNOWN_OPERATION;
    if (name === null || name === '') return ANONYMOUS_OPERATION;
    const operation = name.replace(FETCH_SUFFIX, '');
    if (!GRAPHQL_NAME.test(operation)) return OTHER_OPERATION;
    if (this.knownOperations.has(operation)) return operation;
    let seen = this.operations.get(service);
    if (!seen) {
      seen = new Set();
      this.operations.set(service, seen);
    }
    if (seen.has(operation)) return operation;
    if (seen.size >= MAX_OPERATION_NAMES) return OTHER_OPERATION;
    seen.add(operation);
    return operation;
  }

  /**
   * Express middleware timing each request from its arrival to its end,
   * labelled from the request record (`res.locals.request`) the GraphQL
   * plugins and `sendError` fill in: so refusals before GraphQL (429, 401,
   * 413) are counted with their code too.
   */
  requests(service: string): RequestHandler {
    return (req, res, next) => {
      this.countRequest(service, req.method, res, res.locals);
      next();
    };
  }

  /**
   * `requests` without express: counts the request `res` answers when it
   * closes, with the record `locals.request` holds then.
   */
  countRequest(service: string, method: string | undefined, res: ServerResponse, locals: Record<string, unknown>): void {
    // A CORS preflight is the browser asking, not a request of the graph.
    if (method === 'OPTIONS') return;
    const started = process.hrtime.bigint();
    // requestLog may put its own record in place later; the one there when the request ends is read.
    locals['request'] ??= {};
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const record = locals['request'] as RequestRecord | undefined;
      this.requestDuration.observe({ service, operation: this.operationLabel(service, record?.operationName), outcome: outcomeOf(res, record) }, seconds);
    });
  }

  /** One fetch from the gateway to `subgraph`. */
  observeFetch(subgraph: string, outcome: FetchOutcome, seconds: number): void {
    this.fetchDuration.observe({ subgraph, outcome }, seconds);
  }

  /** One request refused by the rate limit of its client class. */
  countRateLimitRefusal(clientClass: string): void {
    this.rateLimitRefusals.inc({ class: clientClass });
  }

  /** One scheduled run of `job` in `service`'s scheduler, as the scheduler's `onRun` reports it. */
  observeJobRun(service: string, job: string, outcome: 'succeeded' | 'failed', seconds: number): void {
    this.schedulerRuns.inc({ service, job, outcome });
    this.schedulerDuration.observe({ service, job }, seconds);
  }

  /** Reports the backlog, lag and dead letters of `consumer`'s inbox at each scrape, one series per source. */
  watchEvents(db: Executor, consumer: string, sources: readonly string[]): void {
    this.consumers.set(consumer, { db, consumer, sources });
  }

  /** Reports the use of a database handle's pool at each scrape; a handle without a pool (the embedded database) has no series. */
  watchPool(service: string, pool: string, handle: DatabaseHandle): void {
    if (handle.pool) this.pools.set(`${service}\u0000${pool}`, { service, pool, handle });
  }

  /** Reads what lives in the database and in the pools into the gauges; called by each scrape before the registry is written. */
  async refresh(logger?: Logger): Promise<void> {
    for (const { service, pool, handle } of this.pools.values()) {
      if (!handle.pool) continue;
      this.poolSize.set({ service, pool }, handle.pool.size);
      this.poolInFlight.set({ service, pool }, handle.pool.inFlight());
    }
    await Promise.all(
      [...this.consumers.values()].map(async (watched) => {
        try {
          await withTimeout(this.readInbox(watched), REFRESH_TIMEOUT_MS, `reading ${watched.consumer}'s inbox`);
        } catch (error) {
          // No figures rather than stale ones: an alert on the series' absence, or on the failures, fires.
          for (const source of watched.sources) {
            for (const gauge of [this.eventBacklog, this.eventLag, this.deadLetters]) gauge.remove({ consumer: watched.consumer, source });
          }
          this.refreshFailures.inc({ consumer: watched.consumer });
          logger?.warn({ err: error, consumer: watched.consumer }, 'metrics: could not read the inbox');
        }
      }),
    );
  }

  /** Two statements on the inbox's partial indexes (pending events, open dead letters): cheap however long the inbox grows. */
  private async readInbox({ db, consumer, sources }: WatchedConsumer): Promise<void> {
    const inbox = table(consumer, 'inbox');
    const pending = await rowsOf<{ source: string; pending: number; lag: number }>(
      db,
      sql`select source, count(*)::int as pending, greatest(extract(epoch from now() - min(occurred_at)), 0)::float8 as lag
            from ${inbox} where status = 'pending' group by source`,
    );
    const dead = await rowsOf<{ source: string; dead: number }>(
      db,
      sql`select i.source, count(*)::int as dead from ${table(consumer, 'dead_letters')} d join ${inbox} i on i.event_id = d.event_id
           where d.replayed_at is null group by i.source`,
    );
    const pendingBySource = new Map(pending.map((row) => [row.source, row]));
    const deadBySource = new Map(dead.map((row) => [row.source, Number(row.dead)]));
    for (const source of new Set([...sources, ...pendingBySource.keys(), ...deadBySource.keys()])) {
      const labels = { consumer, source };
      this.eventBacklog.set(labels, Number(pendingBySource.get(source)?.pending ?? 0));
      this.eventLag.set(labels, Number(pendingBySource.get(source)?.lag ?? 0));
      this.deadLetters.set(labels, deadBySource.get(source) ?? 0);
    }
  }

  /** The exposition text of a scrape: the database's figures read afresh, then every series. */
  async scrape(logger?: Logger): Promise<{ contentType: string; body: string }> {
    await this.refresh(logger);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * A request's outcome: `ok`, or the code of its first error when it is one
 * of the graph's public codes (anything else reaches the client masked, and
 * is counted as it: INTERNAL_SERVER_ERROR); `aborted` when the client left
 * before the answer was written.
 */
function outcomeOf(res: ServerResponse, record: RequestRecord | undefined): string {
  if (!res.writableFinished) return 'aborted';
  const code = record?.errorCodes?.[0];
  if (code !== undefined) return isPublicCode(code) ? code : 'INTERNAL_SERVER_ERROR';
  if (res.statusCode >= 500) return 'INTERNAL_SERVER_ERROR';
  if (res.statusCode >= 400) return 'BAD_REQUEST';
  return 'ok';
}

/** Where a context carries its request's record: a symbol, so Apollo Server's copy of the context keeps it and no resolver sees it. */
const REQUEST_RECORD = Symbol('lianxin.requestRecord');

/** Lets `operationRecordPlugin` find `record` from the context (for a subgraph, whose module builds the context). */
export function withRequestRecord<TContext extends object>(context: TContext, record: RequestRecord): TContext {
  return Object.assign(context, { [REQUEST_RECORD]: record });
}

const recordOf = (context: object): RequestRecord | undefined => (context as { [REQUEST_RECORD]?: RequestRecord })[REQUEST_RECORD];

/**
 * Fills in a request record's operation name and error codes from Apollo
 * Server's view of the request, for a context given its record with
 * `withRequestRecord`. A subgraph uses it (the gateway's context carries
 * its record in the open: `requestRecordPlugin`).
 */
export function operationRecordPlugin<TContext extends ApolloContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, operation, contextValue }) {
          const record = recordOf(contextValue);
          if (!record) return;
          record.operationName = operationName;
          if (operation) record.operationType = operation.operation;
        },
        async willSendResponse({ response, contextValue }) {
          const record = recordOf(contextValue);
          if (!record || response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          record.errorCodes = response.body.singleResult.errors.map((error) => {
            const code = error.extensions?.['code'];
            return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
          });
        },
      };
    },
  };
}

/** Where a service serves its metrics: a port, and whether it was asked for (a port that was is required, a default one is not). */
export interface MetricsListenerConfig {
  port: number;
  /** True when METRICS_PORT set it: failing to listen stops start-up. A default port that is taken is only warned about. */
  explicit: boolean;
}

export interface MetricsServer {
  /** e.g. `http://localhost:9400/metrics`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on a listener of its own, or returns null when a
 * default port is taken (another service on the host has it: warned, and
 * the service runs without). A port set by METRICS_PORT that cannot be had
 * stops start-up with one line.
 */
export async function startMetricsServer(metrics: Metrics, options: { host: string; listener: MetricsListenerConfig; logger: Logger }): Promise<MetricsServer | null> {
  const { host, listener, logger } = options;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    metrics.scrape(logger).then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics: scrape failed');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected.\n');
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listener.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EACCES' ? 'permission denied' : String(error);
    if (listener.explicit) throw new StartupError(`cannot serve metrics on ${host}:${listener.port}: ${reason} (set METRICS_PORT to change it, or off)`);
    logger.warn({ port: listener.port }, `metrics not served: ${host}:${listener.port}: ${reason} (set METRICS_PORT to choose a port)`);
    return null;
  }
  const { port } = server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${reachable}:${port}/metrics`;
  logger.info({ url }, 'metrics served');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
