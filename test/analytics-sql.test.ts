/**
 * SQL for BI tools: the analytics role reads the de-identified views each
 * subgraph owns (requests, points, people, recognition), and nothing else
 * (not the base tables, not the access log, not another schema's personal
 * data); a person appears only as a keyed hash that is stable for one key,
 * differs between keys, is absent without one, and is the same person's in
 * every schema. Each of the analysts' eight questions is answered here in
 * SQL as that role, and its figures equal the GraphQL statistic's answer
 * through the gateway with an analyst token.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, rowsOf, type Database } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID, demoBeijing, demoId } from '@lianxin/shared/demo';
import { sql, type SQL } from 'drizzle-orm';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import { paymentCodeFor } from './support/points.js';

let graph: TestGraph;
let db: Database;
let analyst: string;

/** The demo's Yonghui supermarket and its 挂面 at 20 points (see subgraphs/points/src/db/demo/). */
const YONGHUI = demoId(23, 1);
const NOODLES = demoId(24, 3);
const AUDIENCE = 'audience-one';

beforeAll(async () => {
  graph = await startTestGraph();
  db = graph.graph.subgraphs.requests.database.db;
  analyst = await graph.token({ roles: ['analyst'] });
  // A captured redemption of this week, made by a merchant's till as in the shop.
  const paymentCode = await paymentCodeFor(graph, DEMO_SAMPLE_PERSON_ID);
  const till = await graph.token({ roles: ['merchant'], merchantId: YONGHUI });
  const made = await graph.query<{ redemptionCreate: { userErrors: unknown[] } }>(
    `mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { userErrors { code } } }`,
    { variables: { input: { paymentCode, merchant: YONGHUI, items: [{ item: NOODLES, quantity: 1 }], idempotencyKey: newId() } }, token: till },
  );
  expect(made.data?.redemptionCreate.userErrors).toEqual([]);
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

/** A person's key for the audience, as the views' `analytics_person_key` computes it. */
const keyOf = (person: string, key = AUDIENCE): string => createHash('sha256').update(`${key}:${person}`, 'utf8').digest('hex');

/** Asks the graph through the gateway with the analyst's token. */
async function ask<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response: GraphQLResponse<T> = await graph.query<T>(query, { variables, token: analyst });
  expect(response.errors).toBeUndefined();
  return response.data as T;
}

const dateText = (value: string | Date): string => (value instanceof Date ? value.toISOString() : value).slice(0, 10);
const beijingToday = (): Date => new Date(Date.now() + 8 * 3_600_000);
/** The first and last day of the Beijing calendar month `offset` months from the one holding `day`. */
function monthAround(day: Date, offset: number): { from: string; to: string } {
  const beijing = new Date(day.getTime() + 8 * 3_600_000);
  const first = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() + offset, 1));
  const last = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() + offset + 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}
