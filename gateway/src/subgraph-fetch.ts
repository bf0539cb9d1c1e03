/**
 * How the gateway talks to subgraphs: one keep-alive connection pool per
 * gateway (no TCP handshake per fetch), a deadline on every fetch, the signed
 * viewer and the trace id on every request and nothing the client sent, and
 * a subgraph that cannot answer reported by name.
 */
import http from 'node:http';
import https from 'node:https';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CodedError, TRACE_ID_HEADER, VIEWER_TOKEN_HEADER, clientSpan, type FetchOutcome, type Logger, type Metrics, type Tracer } from '@lianxin/shared';
import type { GatewayContext } from './gateway.js';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherInit = NonNullable<Parameters<Fetcher>[1]>;

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

/** Raised by the fetcher when a subgraph takes longer than the deadline. */
class SubgraphTimeoutError extends Error {
  override readonly name = 'SubgraphTimeoutError';
}

export interface SubgraphConnections {
  fetcher: Fetcher;
  /** Closes idle pooled connections; used at shutdown. */
  close(): void;
}

/**
 * A fetcher on node:http with one keep-alive agent. The agent reuses idle
 * connections LIFO, so a few warm sockets serve most requests, and drops one
 * after 30 s idle, well before a subgraph would (65 s, see `startSubgraph`):
 * a request never goes out on a socket the subgraph is closing. With a
 * tracer each fetch is a client span whose `traceparent` the subgraph
 * continues.
 */
export function subgraphConnections({ timeoutMs, tracer }: { timeoutMs: number; tracer?: Tracer | undefined }): SubgraphConnections {
  const options = { keepAlive: true, keepAliveMsecs: 1_000, maxSockets: 256, maxFreeSockets: 64, timeout: 30_000, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };

  const fetcher = ((url: string, init: FetcherInit = {}) => {
    const target = new URL(url);
    const headers: http.OutgoingHttpHeaders = { ...init.headers };
    return clientSpan(tracer, `POST ${target.pathname}`, target, headers, () => exchange(target, init, headers));
  }) as Fetcher;

  /** One request and its whole answer, within the deadline. */
  const exchange = (target: URL, init: FetcherInit, headers: http.OutgoingHttpHeaders) =>
    new Promise<Response>((resolve, reject) => {
      const transport = target.protocol === 'https:' ? https : http;
      const request = transport.request(target, { method: init.method ?? 'POST', headers, agent: agents[target.protocol as 'http:'] });
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
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve(new Response(Buffer.concat(chunks), { status: response.statusCode ?? 502, statusText: response.statusMessage ?? '', headers }));
        });
      });
      request.end(init.body);
    });

  return {
    fetcher,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

export interface SubgraphSourceOptions {
  name: string;
  url: string;
  fetcher: Fetcher;
  /** Where each fetch's latency and outcome is counted. */
  metrics?: Metrics | undefined;
}

/** How a fetch that threw ended: the subgraph did not answer (in time), or answered with something we could not use. */
const failureOf = (error: unknown): FetchOutcome => (error instanceof SubgraphUnavailableError ? (error.timedOut ? 'timeout' : 'unavailable') : 'failed');

/** Whether a data source's context is a client request's (and not the gateway's own, which has none of its fields). */
function isRequestContext(context: GatewayContext | Record<string, unknown>): context is GatewayContext {
  return typeof context['viewerToken'] === 'function';
}

/** Sends each subgraph fetch with the signed viewer and the trace id, and nothing the client sent. */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly service: string;
  private readonly metrics: Metrics | undefined;

  constructor({ name, url, fetcher, metrics }: SubgraphSourceOptions) {
    super({ url, fetcher });
    this.service = name;
    this.metrics = metrics;
  }

  /** Times each fetch, from sending to the answer parsed (or the failure): `errors` when the subgraph answered with GraphQL errors. */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const { metrics } = this;
    if (!metrics) return super.process(options);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const response = await super.process(options);
      metrics.observeFetch(this.service, response.errors?.length ? 'errors' : 'ok', seconds());
      return response;
    } catch (error) {
      metrics.observeFetch(this.service, failureOf(error), seconds());
      throw error;
    }
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Gateway-internal fetches (none with a static supergraph) have no request context.
    if (!isRequestContext(context)) return;
    request.http?.headers.set(VIEWER_TOKEN_HEADER, await context.viewerToken());
    request.http?.headers.set(TRACE_ID_HEADER, context.traceId);
  }

  /**
   * No answer (refused, reset, timed out) or a 502–504 from a proxy in front
   * of the subgraph: the subgraph is unavailable, and the client is told
   * which. Any other failure is a fault of ours, masked with a trace id.
   */
  override didEncounterError(error: Error, _request: unknown, response?: { status: number }, context?: GatewayContext): void {
    const logger: Logger | undefined = context && 'logger' in context ? context.logger : undefined;
    if (response === undefined || (response.status >= 502 && response.status <= 504)) {
      logger?.warn({ subgraph: this.service, err: error, status: response?.status }, 'subgraph unavailable');
      throw new SubgraphUnavailableError(this.service, error instanceof SubgraphTimeoutError);
    }
    throw new Error(`${this.service} answered HTTP ${response.status}: ${error.message}`);
  }
}
