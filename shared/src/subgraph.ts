/**
 * Subgraph bootstrap: the schema from SDL + resolvers, Apollo Server 5 on an
 * express HTTP server with `/health` and `/ready`, and a `/graphql` that
 * refuses any request not carrying the gateway's signed viewer token.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { viewerTokenVerifier, type Viewer } from './auth.js';
import type { EventTransportConfig, SubgraphName } from './config.js';
import type { BaseContext, SubgraphBaseContext } from './context.js';
import type { Database, DatabaseHandle } from './db.js';
import { errorMaskingPlugin } from './masking.js';
import { knownOperationTypesRule } from './validation.js';
import { withCoercedDefaults } from './enums.js';
import { scalarResolvers } from './scalars.js';
import { mergeResolvers } from './resolvers.js';
import { StartupError } from './startup.js';
import { applyMigrations, checkMigrations, waitingMessage } from './migrations.js';
import { healthRoutes, jsonErrors, notFound } from './http.js';
import { graphqlEntrance, isGraphqlPath } from './graphql-http.js';
import type { Tracer } from './tracing.js';
import { operationRecordPlugin, withRequestRecord, type Metrics } from './metrics.js';
import type { Logger } from './logger.js';
import type { EventConsumer } from './events/consumer.js';
import { drainEvents, drainRelayedEvents, startEventRunner, startPolling, type Runner } from './events/runner.js';
import { databaseTransport, type EventTransport } from './events/transport.js';
import { connectNatsEvents, type NatsEvents } from './events/index.js';
import { relayOnce } from './events/relay.js';
import { rowsOf } from './sql.js';
import { sql } from 'drizzle-orm';
import { withDeadLetterResolvers } from './events/admin.js';
import { startScheduler, withScheduledJobResolvers, type RunningJobs, type ScheduledJob } from './scheduler.js';

export type { GraphQLResolverMap };

/** The largest GraphQL request body a subgraph accepts (the gateway's documents and variables). */
const MAX_BODY_BYTES = 1024 * 1024;

const COMMON_SDL = readFileSync(new URL('../schema/common.graphql', import.meta.url), 'utf8');

/** A subgraph's SDL as served: the shared common types followed by its own schema.graphql. */
export function subgraphSdl(schemaFile: URL): string {
  return `${readFileSync(schemaFile, 'utf8')}\n${COMMON_SDL}`;
}

/** Everything the bootstrap needs to know about one subgraph. */
export interface SubgraphModule<TContext extends BaseContext = BaseContext, TSettings = unknown> {
  name: SubgraphName;
  /** The Postgres schema that holds all of this subgraph's tables. */
  dbSchema: string;
  /** Folder of the drizzle-kit SQL migrations. */
  migrationsFolder: string;
  sdl: string;
  resolvers: GraphQLResolverMap<TContext>;
  /**
   * Reads this subgraph's own settings (keys, limits) from the environment,
   * once at start; throws ConfigError naming a bad variable.
   */
  settings(env: NodeJS.ProcessEnv): TSettings;
  /** Builds the per-request context, with fresh DataLoaders. */
  createContext: (base: SubgraphBaseContext, db: Database, settings: TSettings) => TContext;
  /** Loads the demo data set into this subgraph's own tables; must be idempotent. */
  seedDemo: (db: Database, settings: TSettings) => Promise<void>;
  /**
   * Brings what the subgraph derives from its own tables up to date, after
   * the migrations and the demo data, on every start (people's household
   * cells for BI tools, which a new migration leaves empty and a changed
   * setting makes stale); absent when it derives nothing.
   */
  prepare?: (db: Database, settings: TSettings) => Promise<void>;
  /** HTTP routes beside `/graphql` (e.g. device webhooks), mounted before it. */
  routes?: (app: express.Express, services: SubgraphRouteServices<TSettings>) => void;
  /** The events this subgraph applies from others' outboxes (docs/events.md); absent when it consumes none. */
  consumer?: EventConsumer;
  /** Its periodic jobs (sweeps), given its database and settings; absent or empty when it has none. */
  jobs?: (services: SubgraphServices<TSettings>) => ScheduledJob[];
}

