/**
 * Hive Gateway (npm `@graphql-hive/gateway`) in front of the same subgraphs,
 * for `npm run bench`'s comparison: the supergraph our gateway serves, the
 * viewer-token step as a plugin (bench/hive-gateway.ts), in a Node process of
 * its own so that its CPU can be counted by pid, on a free loopback port.
 *
 * What runs per request on each side, so that the comparison is fair:
 * - both: bearer token verified with our authenticator (each distinct token
 *   once, then remembered), a new trace id sent to every subgraph and back to
 *   the client, the signed viewer token (and nothing the client sent) on
 *   every subgraph fetch, parsed and validated documents and query plans
 *   cached by document, errors masked, no landing page or explorer work;
 *   in-flight de-duplication of identical subgraph fetches on or off as
 *   asked (Hive: its HTTP transport's `deduplicateInflightRequests`; ours:
 *   SUBGRAPH_FETCH_DEDUPE), keyed by the viewer token among the rest;
 * - ours only: the request log (silent in the benchmark), rate-limit
 *   bookkeeping (the benchmark sets the limits to 0), the query limits
 *   (depth, aliases, directives, tokens, characters, cost), the trusted and
 *   persisted document checks, the NUL check, CSRF and CORS policy, and a
 *   deadline on every subgraph fetch. None of these is turned on in Hive,
 *   so any difference they make counts against ours;
 * - Hive only: nothing we know of beyond its defaults (its subgraph-error
 *   annotations, health check route); its logging, landing page, GraphiQL,
 *   request-id plugin (replaced by the plugin's trace id), usage reporting,
 *   batching and inbound (whole-request) de-duplication are off.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGatewayConfig, type GatewayConfig, type TokenVerification } from '@lianxin/gateway';
import type { SubgraphName } from '@lianxin/shared';
import { freePort } from '@lianxin/shared/testing';

export interface RunningHiveGateway {
  /** Its GraphQL endpoint. */
  url: string;
  /** Its process, for CPU accounting. */
  pid: number;
  /** Stops the process and waits for it to exit. */
  close(): Promise<void>;
}

export interface HiveGatewayOptions {
  /** Where each subgraph answers (a running graph's `gatewayConfig.subgraphUrls`). */
  subgraphUrls: Record<SubgraphName, string>;
  /** How client tokens are verified: the same as our gateway's. */
  auth: GatewayConfig['auth'];
  /** Hive's in-flight de-duplication of identical subgraph fetches: on is its default. */
  dedupe: boolean;
  /** The environment the viewer-token secret and the supergraph's path are read from (as our gateway reads them); process.env by default. */
  env?: NodeJS.ProcessEnv | undefined;
}

/** What the child process is told over its IPC channel (not in its environment or arguments, where the secrets would show). */
export interface HiveGatewaySettings {
  port: number;
  /** The supergraph's SDL file, absolute. */
  supergraphPath: string;
  subgraphUrls: Record<SubgraphName, string>;
  auth: TokenVerification;
  viewerTokenSecret: string;
  dedupe: boolean;
}

/** What the child process says back. */
export type HiveGatewayMessage = { ready: true } | { failed: string };

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = fileURLToPath(new URL('./hive-gateway.ts', import.meta.url));

/** Hive Gateway loads a few hundred modules on its first start on a busy machine. */
const START_TIMEOUT_MS = 120_000;

export async function startHiveGateway(options: HiveGatewayOptions): Promise<RunningHiveGateway> {
  const env = options.env ?? process.env;
  const config = loadGatewayConfig(env);
  const port = await freePort();
  const settings: HiveGatewaySettings = {
    port,
    // Relative to the repository, as `npm start` and `npm run start:gateway` read it from there.
    supergraphPath: path.resolve(ROOT, config.supergraphPath),
    subgraphUrls: options.subgraphUrls,
    auth: options.auth,
    viewerTokenSecret: config.viewerTokenSecret,
    dedupe: options.dedupe,
  };
  // Hive reads LOG_LEVEL too, and refuses our `silent`: its logging is off in the settings instead.
  const childEnv: NodeJS.ProcessEnv = { ...env };
  delete childEnv['LOG_LEVEL'];
  const child = spawn(process.execPath, ['--conditions=@lianxin/source', '--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Hive Gateway did not start in ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const settle = (error?: Error) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      const onMessage = (message: HiveGatewayMessage) => settle('ready' in message ? undefined : new Error(`Hive Gateway failed to start: ${message.failed}`));
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => settle(new Error(`Hive Gateway exited before it was ready (${signal ?? `code ${code}`})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.once('error', (error) => settle(error));
      child.send(settings);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error('Hive Gateway has no pid');
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.pid, close: stop };
}
