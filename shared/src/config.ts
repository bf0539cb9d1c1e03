/**
 * Configuration from the environment, validated with zod. A bad or missing
 * variable stops start-up with one line that names it (see `runMain`).
 */
import { z } from 'zod';
import type { MetricsListenerConfig } from './metrics.js';
import { StartupError } from './startup.js';

/** Raised when the environment does not describe a runnable service. */
export class ConfigError extends StartupError {
  override readonly name = 'ConfigError';
}

/** The development-only secret that signs viewer tokens when none is configured. */
export const DEV_VIEWER_TOKEN_SECRET = 'lianxin-dev-viewer-token-secret-not-for-production';

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

const natsUrl = z
  .string()
  .refine(
    (value) => value.split(',').every((server) => /^(nats|tls):\/\/[^\s/]+(:\d+)?\/?$/.test(server.trim())),
    'must be nats://host:port (or tls://), several separated by commas',
  );

const port = z.coerce.number().int().min(0).max(65535);

/** METRICS_PORT: a port for the metrics listener, or `off`. */
const metricsPort = z
  .string()
  .regex(/^(off|\d{1,5})$/, 'give a port number (0–65535) or off')
  .transform((value) => (value === 'off' ? ('off' as const) : Number(value)))
  .refine((value) => value === 'off' || value <= 65535, 'give a port number (0–65535) or off');

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * ANALYTICS_MIN_CELL's rule, shared by the configuration and by what reads
 * it outside a request (people's household cells for BI tools, written when
 * the subgraph starts and with each household change).
 */
export const analyticsMinCell = z.coerce.number().int().min(2).max(100).default(5);

/** Variables every service reads. */
export const baseEnvironment = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: postgresUrl.optional(),
  /**
   * DATABASE_URL's database reached without a transaction pooler, for what needs a session: LISTEN (live
   * notifications), the migration lock and migrations. Unset, DATABASE_URL serves (it is then direct).
   */
  DATABASE_DIRECT_URL: postgresUrl.optional(),
  /** Named prepared statements on DATABASE_URL; false for PgBouncer before 1.21 in transaction pooling (unnamed ones). */
  DATABASE_PREPARED_STATEMENTS: booleanFlag.default(true),
  DATA_DIR: z.string().min(1).default('.data'),
  DEMO_DATA: booleanFlag.optional(),
  VIEWER_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where `GET /metrics` is served, apart from the service's own port (shared/src/metrics.ts); each service has its default. */
  METRICS_PORT: metricsPort.optional(),
  /**
   * Whether a starting subgraph applies its missing migrations (under its migration lock); false in production,
   * where `npm run migrate` runs before the rollout and an instance refuses to start on a schema older than its code.
   */
  MIGRATE_ON_START: booleanFlag.default(true),
  /** Whether consuming subgraphs run their event runner (tests that count statements turn it off). */
  EVENT_RUNNERS: booleanFlag.default(true),
  /** Whether this instance runs the subgraph's scheduled jobs (each tick runs on one instance of those that do). */
  SCHEDULER: booleanFlag.default(true),
  /** How long an idle event runner waits before looking for new events again. */
  EVENT_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /**
   * How events travel between subgraphs: `database` (consumers read producers' outboxes in the one database) or
   * `nats` (each producer relays its outbox to NATS JetStream, each consumer pulls from there; for separate databases).
   */
  EVENT_TRANSPORT: z.enum(['database', 'nats']).default('database'),
  /** The NATS server(s) when EVENT_TRANSPORT=nats, e.g. `nats://127.0.0.1:4222` (several separated by commas). */
  NATS_URL: natsUrl.optional(),
  /** Where statistics read: a read replica of DATABASE_URL's database; unset, they read the subgraph's own database. */
  ANALYTICS_DATABASE_URL: postgresUrl.optional(),
  /** Connections of the statistics pool: small, so statistics cannot take the connections requests need. */
  ANALYTICS_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(2),
  /** Longest a statistics statement may run before Postgres cancels it. */
  ANALYTICS_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(5000),
  /**
   * The smallest count of households or persons a sensitive statistic publishes (hardship, alerts).
   * Below 2 nothing would be withheld: suppression cannot be turned off by configuration.
   */
  ANALYTICS_MIN_CELL: analyticsMinCell,
  /** The OpenTelemetry collector's base URL (OTLP over HTTP); unset, nothing is traced. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url()
    .refine((value) => /^https?:\/\//.test(value), 'give an http:// or https:// URL')
    .optional(),
  /** `service.name` of this process's spans; by default lianxin-<service>. */
  OTEL_SERVICE_NAME: z.string().min(1).max(100).optional(),
});