/** What a subgraph's own HTTP routes are given. */
export interface SubgraphServices<TSettings> {
  db: Database;
  settings: TSettings;
  logger: Logger;
}

/**
 * What a subgraph's own HTTP routes are given besides its database: the
 * check of the gateway's signed viewer (for a route the gateway forwards a
 * client to, such as a notification stream), LISTEN on the database, and a
 * signal that aborts when the subgraph stops, so long-lived responses end
 * instead of holding the shutdown.
 */
export interface SubgraphRouteServices<TSettings> extends SubgraphServices<TSettings> {
  verifyViewer: (token: string) => Promise<Viewer>;
  listen: DatabaseHandle['listen'];
  stopping: AbortSignal;
}

/** What every subgraph's resolvers see: the base context with the statistics handle, the database, and this request's loaders. */
export type SubgraphContext<TLoaders> = SubgraphBaseContext & {
  db: Database;
  loaders: TLoaders;
  /**
   * Builds this request's loaders afresh, with nothing cached.
   * `inTransaction` puts them in place of `loaders` once a write commits.
   */
  freshLoaders: () => TLoaders;
};

export interface SubgraphDefinition<TContext extends BaseContext, TSettings> {
  name: SubgraphName;
  /** The subgraph package's folder (`new URL('..', import.meta.url)` from its src/). */
  root: URL;
  /** The generated `Resolvers` map (its modules' maps merged with `mergeResolvers`); the shared scalars are added here. */
  resolvers: object;
  /** Reads the subgraph's own settings; omit when it has none. */
  settings?: (env: NodeJS.ProcessEnv) => TSettings;
  createContext: (base: SubgraphBaseContext, db: Database, settings: TSettings) => TContext;
  seedDemo: (db: Database, settings: TSettings) => Promise<void>;
  /** Brings what it derives from its tables up to date on every start, after the migrations and the demo data. */
  prepare?: (db: Database, settings: TSettings) => Promise<void>;
  /** HTTP routes beside `/graphql` (e.g. device webhooks, a notification stream). */
  routes?: (app: express.Express, services: SubgraphRouteServices<TSettings>) => void;
  /** The events it applies from other subgraphs. */
  consumer?: EventConsumer;
  /** Its periodic jobs (src/jobs.ts), run while the subgraph runs. */
  jobs?: (services: SubgraphServices<TSettings>) => ScheduledJob[];
}

/**
 * Builds a subgraph module from the package layout every subgraph follows:
 * `schema.graphql` and `drizzle/` beside `src/`, tables in a Postgres schema
 * named after the subgraph.
 */
export function defineSubgraph<TContext extends BaseContext, TSettings = undefined>(definition: SubgraphDefinition<TContext, TSettings>): SubgraphModule<TContext, TSettings> {
  const root = definition.root.href.endsWith('/') ? definition.root : new URL(`${definition.root.href}/`);
  const sdl = subgraphSdl(new URL('schema.graphql', root));
  const own = mergeResolvers<Record<string, unknown>>(scalarResolvers, definition.resolvers as Record<string, unknown>);
  return {
    name: definition.name,
    dbSchema: definition.name,
    migrationsFolder: fileURLToPath(new URL('drizzle', root)),
    sdl,
    // Generated resolver types are stricter than @apollo/subgraph's map; the shapes agree.
    resolvers: withScheduledJobResolvers(definition.name, definition.consumer ? withDeadLetterResolvers(definition.name, own, sdl) : own, sdl) as GraphQLResolverMap<TContext>,
    settings: definition.settings ?? (() => undefined as TSettings),
    createContext: definition.createContext,
    seedDemo: definition.seedDemo,
    ...(definition.prepare ? { prepare: definition.prepare } : {}),
    ...(definition.routes ? { routes: definition.routes } : {}),
    ...(definition.consumer ? { consumer: definition.consumer } : {}),
    ...(definition.jobs ? { jobs: definition.jobs } : {}),
  };
}

