/**
 * How the gateway talks to subgraphs: one keep-alive connection pool per
 * gateway (no TCP handshake per fetch), a deadline on every fetch, the signed
 * viewer and the trace id on every request and nothing the client sent, a
 * subgraph that cannot answer reported by name, and identical queries in
 * flight at the same time sent once.
 *
 * Apollo Gateway's `RemoteGraphQLDataSource` goes through node-fetch and the
 * WHATWG `Request`/`Response`/`Headers` objects for every fetch; on the
 * gateway's hot path those cost more than the exchange itself. `SubgraphSource`
 * does what it did (the same body, headers, errors and cache hints) on
 * node:http directly.
 */
import http from 'node:http';
import https from 'node:https';
import { GraphQLError, OperationTypeNode } from 'graphql';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { CodedError, TRACE_ID_HEADER, VIEWER_TOKEN_HEADER, clientSpan, type FetchOutcome, type Logger, type Metrics, type Tracer } from '@lianxin/shared';
import type { GatewayContext } from './gateway.js';

/** A subgraph that is down, refused the connection, or did not answer in time. */
export class SubgraphUnavailableError extends CodedError {
  constructor(
    service: string,
    readonly timedOut: boolean,
  ) {
    super(
      'SUBGRAPH_UNAVAILABLE',
      timedOut ? `The ${service} service did not answer in time; its part of the result is missing.` : `The ${service} service is unavailable; its part of the result is missing.`,
      { extensions: { service } },
    );
  }
}

/** Raised when a subgraph takes longer than the deadline. */
class SubgraphTimeoutError extends Error {
  override readonly name = 'SubgraphTimeoutError';
}

/** A subgraph's whole answer to one POST: what the gateway reads of it. */
export interface SubgraphAnswer {
  status: number;
  statusText: string;
  contentType: string | undefined;
  cacheControl: string | undefined;
  /** The body as text; each reader parses its own copy. */
  body: string;
}

export interface SubgraphConnections {
  /** POSTs `body` to `url` and reads the whole answer within the deadline; rejects when there is none. */
  post(url: URL, headers: http.OutgoingHttpHeaders, body: string): Promise<SubgraphAnswer>;
  /** Closes idle pooled connections; used at shutdown. */
  close(): void;
}

/**
 * Requests on node:http with one keep-alive agent. The agent reuses idle
 * connections LIFO, so a few warm sockets serve most requests, and drops one
 * after 30 s idle, well before a subgraph would (65 s, see `startSubgraph`):
 * a request never goes out on a socket the subgraph is closing. With a
 * tracer each request is a client span whose `traceparent` the subgraph
 * continues.
 */
