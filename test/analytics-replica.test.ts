/**
 * Statistics read from a read replica (ANALYTICS_DATABASE_URL) on a pool of
 * their own with a statement timeout. Against a real streaming replica of the
 * test server: a write on the primary reaches it, `ctx.analytics` reads from
 * it while the primary takes writes, and a statement past the timeout is
 * cancelled and reaches the caller as STATISTICS_TIMEOUT, not a 500, and a
 * statement the replica cancels to replay the primary's changes (a recovery
 * conflict) is read again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { requestsSubgraph } from '@lianxin/requests';
import { analyticsQuery, mergeResolvers, rowsOf, type Database, type GraphQLResolverMap, type SubgraphBaseContext, type SubgraphModule } from '@lianxin/shared';
import { createTestDatabase, startStreamingReplica, startSubgraphHarness, type StreamingReplica, type SubgraphHarness, type TestDatabase } from '@lianxin/shared/testing';

const STATEMENT_TIMEOUT_MS = 300;

/** Probe fields, in this test only: the graph has no statistics yet, and these show what `ctx.analytics` reaches. */
const PROBE_SDL = `
extend type Query {
  "Whether the statistics handle, then the main handle, is on a server in recovery (a replica)."
  probeRecovery: [Boolean!]!
  "Rows of the probe table, counted through the statistics handle."
  probeRows: Int!
  "Sleeps \`ms\` milliseconds in a statement on the statistics handle."
  probeSleep(ms: Int!): Boolean!
  "Counts the probe table's rows in a statement that also sleeps \`ms\` milliseconds (without a timeout), holding its lock on the table."
  probeSlowRows(ms: Int!): Int!
  "A statement that always fails as a recovery conflict does (SQLSTATE 40001)."
  probeConflict: Boolean!
}
`;

type ProbeContext = SubgraphBaseContext & { db: Database };

/** How many times `probeConflict`'s statement was run. */
let conflictAttempts = 0;

function probed<TContext extends ProbeContext, TSettings>(module: SubgraphModule<TContext, TSettings>): SubgraphModule<TContext, TSettings> {
  const recovering = async (db: Database) => (await rowsOf<{ recovering: boolean }>(db, sql`select pg_is_in_recovery() as recovering`))[0]?.recovering;
  const probes: GraphQLResolverMap<TContext> = {
    Query: {
      probeRecovery: async (_parent: unknown, _args: unknown, ctx: TContext) => [await analyticsQuery(ctx, recovering), await recovering(ctx.db)],
      probeRows: (_parent: unknown, _args: unknown, ctx: TContext) =>
        analyticsQuery(ctx, async (db) => Number((await rowsOf<{ rows: string }>(db, sql`select count(*)::text as rows from analytics_probe`))[0]?.rows)),
      probeSleep: async (_parent: unknown, { ms }: { ms: number }, ctx: TContext) => {
        await analyticsQuery(ctx, (db) => db.execute(sql`select pg_sleep(${ms / 1000})`));
        return true;
      },
      // Past the file's short statement timeout, so that only the recovery conflict can cancel it. `analyticsQuery` reads in
      // a transaction of its own, where the timeout is set: this lifts it for the rest of that transaction. (Not in a
      // savepoint: a lock conflict cancels a statement only outside one, and ends the whole session inside.)
      probeSlowRows: (_parent: unknown, { ms }: { ms: number }, ctx: TContext) =>
        analyticsQuery(ctx, async (db) => {
          await db.execute(sql`set local statement_timeout = 0`);
          return (await rowsOf<{ rows: number }>(db, sql`select count(*)::int as rows from analytics_probe, pg_sleep(${ms / 1000})`))[0]?.rows;
        }),
      probeConflict: async (_parent: unknown, _args: unknown, ctx: TContext) => {
        await analyticsQuery(ctx, (db) => {
          conflictAttempts += 1;
          return db.execute(sql.raw(`do $$ begin raise exception 'canceling statement due to conflict with recovery' using errcode = '40001'; end $$`));
        });
        return true;
      },
    },
  };
  return { ...module, sdl: `${module.sdl}\n${PROBE_SDL}`, resolvers: mergeResolvers(module.resolvers, probes) };
}

async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 5000): Promise<{ value: T; ms: number }> {
  const began = Date.now();
  let value = await read();
  while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() - began < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return { value, ms: Date.now() - began };
}