/**
 * Starts the subgraph's event runner (receive from the producers' outboxes,
 * apply to its own tables) on its database handle; null when the subgraph
 * consumes no events. The default transport reads the producers' outboxes in
 * the same database: every subgraph's schema in one Postgres (or the one
 * PGlite); with NATS, pass its transport. Stop the runner before closing the
 * database.
 */
export function startSubgraphConsumer<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  options: { database: DatabaseHandle; logger: Logger; pollIntervalMs: number; transport?: EventTransport },
): Runner | null {
  if (!module.consumer) return null;
  return startEventRunner({
    db: options.database.db,
    consumer: module.consumer,
    transport: options.transport ?? databaseTransport(),
    logger: options.logger,
    pollIntervalMs: options.pollIntervalMs,
  });
}

/**
 * Applies every event the subgraphs' consumers have waiting, and what those
 * events cause in turn, before anything is served: used after the demo data
 * is loaded, whose seeds announce their facts as events (see `drainEvents`).
 * Same transport as the runners: the producers' outboxes in the one database.
 */
export async function drainSubgraphEvents(subgraphs: readonly { consumer?: EventConsumer; database: DatabaseHandle }[], logger?: Logger): Promise<number> {
  const transport = databaseTransport();
  return drainEvents({
    // Large batches: a history loaded at once is hundreds of events, and nobody is waiting on any one of them.
    consumers: subgraphs.flatMap(({ consumer, database }) => (consumer ? [{ db: database.db, consumer, transport, batchSize: 500, ...(logger ? { logger } : {}) }] : [])),
  });
}

/** The subgraph's connection to NATS JetStream when EVENT_TRANSPORT=nats; null for the database transport. */
export async function connectSubgraphEvents(name: SubgraphName, events: EventTransportConfig, logger: Logger): Promise<NatsEvents | null> {
  if (events.transport !== 'nats') return null;
  return connectNatsEvents({ url: events.natsUrl, name: `lianxin-${name}`, logger });
}

/** Whether `schema` has an outbox with relay positions (a producer): every subgraph has one today, and only those are relayed. */
export async function subgraphHasOutbox(database: DatabaseHandle, schema: string): Promise<boolean> {
  const [row] = await rowsOf<{ relays: string | null }>(database.db, sql`select to_regclass(${`${schema}.outbox_relays`})::text as relays`);
  return Boolean(row?.relays);
}

/**
 * Starts relaying the subgraph's outbox (`subgraphHasOutbox`) to NATS
 * JetStream, polling at `pollIntervalMs` (no commit hook wakes it). While
 * NATS is unreachable a pass does nothing, so the relay waits for the
 * reconnection instead of backing off. Stop it before closing the database
 * and the NATS connection.
 */
export function startSubgraphRelay<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  options: { database: DatabaseHandle; nats: NatsEvents; logger: Logger; pollIntervalMs: number },
): Runner {
  const relay = { db: options.database.db, schema: module.dbSchema, publisher: options.nats.publisher, name: 'nats' };
  return startPolling(`relay:${module.dbSchema}:nats`, async () => options.nats.isConnected() && (await relayOnce(relay)) > 0, {
    logger: options.logger,
    pollIntervalMs: options.pollIntervalMs,
    maxErrorDelayMs: 5000,
  });
}

/**
 * `drainSubgraphEvents` over NATS, for subgraphs on separate databases: every
 * producer's outbox is relayed to JetStream and every consumer takes what it
 * holds, round after round, until nothing moves (see `drainRelayedEvents`).
 */
export async function drainSubgraphEventsOverNats(
  subgraphs: readonly { schema: string; consumer?: EventConsumer; database: DatabaseHandle; nats: NatsEvents }[],
  logger?: Logger,
): Promise<number> {
  const producers: (typeof subgraphs)[number][] = [];
  for (const subgraph of subgraphs) if (await subgraphHasOutbox(subgraph.database, subgraph.schema)) producers.push(subgraph);
  return drainRelayedEvents({
    relays: producers.map(({ schema, database, nats }) => ({ db: database.db, schema, publisher: nats.publisher, name: 'nats', batchSize: 500 })),
    consumers: subgraphs.flatMap(({ consumer, database, nats }) =>
      consumer ? [{ db: database.db, consumer, transport: nats.transport, batchSize: 500, ...(logger ? { logger } : {}) }] : [],
    ),
  });
}

