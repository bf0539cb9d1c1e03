import { describe, expect, it } from '@jest/globals';
import { ConfigError, DEV_VIEWER_TOKEN_SECRET, loadMigrationTarget, loadSubgraphConfig } from '../src/index.js';

describe('subgraph configuration', () => {
  it('runs on the embedded database with development defaults when nothing is set', () => {
    expect(loadSubgraphConfig('points', {})).toMatchObject({
      name: 'points',
      databaseUrl: undefined,
      dataDir: '.data',
      demoData: true,
      viewerTokenSecret: DEV_VIEWER_TOKEN_SECRET,
      port: 4003,
      eventRunners: true,
      eventPollIntervalMs: 250,
      analytics: { databaseUrl: undefined, poolSize: 2, statementTimeoutMs: 5000, minCell: 5 },
    });
  });

  it('sends statistics to a replica, per subgraph when one has moved, with its own pool size and timeout', () => {
    const env = {
      DATABASE_URL: 'postgres://db/main',
      ANALYTICS_DATABASE_URL: 'postgres://replica/main',
      POINTS_ANALYTICS_DATABASE_URL: 'postgres://ledger-replica/points',
      ANALYTICS_POOL_SIZE: '3',
      ANALYTICS_STATEMENT_TIMEOUT_MS: '750',
    };
    expect(loadSubgraphConfig('points', env).analytics).toEqual({ databaseUrl: 'postgres://ledger-replica/points', poolSize: 3, statementTimeoutMs: 750, minCell: 5 });
    expect(loadSubgraphConfig('requests', env).analytics).toEqual({ databaseUrl: 'postgres://replica/main', poolSize: 3, statementTimeoutMs: 750, minCell: 5 });
  });

  it('gives every subgraph the minimum cell of sensitive statistics: 5 unless configured, a whole number from 2 to 100, else refused by name', () => {
    for (const name of ['people', 'requests', 'points', 'recognition'] as const) {
      expect(loadSubgraphConfig(name, {}).analytics.minCell).toBe(5);
      expect(loadSubgraphConfig(name, { ANALYTICS_MIN_CELL: '10' }).analytics.minCell).toBe(10);
    }
    expect(loadSubgraphConfig('requests', { ANALYTICS_MIN_CELL: '2' }).analytics.minCell).toBe(2);
    expect(loadSubgraphConfig('requests', { ANALYTICS_MIN_CELL: '100' }).analytics.minCell).toBe(100);
    for (const value of ['1', '0', '101', '2.5', 'five', '-5']) {
      expect(() => loadSubgraphConfig('requests', { ANALYTICS_MIN_CELL: value })).toThrow(ConfigError);
      expect(() => loadSubgraphConfig('requests', { ANALYTICS_MIN_CELL: value })).toThrow('invalid configuration: ANALYTICS_MIN_CELL');
    }
  });

  it('migrates at start unless MIGRATE_ON_START says not to, and refuses a value that is not a flag by name', () => {
    expect(loadSubgraphConfig('points', {}).migrateOnStart).toBe(true);
    expect(loadSubgraphConfig('points', { MIGRATE_ON_START: 'false', NODE_ENV: 'production', VIEWER_TOKEN_SECRET: 'x'.repeat(32) }).migrateOnStart).toBe(false);
    expect(() => loadSubgraphConfig('points', { MIGRATE_ON_START: 'later' })).toThrow(ConfigError);
    expect(() => loadSubgraphConfig('points', { MIGRATE_ON_START: 'later' })).toThrow(/^invalid configuration: MIGRATE_ON_START: /);
  });

  it("migrates a subgraph on its own database, or the shared one, or the embedded one, without the services' secrets", () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/main', POINTS_DATABASE_URL: 'postgres://ledger/points' };
    expect(loadMigrationTarget('points', production)).toEqual({ name: 'points', logLevel: 'info', databaseUrl: 'postgres://ledger/points', dataDir: '.data' });
    expect(loadMigrationTarget('people', production).databaseUrl).toBe('postgres://db/main');
    expect(loadMigrationTarget('people', { DATA_DIR: '/srv/lianxin' })).toMatchObject({ databaseUrl: undefined, dataDir: '/srv/lianxin' });
    expect(() => loadMigrationTarget('points', { POINTS_DATABASE_URL: 'mysql://db/points' })).toThrow(/^invalid configuration: POINTS_DATABASE_URL: /);
  });

  it('reaches the database directly for sessions behind a pooler, per subgraph where one moved, and names the variable a moved one lacks', () => {
    const pooled = { DATABASE_URL: 'postgres://pgbouncer:6432/main', DATABASE_DIRECT_URL: 'postgres://db/main', DATABASE_PREPARED_STATEMENTS: 'false' };
    expect(loadSubgraphConfig('people', pooled)).toMatchObject({
      databaseUrl: 'postgres://pgbouncer:6432/main',
      databaseDirectUrl: 'postgres://db/main',
      preparedStatements: false,
    });
    expect(loadSubgraphConfig('people', {})).toMatchObject({ databaseDirectUrl: undefined, preparedStatements: true });
    const moved = { ...pooled, POINTS_DATABASE_URL: 'postgres://pgbouncer:6432/points', POINTS_DATABASE_DIRECT_URL: 'postgres://ledger/points' };
    expect(loadSubgraphConfig('points', moved).databaseDirectUrl).toBe('postgres://ledger/points');
    expect(loadMigrationTarget('points', moved).databaseUrl).toBe('postgres://ledger/points');
    expect(loadMigrationTarget('people', moved).databaseUrl).toBe('postgres://db/main');
    const { POINTS_DATABASE_DIRECT_URL: _omitted, ...lacking } = moved;
    expect(() => loadSubgraphConfig('points', lacking)).toThrow(
      /^invalid configuration: POINTS_DATABASE_DIRECT_URL: required when POINTS_DATABASE_URL and DATABASE_DIRECT_URL are both set/,
    );
    expect(() => loadMigrationTarget('points', lacking)).toThrow(/^invalid configuration: POINTS_DATABASE_DIRECT_URL: /);
    expect(loadSubgraphConfig('points', { POINTS_DATABASE_URL: 'postgres://ledger/points' }).databaseDirectUrl).toBeUndefined();
    expect(() => loadSubgraphConfig('points', { DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow(/^invalid configuration: DATABASE_PREPARED_STATEMENTS: /);
    expect(() => loadSubgraphConfig('points', { DATABASE_DIRECT_URL: 'mysql://db/main' })).toThrow(/^invalid configuration: DATABASE_DIRECT_URL: /);
  });

  it('lets a process leave its event runner off and poll at its own pace', () => {
    expect(loadSubgraphConfig('points', { EVENT_RUNNERS: 'false', EVENT_POLL_INTERVAL_MS: '1000' })).toMatchObject({ eventRunners: false, eventPollIntervalMs: 1000 });
  });

  it('lets one subgraph move to its own database', () => {
    const env = { DATABASE_URL: 'postgres://db/main', POINTS_DATABASE_URL: 'postgres://ledger/points' };
    expect(loadSubgraphConfig('points', env).databaseUrl).toBe('postgres://ledger/points');
    expect(loadSubgraphConfig('people', env).databaseUrl).toBe('postgres://db/main');
  });

  it('carries events through the database by default, and over NATS JetStream when asked with NATS_URL and PostgreSQL', () => {
    expect(loadSubgraphConfig('points', {}).events).toEqual({ transport: 'database' });
    expect(loadSubgraphConfig('points', { EVENT_TRANSPORT: 'database', NATS_URL: 'nats://127.0.0.1:4222' }).events).toEqual({ transport: 'database' });
    const env = { EVENT_TRANSPORT: 'nats', NATS_URL: 'nats://127.0.0.1:4222', POINTS_DATABASE_URL: 'postgres://ledger/points' };
    expect(loadSubgraphConfig('points', env).events).toEqual({ transport: 'nats', natsUrl: 'nats://127.0.0.1:4222' });
    // The embedded database (no DATABASE_URL for people) keeps every subgraph in one process: NATS is refused there.
    expect(() => loadSubgraphConfig('people', env)).toThrow('invalid configuration: EVENT_TRANSPORT: nats needs PostgreSQL');
  });

  it.each([
    [{ EVENT_TRANSPORT: 'kafka' }, 'EVENT_TRANSPORT'],
    [{ EVENT_TRANSPORT: 'nats', DATABASE_URL: 'postgres://db/main' }, 'NATS_URL'],
    [{ EVENT_TRANSPORT: 'nats', DATABASE_URL: 'postgres://db/main', NATS_URL: 'http://127.0.0.1:4222' }, 'NATS_URL'],
    [{ DATABASE_URL: 'mysql://db/main' }, 'DATABASE_URL'],
    [{ PEOPLE_PORT: '70000' }, 'PEOPLE_PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA'],
    [{ EVENT_RUNNERS: 'sometimes' }, 'EVENT_RUNNERS'],
    [{ EVENT_POLL_INTERVAL_MS: '0' }, 'EVENT_POLL_INTERVAL_MS'],
    [{ ANALYTICS_DATABASE_URL: 'http://replica/main' }, 'ANALYTICS_DATABASE_URL'],
    [{ PEOPLE_ANALYTICS_DATABASE_URL: 'replica' }, 'PEOPLE_ANALYTICS_DATABASE_URL'],
    [{ ANALYTICS_POOL_SIZE: '0' }, 'ANALYTICS_POOL_SIZE'],
    [{ ANALYTICS_STATEMENT_TIMEOUT_MS: 'soon' }, 'ANALYTICS_STATEMENT_TIMEOUT_MS'],
    [{ VIEWER_TOKEN_SECRET: 'short' }, 'VIEWER_TOKEN_SECRET'],
    [{ NODE_ENV: 'production' }, 'VIEWER_TOKEN_SECRET'],
  ])('names the offending variable in one line for %j', (env, name) => {
    let error: unknown;
    try {
      loadSubgraphConfig('people', env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`^invalid configuration: ${name}: `));
    expect((error as Error).message).not.toContain('\n');
  });

  it('does not load demo data in production unless asked', () => {
    const secret = { VIEWER_TOKEN_SECRET: 's'.repeat(32) };
    expect(loadSubgraphConfig('people', { NODE_ENV: 'production', ...secret }).demoData).toBe(false);
    expect(loadSubgraphConfig('people', { NODE_ENV: 'production', DEMO_DATA: 'true', ...secret }).demoData).toBe(true);
  });
});
