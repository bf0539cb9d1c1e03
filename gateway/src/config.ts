/** Gateway configuration from the environment (see the README's table). */
import { z } from 'zod';
import {
  ConfigError,
  DEFAULT_PORTS,
  SUBGRAPH_NAMES,
  baseEnvironment,
  booleanFlag,
  metricsListenerOf,
  parseEnvironment,
  portSchema,
  tracingConfig,
  viewerTokenSecret,
  type SubgraphName,
  type TracingConfig,
  type MetricsListenerConfig,
} from '@lianxin/shared';
import { DEFAULT_CORS_MAX_AGE_SECONDS, corsOrigins, type CorsPolicy } from './cors.js';
import type { TrustedDocumentsConfig } from './trusted-documents.js';

/** The development-only secret that signs and verifies `npm run token` tokens. */
export const DEV_AUTH_SECRET = 'lianxin-dev-auth-secret-do-not-use-in-production';
export const DEV_ISSUER = 'lianxin-dev';
export const DEFAULT_AUDIENCE = 'lianxin';
/**
 * The longest lifetime (`exp` − `iat`) of a client token the gateway accepts:
 * a day covers a shift and a till's working day, and bounds how long a stolen
 * token is worth anything.
 */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

/** Limits on one GraphQL document (docs/gateway.md explains each). */
export interface QueryLimits {
  /** Nesting of fields, fragments counted as a level. */
  depth: number;
  /** Aliased fields (`a: field`), `__typename` aside. */
  aliases: number;
  /** Directives used anywhere in the operation. */
  directives: number;
  /** Lexical tokens of the whole document. */
  tokens: number;
  /** Characters of the query text. */
  characters: number;
  /** Estimated fields the response may hold, lists counted at their page size. */
  cost: number;
}

export const DEFAULT_LIMITS: QueryLimits = { depth: 10, aliases: 20, directives: 20, tokens: 2_000, characters: 15_000, cost: 10_000 };

