/**
 * The gateway: Apollo Gateway on the static supergraph behind Apollo Server 5
 * on express. It authenticates the caller, signs the viewer once per request
 * for the subgraphs, and answers `/health` and `/ready`.
 */
import http from 'node:http';
import express from 'express';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GatewayInterface, GatewayExecutor } from '@apollo/server-gateway-interface';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  SUBGRAPH_NAMES,
  TRACE_ID_HEADER,
  VIEWER_TOKEN_HEADER,
  errorMaskingPlugin,
  healthRoutes,
  jsonErrors,
  listen,
  notFound,
  signViewerToken,
  traceId,
  type BaseContext,
  type Logger,
  type RunningServer,
  type SubgraphName,
} from '@lianxin/shared';
import { createAuthenticator } from './auth.js';
import type { GatewayConfig } from './config.js';

export interface GatewayContext extends BaseContext {
  /** The viewer, signed for the subgraphs; signed at most once per request. */
  viewerToken(): Promise<string>;
}

/** Sends each subgraph fetch with the signed viewer and the trace id, and nothing the client sent. */
class ViewerForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Gateway-internal fetches (none with a static supergraph) have no request context.
    if (!('viewerToken' in context)) return;
    request.http?.headers.set(VIEWER_TOKEN_HEADER, await context.viewerToken());
    request.http?.headers.set(TRACE_ID_HEADER, context.traceId);
  }
}

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
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
  };
}

export interface StartGatewayOptions {
  config: GatewayConfig;
  supergraphSdl: string;
  logger: Logger;
}

/** Asks every subgraph's `/ready`; resolves only when all answer. */
async function subgraphsReady(urls: Record<SubgraphName, string>): Promise<void> {
  await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const response = await fetch(new URL('/ready', urls[name]), { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) throw new Error(`${name} is not ready`);
    }),
  );
}

export async function startGateway({ config, supergraphSdl, logger }: StartGatewayOptions): Promise<RunningServer> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new ViewerForwardingDataSource({ url: config.subgraphUrls[name as SubgraphName] ?? url }),
    logger,
  });
  const authenticate = createAuthenticator(config.auth);

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const server = new ApolloServer<GatewayContext>({
    gateway: asServerGateway(gateway),
    introspection: config.nodeEnv !== 'production',
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // Shutdown is the process's job (onShutdown): Apollo's own handler would re-raise the signal and skip a clean exit.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // The default landing page loads from a CDN; clients bring their own explorer.
      ApolloServerPluginLandingPageDisabled(),
      errorMaskingPlugin<GatewayContext>(),
    ],
  });
  await server.start();

  healthRoutes(app, 'gateway', () => subgraphsReady(config.subgraphUrls));
  app.use(
    '/graphql',
    traceId,
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req, res }) => {
        const trace = res.locals['traceId'] as string;
        const requestLogger = logger.child({ traceId: trace });
        const viewer = await authenticate(req.get('authorization'));
        let signed: Promise<string> | undefined;
        return {
          viewer,
          traceId: trace,
          logger: requestLogger,
          viewerToken: () => (signed ??= signViewerToken(viewer, config.viewerTokenSecret)),
        };
      },
    }),
  );
  app.use(notFound);
  app.use(jsonErrors);

  const { origin, url } = await listen(httpServer, config.host, config.port);
  logger.info({ url }, 'gateway ready');
  return { url, origin, close: () => server.stop() };
}
