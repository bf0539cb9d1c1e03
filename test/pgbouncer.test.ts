/**
 * The services behind PgBouncer (Debian's 1.18) in transaction pooling, as
 * docs/operations.md describes: DATABASE_URL through PgBouncer with
 * DATABASE_PREPARED_STATEMENTS=false, DATABASE_DIRECT_URL straight to
 * Postgres for LISTEN and the migration lock. First the database handle's
 * pieces, each on a PgBouncer with one server connection, so that anything
 * a statement leaves on a session would reach the next client's; then the
 * five-step loop through the gateway, and the points ledger's audit.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import { auditLedger } from '@lianxin/points';
import { analyticsQuery, migrationLockKey, newId, openAnalyticsDatabase, openDatabase, rowsOf, type DatabaseHandle } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_TEAM } from '@lianxin/shared/demo';
import { createTestDatabase, waitFor, type TestDatabase } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_MERCHANTS } from '../subgraphs/points/src/db/demo.js';
import { directoryTeamMembers } from '../subgraphs/requests/src/db/schema.js';
import { graphShape, startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';
import { depositOf, serveRepair } from './support/loop.js';
import { startPgBouncer, type TestPgBouncer } from './support/pgbouncer.js';
import { paymentCodeFor } from './support/points.js';

describe('a database handle behind PgBouncer (one server connection)', () => {
  let bouncer: TestPgBouncer;
  let database: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    bouncer = await startPgBouncer({ poolSize: 1 });
    database = await createTestDatabase('pgbouncer');
    handle = await openDatabase({ url: bouncer.through(database.url), directUrl: database.url, preparedStatements: false, poolSize: 4 });
  });
  afterAll(async () => {
    await handle?.close();
    await bouncer?.stop();
    await database?.drop();
  });

  it('runs statements with parameters and transactions from several connections, with unnamed statements', async () => {
    await handle.db.execute(sql`create table if not exists counted (id int primary key, n int not null)`);
    await Promise.all(
      Array.from({ length: 8 }, (_, id) =>
        handle.db.transaction(async (tx) => {
          await tx.execute(sql`insert into counted (id, n) values (${id}, ${0})`);
          for (let step = 1; step <= 5; step += 1) await tx.execute(sql`update counted set n = n + ${1} where id = ${id}`);
        }),
      ),
    );
    const rows = await rowsOf<{ id: number; n: number }>(handle.db, sql`select id, n from counted where id >= ${0} order by id`);
    expect(rows).toEqual(Array.from({ length: 8 }, (_, id) => ({ id, n: 5 })));
    // Named ones would have stayed on the one server connection every client shares.
    expect(await rowsOf(handle.db, sql`select name from pg_prepared_statements`)).toEqual([]);
  });

  it('sets the statistics limits per transaction: a long read is cancelled, a write refused, and the pooled connection keeps neither', async () => {
    const analytics = await openAnalyticsDatabase(handle, {
      mainUrl: bouncer.through(database.url),
      config: { databaseUrl: undefined, poolSize: 1, statementTimeoutMs: 200, minCell: 5 },
      preparedStatements: false,
    });
    try {
      const ctx = { analytics: analytics.db };
      await expect(analyticsQuery(ctx, (db) => db.execute(sql`select pg_sleep(${2})`))).rejects.toMatchObject({ extensions: { code: 'STATISTICS_TIMEOUT' } });
      await expect(analyticsQuery(ctx, (db) => db.execute(sql`create table written (id int)`))).rejects.toMatchObject({ cause: { code: '25006' } });
      const [inside] = await analyticsQuery(ctx, (db) => rowsOf<{ timeout: string }>(db, sql`select current_setting('statement_timeout') as timeout`));
      expect(inside).toEqual({ timeout: '200ms' });
      // The same single server connection, now lent to the main handle: no limit left behind.
      const [after] = await rowsOf<{ timeout: string; readOnly: string }>(
        handle.db,
        sql`select current_setting('statement_timeout') as timeout, current_setting('transaction_read_only') as "readOnly"`,
      );
      expect(after).toEqual({ timeout: '0', readOnly: 'off' });
    } finally {
      await analytics.close();
    }
  });

  it('LISTENs on the direct connection: a NOTIFY sent through PgBouncer arrives', async () => {
    const received: string[] = [];
    const stop = await handle.listen('pgbouncer_test', (payload) => received.push(payload));
    try {
      await handle.db.execute(sql`select pg_notify('pgbouncer_test', ${'first'})`);
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_notify('pgbouncer_test', ${'second'})`);
      });
      await waitFor('both notifications', async () => received.length === 2);
      expect(received).toEqual(['first', 'second']);
    } finally {
      await stop();
    }
  });

  it('holds the migration lock on the direct connection for the whole work, and releases it', async () => {
    const [namespace, object] = migrationLockKey('pgbouncer_test');
    const held = async () =>
      (
        await rowsOf<{ n: number }>(
          handle.db,
          sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = ${namespace}::int::oid and objid = ${object}::int::oid and objsubid = 2`,
        )
      )[0]!.n;
    const during = await handle.exclusively('pgbouncer_test', async () => {
      // Statements through PgBouncer meanwhile, on its one server connection, which does not hold the lock.
      await handle.db.execute(sql`select ${1}::int`);
      const [other] = await rowsOf<{ locked: boolean }>(handle.db, sql`select pg_try_advisory_lock(${namespace}::int, ${object}::int) as locked`);
      return { other: other!.locked, held: await held() };
    });
    expect(during).toEqual({ other: false, held: 1 });
    expect(await held()).toBe(0);
  });
});

describe('the five-step loop through the gateway, every subgraph behind PgBouncer', () => {
  let bouncer: TestPgBouncer;
  let database: TestDatabase;
  let graph: TestGraph;
  const operations = operationsOn(() => graph);
  const { must, eventually } = operations;

  beforeAll(async () => {
    bouncer = await startPgBouncer({ poolSize: 10 });
    const env: NodeJS.ProcessEnv = { ...process.env, DEMO_DATA: 'true' };
    database = await createTestDatabase('e2e', graphShape(env));
    graph = await startTestGraph({
      EVENT_POLL_INTERVAL_MS: '50',
      DATABASE_URL: bouncer.through(database.url),
      DATABASE_DIRECT_URL: database.url,
      DATABASE_PREPARED_STATEMENTS: 'false',
      // The copy holds the demo data already.
      DEMO_DATA: 'false',
    });
  });
  afterAll(async () => {
    await graph?.stop();
    await bouncer?.stop();
    await database?.drop();
  });

  it('runs from a resident’s order to a redemption and recognition, and the ledger balances', async () => {
    const admin = await graph.token({ roles: ['platform_admin'], personId: newId() });
    const station = await graph.token({ roles: ['station_admin', 'community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [DEMO_REGIONS.xingle.id] });
    const resident = await graph.token({ roles: ['resident'], personId: DEMO_RESIDENTS[0]!.id });
    const newcomer = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'shangshan')[1]!;
    const volunteer = await graph.token({ roles: ['volunteer'], personId: newcomer.id });
    const till = await graph.token({ roles: ['merchant'], merchantId: DEMO_MERCHANTS.yonghui.id });

    await must('depositRuleSet', 'rule { pointsPerHour }', { bank: DEMO_BANK.head.id, category: 'home_repair', pointsPerHour: 600 }, admin);
    await must('teamMemberAdd', 'team { id }', { team: DEMO_TEAM.id, person: newcomer.id }, station);

    // 1 需求收集 → 2 发布 → 3 认领, and the service done and rated.
    const requestsDb = graph.graph.subgraphs.requests.database.db;
    const id = await serveRepair(
      operations,
      { resident, station, volunteer },
      {
        // The requests subgraph learns the new member by event before the volunteer may accept.
        beforeAccept: () =>
          waitFor('the directory to know the new member', async () => {
            const rows = await requestsDb
              .select()
              .from(directoryTeamMembers)
              .where(and(eq(directoryTeamMembers.teamId, DEMO_TEAM.id), eq(directoryTeamMembers.personId, newcomer.id)));
            return rows.length === 1;
          }),
      },
    );

    // 4 积分入折: the deposit, made by the points consumer from the requests outbox.
    const { earned } = await depositOf(operations, volunteer, id);

    // 5 实际兑换: spent at Yonghui's till with a payment code.
    const item = await must<{ catalogItem: { id: string } }>(
      'catalogItemCreate',
      'catalogItem { id }',
      { merchant: DEMO_MERCHANTS.yonghui.id, name: `连心回路 ${newId()}`, pricePoints: earned, stock: 5 },
      till,
    );
    const redeemed = await must<{ redemption: { status: string; totalPoints: number } }>(
      'redemptionCreate',
      'redemption { status totalPoints }',
      {
        paymentCode: await paymentCodeFor(graph, newcomer.id),
        merchant: DEMO_MERCHANTS.yonghui.id,
        items: [{ item: item.catalogItem.id, quantity: 1 }],
        idempotencyKey: newId(),
      },
      till,
    );
    expect(redeemed.redemption).toEqual({ status: 'CAPTURED', totalPoints: earned });

    // Recognition read the service and the rating from its events.
    type Recognised = { person: { serviceTally: { ratings: number; averageRating: number | null } } };
    const recognised = await eventually<Recognised>(
      'the recognition read model',
      `query ($id: ID!) { person(id: $id) { serviceTally { ratings averageRating } } }`,
      volunteer,
      { id: newcomer.id },
      (data) => data.person.serviceTally.ratings === 1,
    );
    expect(recognised.person.serviceTally).toEqual({ ratings: 1, averageRating: 5 });

    expect(await auditLedger(graph.graph.subgraphs.points.database.db)).toEqual([]);
    // Every subgraph's statements went through PgBouncer: it opened server connections for the test database.
    expect(bouncer.log()).toContain(`db=${new URL(database.url).pathname.slice(1)}`);
  });
});
