/**
 * The whole graph on a fresh real-Postgres database, for end-to-end tests
 * through the gateway's HTTP endpoint, the way clients use it.
 */
import { mintDevToken, type DevTokenRequest } from '@lianxin/gateway';
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { drainSubgraphEvents, loadSubgraphConfig, openDatabase } from '@lianxin/shared';
import { createTestDatabase, prepareSubgraphAt, settingsDigest, type DatabaseShape, type TestDatabase } from '@lianxin/shared/testing';
import { startGraph, type RunningGraph, type StartGraphOptions } from '../../scripts/graph.js';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGraph {
  graph: RunningGraph;
  url: string;
  /** The database every subgraph of the graph uses. */
  databaseUrl: string;
  /** A dev token the gateway accepts. */
  token(request: DevTokenRequest): Promise<string>;
  /** POSTs one operation to the gateway, optionally as the bearer of `token`. */
  query<TData = Record<string, unknown>>(
    query: string,
    options?: { variables?: Record<string, unknown>; token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<TData>>;
  stop(): Promise<void>;
}

/**
 * Rate limits are off unless a test turns them on: a suite sends more
 * requests from one address in a minute than any client should.
 */
const NO_RATE_LIMITS = { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0', RATE_LIMIT_MERCHANT_PER_MINUTE: '0', RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0' };

/**
 * The four subgraphs migrated into one database in the order `startGraph`
 * runs them, with the demo data unless DEMO_DATA turns it off, and the demo's
 * events applied as `startGraph` applies them.
 */
export function graphShape(env: NodeJS.ProcessEnv): DatabaseShape {
  const demoData = loadSubgraphConfig('people', env).demoData;
  // People's seeds seal ID numbers with its keys: a copy is shared only by graphs with the same people settings.
  return {
    name: `graph_${demoData ? 'demo' : 'bare'}_${settingsDigest(peopleSubgraph.settings(env))}`,
    async build(url) {
      await prepareSubgraphAt(peopleSubgraph, url, { demoData, settings: peopleSubgraph.settings(env) });
      await prepareSubgraphAt(requestsSubgraph, url, { demoData, settings: requestsSubgraph.settings(env) });
      await prepareSubgraphAt(pointsSubgraph, url, { demoData, settings: pointsSubgraph.settings(env) });
      await prepareSubgraphAt(recognitionSubgraph, url, { demoData, settings: recognitionSubgraph.settings(env) });
      if (!demoData) return;
      const database = await openDatabase({ url, poolSize: 2 });
      try {
        await drainSubgraphEvents([peopleSubgraph, requestsSubgraph, pointsSubgraph, recognitionSubgraph].map((module) => ({ consumer: module.consumer, database })));
      } finally {
        await database.close();
      }
    },
  };
}

export async function startTestGraph(overrides: NodeJS.ProcessEnv = {}, options: StartGraphOptions = {}): Promise<TestGraph> {
  let database: TestDatabase | null = null;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DEMO_DATA: 'true', ...NO_RATE_LIMITS, ...overrides };
  if (!('DATABASE_URL' in overrides)) {
    database = await createTestDatabase('e2e', graphShape(env));
    env['DATABASE_URL'] = database.url;
    // The copy holds the demo data already (when asked for): seeding again at start would change nothing.
    env['DEMO_DATA'] = 'false';
  }
  const graph = await startGraph(env, options);
  const { auth } = graph.gatewayConfig;
  if (auth.kind !== 'dev-secret') throw new Error('end-to-end tests run with the dev secret');
  return {
    graph,
    url: graph.gatewayUrl,
    databaseUrl: env['DATABASE_URL'] ?? '',
    token: (request) => mintDevToken(request, auth),
    async query(query, { variables, token, headers = {} } = {}) {
      const response = await fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    async stop() {
      await graph.close();
      await database?.drop();
    },
  };
}