/**
 * Starts the subgraph's scheduler on its database handle, for the jobs the
 * subgraph lists; null when it has none. Every instance may start it: each
 * tick runs on one of them. Stop it before closing the database.
 */
export function startSubgraphJobs<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  options: { database: DatabaseHandle; settings: TSettings; logger: Logger; metrics?: Metrics },
): RunningJobs | null {
  const jobs = module.jobs?.({ db: options.database.db, settings: options.settings, logger: options.logger }) ?? [];
  if (jobs.length === 0) return null;
  const { metrics } = options;
  return startScheduler(options.database.db, jobs, {
    schema: module.dbSchema,
    logger: options.logger,
    ...(metrics ? { onRun: ({ job, outcome, durationMs }) => metrics.observeJobRun(module.name, job, outcome, durationMs / 1000) } : {}),
  });
}

export interface PrepareSubgraphOptions<TSettings> {
  demoData: boolean;
  settings: TSettings;
  /**
   * Whether to apply the migrations the database lacks (MIGRATE_ON_START,
   * true by default); when false the start is refused if any are missing.
   */
  migrate?: boolean;
  /** Where waiting for another instance and a newer schema are logged. */
  logger?: Logger;
}

/**
 * Applies the subgraph's migrations (or, told not to, checks that none is
 * missing) and, when asked, its demo data; then brings what it derives up to
 * date. All of it runs under the subgraph's migration lock: instances
 * starting together on an empty database would otherwise both create the
 * schema, both apply the migrations and both seed.
 */
export async function prepareSubgraph<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  database: DatabaseHandle,
  options: PrepareSubgraphOptions<TSettings>,
): Promise<void> {
  const { logger } = options;
  await database.exclusively(
    module.dbSchema,
    async () => {
      if (options.migrate ?? true) await applyMigrations(database, module);
      else await checkMigrations(database, module, (message) => logger?.warn(message));
      if (options.demoData) await module.seedDemo(database.db, options.settings);
      await module.prepare?.(database.db, options.settings);
    },
    { onWait: () => logger?.info(waitingMessage(module)) },
  );
}

/** A subgraph's executable schema: its SDL with its resolvers, enum values and scalars, and the SDL's defaults read with them. */
export function subgraphSchema(typeDefs: DocumentNode, resolvers: object): GraphQLSchema {
  return withCoercedDefaults(buildSubgraphSchema([{ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }]));
}

/** The Apollo Server of one subgraph, without HTTP: tests call `executeOperation` on it. */
export function createSubgraphServer<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  options: { logger: Logger; plugins?: ApolloServerPlugin<TContext>[] },
): ApolloServer<TContext> {
  const typeDefs: DocumentNode = parse(module.sdl);
  return new ApolloServer<TContext>({
    schema: subgraphSchema(typeDefs, module.resolvers),
    // Apollo Server's own messages (a request it could not process) go to the service's log.
    logger: options.logger,
    includeStacktraceInErrorResponses: false,
    validationRules: [knownOperationTypesRule],
    // Only the gateway talks to a subgraph, and composition reads the SDL files, not introspection.
    introspection: false,
    // Shutdown is the process's job (onShutdown): Apollo's own handler would re-raise the signal and skip a clean exit.
    stopOnTerminationSignals: false,
    // No Apollo Studio here: inline traces would only add bytes to every response.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // No field of a subgraph declares a cache hint, and the cache-control plugin wraps every resolver to compute
      // the policy: off, with the answer it always gave (no-store) sent by the HTTP entrance (graphql-http.ts).
      ApolloServerPluginCacheControlDisabled(),
      errorMaskingPlugin<TContext>({ logger: options.logger }),
      ...(options.plugins ?? []),
    ],
  });
}

export interface RunningServer {
  /** Where GraphQL is served, e.g. `http://127.0.0.1:4001/graphql`. */
  url: string;
  /** Base URL, e.g. `http://127.0.0.1:4001`. */
  origin: string;
  /** Stops accepting requests and waits for those in flight. */
  close: () => Promise<void>;
}

