/**
 * SQL for BI tools: the analytics role reads the de-identified views each
 * subgraph owns, and nothing else (not the base tables, not the access log,
 * not another schema's personal data); a person appears only as a keyed hash
 * that is stable for one key, differs between keys, and is absent without one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rowsOf, type Database } from '@lianxin/shared';
import { sql, type SQL } from 'drizzle-orm';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let db: Database;

beforeAll(async () => {
  graph = await startTestGraph();
  db = graph.graph.subgraphs.requests.database.db;
});
afterAll(async () => {
  await graph?.stop();
});

/** Runs `query` as the analytics role (with `key` as its pseudonym key, when given), in a transaction rolled back after. */
async function asAnalytics<T>(query: SQL, key?: string): Promise<T[]> {
  let rows: T[] = [];
  await db
    .transaction(async (tx) => {
      await tx.execute(sql`set local role lianxin_analytics`);
      if (key) await tx.execute(sql`select set_config('lianxin.pseudonym_key', ${key}, true)`);
      rows = await rowsOf<T>(tx, query);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return rows;
}
class RolledBack extends Error {}

/** The SQLSTATE the analytics role is refused with, or null when it may read. */
async function refusalOf(query: SQL): Promise<string | null> {
  try {
    await asAnalytics(query);
    return null;
  } catch (error) {
    const cause = (error as { cause?: { code?: string }; code?: string }).cause ?? error;
    return (cause as { code?: string }).code ?? 'unknown';
  }
}

describe('the analytics role', () => {
  it('reads every fact of the views, as many rows as the tables hold', async () => {
    for (const [view, table] of [
      ['requests.analytics_service_records', 'requests.service_records'],
      ['requests.analytics_service_requests', 'requests.service_requests'],
      ['requests.analytics_micro_wishes', 'requests.micro_wishes'],
      ['requests.analytics_regions', 'requests.directory_regions'],
    ] as const) {
      const [viewed] = await asAnalytics<{ count: string }>(sql.raw(`select count(*) from ${view}`));
      const [held] = await rowsOf<{ count: string }>(db, sql.raw(`select count(*) from ${table}`));
      expect({ view, count: Number(viewed!.count) }).toEqual({ view, count: Number(held!.count) });
      expect(Number(held!.count)).toBeGreaterThan(0);
    }
  });

  it('answers question (i) in SQL: minutes per community in a month, as the GraphQL statistic does', async () => {
    const rows = await asAnalytics<{ community: string; minutes: number }>(sql`
      select c.region_id as community, sum(r.minutes)::int as minutes
        from requests.analytics_service_records r
        join requests.analytics_regions c on c.region_id = any(r.region_path) and c.kind = 'community'
       group by c.region_id`);
    const [all] = await rowsOf<{ minutes: number }>(db, sql`select coalesce(sum(minutes), 0)::int as minutes from requests.service_records`);
    expect(rows.reduce((sum, row) => sum + row.minutes, 0)).toBe(all!.minutes);
  });

  it('sees volunteers only as keyed hashes: stable for a key, different for another, absent without one', async () => {
    const query = sql`select record_id, volunteer_key from requests.analytics_service_records order by record_id`;
    const first = await asAnalytics<{ record_id: string; volunteer_key: string | null }>(query, 'audience-one');
    const again = await asAnalytics<{ record_id: string; volunteer_key: string | null }>(query, 'audience-one');
    const other = await asAnalytics<{ record_id: string; volunteer_key: string | null }>(query, 'audience-two');
    const none = await asAnalytics<{ record_id: string; volunteer_key: string | null }>(query);
    expect(first.every((row) => /^[0-9a-f]{64}$/.test(row.volunteer_key ?? ''))).toBe(true);
    expect(again).toEqual(first);
    expect(other.map((row) => row.volunteer_key)).not.toEqual(first.map((row) => row.volunteer_key));
    expect(none.every((row) => row.volunteer_key === null)).toBe(true);
    const volunteers = await rowsOf<{ id: string }>(db, sql`select volunteer_id::text as id from requests.service_records`);
    const published = JSON.stringify(first);
    for (const { id } of volunteers) expect(published).not.toContain(id);
  });

  it('is refused the base tables, the access log, other schemas’ personal data and the bookkeeping', async () => {
    for (const table of [
      'requests.service_records',
      'requests.service_requests',
      'requests.micro_wishes',
      'requests.directory_persons',
      'requests.outbox',
      'people.persons',
      'people.households',
      'points.accounts',
      'points.transfers',
    ]) {
      expect({ table, refusal: await refusalOf(sql.raw(`select 1 from ${table} limit 1`)) }).toEqual({ table, refusal: '42501' });
    }
    // The access log: who read whose personal data in full.
    expect(await refusalOf(sql.raw(`select 1 from people.personal_data_accesses limit 1`))).toBe('42501');
  });
});
