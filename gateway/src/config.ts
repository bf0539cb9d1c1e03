/** Gateway configuration from the environment (see the README's table). */
import { z } from 'zod';
import {
  ConfigError,
  DEFAULT_PORTS,
  SUBGRAPH_NAMES,
  baseEnvironment,
  parseEnvironment,
  portSchema,
  viewerTokenSecret,
  type SubgraphName,
} from '@lianxin/shared';

/** The development-only secret that signs and verifies `npm run token` tokens. */
export const DEV_AUTH_SECRET = 'lianxin-dev-auth-secret-do-not-use-in-production';
export const DEV_ISSUER = 'lianxin-dev';
export const DEFAULT_AUDIENCE = 'lianxin';

const gatewayEnvironment = baseEnvironment.extend({
  PORT: portSchema.default(DEFAULT_PORTS.gateway),
  SUPERGRAPH_PATH: z.string().min(1).default('schema/supergraph.graphql'),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  AUTH_DEV_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PEOPLE_URL: z.string().url().optional(),
  REQUESTS_URL: z.string().url().optional(),
  POINTS_URL: z.string().url().optional(),
  RECOGNITION_URL: z.string().url().optional(),
});

/** How the gateway checks the bearer tokens clients send. */
export type TokenVerification =
  | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string }
  | { kind: 'dev-secret'; secret: string; issuer: string; audience: string };

export interface GatewayConfig {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: z.infer<typeof baseEnvironment>['LOG_LEVEL'];
  host: string;
  port: number;
  supergraphPath: string;
  auth: TokenVerification;
  viewerTokenSecret: string;
  /** Where each subgraph answers; defaults to its own port on this host. */
  subgraphUrls: Record<SubgraphName, string>;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = parseEnvironment(gatewayEnvironment, env);
  const production = parsed.NODE_ENV === 'production';
  let auth: TokenVerification;
  if (parsed.AUTH_JWKS_URL) {
    if (!parsed.AUTH_ISSUER) throw new ConfigError('invalid configuration: AUTH_ISSUER: required with AUTH_JWKS_URL');
    auth = { kind: 'jwks', jwksUrl: parsed.AUTH_JWKS_URL, issuer: parsed.AUTH_ISSUER, audience: parsed.AUTH_AUDIENCE };
  } else {
    // A shared secret is fine for a laptop and fatal in production: there, only the identity provider's keys count.
    if (production) throw new ConfigError('invalid configuration: AUTH_JWKS_URL: required when NODE_ENV=production');
    auth = {
      kind: 'dev-secret',
      secret: parsed.AUTH_DEV_SECRET ?? DEV_AUTH_SECRET,
      issuer: parsed.AUTH_ISSUER ?? DEV_ISSUER,
      audience: parsed.AUTH_AUDIENCE,
    };
  }
  const urls = {
    people: parsed.PEOPLE_URL,
    requests: parsed.REQUESTS_URL,
    points: parsed.POINTS_URL,
    recognition: parsed.RECOGNITION_URL,
  };
  const subgraphUrls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, urls[name] ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`]),
  ) as Record<SubgraphName, string>;
  return {
    nodeEnv: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    host: parsed.HOST,
    port: parsed.PORT,
    supergraphPath: parsed.SUPERGRAPH_PATH,
    auth,
    viewerTokenSecret: viewerTokenSecret(parsed),
    subgraphUrls,
  };
}