/** Starts `server` listening on `host:port` (0 picks a free port). */
export async function listen(server: http.Server, host: string, port: number, portVariable = 'PORT'): Promise<{ origin: string; url: string }> {
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new StartupError(`cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'} (set ${portVariable} to change it)`)
          : error,
      );
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const origin = `http://${reachable}:${address.port}`;
  return { origin, url: `${origin}/graphql` };
}

export interface StartSubgraphOptions<TSettings> {
  database: DatabaseHandle;
  /** Where statistics read (`openAnalyticsDatabase`); the caller closes it after the subgraph stops. */
  analytics: DatabaseHandle;
  /** The smallest count a sensitive statistic publishes (ANALYTICS_MIN_CELL, `AnalyticsConfig.minCell`). */
  analyticsMinCell: number;
  /** The module's settings, as read by `module.settings(env)`. */
  settings: TSettings;
  viewerTokenSecret: string;
  logger: Logger;
  host?: string;
  port?: number;
  /** Extra routes (e.g. webhooks) mounted before `/graphql`. */
  routes?: (app: express.Express) => void;
  /** The subgraph's tracer (`Tracing.tracer`): a span per `/graphql` request, child of the gateway's fetch; undefined when tracing is off. */
  tracer?: Tracer | undefined;
  /** Where its requests, pools and inbox are counted (served on METRICS_PORT by whoever runs it); none when absent. */
  metrics?: Metrics;
}

/** Runs one subgraph over HTTP. */
export async function startSubgraph<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  options: StartSubgraphOptions<TSettings>,
): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer();
  // Reuse connections from the gateway instead of a TCP handshake per fetch.
  httpServer.keepAliveTimeout = 65_000;
  const { metrics } = options;
  // The plugin fills in what the request's log line (and its metrics, when counted) say about the operation.
  const server = createSubgraphServer(module, { logger: options.logger, plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), operationRecordPlugin<TContext>()] });
  await server.start();
  if (metrics) {
    metrics.watchPool(module.name, 'main', options.database);
    if (options.analytics !== options.database && options.analytics.pool !== options.database.pool) metrics.watchPool(module.name, 'analytics', options.analytics);
    if (module.consumer) metrics.watchEvents(options.database.db, module.consumer.schema, Object.keys(module.consumer.handlers));
  }

  const verifyViewer = viewerTokenVerifier(options.viewerTokenSecret);
  const stopping = new AbortController();
  healthRoutes(app, module.name, options.database.ping);
  module.routes?.(app, {
    db: options.database.db,
    settings: options.settings,
    logger: options.logger,
    verifyViewer,
    listen: (channel, listener) => options.database.listen(channel, listener),
    stopping: stopping.signal,
  });
  options.routes?.(app);
  // `/graphql` is served without express (graphql-http.ts); express keeps the health checks and the subgraph's own routes.
  const graphql = graphqlEntrance<TContext>({
    server,
    service: module.name,
    logger: options.logger,
    tracer: options.tracer,
    metrics,
    verifyViewer,
    maxBodyBytes: MAX_BODY_BYTES,
    context: (viewer, trace, record) => {
      const logger = options.logger.child({ traceId: trace });
      const context = module.createContext(
        { viewer, traceId: trace, logger, analytics: options.analytics.db, analyticsMinCell: options.analyticsMinCell },
        options.database.db,
        options.settings,
      );
      // What the request's log line and metrics say about the operation, filled in by operationRecordPlugin.
      return withRequestRecord(context, record);
    },
  });
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isGraphqlPath(req.url)) graphql(req, res);
    else void app(req, res);
  });
  app.use(notFound);
  app.use(jsonErrors(options.logger));

  const { origin, url } = await listen(httpServer, options.host ?? '127.0.0.1', options.port ?? 0, `${module.name.toUpperCase()}_PORT`);
  options.logger.info({ url }, `${module.name} subgraph ready`);
  return {
    url,
    origin,
    close: () => {
      // Long-lived responses (streams) end first, so draining waits only for ordinary requests.
      stopping.abort();
      return server.stop();
    },
  };
}
