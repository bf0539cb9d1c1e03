/**
 * The gateway: Apollo Gateway on the static supergraph behind Apollo Server 5
 * on express. Each `/graphql` request is traced, logged, authenticated, rate
 * limited and size-checked before GraphQL sees it; GraphQL then applies the
 * query limits, the introspection policy and error masking, and fetches from
 * the subgraphs over kept-alive connections with the signed viewer.
 * `/stats.csv` takes the same steps into the same server, and writes a
 * statistic's answer as CSV.
 */
import http from 'node:http';
import express from 'express';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GatewayInterface, GatewayExecutor } from '@apollo/server-gateway-interface';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  ANONYMOUS,
  NotReadyError,
  SUBGRAPH_NAMES,
  errorMaskingPlugin,
  knownOperationTypesRule,
  healthRoutes,
  jsonErrors,
  listen,
  notFound,
  requestLog,
  requestRecord,
  requestSpan,
  viewerTokenSigner,
  traceIds,
  type BaseContext,
  type Logger,
  type Metrics,
  type RequestRecord,
  type RunningServer,
  type SubgraphName,
  type Tracer,
  type Viewer,
} from '@lianxin/shared';
import { createAuthenticator } from './auth.js';
import type { GatewayConfig } from './config.js';
import { corsPolicy } from './cors.js';
import { CERTIFICATE_PAGE_PATH, CERTIFICATE_VERIFY_QUERY, certificatePageRoute, type VerifiedCertificate, type VerifyAnswer } from './certificate-page.js';
import { authentication, checkPersistedQuery, refuseBatches, refuseNulCharacters, requireJson, stripClientIdentity } from './entrance.js';
import { EXPLORER_PATH, explorerRoutes } from './explorer.js';
import { apolloHandler, inSequence, jsonBody } from './http-steps.js';
import { loadTrustedDocuments, operationNames, trustedDocuments, type TrustedDocuments } from './trusted-documents.js';
import { characterLimit, limitRules, limitsPlugin } from './limits.js';
import { NOTIFICATION_STREAM_PATH, notificationStreamProxy } from './notification-stream.js';
import { introspectionPolicy, operationResolution, requestRecordPlugin } from './plugins.js';
import { RateLimiter, rateLimit } from './rate-limit.js';
import type { SharedCounts } from './rate-limit-redis.js';
import { adoptScalars, scalarLiteralsRule } from './scalars.js';
import { STATS_CSV_PATH, statsCsvPlugin, statsCsvRoute, type CsvDownload } from './stats-csv.js';
import { SubgraphSource, subgraphConnections } from './subgraph-fetch.js';

export interface GatewayContext extends BaseContext {
  /** The viewer, signed for the subgraphs (one signature serves a viewer for half its lifetime). */
  viewerToken(): Promise<string>;
  /** What the request log line will say about this operation. */
  request: RequestRecord;
  /** Set for a `/stats.csv` download: the table the answer is written as. */
  csv?: CsvDownload;
}

/** The largest request body accepted; bigger ones get 413 before they are parsed. */
export const BODY_LIMIT = '1mb';
const BODY_LIMIT_BYTES = 1_048_576;

/**
 * @apollo/gateway 2.14 implements the 1.x gateway interface, Apollo Server 5
 * expects 2.x; the two agree at run time on everything the server calls, so
 * the adapter only bridges the executor's request-context type.
 */
function asServerGateway(gateway: ApolloGateway): GatewayInterface {
  return {
    async load(options) {
      const { executor } = await gateway.load(options);
      return { executor: executor as unknown as GatewayExecutor | null };
    },
    // The API schema Apollo Server validates against is the one the gateway coerces variables with: both check custom scalars.
    onSchemaLoadOrUpdate: (callback) =>
      gateway.onSchemaLoadOrUpdate((update) => {
        adoptScalars(update.apiSchema);
        callback(update);
      }),
    stop: () => gateway.stop(),
  };
}

export interface StartGatewayOptions {
  config: GatewayConfig;
  supergraphSdl: string;
  logger: Logger;
  /** The rate limiter's clock in milliseconds; tests pin it so refills do not depend on how fast the machine is. */
  now?: () => number;
  /** The gateway's tracer (`Tracing.tracer`): a span per client request and per subgraph fetch; undefined when tracing is off. */
  tracer?: Tracer | undefined;
  /** Where requests, subgraph fetches and rate-limit refusals are counted (served on METRICS_PORT by whoever runs it). */
  metrics?: Metrics;
}