/** Requests per minute per client; 0 turns a class off. */
export interface RateLimits {
  /** Per client IP address, for callers without a token. */
  anonymous: number;
  /** Per partner merchant, for merchant client-credential tokens. */
  merchant: number;
  /** Per token subject, for everyone else who is signed in. */
  signedIn: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { anonymous: 300, merchant: 600, signedIn: 1_200 };

export const DEFAULT_REDIS_KEY_PREFIX = 'lianxin:';

/** Where rate limits are shared between gateways; null counts them in this process's memory. */
export interface RateLimitStore {
  url: string;
  keyPrefix: string;
}

/**
 * How long an idle client connection is kept open: longer than the idle
 * timeouts of common load balancers and proxies (60 s for AWS's, 60–75 s for
 * nginx's defaults), so the gateway is never the side that closes a
 * connection a balancer is about to reuse.
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 75_000;

const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const perMinute = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/**
 * express's `trust proxy`: `true`/`false`, a number of proxy hops, or a
 * comma-separated list of addresses and subnets (`loopback`, `10.0.0.0/8`).
 */
const trustProxy = z
  .string()
  .regex(/^(true|false|\d+|[\w.:/-]+(\s*,\s*[\w.:/-]+)*)$/, 'give true, false, a number of hops or a list of addresses')
  .transform((value): boolean | number | string[] => {
    if (value === 'true' || value === 'false') return value === 'true';
    if (/^\d+$/.test(value)) return Number(value);
    return value.split(',').map((part) => part.trim());
  });

/** Every variable the gateway reads (exported so the deployment manifests' check can list them). */
export const gatewayEnvironment = baseEnvironment.extend({
  PORT: portSchema.default(DEFAULT_PORTS.gateway),
  SUPERGRAPH_PATH: z.string().min(1).default('schema/supergraph.graphql'),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  AUTH_DEV_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // At least a minute (shorter would refuse tokens for clock skew alone), at most 30 days.
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS),
  PEOPLE_URL: z.string().url().optional(),
  REQUESTS_URL: z.string().url().optional(),
  POINTS_URL: z.string().url().optional(),
  RECOGNITION_URL: z.string().url().optional(),
  QUERY_MAX_DEPTH: count(DEFAULT_LIMITS.depth),
  QUERY_MAX_ALIASES: count(DEFAULT_LIMITS.aliases),
  QUERY_MAX_DIRECTIVES: count(DEFAULT_LIMITS.directives),
  QUERY_MAX_TOKENS: count(DEFAULT_LIMITS.tokens),
  QUERY_MAX_CHARACTERS: count(DEFAULT_LIMITS.characters),
  QUERY_MAX_COST: count(DEFAULT_LIMITS.cost),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: perMinute(DEFAULT_RATE_LIMITS.anonymous),
  RATE_LIMIT_MERCHANT_PER_MINUTE: perMinute(DEFAULT_RATE_LIMITS.merchant),
  RATE_LIMIT_SIGNED_IN_PER_MINUTE: perMinute(DEFAULT_RATE_LIMITS.signedIn),
  // Rate limits shared by every gateway; without it each counts alone, in memory.
  REDIS_URL: z
    .string()
    .url()
    .refine((value) => /^rediss?:\/\//.test(value), 'give a redis:// or rediss:// URL')
    .optional(),
  // Keys are `<prefix>ratelimit:<class>:<client>`: several deployments (or test runs) may share one Redis.
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'letters, digits and _ : . - only, at most 64')
    .default(DEFAULT_REDIS_KEY_PREFIX),
  TRUST_PROXY: trustProxy.default(false),
  SUBGRAPH_TIMEOUT_MS: count(10_000),
  // Off only to measure what sending every identical in-flight query costs (docs/gateway.md).
  SUBGRAPH_FETCH_DEDUPE: booleanFlag.default(true),
  QUERY_PLAN_CACHE_MIB: count(30),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
  CORS_ORIGINS: corsOrigins.optional(),
  // Up to a day, Firefox's own cap (Chromium's is two hours); 0 makes every cross-origin request preflight again.
  CORS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(DEFAULT_CORS_MAX_AGE_SECONDS),
  EXPLORER_ENABLED: booleanFlag.optional(),
  TRUSTED_DOCUMENTS: z.enum(['accept', 'require']).default('accept'),
  TRUSTED_DOCUMENTS_PATH: z.string().min(1).default('examples/__generated__/persisted-documents.json'),
});

/** What every kind of token verification expects of a token. */
interface TokenExpectations {
  issuer: string;
  audience: string;
  /** Tokens that live longer (`exp` − `iat`, or `exp` − now without `iat`) are refused. */
  maxLifetimeSeconds: number;
}

