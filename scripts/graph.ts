/**
 * Runs the whole graph in one process: the four subgraphs (each on its own
 * database handle, which in embedded mode is one shared PGlite) on loopback
 * ports, and the gateway in front of them. Used by `npm start` and by the
 * end-to-end tests.
 */
import { readFile } from 'node:fs/promises';
import { loadGatewayConfig, startGateway, type GatewayConfig } from '@lianxin/gateway';
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import {
  createLogger,
  loadSubgraphConfig,
  openDatabase,
  prepareSubgraph,
  startSubgraph,
  type BaseContext,
  type DatabaseHandle,
  type Logger,
  type RunningServer,
  type SubgraphModule,
  type SubgraphName,
} from '@lianxin/shared';

/** One running subgraph. `server` is replaced when the subgraph is restarted. */
export interface RunningSubgraph {
  server: RunningServer;
  database: DatabaseHandle;
  /** Stops serving (in-flight requests drain); the database stays open for a restart. */
  stop(): Promise<void>;
  /** Serves again on the same port, as a redeployed subgraph would. */
  restart(): Promise<void>;
}

export interface RunningGraph {
  gatewayUrl: string;
  gatewayConfig: GatewayConfig;
  gateway: RunningServer;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  /** Stops the gateway first, then the subgraphs, then closes the databases. */
  close(): Promise<void>;
}

export interface StartGraphOptions {
  /** Where every service logs; by default a pino logger on standard output at LOG_LEVEL. */
  logger?: Logger;
}

/** Starts one subgraph on a loopback port the system picks. */
async function startOne<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<RunningSubgraph> {
  const config = loadSubgraphConfig(module.name, env);
  const settings = module.settings(env);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, applicationName: `lianxin-${module.name}` });
  const serve = (port: number) =>
    startSubgraph(module, {
      database,
      settings,
      viewerTokenSecret: config.viewerTokenSecret,
      logger: logger.child({ service: module.name }),
      host: '127.0.0.1',
      port,
    });
  try {
    await prepareSubgraph(module, database, { demoData: config.demoData, settings });
    let server = await serve(0);
    let serving = true;
    const running: RunningSubgraph = {
      server,
      database,
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
    await database.close();
    throw error;
  }
}

export async function startGraph(env: NodeJS.ProcessEnv = process.env, options: StartGraphOptions = {}): Promise<RunningGraph> {
  const gatewayConfig = loadGatewayConfig(env);
  const logger = options.logger ?? createLogger('lianxin', gatewayConfig.logLevel);
  // One after another: on a fresh database each applies its migrations before the next starts.
  const people = await startOne(peopleSubgraph, env, logger);
  const requests = await startOne(requestsSubgraph, env, logger);
  const points = await startOne(pointsSubgraph, env, logger);
  const recognition = await startOne(recognitionSubgraph, env, logger);
  const subgraphs = { people, requests, points, recognition };
  const config: GatewayConfig = {
    ...gatewayConfig,
    subgraphUrls: {
      people: people.server.url,
      requests: requests.server.url,
      points: points.server.url,
      recognition: recognition.server.url,
    },
  };
  const supergraphSdl = await readFile(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8');
  const gateway = await startGateway({ config, supergraphSdl, logger: logger.child({ service: 'gateway' }) });
  return {
    gatewayUrl: gateway.url,
    gatewayConfig: config,
    gateway,
    subgraphs,
    async close() {
      await gateway.close();
      for (const subgraph of Object.values(subgraphs)) {
        await subgraph.stop();
        await subgraph.database.close();
      }
    },
  };
}