/** The first and last day of the Beijing calendar quarter holding `day`. */
function quarterOf(day: Date): { from: string; to: string } {
  const beijing = new Date(day.getTime() + 8 * 3_600_000);
  const month = beijing.getUTCMonth() - (beijing.getUTCMonth() % 3);
  const first = new Date(Date.UTC(beijing.getUTCFullYear(), month, 1));
  const last = new Date(Date.UTC(beijing.getUTCFullYear(), month + 3, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

describe('the analytics role', () => {
  it('reads every fact of the views, as many rows as the facts they show', async () => {
    for (const [view, facts] of [
      ['requests.analytics_service_records', 'select count(*) from requests.service_records'],
      ['requests.analytics_service_requests', 'select count(*) from requests.service_requests'],
      ['requests.analytics_micro_wishes', 'select count(*) from requests.micro_wishes'],
      ['requests.analytics_regions', 'select count(*) from requests.directory_regions'],
      // Each transfer once for each real customer account it touches, as pointsFlowStats counts them (sandbox points are not real).
      [
        'points.analytics_points_flows',
        `select count(*) from points.transfers t cross join lateral (values (t.debit_account_id), (t.credit_account_id)) s(id)
           join points.accounts a on a.id = s.id and a.kind = 'customer' and not a.sandbox`,
      ],
      ['points.analytics_redemptions', `select count(*) from points.redemptions r join points.merchants m on m.id = r.merchant_id where r.status = 'captured' and not m.sandbox`],
      ['points.analytics_fund_entries', 'select count(*) from points.fund_entries'],
      ['points.analytics_bank_units', 'select count(*) from points.bank_units'],
      ['points.analytics_merchants', 'select count(*) from points.merchants where not sandbox'],
      ['points.analytics_funds', 'select count(*) from points.funds'],
      ['people.analytics_volunteers', 'select count(*) from people.volunteer_profiles'],
      ['people.analytics_regions', 'select count(*) from people.regions'],
      ['recognition.analytics_service_facts', 'select count(*) from recognition.service_facts'],
      ['recognition.analytics_ratings', 'select count(*) from recognition.rating_facts'],
      ['recognition.analytics_region_levels', 'select count(*) from recognition.region_levels'],
    ] as const) {
      const [viewed] = await asAnalytics<{ count: string }>(sql.raw(`select count(*) from ${view}`));
      const [held] = await rowsOf<{ count: string }>(db, sql.raw(facts));
      expect({ view, count: Number(viewed!.count) }).toEqual({ view, count: Number(held!.count) });
      expect(Number(held!.count)).toBeGreaterThan(0);
    }
  });

  it('sees volunteers only as keyed hashes: stable for a key, different for another, absent without one', async () => {
    const query = sql`select record_id, volunteer_key from requests.analytics_service_records order by record_id`;
    const first = await asAnalytics<{ record_id: string; volunteer_key: string | null }>(query, AUDIENCE);
    const again = await asAnalytics<{ record_id: string; volunteer_key: string | null }>(query, AUDIENCE);
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

  it('sees customers and volunteers of the other schemas only as keyed hashes too, and no one’s id', async () => {
    for (const [view, column] of [
      ['points.analytics_points_flows', 'holder_key'],
      ['people.analytics_volunteers', 'volunteer_key'],
      ['recognition.analytics_service_facts', 'volunteer_key'],
    ] as const) {
      const keyed = await asAnalytics<Record<string, unknown>>(sql.raw(`select * from ${view}`), AUDIENCE);
      expect({ view, keyed: keyed.every((row) => /^[0-9a-f]{64}$/.test(String(row[column]))) }).toEqual({ view, keyed: true });
      const unkeyed = await asAnalytics<Record<string, unknown>>(sql.raw(`select ${column} as key from ${view}`));
      expect({ view, unkeyed: unkeyed.every((row) => row['key'] === null) }).toEqual({ view, unkeyed: true });
      const published = JSON.stringify(keyed);
      const persons = await rowsOf<{ id: string }>(db, sql`select id::text as id from people.persons`);
      for (const { id } of persons) expect(published).not.toContain(id);
    }
  });

  it('gives one person the same key in every schema, so BI tools can join them', async () => {
    const person = DEMO_SAMPLE_PERSON_ID;
    const [functions] = await asAnalytics<Record<string, string>>(
      sql`select requests.analytics_person_key(${person}::uuid) as requests, people.analytics_person_key(${person}::uuid) as people,
                 points.analytics_person_key(${person}::uuid) as points, recognition.analytics_person_key(${person}::uuid) as recognition`,
      AUDIENCE,
    );
    expect(functions).toEqual({ requests: keyOf(person), people: keyOf(person), points: keyOf(person), recognition: keyOf(person) });
    // Through the views: the sample volunteer's records (requests, recognition), the transfers of his passbook (points), his profile (people).
    const [record] = await rowsOf<{ id: string }>(db, sql`select id from requests.service_records where volunteer_id = ${person}::uuid and kind = 'service' limit 1`);
    const [transfer] = await rowsOf<{ id: string }>(
      db,
      sql`select t.id from points.transfers t join points.accounts a on a.id = t.credit_account_id where a.holder_id = ${person}::uuid limit 1`,
    );
    const [seen] = await asAnalytics<Record<string, string | boolean>>(
      sql`select (select volunteer_key from requests.analytics_service_records where record_id = ${record!.id}::uuid) as requests,
                 (select volunteer_key from recognition.analytics_service_facts where record_id = ${record!.id}::uuid) as recognition,
                 (select holder_key from points.analytics_points_flows where transfer_id = ${transfer!.id}::uuid and direction = 'in') as points,
                 exists (select 1 from people.analytics_volunteers where volunteer_key = ${keyOf(person)}) as people`,
      AUDIENCE,
    );
    expect(seen).toEqual({ requests: keyOf(person), recognition: keyOf(person), points: keyOf(person), people: true });
    // And for every record both schemas hold, whoever served it.
    const [agreement] = await asAnalytics<{ matched: number; differing: number }>(
      sql`select count(*)::int as matched, count(*) filter (where r.volunteer_key <> f.volunteer_key)::int as differing
            from requests.analytics_service_records r join recognition.analytics_service_facts f using (record_id)`,
      AUDIENCE,
    );
    expect(agreement!.matched).toBeGreaterThan(0);
    expect(agreement!.differing).toBe(0);
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
      'people.household_members',
      'people.hardship_changes',
      'people.volunteer_profiles',
      'people.regions',
      'people.building_captains',
      'people.outbox',
      'points.accounts',
      'points.transfers',
      'points.redemptions',
      'points.redemption_lines',
      'points.fund_entries',
      'points.bank_clerks',
      'points.directory_persons',
      'points.idempotency_keys',
      'points.payment_codes',
      'points.payment_code_secrets',
      'points.clerk_assisted_redemptions',
      'points.outbox',
      'recognition.service_facts',
      'recognition.rating_facts',
      'recognition.person_tallies',
      'recognition.badge_awards',
      'recognition.outbox',
    ]) {
      expect({ table, refusal: await refusalOf(sql.raw(`select 1 from ${table} limit 1`)) }).toEqual({ table, refusal: '42501' });
    }
    // The access log: who read whose personal data in full.
    expect(await refusalOf(sql.raw(`select 1 from people.personal_data_accesses limit 1`))).toBe('42501');
    // The fund's contributors, by name, through the view's table as through the table.
    expect(await refusalOf(sql.raw(`select contributor from points.fund_entries limit 1`))).toBe('42501');
    expect(await refusalOf(sql.raw(`select contributor from points.analytics_fund_entries limit 1`))).toBe('42703');
    // It reads, and never writes: not even the household cells it may read.
    expect(await refusalOf(sql.raw(`delete from people.analytics_household_cells`))).toBe('42501');
    expect(await refusalOf(sql.raw(`insert into people.analytics_household_cells (total, suppressed, min_cell) values (true, true, 5)`))).toBe('42501');
  });
});

describe('the eight questions in SQL, as the role, with the figures of the graph', () => {
  it('(i) total service hours per community last month, and in the month of the stories’ late-November repairs', async () => {
    for (const month of [monthAround(new Date(), -1), monthAround(demoBeijing(11, 27, 10), 0)]) {
      const { serviceHourStats } = await ask<{
        serviceHourStats: { buckets: { region: { id: string } | null; figures: { minutes: number; records: number; volunteers: number } }[] };
      }>(
        `query ($from: Date!, $to: Date!) { serviceHourStats(filter: { from: $from, to: $to }, groupBy: { region: COMMUNITY }) {
           buckets { region { id } figures { minutes records volunteers } } } }`,
        month,
      );
      const rows = await asAnalytics<{ community: string; minutes: number; records: number; volunteers: number }>(
        sql`select c.region_id as community, sum(r.minutes)::int as minutes,
                   sum(case when r.kind = 'service' then 1 else -1 end)::int as records,
                   count(distinct r.volunteer_key) filter (where r.kind = 'service' and not r.reversed)::int as volunteers
              from requests.analytics_service_records r
              join requests.analytics_regions c on c.region_id = any (r.region_path) and c.kind = 'community'
             where r.served_day between ${month.from}::date and ${month.to}::date
             group by c.region_id`,
        AUDIENCE,
      );
      expect(new Map(rows.map(({ community, ...figures }) => [community, figures]))).toEqual(
        new Map(serviceHourStats.buckets.filter((bucket) => bucket.region).map((bucket) => [bucket.region!.id, bucket.figures])),
      );
    }
    const november = monthAround(demoBeijing(11, 27, 10), 0);
    const [served] = await asAnalytics<{ minutes: number }>(
      sql`select coalesce(sum(minutes), 0)::int as minutes from requests.analytics_service_records where served_day between ${november.from}::date and ${november.to}::date`,
    );
    expect(served!.minutes).toBeGreaterThan(0);
  });

  it('(ii) requests per category and status per street this year, with the median time to acceptance', async () => {
    const year = beijingToday().getUTCFullYear();
    const window = { from: `${year}-01-01`, to: `${year}-12-31` };
    const { serviceRequestStats } = await ask<{
      serviceRequestStats: {
        buckets: {
          region: { id: string } | null;
          category: { code: string };
          status: string;
          figures: { requests: number; accepted: number; toAccept: { median: number | null } };
        }[];
      };
    }>(
      `query ($from: Date!, $to: Date!) { serviceRequestStats(filter: { from: $from, to: $to }, groupBy: { region: STREET, category: true, status: true }) {
         buckets { region { id } category { code } status figures { requests accepted toAccept { median } } } } }`,
      window,
    );
    const rows = await asAnalytics<{ street: string | null; category_code: string; status: string; requests: number; accepted: number; median: number | null }>(
      sql`select s.region_id as street, q.category_code, q.status, count(*)::int as requests, count(q.accepted_at)::int as accepted,
                 round(percentile_cont(0.5) within group (order by extract(epoch from (q.accepted_at - q.created_at))))::int as median
            from requests.analytics_service_requests q
            left join requests.analytics_regions s on s.region_id = any (q.region_path) and s.kind = 'street'
           where q.filed_day between ${window.from}::date and ${window.to}::date
           group by s.region_id, q.category_code, q.status`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(
      new Map(rows.map((row) => [`${row.street} ${row.category_code} ${row.status}`, { requests: row.requests, accepted: row.accepted, toAccept: { median: row.median } }])),
    ).toEqual(new Map(serviceRequestStats.buckets.map((bucket) => [`${bucket.region?.id ?? null} ${bucket.category.code} ${bucket.status.toLowerCase()}`, bucket.figures])));
  });

  it('(iii) points deposited vs redeemed per savings office per month', async () => {
    type Figures = { deposited: number; deposits: number; redeemed: number; redemptions: number; reversed: number };
    const { pointsFlowStats } = await ask<{ pointsFlowStats: { buckets: { unit: { id: string }; period: { start: string }; figures: Figures }[] } }>(
      `{ pointsFlowStats(groupBy: { unit: SAVINGS_OFFICE, period: MONTH }) {
           buckets { unit { id } period { start } figures { deposited deposits redeemed redemptions reversed } } } }`,
    );
    const rows = await asAnalytics<Figures & { office_id: string; month: string }>(
      sql`select office_id, date_trunc('month', moved_day)::date::text as month,
                 coalesce(sum(points) filter (where cause = 'service_record' and direction = 'in'), 0)::int as deposited,
                 count(*) filter (where cause = 'service_record' and direction = 'in')::int as deposits,
                 coalesce(sum(points) filter (where cause = 'redemption' and direction = 'out'), 0)::int as redeemed,
                 count(*) filter (where cause = 'redemption' and direction = 'out')::int as redemptions,
                 coalesce(sum(points) filter (where cause = 'reversal' and direction = 'out'), 0)::int as reversed
            from points.analytics_points_flows
           group by office_id, month`,
    );
    expect(rows.reduce((sum, row) => sum + row.deposits, 0)).toBeGreaterThan(0);
    expect(rows.reduce((sum, row) => sum + row.redemptions, 0)).toBeGreaterThan(0);
    expect(new Map(rows.map(({ office_id, month, ...figures }) => [`${office_id}|${month}`, figures]))).toEqual(
      new Map(pointsFlowStats.buckets.map((bucket) => [`${bucket.unit.id}|${dateText(bucket.period.start)}`, bucket.figures])),
    );
  });

  it('(iv) households per hardship level per community: exactly the cells the graph publishes and withholds', async () => {
    const { householdStats } = await ask<{
      householdStats: {
        total: { households: number | null; suppressed: boolean };
        buckets: { region: { id: string } | null; hardship: string; figures: { households: number | null; suppressed: boolean } }[];
      };
    }>(
      `{ householdStats(groupBy: { region: COMMUNITY, hardship: true }) { total { households suppressed } buckets { region { id } hardship figures { households suppressed } } } }`,
    );
    const cells = await asAnalytics<{
      total: boolean;
      community_id: string | null;
      name: string | null;
      hardship_level: string | null;
      households: number | null;
      suppressed: boolean;
    }>(
      sql`select h.total, h.community_id, c.name, h.hardship_level::text as hardship_level, h.households, h.suppressed
            from people.analytics_household_cells h left join people.analytics_regions c on c.region_id = h.community_id`,
    );
    expect(
      new Map(cells.filter((cell) => !cell.total).map((cell) => [`${cell.community_id}/${cell.hardship_level}`, { households: cell.households, suppressed: cell.suppressed }])),
    ).toEqual(new Map(householdStats.buckets.map((bucket) => [`${bucket.region?.id ?? null}/${bucket.hardship.toLowerCase()}`, bucket.figures])));
    expect(cells.filter((cell) => cell.total).map(({ households, suppressed }) => ({ households, suppressed }))).toEqual([householdStats.total]);
    // The demo's figures (docs/analysts.md, question iv): four cells of Xincheng and Jimo's one published, six withheld, the total 62.
    expect(
      cells
        .filter((cell) => !cell.total && !cell.suppressed)
        .map((cell) => `${cell.name} ${cell.hardship_level} ${cell.households}`)
        .sort(),
    ).toEqual(['兴乐社区 special_hardship 5', '向阳社区 special_hardship 5', '朝阳社区 special_hardship 12', '紫铭社区 low_income 5', '紫铭社区 ordinary 7']);
    expect(cells.filter((cell) => cell.suppressed).every((cell) => cell.households === null)).toBe(true);
    expect(cells.filter((cell) => cell.suppressed)).toHaveLength(6);
    expect(householdStats.total).toEqual({ households: 62, suppressed: false });
  });

  it('(v) top 10 volunteers by hours in one street this quarter and in the stories’ quarter, with the street’s service and ratings', async () => {
    const street = DEMO_REGIONS.xiyilu.id;
    for (const quarter of [quarterOf(new Date()), quarterOf(demoBeijing(11, 27, 10))]) {
      const window = { street, ...quarter };
      // Every ranked volunteer (the street has fewer than 100), so a tie at the tenth place cannot pick differently.
      const answer = await ask<{
        volunteerLeaderboard: { rank: number; minutes: number; services: number; volunteer: { id: string } }[];
        serviceTallyStats: { total: { minutes: number; services: number; volunteers: number; ratings: number; averageRating: number | null } };
      }>(
        `query ($street: ID!, $from: Date!, $to: Date!) {
           volunteerLeaderboard(filter: { region: $street, from: $from, to: $to }, first: 100) { rank minutes services volunteer { id } }
           serviceTallyStats(filter: { region: $street, from: $from, to: $to }) { total { minutes services volunteers ratings averageRating } }
         }`,
        window,
      );
      expect(answer.volunteerLeaderboard.length).toBeLessThan(100);
      const board = await asAnalytics<{ volunteer_key: string; rank: number; minutes: number; services: number }>(
        sql`select volunteer_key, rank() over (order by sum(minutes) desc)::int as rank, sum(minutes)::int as minutes,
                   sum(case when kind = 'service' then 1 else -1 end)::int as services
              from recognition.analytics_service_facts
             where ${street}::uuid = any (region_path) and served_day between ${quarter.from}::date and ${quarter.to}::date
             group by volunteer_key
            having bool_or(kind = 'service' and not reversed) and sum(minutes) > 0
             order by minutes desc, volunteer_key`,
        AUDIENCE,
      );
      const byKey = (rows: { volunteer_key: string; rank: number; minutes: number; services: number }[]) =>
        new Map(rows.map(({ volunteer_key, ...figures }) => [volunteer_key, figures]));
      expect(byKey(board)).toEqual(
        byKey(answer.volunteerLeaderboard.map((entry) => ({ volunteer_key: keyOf(entry.volunteer.id), rank: entry.rank, minutes: entry.minutes, services: entry.services }))),
      );
      const [tally] = await asAnalytics<{ minutes: number; services: number; volunteers: number; ratings: number; averageRating: number | null }>(
        sql`select (select coalesce(sum(minutes), 0)::int from recognition.analytics_service_facts f
                     where ${street}::uuid = any (f.region_path) and f.served_day between ${quarter.from}::date and ${quarter.to}::date) as minutes,
                   (select coalesce(sum(case when kind = 'service' then 1 else -1 end), 0)::int from recognition.analytics_service_facts f
                     where ${street}::uuid = any (f.region_path) and f.served_day between ${quarter.from}::date and ${quarter.to}::date) as services,
                   (select count(distinct volunteer_key)::int from recognition.analytics_service_facts f
                     where ${street}::uuid = any (f.region_path) and f.served_day between ${quarter.from}::date and ${quarter.to}::date
                       and f.kind = 'service' and not f.reversed) as volunteers,
                   (select count(*)::int from recognition.analytics_ratings g
                     where ${street}::uuid = any (g.region_path) and g.rated_day between ${quarter.from}::date and ${quarter.to}::date) as ratings,
                   (select round(avg(score), 2)::float8 from recognition.analytics_ratings g
                     where ${street}::uuid = any (g.region_path) and g.rated_day between ${quarter.from}::date and ${quarter.to}::date) as "averageRating"`,
        AUDIENCE,
      );
      expect(tally).toEqual(answer.serviceTallyStats.total);
    }
    const stories = quarterOf(demoBeijing(11, 27, 10));
    const [ranked] = await asAnalytics<{ count: number }>(
      sql`select count(distinct volunteer_key)::int as count from recognition.analytics_service_facts
           where ${street}::uuid = any (region_path) and served_day between ${stories.from}::date and ${stories.to}::date`,
      AUDIENCE,
    );
    expect(ranked!.count).toBeGreaterThan(0);
  });

  it('(vi) redemptions per merchant per week', async () => {
    type Figures = { redemptions: number; points: number; items: number };
    const { redemptionStats } = await ask<{ redemptionStats: { buckets: { merchant: { id: string }; period: { start: string }; figures: Figures }[] } }>(
      `{ redemptionStats(groupBy: { merchant: true, period: WEEK }) { buckets { merchant { id } period { start } figures { redemptions points items } } } }`,
    );
    const rows = await asAnalytics<Figures & { merchant_id: string; week: string; name: string }>(
      sql`select r.merchant_id, m.name, date_trunc('week', r.captured_day)::date::text as week,
                 count(*)::int as redemptions, sum(r.points)::int as points, sum(r.items)::int as items
            from points.analytics_redemptions r join points.analytics_merchants m using (merchant_id)
           group by r.merchant_id, m.name, week`,
    );
    expect(new Map(rows.map(({ merchant_id, week, name: _name, ...figures }) => [`${merchant_id}|${week}`, figures]))).toEqual(
      new Map(redemptionStats.buckets.map((bucket) => [`${bucket.merchant.id}|${dateText(bucket.period.start)}`, bucket.figures])),
    );
    expect(rows.some((row) => row.name === '永辉超市新城店')).toBe(true);
  });

  it('(vii) micro-wish fulfilment rate per community', async () => {
    type Figures = { posted: number; fulfilled: number; fulfilmentRate: number | null };
    const { microWishStats } = await ask<{ microWishStats: { buckets: { region: { id: string } | null; figures: Figures }[] } }>(
      `{ microWishStats(groupBy: { region: COMMUNITY }) { buckets { region { id } figures { posted fulfilled fulfilmentRate } } } }`,
    );
    const rows = await asAnalytics<Figures & { community: string | null }>(
      sql`select c.region_id as community, count(*)::int as posted, count(w.fulfilled_at)::int as fulfilled,
                 round(count(w.fulfilled_at)::numeric / count(*), 4)::float8 as "fulfilmentRate"
            from requests.analytics_micro_wishes w
            left join requests.analytics_regions c on c.region_id = any (w.region_path) and c.kind = 'community'
           group by c.region_id`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(new Map(rows.map(({ community, ...figures }) => [community, figures]))).toEqual(
      new Map(microWishStats.buckets.map((bucket) => [bucket.region?.id ?? null, bucket.figures])),
    );
  });

  it('(viii) fund contributions by source per quarter, the disbursements apart', async () => {
    type Figures = { contributed: number; contributions: number; disbursed: number; disbursements: number };
    const { fundStats } = await ask<{ fundStats: { buckets: { source: string | null; period: { start: string }; figures: Figures }[] } }>(
      `{ fundStats(groupBy: { source: true, period: QUARTER }) { buckets { source period { start } figures { contributed contributions disbursed disbursements } } } }`,
    );
    const rows = await asAnalytics<Figures & { source: string | null; quarter: string }>(
      sql`select source, date_trunc('quarter', entry_day)::date::text as quarter,
                 coalesce(sum(amount_fen) filter (where kind = 'contribution'), 0)::int as contributed,
                 count(*) filter (where kind = 'contribution')::int as contributions,
                 coalesce(sum(amount_fen) filter (where kind = 'disbursement'), 0)::int as disbursed,
                 count(*) filter (where kind = 'disbursement')::int as disbursements
            from points.analytics_fund_entries
           group by source, quarter`,
    );
    expect(new Map(rows.map(({ source, quarter, ...figures }) => [`${source?.toUpperCase() ?? null}|${quarter}`, figures]))).toEqual(
      new Map(fundStats.buckets.map((bucket) => [`${bucket.source}|${dateText(bucket.period.start)}`, bucket.figures])),
    );
    // The demo fund's four contributions (四个一点), in fen.
    expect(rows.reduce((sum, row) => sum + row.contributed, 0)).toBe(2_618_000);
  });
});
