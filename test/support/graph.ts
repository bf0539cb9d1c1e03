/**
 * The whole graph on a fresh real-Postgres database, for end-to-end tests
 * through the gateway's HTTP endpoint, the way clients use it.
 */
import { mintDevToken, type DevTokenRequest } from '@lianxin/gateway';
import type { Logger } from '@lianxin/shared';
import { createTestDatabase, type TestDatabase } from '@lianxin/shared/testing';
import { startGraph, type RunningGraph } from '../../scripts/graph.js';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGraph {
  graph: RunningGraph;
  url: string;
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

export async function startTestGraph(overrides: NodeJS.ProcessEnv = {}, options: { logger?: Logger } = {}): Promise<TestGraph> {
  let database: TestDatabase | null = null;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DEMO_DATA: 'true', ...NO_RATE_LIMITS, ...overrides };
  if (!('DATABASE_URL' in overrides)) {
    database = await createTestDatabase('e2e');
    env['DATABASE_URL'] = database.url;
  }
  const graph = await startGraph(env, options);
  const { auth } = graph.gatewayConfig;
  if (auth.kind !== 'dev-secret') throw new Error('end-to-end tests run with the dev secret');
  return {
    graph,
    url: graph.gatewayUrl,
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
