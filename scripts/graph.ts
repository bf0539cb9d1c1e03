/**
 * Runs the whole graph in one process: the four subgraphs (each on its own
 * database handle, which in embedded mode is one shared PGlite) on loopback
 * ports, and the gateway in front of them. Used by `npm start` and by the
 * end-to-end tests.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadGatewayConfig, startGateway, type GatewayConfig } from '@lianxin/gateway';
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import {
  connectSubgraphEvents,
  Metrics,
  createLogger,
  drainSubgraphEvents,
  drainSubgraphEventsOverNats,
  loadSubgraphConfig,
  openAnalyticsDatabase,
  openDatabase,
  prepareSubgraph,
  startSubgraph,
  startSubgraphConsumer,
  startSubgraphJobs,
  startSubgraphRelay,
  subgraphHasOutbox,
  startTracing,
  type BaseContext,
  type DatabaseHandle,
  type Logger,
  type NatsEvents,
  startMetricsServer,
  type MetricsListenerConfig,
  type MetricsServer,
  type Runner,
  type RunningJobs,
  type RunningServer,
  type SubgraphModule,
  type SubgraphName,
  type Tracer,
  type Tracing,
} from '@lianxin/shared';
import { embeddedDemoFolder, markEmbeddedDemo, planEmbeddedDemo, type EmbeddedDemoPlan } from './embedded-demo.js';
import { REPOSITORY_ROOT } from './root.js';

/** One running subgraph. `server` is replaced when the subgraph is restarted. */
export interface RunningSubgraph {
  server: RunningServer;
  database: DatabaseHandle;
  /** Where its statistics read: ANALYTICS_DATABASE_URL's replica, or a small pool of its own on `database` (the same handle on PGlite). */
  analytics: DatabaseHandle;
  /** Stops serving (in-flight requests drain); the database stays open for a restart. */
  stop(): Promise<void>;
  /** Serves again on the same port, as a redeployed subgraph would. */
  restart(): Promise<void>;
  /**
   * Its event runner, when it consumes events and EVENT_RUNNERS is not off
   * (with EVENT_TRANSPORT=nats, together with the relay of its outbox to
   * JetStream): `stop()` halts it between transactions and `start()` resumes
   * it, as a consumer that was down and comes back would.
   */
  events: SubgraphEvents | null;
  /** Its connection to NATS JetStream when EVENT_TRANSPORT=nats, closed after its database. */
  nats: NatsEvents | null;
  /** Its periodic jobs (sweeps), started with the graph once every subgraph is up; they run whether or not the subgraph serves. */
  jobs: SubgraphJobs;
}

export interface SubgraphJobs {
  start(): void;
  /** Cancels the next runs and waits for those in flight. */
  stop(): Promise<void>;
}

export interface SubgraphEvents {
  /** Looks for events now instead of after the poll interval. */
  wake(): void;
  stop(): Promise<void>;
  start(): void;
}

export interface RunningGraph {
  gatewayUrl: string;
  gatewayConfig: GatewayConfig;
  gateway: RunningServer;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  /** The process's metrics, every service's series labelled with its name. */
  metrics: Metrics;
  /** Where they are served, when `metricsListener` asked for a listener (and it could listen). */
  metricsUrl: string | null;
  /** Stops the gateway first, then the event runners and periodic jobs, then the subgraphs, then closes the databases (statistics handles first). */
  close: () => Promise<void>;
}

export interface StartGraphOptions {
  /** Where every service logs; by default a pino logger on standard output at LOG_LEVEL. */
  logger?: Logger;
  /**
   * Where every service's spans go, each under its own `lianxin-<service>`
   * name (OTEL_SERVICE_NAME names a process of one service); by default
   * OTEL_EXPORTER_OTLP_ENDPOINT's collector, or none. The graph shuts down
   * only the tracing it started.
   */
  tracing?: Tracing;
  /** Serves the metrics of the whole graph on this port (`npm start`: METRICS_PORT); none without it. */
  metricsListener?: MetricsListenerConfig | null;
}

/** How the embedded start gets its demo, when it has one (`planEmbeddedDemo`): the seeds run only for `load`. */
interface StartOneOptions {
  demo: EmbeddedDemoPlan | null;
}