/** Asks every subgraph's `/ready`; throws NotReadyError naming those that do not answer ready. */
async function subgraphsReady(urls: Record<SubgraphName, string>): Promise<void> {
  const results = await Promise.allSettled(
    SUBGRAPH_NAMES.map(async (name) => {
      const response = await fetch(new URL('/ready', urls[name]), { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) throw new Error(`${name} is not ready`);
    }),
  );
  const unavailable = SUBGRAPH_NAMES.filter((_name, index) => results[index]?.status === 'rejected');
  if (unavailable.length > 0) throw new NotReadyError(unavailable);
}

/** The GraphQL server in front of the gateway: its limits, plugins and error handling. */
function graphqlServer(gateway: ApolloGateway, httpServer: http.Server, config: GatewayConfig, logger: Logger): ApolloServer<GatewayContext> {
  const production = config.nodeEnv === 'production';
  return new ApolloServer<GatewayContext>({
    gateway: asServerGateway(gateway),
    // Apollo Server's own messages (a request it could not process) go to the gateway's log.
    logger,
    // Always on at the server; introspectionPolicy decides per viewer in production.
    introspection: true,
    // No "Did you mean …?" in production: suggestions map the schema for someone without introspection.
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // Batches are refused before Apollo Server (refuseBatches), with a JSON error.
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.limits.tokens },
    validationRules: [...limitRules(config.limits), scalarLiteralsRule, knownOperationTypesRule],
    // Shutdown is the process's job (onShutdown): Apollo's own handler would re-raise the signal and skip a clean exit.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      // The default landing page loads from a CDN; clients bring their own explorer.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      operationResolution<GatewayContext>(),
      introspectionPolicy<GatewayContext>({ production }),
      limitsPlugin<GatewayContext>(config.limits),
      statsCsvPlugin<GatewayContext>(),
      errorMaskingPlugin<GatewayContext>({ logger, hideSuggestions: production }),
      requestRecordPlugin<GatewayContext>(),
    ],
  });
}

/**
 * One set of allowances (authentication charges a client address for any
 * token it has not verified before), shared through Redis when configured.
 * The gateway does not wait for Redis, nor does /ready: without it each
 * gateway counts alone.
 */
async function rateLimiterOf(config: GatewayConfig, logger: Logger, now: () => number, metrics?: Metrics): Promise<{ limiter: RateLimiter; shared: SharedCounts | undefined }> {
  // The Redis client and its limiter library load only when a store is configured: a gateway counting alone never needs them.
  const shared = config.rateLimitStore ? new (await import('./rate-limit-redis.js')).SharedCounts(config.rateLimitStore.url, config.rateLimitStore.keyPrefix, logger) : undefined;
  const onRefusal = metrics ? (kind: string) => metrics.countRateLimitRefusal(kind) : undefined;
  return { limiter: new RateLimiter(config.rateLimits, { now, ...(shared ? { shared } : {}), ...(onRefusal ? { onRefusal } : {}) }), shared };
}

/** The HTTP server clients connect to. */
function clientServer(app: express.Express, keepAliveTimeoutMs: number): http.Server {
  const httpServer = http.createServer(app);
  // Idle client connections outlive a load balancer's idle timeout (a till that pauses must not find its connection closed);
  // Node needs the header deadline above the keep-alive one, or a reused connection can be cut while its next request arrives.
  httpServer.keepAliveTimeout = keepAliveTimeoutMs;
  httpServer.headersTimeout = keepAliveTimeoutMs + 5_000;
  httpServer.requestTimeout = Math.max(300_000, httpServer.headersTimeout + 5_000);
  return httpServer;
}

/**
 * Counts operations from their arrival, so requests refused at the entrance
 * (429, 401, 413) are counted with their code; the apps' operations are
 * always labelled by name, others share the metrics' cap.
 */
function countRequests(app: express.Express, metrics: Metrics, documents: TrustedDocuments): void {
  metrics.admitOperations(operationNames(documents.values()));
  app.use(['/graphql', STATS_CSV_PATH], metrics.requests('gateway'));
}

/** Apollo Gateway on the supergraph, fetching from each subgraph over one pool of kept-alive connections. */
function federatedGateway(config: GatewayConfig, supergraphSdl: string, logger: Logger, tracer: Tracer | undefined, metrics: Metrics | undefined) {
  const connections = subgraphConnections({ timeoutMs: config.subgraphTimeoutMs, tracer });
  // Apollo Gateway otherwise starts an exporter that sends usage figures to Apollo's servers and, at start, probes the
  // cloud providers' metadata addresses: a graph of residents' data talks to no third party. It reads this switch from
  // the process environment only, when the gateway is constructed.
  process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new SubgraphSource({
        name,
        url: config.subgraphUrls[name as SubgraphName] ?? url,
        connections,
        dedupe: config.subgraphFetchDedupe,
        timeoutMs: config.subgraphTimeoutMs,
        metrics,
      }),
    experimental_approximateQueryPlanStoreMiB: config.queryPlanCacheMiB,
    // Composition validated the supergraph when `npm run compose` wrote it, and test/compose.test.ts holds the checked-in
    // file to that composition; Apollo skips validating it again in production, and so does every start here (it was
    // about half of building the gateway's schema, 0.2-0.5 s of each start).
    validateSupergraph: false,
    logger,
  });
  return { gateway, connections };
}