export type BaseEnvironment = z.infer<typeof baseEnvironment>;

/** The four subgraphs, in the order they start. */
export const SUBGRAPH_NAMES = ['people', 'requests', 'points', 'recognition'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Default port of each service when it runs as its own process. */
export const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  people: 4001,
  requests: 4002,
  points: 4003,
  recognition: 4004,
};

/**
 * Default port of each service's metrics listener (METRICS_PORT), beside
 * its own: `npm start` serves every service's metrics on the gateway's.
 */
export const DEFAULT_METRICS_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 9400,
  people: 9401,
  requests: 9402,
  points: 9403,
  recognition: 9404,
};

/** Where a service serves its metrics: METRICS_PORT, else its default; null when METRICS_PORT is `off`. */
export function metricsListenerOf(env: Pick<BaseEnvironment, 'METRICS_PORT'>, service: SubgraphName | 'gateway'): MetricsListenerConfig | null {
  if (env.METRICS_PORT === 'off') return null;
  return env.METRICS_PORT === undefined ? { port: DEFAULT_METRICS_PORTS[service], explicit: false } : { port: env.METRICS_PORT, explicit: true };
}

/**
 * Validates `env` against `schema`; on failure throws a ConfigError whose
 * message names the first offending variable.
 */
export function parseEnvironment<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  // Empty strings mean "not set": shells and .env files often leave them behind.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = issue?.path.join('.') || 'environment';
    throw new ConfigError(`invalid configuration: ${name}: ${issue?.message ?? 'invalid value'}`);
  }
  return result.data;
}

/** Where a service's spans go and what they are called (shared/src/tracing.ts). */
export interface TracingConfig {
  /** OTEL_EXPORTER_OTLP_ENDPOINT; undefined turns tracing off. */
  endpoint: string | undefined;
  /** OTEL_SERVICE_NAME, else `lianxin-<service>`. */
  serviceName: string;
}

/** The tracing part of a service's configuration. */
export function tracingConfig(env: Pick<BaseEnvironment, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME'>, service: SubgraphName | 'gateway'): TracingConfig {
  return { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: env.OTEL_SERVICE_NAME ?? `lianxin-${service}` };
}

/** Everything one subgraph needs to run. */
export interface SubgraphConfig {
  name: SubgraphName;
  nodeEnv: BaseEnvironment['NODE_ENV'];
  logLevel: BaseEnvironment['LOG_LEVEL'];
  /** Postgres URL, or undefined for the embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  /** The same database without a pooler, for LISTEN and migrations; undefined when `databaseUrl` is direct. */
  databaseDirectUrl: string | undefined;
  /** Whether statements are named prepared ones (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements: boolean;
  dataDir: string;
  demoData: boolean;
  /** Whether it applies missing migrations at start, or only checks that none is missing. */
  migrateOnStart: boolean;
  viewerTokenSecret: string;
  host: string;
  port: number;
  /** Whether this subgraph's event runner (if it consumes events) runs in this process. */
  eventRunners: boolean;
  eventPollIntervalMs: number;
  /** Whether this instance runs the subgraph's scheduled jobs. */
  scheduler: boolean;
  analytics: AnalyticsConfig;
  events: EventTransportConfig;
  tracing: TracingConfig;
  /** Where it serves `GET /metrics` when run alone; null when METRICS_PORT is `off`. */
  metrics: MetricsListenerConfig | null;
}

