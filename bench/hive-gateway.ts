/**
 * The process bench/hive.ts starts: Hive Gateway on our supergraph, with the
 * viewer-token step as a Hive plugin. It waits for its settings on the IPC
 * channel, answers `{ ready: true }` once it listens, and stops on SIGTERM
 * or when its parent goes away.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import { AuthenticationError, IdentityProviderUnavailableError, createAuthenticator, type Authenticator } from '@lianxin/gateway';
import { ANONYMOUS, SUBGRAPH_NAMES, TRACE_ID_HEADER, VIEWER_TOKEN_HEADER, viewerTokenSigner, type Viewer } from '@lianxin/shared';
import type { HiveGatewayMessage, HiveGatewaySettings } from './hive.js';

const GRAPHQL_PATH = '/graphql';

/**
 * Every subgraph fetch in flight listens on its transport's one abort signal
 * until it ends (or is collected): under the benchmark's concurrency that is
 * more than Node's warning threshold of 10 listeners, without a leak. Set
 * before Hive makes its signals, which take the default when made.
 */
setMaxListeners(1_024);

/** A refusal shaped as our gateway's (shared/src/http.ts `sendError`). */
function refusal(status: number, code: string, message: string, extensions: Record<string, unknown>, headers: Record<string, string>): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/**
 * The steps of our gateway's entrance and subgraph fetches that the
 * subgraphs depend on, as a Hive plugin:
 * - the client's bearer token is verified by our authenticator before
 *   GraphQL sees the request (anonymous without one; 401 with a reason for a
 *   bad one, as ours answers);
 * - every subgraph fetch carries the viewer, signed as ours signs it, in the
 *   viewer-token header. It is set as an execution-request header
 *   (`extensions.headers`), which Hive's HTTP transport sends and also puts
 *   in its de-duplication key: two viewers never share a fetch. Hive sends
 *   no header the client sent unless told to, so a client's own copy of the
 *   header never reaches a subgraph;
 * - a new trace id per client request, on its subgraph fetches and its
 *   answer, as ours does. It is added to the fetch itself (`onFetch`), after
 *   Hive has keyed the fetch for de-duplication, as ours leaves it out of
 *   its key.
 */
export function viewerTokenPlugin(authenticate: Authenticator, signViewer: (viewer: Viewer) => Promise<string>): GatewayPlugin {
  const viewers = new WeakMap<Request, Viewer>();
  const traceIds = new WeakMap<Request, string>();
  return {
    async onRequest(payload) {
      const { request, url } = payload;
      if (url.pathname !== GRAPHQL_PATH) return;
      traceIds.set(request, randomUUID());
      try {
        viewers.set(request, await authenticate(request.headers.get('authorization') ?? undefined));
      } catch (error) {
        if (error instanceof AuthenticationError) {
          payload.endResponse(refusal(401, 'UNAUTHENTICATED', error.message, { reason: error.reason }, { 'www-authenticate': 'Bearer error="invalid_token"' }));
        } else if (error instanceof IdentityProviderUnavailableError) {
          payload.endResponse(refusal(503, 'IDENTITY_PROVIDER_UNAVAILABLE', error.message, {}, { 'retry-after': '5' }));
        } else {
          throw error;
        }
      }
    },
    async onSubgraphExecute({ executionRequest }) {
      const request = (executionRequest.context as { request?: Request } | undefined)?.request;
      const token = await signViewer((request && viewers.get(request)) ?? ANONYMOUS);
      const extensions: Record<string, unknown> = (executionRequest.extensions ??= {});
      extensions['headers'] = { ...(extensions['headers'] as Record<string, string> | undefined), [VIEWER_TOKEN_HEADER]: token };
    },
    onFetch(payload) {
      const { context, options } = payload;
      const traceId = 'request' in context ? traceIds.get(context.request) : undefined;
      if (traceId !== undefined) payload.setOptions({ ...options, headers: { ...options.headers, [TRACE_ID_HEADER]: traceId } });
    },
    onResponse({ request, response }) {
      const traceId = traceIds.get(request);
      if (traceId !== undefined) response.headers.set(TRACE_ID_HEADER, traceId);
    },
  };
}

async function start(settings: HiveGatewaySettings): Promise<void> {
  const plugin = viewerTokenPlugin(createAuthenticator(settings.auth), viewerTokenSigner(settings.viewerTokenSecret));
  const gateway = createGatewayRuntime({
    supergraph: settings.supergraphPath,
    // The subgraphs' addresses of this run, in place of the supergraph's; de-duplication as asked (Hive's default is on).
    transportEntries: Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, { location: settings.subgraphUrls[name], options: { deduplicateInflightRequests: settings.dedupe } }]),
    ),
    plugins: () => [plugin],
    graphqlEndpoint: GRAPHQL_PATH,
    logging: false,
    landingPage: false,
    graphiql: false,
    // The plugin gives each request its trace id, as ours does; Hive's own would also take a client's x-request-id to the subgraphs.
    requestId: false,
  });
  // On Node's own HTTP server, as Hive's documentation runs it under Node.
  const server = http.createServer(gateway.requestListener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', resolve);
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    await gateway.dispose();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  // A parent that died without closing it leaves no gateway behind.
  process.once('disconnect', () => void stop());
  send({ ready: true });
}

function send(message: HiveGatewayMessage, then?: () => void): void {
  process.send?.(message, undefined, undefined, () => then?.());
}

process.once('message', (settings: HiveGatewaySettings) => {
  start(settings).catch((error: unknown) => {
    // Exits once the message is out, so the parent learns why.
    send({ failed: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
  });
});
