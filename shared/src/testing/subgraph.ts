/**
 * Runs one subgraph in-process on a fresh real-Postgres database, for tests
 * that call `executeOperation` and `_entities` without HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { ANONYMOUS, type Viewer } from '../auth.js';
import { openAnalyticsDatabase } from '../analytics.js';
import type { BaseContext } from '../context.js';
import { openDatabase, type DatabaseHandle } from '../db.js';
import { loadSubgraphConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createSubgraphServer, prepareSubgraph, type SubgraphModule } from '../subgraph.js';
import { createTestDatabase, settingsDigest, type TestDatabase } from './database.js';

export interface ExecuteResult {
  data: Record<string, unknown> | null | undefined;
  errors: readonly { message: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[] }[] | undefined;
}

export interface SubgraphHarness<TContext extends BaseContext> {
  database: DatabaseHandle;
  /** What `ctx.analytics` reads through: a pool of its own on `database`'s database, or on the replica `analytics.url` names. */
  analytics: DatabaseHandle;
  /** The subgraph's database, to reach it beside `database` (on a replica, say). */
  testDatabase: TestDatabase;
  server: ApolloServer<TContext>;
  /** Runs one operation as `viewer` (anonymous by default). */
  execute(query: string, options?: { variables?: Record<string, unknown>; viewer?: Viewer }): Promise<ExecuteResult>;
  stop(): Promise<void>;
}

/** Where and how the harness's statistics handle reads; unset, as the configuration's defaults say, on the harness's own database. */
export interface HarnessAnalyticsOptions {
  /** The URL statistics read from, given the harness's database (a replica's copy of it, say). */
  url?: (database: TestDatabase) => string | Promise<string>;
  poolSize?: number;
  statementTimeoutMs?: number;
  /** The smallest count a sensitive statistic publishes; by default ANALYTICS_MIN_CELL of the harness's environment, else 5. */
  minCell?: number;
}

export async function startSubgraphHarness<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  options: { demoData?: boolean; env?: NodeJS.ProcessEnv; analytics?: HarnessAnalyticsOptions } = {},
): Promise<SubgraphHarness<TContext>> {
  const env = options.env ?? process.env;
  const settings = module.settings(env);
  const demoData = options.demoData ?? true;
  // Migrated (and seeded) once per run into a template, copied per test file. Seeds may read the settings
  // (people seals ID numbers with its data key), so the settings take part in the template's name.
  const testDatabase: TestDatabase = await createTestDatabase(module.name, {
    name: `${module.name}_${demoData ? 'demo' : 'bare'}_${settingsDigest(settings)}`,
    build: (url) => prepareSubgraphAt(module, url, { demoData, settings }),
  });
  const database = await openDatabase({ url: testDatabase.url, poolSize: 4 });
  // The defaults, not the environment's database settings (statistics read the harness's own database unless asked otherwise); the minimum cell as configured.
  const analyticsDefaults = loadSubgraphConfig(module.name, { ANALYTICS_MIN_CELL: env['ANALYTICS_MIN_CELL'] }).analytics;
  const analyticsMinCell = options.analytics?.minCell ?? analyticsDefaults.minCell;
  const analytics = await openAnalyticsDatabase(database, {
    mainUrl: testDatabase.url,
    config: {
      databaseUrl: options.analytics?.url ? await options.analytics.url(testDatabase) : undefined,
      poolSize: options.analytics?.poolSize ?? analyticsDefaults.poolSize,
      statementTimeoutMs: options.analytics?.statementTimeoutMs ?? analyticsDefaults.statementTimeoutMs,
      minCell: analyticsMinCell,
    },
  });
  const logger = createLogger(module.name, 'silent');
  const server = createSubgraphServer(module, { logger });
  await server.start();
  return {
    database,
    analytics,
    testDatabase,
    server,
    async execute(query, { variables, viewer = ANONYMOUS } = {}) {
      const contextValue = module.createContext({ viewer, traceId: randomUUID(), logger, analytics: analytics.db, analyticsMinCell }, database.db, settings);
      const response = await server.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by Lianxin');
      const { data, errors } = response.body.singleResult;
      return { data, errors: errors };
    },
    async stop() {
      await server.stop();
      await analytics.close();
      await database.close();
      await testDatabase.drop();
    },
  };
}

/** Applies a subgraph's migrations (and demo data) to the database at `url`, and closes it. */
export async function prepareSubgraphAt<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  url: string,
  options: { demoData: boolean; settings: TSettings },
): Promise<void> {
  // Three: one is reserved for the migration lock while the others migrate and seed.
  const database = await openDatabase({ url, poolSize: 3 });
  try {
    await prepareSubgraph(module, database, options);
  } finally {
    await database.close();
  }
}

/** A viewer for tests. */
export function viewerOf(overrides: Partial<Viewer> & { roles: Viewer['roles'] }): Viewer {
  return {
    personId: null,
    regionIds: [],
    merchantId: null,
    subject: overrides.personId ?? `test-${overrides.roles.join('-') || 'anonymous'}`,
    ...overrides,
  };
}