/** How this subgraph's events travel (docs/events.md, Transports and separate databases). */
export type EventTransportConfig = { transport: 'database' } | { transport: 'nats'; natsUrl: string };

/**
 * EVENT_TRANSPORT with NATS_URL. NATS is for subgraphs on separate Postgres
 * databases: the embedded database (no DATABASE_URL) runs every subgraph in
 * one process on one PGlite, where it is refused rather than ignored.
 */
function eventTransportConfig(env: BaseEnvironment, databaseUrl: string | undefined): EventTransportConfig {
  if (env.EVENT_TRANSPORT === 'database') return { transport: 'database' };
  if (!env.NATS_URL) throw new ConfigError('invalid configuration: NATS_URL: required when EVENT_TRANSPORT=nats (e.g. nats://127.0.0.1:4222)');
  if (!databaseUrl) {
    throw new ConfigError(
      'invalid configuration: EVENT_TRANSPORT: nats needs PostgreSQL (DATABASE_URL or <NAME>_DATABASE_URL); the embedded database uses EVENT_TRANSPORT=database',
    );
  }
  return { transport: 'nats', natsUrl: env.NATS_URL };
}

/** Where and how statistics read (see `openAnalyticsDatabase`). */
export interface AnalyticsConfig {
  /** A read replica's URL; undefined reads the subgraph's own database. */
  databaseUrl: string | undefined;
  poolSize: number;
  statementTimeoutMs: number;
  /** Buckets of a sensitive statistic counting fewer are withheld (`suppressSmallCells`), with those that would give them away. */
  minCell: number;
}

/** The viewer-token secret: required in production, a fixed dev value elsewhere. */
export function viewerTokenSecret(env: BaseEnvironment): string {
  if (env.VIEWER_TOKEN_SECRET) return env.VIEWER_TOKEN_SECRET;
  if (env.NODE_ENV === 'production') {
    throw new ConfigError('invalid configuration: VIEWER_TOKEN_SECRET: required when NODE_ENV=production');
  }
  return DEV_VIEWER_TOKEN_SECRET;
}

/**
 * The variables one subgraph's process reads besides its own settings: the
 * base ones and its prefixed database URLs and port (exported so the
 * deployment manifests' check can list the names a subgraph knows).
 */
export function subgraphEnvironment(name: SubgraphName) {
  const prefix = name.toUpperCase();
  return baseEnvironment.extend({
    [`${prefix}_DATABASE_URL`]: postgresUrl.optional(),
    [`${prefix}_DATABASE_DIRECT_URL`]: postgresUrl.optional(),
    [`${prefix}_ANALYTICS_DATABASE_URL`]: postgresUrl.optional(),
    [`${prefix}_PORT`]: port.default(DEFAULT_PORTS[name]),
  });
}

/**
 * The direct URL of a subgraph's database: `<NAME>_DATABASE_DIRECT_URL`, or
 * DATABASE_DIRECT_URL when the subgraph uses DATABASE_URL. DATABASE_DIRECT_URL
 * reaches DATABASE_URL's database, so a subgraph moved to a database of its
 * own must name its own direct URL rather than migrate or LISTEN elsewhere.
 */
function directUrlOf(prefix: string, parsed: Pick<BaseEnvironment, 'DATABASE_DIRECT_URL'> & Record<string, unknown>): string | undefined {
  const own = parsed[`${prefix}_DATABASE_DIRECT_URL`] as string | undefined;
  if (own !== undefined) return own;
  if (parsed[`${prefix}_DATABASE_URL`] === undefined) return parsed.DATABASE_DIRECT_URL;
  if (parsed.DATABASE_DIRECT_URL !== undefined) {
    throw new ConfigError(
      `invalid configuration: ${prefix}_DATABASE_DIRECT_URL: required when ${prefix}_DATABASE_URL and DATABASE_DIRECT_URL are both set (DATABASE_DIRECT_URL reaches DATABASE_URL's database)`,
    );
  }
  return undefined;
}