/** Starts one subgraph on a loopback port the system picks. */
async function startOne<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  env: NodeJS.ProcessEnv,
  logger: Logger,
  tracer: Tracer | undefined,
  metrics: Metrics,
  { demo }: StartOneOptions,
): Promise<RunningSubgraph> {
  const config = loadSubgraphConfig(module.name, env);
  const settings = module.settings(env);
  const serviceLogger = logger.child({ service: module.name });
  const database = await openDatabase({
    url: config.databaseUrl,
    directUrl: config.databaseDirectUrl,
    preparedStatements: config.preparedStatements,
    dataDir: config.dataDir,
    embeddedSnapshot: demo?.kind === 'snapshot' ? demo.snapshot : undefined,
    applicationName: `lianxin-${module.name}`,
    tracer,
  });
  let analytics: DatabaseHandle | null = null;
  let nats: NatsEvents | null = null;
  try {
    // Migrations are still checked (and applied) on a snapshot's database or a marked one: the mark covers the seeds.
    const demoData = config.demoData && (demo === null || demo.kind === 'load');
    await prepareSubgraph(module, database, { demoData, settings, migrate: config.migrateOnStart, logger: serviceLogger });
    nats = await connectSubgraphEvents(module.name, config.events, serviceLogger);
    const producer = nats !== null && (await subgraphHasOutbox(database, module.dbSchema));
    const opened = await openAnalyticsDatabase(database, {
      mainUrl: config.databaseUrl,
      config: config.analytics,
      applicationName: `lianxin-${module.name}`,
      preparedStatements: config.preparedStatements,
      tracer,
    });
    analytics = opened;
    const serve = (port: number) =>
      startSubgraph(module, {
        database,
        analytics: opened,
        analyticsMinCell: config.analytics.minCell,
        settings,
        viewerTokenSecret: config.viewerTokenSecret,
        logger: serviceLogger,
        host: '127.0.0.1',
        port,
        tracer,
        metrics,
      });
    let server = await serve(0);
    let serving = true;
    const running: RunningSubgraph = {
      server,
      database,
      analytics: opened,
      events:
        (module.consumer || producer) && config.eventRunners
          ? consumerControl(() => startEventRunners(module, { database, nats, producer, logger: serviceLogger, pollIntervalMs: config.eventPollIntervalMs }))
          : null,
      nats,
      jobs: jobsControl(() => (config.scheduler ? startSubgraphJobs(module, { database, settings, logger: serviceLogger, metrics }) : null)),
      async stop() {
        if (!serving) return;
        serving = false;
        await server.close();
      },
      async restart() {
        if (serving) return;
        server = await serve(Number(new URL(server.origin).port));
        running.server = server;
        serving = true;
      },
    };
    return running;
  } catch (error) {
    await analytics?.close();
    await database.close();
    await nats?.close();
    throw error;
  }
}

/** The subgraph's consumer and, over NATS, the relay of its outbox: one runner to wake and stop. */
function startEventRunners<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  options: { database: DatabaseHandle; nats: NatsEvents | null; producer: boolean; logger: Logger; pollIntervalMs: number },
): Runner {
  const { database, nats, logger, pollIntervalMs } = options;
  const relay = nats && options.producer ? startSubgraphRelay(module, { database, nats, logger, pollIntervalMs }) : null;
  const consumer = startSubgraphConsumer(module, { database, logger, pollIntervalMs, ...(nats ? { transport: nats.transport } : {}) });
  return {
    wake() {
      relay?.wake();
      consumer?.wake();
    },
    async stop() {
      await consumer?.stop();
      await relay?.stop();
    },
  };
}

/** Something stopped that `start()` launches once and `stop()` stops, waiting for its work in flight. */
function controlOf<T extends { stop(): Promise<void> }>(launch: () => T | null): SubgraphJobs & { current(): T | null } {
  let running: T | null = null;
  return {
    start() {
      running ??= launch();
    },
    async stop() {
      const stopping = running;
      running = null;
      await stopping?.stop();
    },
    current: () => running,
  };
}

/** A stopped event runner that `start()` launches; the runner reads other subgraphs' outboxes, so it starts once all are migrated. */
function consumerControl(launch: () => Runner | null): SubgraphEvents {
  const control = controlOf(launch);
  return { ...control, wake: () => control.current()?.wake() };
}

/** Periodic jobs that `start()` launches, like the event runners once every subgraph has started. */
function jobsControl(launch: () => RunningJobs | null): SubgraphJobs {
  return controlOf(launch);
}