export async function startGateway({ config, supergraphSdl, logger, now = Date.now, tracer, metrics }: StartGatewayOptions): Promise<RunningServer> {
  const { gateway, connections } = federatedGateway(config, supergraphSdl, logger, tracer, metrics);
  const { limiter, shared } = await rateLimiterOf(config, logger, now, metrics);
  const signViewer = viewerTokenSigner(config.viewerTokenSecret);
  const documents = loadTrustedDocuments(config.trustedDocuments);

  const app = express();
  app.disable('x-powered-by');
  // Which proxies may name the client's address: anonymous callers are rate limited by it.
  app.set('trust proxy', config.trustProxy);
  const httpServer = clientServer(app, config.keepAliveTimeoutMs);
  const server = graphqlServer(gateway, httpServer, config, logger);
  await server.start();

  healthRoutes(app, 'gateway', () => subgraphsReady(config.subgraphUrls));
  const stopping = new AbortController();
  if (metrics) countRequests(app, metrics, documents);
  /**
   * The first steps of every client request, to `/graphql`, `/stats.csv` and
   * the notification stream alike. Each route runs its steps as one handler
   * (`inSequence`): express matches a route once, not once per step.
   */
  const entrance = [
    // Preflights are answered before anything else, which they could not pass without the headers they ask about.
    corsPolicy(config.cors),
    // A new trace per client request, whose id is the request's trace id.
    requestSpan(tracer, { acceptIncoming: false }),
    traceIds({ trustIncoming: false }),
    stripClientIdentity,
    requestLog(logger, 'info'),
    authentication(createAuthenticator(config.auth), limiter),
    rateLimit(limiter),
  ];
  app.use(NOTIFICATION_STREAM_PATH, inSequence([...entrance, notificationStreamProxy({ peopleUrl: config.subgraphUrls.people, signViewer, logger, stopping: stopping.signal })]));
  if (config.explorer.enabled) app.use(EXPLORER_PATH, explorerRoutes());
  /** After the entrance, the steps of every operation sent over HTTP, to `/graphql` and to `/stats.csv` alike. */
  const operationSteps = [
    requireJson,
    jsonBody(BODY_LIMIT_BYTES),
    refuseBatches,
    trustedDocuments(documents, config.trustedDocuments.mode),
    checkPersistedQuery,
    characterLimit(config.limits.characters),
    refuseNulCharacters,
  ];
  /** The context of an operation, the same whichever route runs it; its logger is made when first used (most requests log nothing of their own). */
  const context = (res: express.Response): GatewayContext => {
    const trace = res.locals['traceId'] as string;
    const viewer = res.locals['viewer'] as Viewer;
    let child: Logger | undefined;
    return {
      viewer,
      traceId: trace,
      get logger() {
        return (child ??= logger.child({ traceId: trace }));
      },
      viewerToken: () => signViewer(viewer),
      request: requestRecord(res),
    };
  };
  app.use('/graphql', inSequence([...entrance, ...operationSteps, apolloHandler(server, async (_req, res) => context(res))]));
  app.use(STATS_CSV_PATH, inSequence([...entrance, ...operationSteps, statsCsvRoute(server, context, logger)]));
  /** A certificate's page asks the graph as an anonymous caller, whoever opens it: it shows what anyone with the number and code may see. */
  const verifyAnonymously = async (number: string, code: string, res: express.Response): Promise<VerifyAnswer> => {
    const contextValue: GatewayContext = { ...context(res), viewer: ANONYMOUS, viewerToken: () => signViewer(ANONYMOUS) };
    const response = await server.executeOperation<{ certificateVerify: VerifiedCertificate | null }>(
      { query: CERTIFICATE_VERIFY_QUERY, variables: { number, code } },
      { contextValue },
    );
    if (response.body.kind !== 'single' || response.body.singleResult.errors?.length) return { unavailable: true };
    return { certificate: response.body.singleResult.data?.certificateVerify ?? null };
  };
  app.use(CERTIFICATE_PAGE_PATH, inSequence([...entrance, certificatePageRoute(verifyAnonymously, logger)]));
  app.use(notFound);
  app.use(jsonErrors(logger));

  const { origin, url } = await listen(httpServer, config.host, config.port);
  logger.info({ url }, 'gateway ready');
  return {
    url,
    origin,
    async close() {
      // Open notification streams end first, so draining waits only for ordinary requests.
      stopping.abort();
      await server.stop();
      connections.close();
      shared?.close();
    },
  };
}