/**
 * Reads the configuration of one subgraph. `<NAME>_DATABASE_URL` overrides
 * `DATABASE_URL` so a subgraph can move to its own database (and
 * `<NAME>_ANALYTICS_DATABASE_URL` then names that database's replica);
 * `<NAME>_PORT` sets its port.
 */
export function loadSubgraphConfig(name: SubgraphName, env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const prefix = name.toUpperCase();
  const parsed = parseEnvironment(subgraphEnvironment(name), env) as BaseEnvironment & Record<string, unknown>;
  const databaseUrl = (parsed[`${prefix}_DATABASE_URL`] as string | undefined) ?? parsed.DATABASE_URL;
  return {
    name,
    nodeEnv: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    databaseUrl,
    databaseDirectUrl: directUrlOf(prefix, parsed),
    preparedStatements: parsed.DATABASE_PREPARED_STATEMENTS,
    dataDir: parsed.DATA_DIR,
    demoData: parsed.DEMO_DATA ?? parsed.NODE_ENV !== 'production',
    migrateOnStart: parsed.MIGRATE_ON_START,
    viewerTokenSecret: viewerTokenSecret(parsed),
    host: parsed.HOST,
    port: parsed[`${prefix}_PORT`] as number,
    eventRunners: parsed.EVENT_RUNNERS,
    eventPollIntervalMs: parsed.EVENT_POLL_INTERVAL_MS,
    scheduler: parsed.SCHEDULER,
    metrics: metricsListenerOf(parsed, name),
    analytics: {
      databaseUrl: (parsed[`${prefix}_ANALYTICS_DATABASE_URL`] as string | undefined) ?? parsed.ANALYTICS_DATABASE_URL,
      poolSize: parsed.ANALYTICS_POOL_SIZE,
      statementTimeoutMs: parsed.ANALYTICS_STATEMENT_TIMEOUT_MS,
      minCell: parsed.ANALYTICS_MIN_CELL,
    },
    events: eventTransportConfig(parsed, databaseUrl),
    tracing: tracingConfig(parsed, name),
  };
}

/** Where `npm run migrate` applies one subgraph's migrations. */
export interface MigrationTarget {
  name: SubgraphName;
  logLevel: BaseEnvironment['LOG_LEVEL'];
  /**
   * The subgraph's direct URL when one is set (migrations and their lock need a session, which a transaction
   * pooler does not keep), else `<NAME>_DATABASE_URL`, else DATABASE_URL; undefined for the embedded PGlite under `dataDir`.
   */
  databaseUrl: string | undefined;
  dataDir: string;
}

/** The variables migrating one subgraph reads (exported, as `subgraphEnvironment`, for the manifests' check). */
export function migrationEnvironment(name: SubgraphName) {
  const prefix = name.toUpperCase();
  return baseEnvironment
    .pick({ LOG_LEVEL: true, DATABASE_URL: true, DATABASE_DIRECT_URL: true, DATA_DIR: true })
    .extend({ [`${prefix}_DATABASE_URL`]: postgresUrl.optional(), [`${prefix}_DATABASE_DIRECT_URL`]: postgresUrl.optional() });
}

/**
 * Reads only what migrating a subgraph needs: the step runs before a
 * rollout, with the database's address but without the services' secrets.
 */
export function loadMigrationTarget(name: SubgraphName, env: NodeJS.ProcessEnv = process.env): MigrationTarget {
  const prefix = name.toUpperCase();
  const parsed = parseEnvironment(migrationEnvironment(name), env) as Pick<BaseEnvironment, 'LOG_LEVEL' | 'DATABASE_URL' | 'DATABASE_DIRECT_URL' | 'DATA_DIR'> &
    Record<string, unknown>;
  return {
    name,
    logLevel: parsed.LOG_LEVEL,
    databaseUrl: directUrlOf(prefix, parsed) ?? (parsed[`${prefix}_DATABASE_URL`] as string | undefined) ?? parsed.DATABASE_URL,
    dataDir: parsed.DATA_DIR,
  };
}

export { postgresUrl, port as portSchema, booleanFlag };