/** How the gateway checks the bearer tokens clients send. */
export type TokenVerification = ({ kind: 'jwks'; jwksUrl: string } & TokenExpectations) | ({ kind: 'dev-secret'; secret: string } & TokenExpectations);

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
  limits: QueryLimits;
  rateLimits: RateLimits;
  /** Redis, when several gateways share the rate limits (REDIS_URL). */
  rateLimitStore: RateLimitStore | null;
  /** express `trust proxy`: which proxies may name the client's address in X-Forwarded-For. */
  trustProxy: boolean | number | string[];
  /** A subgraph fetch that takes longer is abandoned and reported as SUBGRAPH_UNAVAILABLE. */
  subgraphTimeoutMs: number;
  /** Whether identical queries in flight to a subgraph at once, for the same viewer, are sent once. */
  subgraphFetchDedupe: boolean;
  /** Approximate memory for cached query plans, in MiB. */
  queryPlanCacheMiB: number;
  /** How long shutdown waits for in-flight requests before closing their connections. */
  shutdownGraceMs: number;
  /** How long an idle keep-alive connection from a client stays open. */
  keepAliveTimeoutMs: number;
  /** Which browser origins may call `/graphql` (gateway/src/cors.ts). */
  cors: CorsPolicy;
  /** Whether `/explorer` serves GraphiQL: outside production by default, in production only with EXPLORER_ENABLED=true. */
  explorer: { enabled: boolean };
  /** Which documents first-party clients may run (docs/gateway.md, Trusted documents). */
  trustedDocuments: TrustedDocumentsConfig;
  /** Where the gateway's spans go (OTEL_EXPORTER_OTLP_ENDPOINT) and its service name. */
  tracing: TracingConfig;
  /** Where `GET /metrics` is served, never on the public port; null when METRICS_PORT is `off`. */
  metrics: MetricsListenerConfig | null;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = parseEnvironment(gatewayEnvironment, env);
  const production = parsed.NODE_ENV === 'production';
  let auth: TokenVerification;
  if (parsed.AUTH_JWKS_URL) {
    if (!parsed.AUTH_ISSUER) throw new ConfigError('invalid configuration: AUTH_ISSUER: required with AUTH_JWKS_URL');
    auth = {
      kind: 'jwks',
      jwksUrl: parsed.AUTH_JWKS_URL,
      issuer: parsed.AUTH_ISSUER,
      audience: parsed.AUTH_AUDIENCE,
      maxLifetimeSeconds: parsed.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
    };
  } else {
    // A shared secret is fine for a laptop and fatal in production: there, only the identity provider's keys count.
    if (production) throw new ConfigError('invalid configuration: AUTH_JWKS_URL: required when NODE_ENV=production');
    auth = {
      kind: 'dev-secret',
      secret: parsed.AUTH_DEV_SECRET ?? DEV_AUTH_SECRET,
      issuer: parsed.AUTH_ISSUER ?? DEV_ISSUER,
      audience: parsed.AUTH_AUDIENCE,
      maxLifetimeSeconds: parsed.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
    };
  }
  const urls = {
    people: parsed.PEOPLE_URL,
    requests: parsed.REQUESTS_URL,
    points: parsed.POINTS_URL,
    recognition: parsed.RECOGNITION_URL,
  };
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, urls[name] ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`])) as Record<SubgraphName, string>;
  return {
    nodeEnv: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    host: parsed.HOST,
    port: parsed.PORT,
    supergraphPath: parsed.SUPERGRAPH_PATH,
    auth,
    viewerTokenSecret: viewerTokenSecret(parsed),
    subgraphUrls,
    limits: {
      depth: parsed.QUERY_MAX_DEPTH,
      aliases: parsed.QUERY_MAX_ALIASES,
      directives: parsed.QUERY_MAX_DIRECTIVES,
      tokens: parsed.QUERY_MAX_TOKENS,
      characters: parsed.QUERY_MAX_CHARACTERS,
      cost: parsed.QUERY_MAX_COST,
    },
    rateLimits: {
      anonymous: parsed.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      merchant: parsed.RATE_LIMIT_MERCHANT_PER_MINUTE,
      signedIn: parsed.RATE_LIMIT_SIGNED_IN_PER_MINUTE,
    },
    rateLimitStore: parsed.REDIS_URL ? { url: parsed.REDIS_URL, keyPrefix: parsed.REDIS_KEY_PREFIX } : null,
    trustProxy: parsed.TRUST_PROXY,
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
    subgraphFetchDedupe: parsed.SUBGRAPH_FETCH_DEDUPE,
    queryPlanCacheMiB: parsed.QUERY_PLAN_CACHE_MIB,
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS,
    keepAliveTimeoutMs: parsed.KEEP_ALIVE_TIMEOUT_MS,
    cors: { origins: parsed.CORS_ORIGINS ?? [], allowLocalhost: !production, maxAgeSeconds: parsed.CORS_MAX_AGE_SECONDS },
    explorer: { enabled: parsed.EXPLORER_ENABLED ?? !production },
    trustedDocuments: { mode: parsed.TRUSTED_DOCUMENTS, manifestPath: parsed.TRUSTED_DOCUMENTS_PATH },
    tracing: tracingConfig(parsed, 'gateway'),
    metrics: metricsListenerOf(parsed, 'gateway'),
  };
}
