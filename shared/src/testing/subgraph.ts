/**
 * Runs one subgraph in-process on a fresh real-Postgres database, for tests
 * that call `executeOperation` and `_entities` without HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { ANONYMOUS, type Viewer } from '../auth.js';
import type { BaseContext } from '../context.js';
import { openDatabase, type DatabaseHandle } from '../db.js';
import { createLogger } from '../logger.js';
import { createSubgraphServer, prepareSubgraph, type SubgraphModule } from '../subgraph.js';
import { createTestDatabase, settingsDigest, type TestDatabase } from './database.js';

export interface ExecuteResult {
  data: Record<string, unknown> | null | undefined;
  errors: readonly { message: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[] }[] | undefined;
}

export interface SubgraphHarness<TContext extends BaseContext> {
  database: DatabaseHandle;
  server: ApolloServer<TContext>;
  /** Runs one operation as `viewer` (anonymous by default). */
  execute(query: string, options?: { variables?: Record<string, unknown>; viewer?: Viewer }): Promise<ExecuteResult>;
  stop(): Promise<void>;
}

export async function startSubgraphHarness<TContext extends BaseContext, TSettings>(
  module: SubgraphModule<TContext, TSettings>,
  options: { demoData?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<SubgraphHarness<TContext>> {
  const settings = module.settings(options.env ?? process.env);
  const demoData = options.demoData ?? true;
  // Migrated (and seeded) once per run into a template, copied per test file. Seeds may read the settings
  // (people seals ID numbers with its data key), so the settings take part in the template's name.
  const testDatabase: TestDatabase = await createTestDatabase(module.name, {
    name: `${module.name}_${demoData ? 'demo' : 'bare'}_${settingsDigest(settings)}`,
    build: (url) => prepareSubgraphAt(module, url, { demoData, settings }),
  });
  const database = await openDatabase({ url: testDatabase.url, poolSize: 4 });
  const logger = createLogger(module.name, 'silent');
  const server = createSubgraphServer(module, { logger });
  await server.start();
  return {
    database,
    server,
    async execute(query, { variables, viewer = ANONYMOUS } = {}) {
      const contextValue = module.createContext({ viewer, traceId: randomUUID(), logger }, database.db, settings);
      const response = await server.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by Lianxin');
      const { data, errors } = response.body.singleResult;
      return { data, errors: errors };
    },
    async stop() {
      await server.stop();
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
  const database = await openDatabase({ url, poolSize: 2 });
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