describe('statistics on a streaming replica', () => {
  let replica: StreamingReplica;
  let requests: SubgraphHarness<ReturnType<typeof requestsSubgraph.createContext>>;

  beforeAll(async () => {
    // A replica that cancels a conflicting read at once, rather than holding replay up to 30 s for it.
    replica = await startStreamingReplica({ max_standby_streaming_delay: '0' });
    // The harness's database is made on the primary after the backup: streaming brings it to the replica.
    requests = await startSubgraphHarness(probed(requestsSubgraph), {
      demoData: false,
      analytics: { url: (database) => replica.waitForDatabase(database.name), statementTimeoutMs: STATEMENT_TIMEOUT_MS },
    });
    await requests.database.db.execute(sql`create table analytics_probe (id serial primary key, note text not null)`);
  }, 120_000);

  afterAll(async () => {
    await requests?.stop();
    await replica?.stop();
  });

  it('copies the test server into a replica that is in recovery, shows a write on the primary within seconds and refuses writes of its own', async () => {
    expect(replica.backup.bytes).toBeGreaterThan(1_000_000);
    let database: TestDatabase | null = null;
    const clients: postgres.Sql[] = [];
    try {
      database = await createTestDatabase('replica');
      const primary = postgres(database.url, { max: 1, onnotice: () => undefined });
      clients.push(primary);
      const onReplica = postgres(await replica.waitForDatabase(database.name), { max: 1, onnotice: () => undefined });
      clients.push(onReplica);
      expect(await primary`select pg_is_in_recovery() as recovering`).toEqual([{ recovering: false }]);
      expect(await onReplica`select pg_is_in_recovery() as recovering`).toEqual([{ recovering: true }]);

      await primary`create table written (note text not null)`;
      await primary`insert into written values ('from the primary')`;
      const seen = await eventually(async () => (await onReplica`select note from written`.catch(() => [])).map((row) => row['note'] as string), ['from the primary']);
      expect(seen.value).toEqual(['from the primary']);
      expect(seen.ms).toBeLessThan(5000);

      await expect(onReplica`insert into written values ('on the replica')`).rejects.toMatchObject({ code: '25006' });
    } finally {
      for (const client of clients) await client.end();
      await database?.drop();
    }
  });

  it('reads through ctx.analytics from the replica while the main handle writes on the primary', async () => {
    expect(await requests.execute('{ probeRecovery }')).toEqual({ data: { probeRecovery: [true, false] }, errors: undefined });

    // The primary takes a write every few milliseconds while statistics read from the replica.
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await requests.database.db.execute(sql`insert into analytics_probe (note) values ('written')`);
        written += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const counts: number[] = [];
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const { data, errors } = await requests.execute('{ probeRows }');
      expect(errors).toBeUndefined();
      counts.push((data as { probeRows: number }).probeRows);
    }
    writing = false;
    await writer;

    expect(written).toBeGreaterThan(20);
    expect(counts.length).toBeGreaterThan(5);
    // The replica never runs ahead of the primary, and what it shows only grows.
    expect(counts.every((count, index) => count <= written && (index === 0 || count >= (counts[index - 1] ?? 0)))).toBe(true);
    expect(counts[counts.length - 1]).toBeGreaterThan(0);
    const caughtUp = await eventually(async () => (await requests.execute('{ probeRows }')).data, { probeRows: written });
    expect(caughtUp.value).toEqual({ probeRows: written });

    // The statistics handle is read-only even where it could write.
    await expect(requests.analytics.db.execute(sql`insert into analytics_probe (note) values ('statistics')`)).rejects.toMatchObject({ cause: { code: '25006' } });
  });

  it('cancels a statistics statement past ANALYTICS_STATEMENT_TIMEOUT_MS and answers STATISTICS_TIMEOUT, leaving the main handle unlimited', async () => {
    const began = Date.now();
    const slow = await requests.execute('{ probeSleep(ms: 3000) }');
    const tookMs = Date.now() - began;
    expect(slow).toEqual({
      data: null,
      errors: [
        {
          message: 'These statistics took too long to compute. Narrow the filter (a shorter period, fewer regions) and ask again.',
          locations: [{ line: 1, column: 3 }],
          path: ['probeSleep'],
          extensions: { code: 'STATISTICS_TIMEOUT' },
        },
      ],
    });
    expect(tookMs).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 50);
    expect(tookMs).toBeLessThan(2000);

    expect(await requests.execute('{ probeSleep(ms: 50) }')).toEqual({ data: { probeSleep: true }, errors: undefined });
    expect(await rowsOf(requests.database.db, sql`select 1 as done from pg_sleep(${(STATEMENT_TIMEOUT_MS * 2) / 1000})`)).toEqual([{ done: 1 }]);
  });

  it('reads again a statement the replica cancelled to replay a lock the primary took (a recovery conflict), once', async () => {
    const onReplica = postgres(await replica.waitForDatabase(requests.testDatabase.name), { max: 1, onnotice: () => undefined });
    try {
      const lockConflicts = async () =>
        Number((await onReplica<{ conflicts: string }[]>`select confl_lock::text as conflicts from pg_stat_database_conflicts where datname = current_database()`)[0]?.conflicts);
      const before = await lockConflicts();
      const [held] = await rowsOf<{ rows: number }>(requests.database.db, sql`select count(*)::int as rows from analytics_probe`);
      const slow = requests.execute('{ probeSlowRows(ms: 1500) }');
      await eventually(
        async () =>
          Number(
            (
              await onReplica<
                { running: string }[]
              >`select count(*)::text as running from pg_stat_activity where state = 'active' and query like '%pg_sleep%' and pid <> pg_backend_pid()`
            )[0]?.running,
          ),
        1,
      );
      // An ACCESS EXCLUSIVE lock is written to the WAL: replaying it must cancel the replica's read of the table.
      await requests.database.db.transaction(async (tx) => {
        await tx.execute(sql`lock table analytics_probe in access exclusive mode`);
        await tx.execute(sql`select pg_sleep(0.5)`);
      });
      expect(await slow).toEqual({ data: { probeSlowRows: held!.rows }, errors: undefined });
      expect((await eventually(lockConflicts, before + 1)).value).toBe(before + 1);
    } finally {
      await onReplica.end();
    }
  });

  it('answers STATISTICS_TIMEOUT when the replica cancels the statement again', async () => {
    conflictAttempts = 0;
    const { data, errors } = await requests.execute('{ probeConflict }');
    expect(data).toBeNull();
    expect(errors?.map((error) => error.extensions?.['code'])).toEqual(['STATISTICS_TIMEOUT']);
    expect(conflictAttempts).toBe(2);
  });
});
