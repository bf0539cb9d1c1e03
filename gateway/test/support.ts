/**
 * The gateway alone, on the real supergraph, with no subgraph behind it:
 * enough for everything decided before a subgraph is asked (identity, rate
 * limits, query limits, introspection), and for what happens when none answers.
 */
import { readFile } from 'node:fs/promises';
import { createLogger, type Logger, type RunningServer } from '@lianxin/shared';
import { loadGatewayConfig, startGateway, type GatewayConfig } from '../src/index.js';

const supergraph = new URL('../../schema/supergraph.graphql', import.meta.url);

export interface LoneGateway {
  server: RunningServer;
  config: GatewayConfig;
  /** POSTs one operation; returns status, headers and the parsed body. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: GraphQLBody }>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Subgraph URLs on a port nothing listens on: every fetch is refused. */
const NOWHERE = Object.fromEntries(['PEOPLE', 'REQUESTS', 'POINTS', 'RECOGNITION'].map((name) => [`${name}_URL`, 'http://127.0.0.1:9/graphql']));

export async function startLoneGateway(env: NodeJS.ProcessEnv = {}, logger: Logger = createLogger('gateway', 'silent')): Promise<LoneGateway> {
  const config = loadGatewayConfig({ PORT: '0', HOST: '127.0.0.1', ...NOWHERE, ...env });
  const server = await startGateway({ config, supergraphSdl: await readFile(supergraph, 'utf8'), logger });
  return {
    server,
    config,
    async post(body, headers = {}) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLBody };
    },
  };
}