export async function startGraph(env: NodeJS.ProcessEnv = process.env, options: StartGraphOptions = {}): Promise<RunningGraph> {
  const gatewayConfig = loadGatewayConfig(env);
  const logger = options.logger ?? createLogger('lianxin', gatewayConfig.logLevel);
  const tracing = options.tracing ?? (await startTracing({ endpoint: gatewayConfig.tracing.endpoint }));
  const tracerOf = (service: SubgraphName) => tracing.tracer(`lianxin-${service}`);
  // One registry for the process, as one process serves every service here; Node's own figures only when served
  // (a test run starts many graphs in one process, and each set of them watches the event loop and the collector).
  const metrics = new Metrics({ defaultMetrics: Boolean(options.metricsListener) });
  // First, so a port that cannot be had stops the start before anything runs.
  const metricsServer: MetricsServer | null = options.metricsListener
    ? await startMetricsServer(metrics, { host: gatewayConfig.host, listener: options.metricsListener, logger })
    : null;
  // On the embedded database the demo may come ready-made (scripts/embedded-demo.ts).
  const demoFolder = embeddedDemoFolder(env);
  const demo = demoFolder === null ? null : await planEmbeddedDemo(demoFolder, env);
  // One after another: on a fresh database each applies its migrations before the next starts.
  const people = await startOne(peopleSubgraph, env, logger, tracerOf('people'), metrics, { demo });
  const requests = await startOne(requestsSubgraph, env, logger, tracerOf('requests'), metrics, { demo });
  const points = await startOne(pointsSubgraph, env, logger, tracerOf('points'), metrics, { demo });
  const recognition = await startOne(recognitionSubgraph, env, logger, tracerOf('recognition'), metrics, { demo });
  const subgraphs = { people, requests, points, recognition };
  // The demo's seeds announce their facts as events; what others derive from them (deposits, badges, tallies, the
  // inbox) is applied before the first answer, so the demo tells one story from the start. A snapshot holds them
  // applied, and a marked folder had them applied when it was loaded.
  if (loadSubgraphConfig('people', env).demoData && (demo === null || demo.kind === 'load')) await drainDemoEvents(subgraphs, logger);
  if (demoFolder !== null && demo !== null && demo.kind !== 'loaded') await markEmbeddedDemo(demoFolder, demo.stamp);
  for (const subgraph of Object.values(subgraphs)) {
    subgraph.events?.start();
    subgraph.jobs.start();
  }
  const config: GatewayConfig = {
    ...gatewayConfig,
    subgraphUrls: {
      people: people.server.url,
      requests: requests.server.url,
      points: points.server.url,
      recognition: recognition.server.url,
    },
  };
  const supergraphSdl = await readFile(path.join(REPOSITORY_ROOT, 'schema', 'supergraph.graphql'), 'utf8');
  // The global provider is the gateway's: Apollo Gateway's own spans (validate, plan, execute, fetch) are the gateway's.
  const tracer = tracing.tracer('lianxin-gateway', { global: true });
  const gateway = await startGateway({ config, supergraphSdl, logger: logger.child({ service: 'gateway' }), tracer, metrics });
  return {
    gatewayUrl: gateway.url,
    gatewayConfig: config,
    gateway,
    subgraphs,
    metrics,
    metricsUrl: metricsServer?.url ?? null,
    async close() {
      await gateway.close();
      await metricsServer?.close();
      for (const subgraph of Object.values(subgraphs)) await subgraph.events?.stop();
      for (const subgraph of Object.values(subgraphs)) await subgraph.jobs.stop();
      for (const subgraph of Object.values(subgraphs)) {
        await subgraph.stop();
        await subgraph.analytics.close();
        await subgraph.database.close();
      }
      // NATS last: nothing that could still relay or acknowledge is left.
      for (const subgraph of Object.values(subgraphs)) await subgraph.nats?.close();
      if (!options.tracing) await tracing.shutdown();
    },
  };
}

/**
 * Applies what the demo's seeds announced: through the producers' outboxes in
 * the one database, or over NATS (every outbox relayed, then every consumer
 * fed from JetStream) when the subgraphs use it.
 */
async function drainDemoEvents(subgraphs: Record<SubgraphName, RunningSubgraph>, logger: Logger): Promise<void> {
  const modules = [peopleSubgraph, requestsSubgraph, pointsSubgraph, recognitionSubgraph];
  const running = modules.map((module) => ({ module, subgraph: subgraphs[module.name] }));
  const nats = running.flatMap(({ module, subgraph }) =>
    subgraph.nats ? [{ schema: module.dbSchema, consumer: module.consumer, database: subgraph.database, nats: subgraph.nats }] : [],
  );
  if (nats.length > 0) {
    await drainSubgraphEventsOverNats(nats, logger);
    return;
  }
  await drainSubgraphEvents(
    running.map(({ module, subgraph }) => ({ consumer: module.consumer, database: subgraph.database })),
    logger,
  );
}