export function subgraphConnections({ timeoutMs, tracer }: { timeoutMs: number; tracer?: Tracer | undefined }): SubgraphConnections {
  const options = { keepAlive: true, keepAliveMsecs: 1_000, maxSockets: 256, maxFreeSockets: 64, timeout: 30_000, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };

  /** One request and its whole answer, within the deadline. */
  const exchange = (target: URL, headers: http.OutgoingHttpHeaders, body: string) =>
    new Promise<SubgraphAnswer>((resolve, reject) => {
      const transport = target.protocol === 'https:' ? https : http;
      const request = transport.request(target, { method: 'POST', headers, agent: agents[target.protocol as 'http:'] });
      // A deadline for the whole exchange, not an idle timeout: a subgraph that trickles is as late as one that is silent.
      let timedOut = false;
      const deadline = setTimeout(() => {
        timedOut = true;
        request.destroy();
      }, timeoutMs);
      const fail = (error: Error) => reject(timedOut ? new SubgraphTimeoutError(`no answer from ${target.host} in ${timeoutMs} ms`) : error);
      request.once('close', () => clearTimeout(deadline));
      request.once('error', fail);
      request.once('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', fail);
        response.once('close', () => {
          if (!response.complete) fail(new Error(`the answer from ${target.host} was cut off`));
        });
        response.once('end', () => {
          clearTimeout(deadline);
          resolve({
            status: response.statusCode ?? 502,
            statusText: response.statusMessage ?? '',
            contentType: response.headers['content-type'],
            cacheControl: response.headers['cache-control'],
            body: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'),
          });
        });
      });
      request.end(body);
    });

  return {
    post: (url, headers, body) => clientSpan(tracer, `POST ${url.pathname}`, url, headers, () => exchange(url, headers, body)),
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

export interface SubgraphSourceOptions {
  name: string;
  url: string;
  connections: SubgraphConnections;
  /** Whether identical queries in flight at once are sent once (SUBGRAPH_FETCH_DEDUPE). */
  dedupe: boolean;
  /** How long a fetch that joined another one waits for it at most (the same deadline as a fetch of its own). */
  timeoutMs: number;
  /** Where each fetch's latency and outcome is counted. */
  metrics?: Metrics | undefined;
}

/** How a fetch that threw ended: the subgraph did not answer (in time), or answered with something we could not use. */
const failureOf = (error: unknown): FetchOutcome => (error instanceof SubgraphUnavailableError ? (error.timedOut ? 'timeout' : 'unavailable') : 'failed');

/** Whether a data source's context is a client request's (and not the gateway's own, which has none of its fields). */
function isRequestContext(context: GatewayContext | Record<string, unknown>): context is GatewayContext {
  return typeof context['viewerToken'] === 'function';
}

/**
 * JSON with every object's keys in sorted order, so equal variables are
 * written alike whatever order a client gave their fields in. Subgraphs read
 * variables by name; arrays keep their order.
 */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item: unknown) => (item === undefined ? 'null' : stableJson(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item !== undefined && typeof item !== 'function') parts.push(`${JSON.stringify(key)}:${stableJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The planner writes a subgraph query as `query …` or `{ … }`; anything else (a mutation, a subscription) is never shared. */
const QUERY_TEXT = /^\s*(?:query\b|\{)/;

/** `Cache-Control` directives as Apollo Gateway reads them: `max-age`, `private`, `public`. */
function cacheHintOf(header: string | undefined): { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } {
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = { maxAge: 0 };
  if (!header) return hint;
  for (const directive of header.split(',')) {
    const [name = '', value] = directive.trim().split('=');
    const key = name.toLowerCase();
    if (key === 'max-age' && value !== undefined && /^[0-9]+$/.test(value)) hint.maxAge = Number(value);
    else if (key === 'private') hint.scope = 'PRIVATE';
    else if (key === 'public') hint.scope = 'PUBLIC';
  }
  return hint;
}

type CacheHint = ReturnType<typeof cacheHintOf>;

/** The request's overall cache policy, which each subgraph's `Cache-Control` restricts (as Apollo Gateway does). */
function isRestrictable(policy: unknown): policy is { restrict(hint: CacheHint): void } {
  return typeof policy === 'object' && policy !== null && 'restrict' in policy && typeof policy.restrict === 'function';
}

/**
 * Sends each subgraph fetch with the signed viewer and the trace id, and
 * nothing the client sent.
 *
 * While a query with the same text, variables and viewer token is in flight
 * to this subgraph, another one waits for its answer instead of being sent
 * (the viewer token names every field of the viewer, so two viewers never
 * share an answer; anonymous callers, all one viewer, do). The entry is
 * removed when the exchange settles: nothing is cached. Each waiter parses
 * the answer's text into objects of its own, meets a failure with its own
 * error, and gives up at its own deadline. Mutations are always sent.
 */
export class SubgraphSource implements GraphQLDataSource<GatewayContext> {
  private readonly service: string;
  private readonly url: URL;
  private readonly connections: SubgraphConnections;
  private readonly metrics: Metrics | undefined;
  private readonly timeoutMs: number;
  /** Queries in flight by key, when de-duplication is on. */
  private readonly inFlight: Map<string, Promise<SubgraphAnswer>> | null;

  constructor({ name, url, connections, dedupe, timeoutMs, metrics }: SubgraphSourceOptions) {
    this.service = name;
    this.url = new URL(url);
    this.connections = connections;
    this.metrics = metrics;
    this.timeoutMs = timeoutMs;
    this.inFlight = dedupe ? new Map() : null;
  }

  /** Times each fetch, from sending to the answer parsed (or the failure): `errors` when the subgraph answered with GraphQL errors. */
  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { metrics } = this;
    if (!metrics) return this.fetch(options);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const response = await this.fetch(options);
      metrics.observeFetch(this.service, response.errors?.length ? 'errors' : 'ok', seconds());
      return response;
    } catch (error) {
      metrics.observeFetch(this.service, failureOf(error), seconds());
      throw error;
    }
  }

  private async fetch(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    const headers: http.OutgoingHttpHeaders = {};
    // What Apollo Gateway itself asks of a subgraph (federated tracing), never a client's header.
    let gatewayHeaders = false;
    if (request.http?.headers) {
      for (const [name, value] of request.http.headers) {
        headers[name] = value;
        gatewayHeaders = true;
      }
    }
    headers['content-type'] = 'application/json';
    // Gateway-internal fetches (none with a static supergraph) have no request context.
    const requestContext = isRequestContext(context) ? context : undefined;
    const viewerToken = requestContext ? await requestContext.viewerToken() : undefined;
    if (requestContext) {
      headers[VIEWER_TOKEN_HEADER] = viewerToken;
      headers[TRACE_ID_HEADER] = requestContext.traceId;
    }
    const { query, variables, operationName, extensions } = request;
    let body = `{"query":${JSON.stringify(query)}`;
    if (variables !== undefined) body += `,"variables":${stableJson(variables)}`;
    if (operationName !== undefined) body += `,"operationName":${JSON.stringify(operationName)}`;
    if (extensions !== undefined) body += `,"extensions":${stableJson(extensions)}`;
    body += '}';

    const shareable =
      this.inFlight !== null &&
      !gatewayHeaders &&
      'incomingRequestContext' in options &&
      options.incomingRequestContext.operation?.operation === OperationTypeNode.QUERY &&
      QUERY_TEXT.test(query);
    let answer: SubgraphAnswer;
    try {
      answer = await (shareable ? this.shared(`${viewerToken ?? ''}\n${body}`, headers, body) : this.connections.post(this.url, headers, body));
    } catch (error) {
      return this.didEncounterError(error instanceof Error ? error : new Error(String(error)), undefined, requestContext);
    }

    if ('incomingRequestContext' in options) {
      const policy: unknown = options.incomingRequestContext.overallCachePolicy;
      if (isRestrictable(policy)) policy.restrict(cacheHintOf(answer.cacheControl));
    }
    try {
      if (answer.status < 200 || answer.status > 299) throw new GraphQLError(`${answer.status}: ${answer.statusText}`);
      const json = answer.contentType?.startsWith('application/json') || answer.contentType?.startsWith('application/graphql-response+json');
      const parsed: unknown = json ? JSON.parse(answer.body) : answer.body;
      if (typeof parsed !== 'object' || parsed === null) throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
      // The shape is the subgraph's to keep; Apollo Gateway reads `data`, `errors` and `extensions` as it finds them.
      return parsed;
    } catch (error) {
      return this.didEncounterError(error instanceof Error ? error : new Error(String(error)), answer.status, requestContext);
    }
  }

  /** The answer of the same query in flight, or of this one sent now; a waiter gives up at its own deadline. */
  private shared(key: string, headers: http.OutgoingHttpHeaders, body: string): Promise<SubgraphAnswer> {
    const inFlight = this.inFlight!;
    const pending = inFlight.get(key);
    if (pending) return withDeadline(pending, this.timeoutMs);
    const sent = this.connections.post(this.url, headers, body);
    inFlight.set(key, sent);
    const settled = () => {
      if (inFlight.get(key) === sent) inFlight.delete(key);
    };
    sent.then(settled, settled);
    return sent;
  }

  /**
   * No answer (refused, reset, timed out) or a 502–504 from a proxy in front
   * of the subgraph: the subgraph is unavailable, and the client is told
   * which. Any other failure is a fault of ours, masked with a trace id.
   */
  private didEncounterError(error: Error, status: number | undefined, context: GatewayContext | undefined): never {
    const logger: Logger | undefined = context?.logger;
    if (status === undefined || (status >= 502 && status <= 504)) {
      logger?.warn({ subgraph: this.service, err: error, status }, 'subgraph unavailable');
      throw new SubgraphUnavailableError(this.service, error instanceof SubgraphTimeoutError);
    }
    throw new Error(`${this.service} answered HTTP ${status}: ${error.message}`);
  }
}

/** `answer`, or a SubgraphTimeoutError once `timeoutMs` have passed. */
function withDeadline(answer: Promise<SubgraphAnswer>, timeoutMs: number): Promise<SubgraphAnswer> {
  return new Promise<SubgraphAnswer>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new SubgraphTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    answer.then(
      (value) => {
        clearTimeout(deadline);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
