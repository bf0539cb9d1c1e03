/**
 * The analysts' questions, through the gateway with an analyst token, with
 * figures checked against the demo data read straight from the tables: (i)
 * total service hours per community in a month; (ii) requests per category
 * and status per street this year, with the median wait for acceptance;
 * (vii) the micro-wish fulfilment rate per community. Regions come back as
 * entities the people subgraph names.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rowsOf } from '@lianxin/shared';
import { demoBeijing } from '@lianxin/shared/demo';
import { sql } from 'drizzle-orm';
import { startTestGraph, type TestGraph } from './support/graph.js';

const HOURS_PER_COMMUNITY = `query ($from: Date!, $to: Date!) {
  serviceHourStats(filter: { from: $from, to: $to }, groupBy: { region: COMMUNITY }) {
    total { minutes hours records volunteers }
    buckets { region { id name } period { start } category { code } figures { minutes hours records volunteers } }
  }
}`;

interface Figures {
  minutes: number;
  hours: number;
  records: number;
  volunteers: number;
}
interface HoursAnswer {
  serviceHourStats: {
    total: Figures;
    buckets: { region: { id: string; name: string } | null; period: null; category: null; figures: Figures }[];
  };
}

let graph: TestGraph;
let analyst: string;

beforeAll(async () => {
  graph = await startTestGraph();
  analyst = await graph.token({ roles: ['analyst'] });
});
afterAll(async () => {
  await graph?.stop();
});

/** The first and last day of the Beijing calendar month `offset` months from the one holding `day`. */
function monthAround(day: Date, offset: number): { from: string; to: string } {
  const beijing = new Date(day.getTime() + 8 * 3_600_000);
  const first = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() + offset, 1));
  const last = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() + offset + 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/** Service hours per community in [from, to], counted here from the records and the regions' kinds, as an analyst would by hand. */
async function expectedPerCommunity(from: string, to: string): Promise<Map<string, Figures>> {
  const db = graph.graph.subgraphs.requests.database.db;
  const records = await rowsOf<{ id: string; kind: string; minutes: number; volunteer_id: string; reverses_id: string | null; community: string | null }>(
    db,
    sql`select r.id, r.kind, r.minutes, r.volunteer_id, r.reverses_id,
               (select d.id from requests.directory_regions d where d.id = any(r.region_path) and d.kind = 'community') as community
          from requests.service_records r
         where r.served_at >= ${`${from}T00:00:00+08:00`}::timestamptz and r.served_at < (${`${to}T00:00:00+08:00`}::timestamptz + interval '1 day')`,
  );
  const reversed = new Set(records.filter((record) => record.reverses_id).map((record) => record.reverses_id));
  const byCommunity = new Map<string, { minutes: number; records: number; volunteers: Set<string> }>();
  for (const record of records) {
    if (!record.community) continue;
    const figures = byCommunity.get(record.community) ?? { minutes: 0, records: 0, volunteers: new Set<string>() };
    figures.minutes += record.minutes;
    figures.records += record.kind === 'service' ? 1 : -1;
    if (record.kind === 'service' && !reversed.has(record.id)) figures.volunteers.add(record.volunteer_id);
    byCommunity.set(record.community, figures);
  }
  return new Map(
    [...byCommunity].map(([community, figures]) => [
      community,
      { minutes: figures.minutes, hours: Math.round((figures.minutes / 60) * 100) / 100, records: figures.records, volunteers: figures.volunteers.size },
    ]),
  );
}

async function hoursPerCommunity(month: { from: string; to: string }): Promise<HoursAnswer['serviceHourStats']> {
  const response = await graph.query<HoursAnswer>(HOURS_PER_COMMUNITY, { variables: month, token: analyst });
  expect(response.errors).toBeUndefined();
  return response.data!.serviceHourStats;
}

describe('(i) total service hours per community last month', () => {
  it('answers last month with the figures the records hold, each community named through the graph', async () => {
    const month = monthAround(new Date(), -1);
    const answer = await hoursPerCommunity(month);
    const expected = await expectedPerCommunity(month.from, month.to);
    const communities = answer.buckets.filter((bucket) => bucket.region !== null);
    expect(new Map(communities.map((bucket) => [bucket.region!.id, bucket.figures]))).toEqual(expected);
    for (const bucket of communities) expect(bucket.region!.name).toMatch(/社区$/);
    expect(answer.buckets.every((bucket) => bucket.period === null && bucket.category === null)).toBe(true);
  });

  it('finds the repairs of the stories’ late November in their month: 王建国’s ceiling light in Xingle, with the totals', async () => {
    const month = monthAround(demoBeijing(11, 27, 10), 0);
    const answer = await hoursPerCommunity(month);
    const expected = await expectedPerCommunity(month.from, month.to);
    const xingle = answer.buckets.find((bucket) => bucket.region?.name === '兴乐社区');
    expect(xingle?.figures).toEqual(expected.get(xingle!.region!.id));
    expect(xingle!.figures.minutes).toBeGreaterThanOrEqual(70);
    const sum = answer.buckets.reduce((total, bucket) => total + bucket.figures.minutes, 0);
    expect(answer.total.minutes).toBe(sum);
    expect(answer.total.volunteers).toBeGreaterThanOrEqual(1);
  });

  it('is refused to a volunteer, and asks an anonymous caller to sign in', async () => {
    const month = monthAround(new Date(), -1);
    const volunteer = await graph.token({ roles: ['volunteer'], personId: '00000000-0000-7000-8002-000000000001' });
    const refused = await graph.query(HOURS_PER_COMMUNITY, { variables: month, token: volunteer });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const anonymous = await graph.query(HOURS_PER_COMMUNITY, { variables: month });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

/** The middle of `values` as Postgres' percentile_cont(0.5) gives it (the mean of the two middle ones), rounded; null for none. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return Math.round((sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2);
}

const REQUESTS_PER_STREET = `query ($from: Date!, $to: Date!) {
  serviceRequestStats(filter: { from: $from, to: $to }, groupBy: { region: STREET, category: true, status: true }) {
    total { requests accepted toAccept { median p90 } }
    buckets { region { id name } category { code } status figures { requests accepted toAccept { median } } }
  }
}`;

interface RequestsAnswer {
  serviceRequestStats: {
    total: { requests: number; accepted: number; toAccept: { median: number | null; p90: number | null } };
    buckets: {
      region: { id: string; name: string } | null;
      category: { code: string };
      status: string;
      figures: { requests: number; accepted: number; toAccept: { median: number | null } };
    }[];
  };
}

describe('(ii) requests per category and status per street this year, with the median time to acceptance', () => {
  it('answers with the counts and medians the requests hold, each street named through the graph', async () => {
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const window = { from: `${year}-01-01`, to: `${year}-12-31` };
    const response = await graph.query<RequestsAnswer>(REQUESTS_PER_STREET, { variables: window, token: analyst });
    expect(response.errors).toBeUndefined();
    const answer = response.data!.serviceRequestStats;
    const rows = await rowsOf<{ street: string | null; category_code: string; status: string; to_accept: number | null }>(
      graph.graph.subgraphs.requests.database.db,
      sql`select (select d.id from requests.directory_regions d where d.id = any(q.region_path) and d.kind = 'street') as street,
                 q.category_code, q.status::text as status, extract(epoch from (q.accepted_at - q.created_at))::float8 as to_accept
            from requests.service_requests q
           where q.created_at >= ${`${window.from}T00:00:00+08:00`}::timestamptz and q.created_at < ${`${year + 1}-01-01T00:00:00+08:00`}::timestamptz`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const expected = new Map<string, { requests: number; accepted: number; toAccept: { median: number | null } }>();
    for (const key of new Set(rows.map((row) => `${row.street} ${row.category_code} ${row.status}`))) {
      const bucket = rows.filter((row) => `${row.street} ${row.category_code} ${row.status}` === key);
      const waits = bucket.flatMap((row) => (row.to_accept === null ? [] : [Number(row.to_accept)]));
      expected.set(key, { requests: bucket.length, accepted: waits.length, toAccept: { median: median(waits) } });
    }
    const answered = new Map(answer.buckets.map((bucket) => [`${bucket.region?.id ?? null} ${bucket.category.code} ${bucket.status.toLowerCase()}`, bucket.figures]));
    expect(answered).toEqual(expected);
    for (const bucket of answer.buckets) if (bucket.region) expect(bucket.region.name).toMatch(/街道$/);
    const waits = rows.flatMap((row) => (row.to_accept === null ? [] : [Number(row.to_accept)]));
    expect(answer.total).toMatchObject({ requests: rows.length, accepted: waits.length, toAccept: { median: median(waits) } });
    expect(answer.total.toAccept.p90).toBeGreaterThanOrEqual(answer.total.toAccept.median!);
  });
});

describe('(vii) the micro-wish fulfilment rate per community', () => {
  it('answers posted, fulfilled and their ratio per community as the wishes hold them', async () => {
    const response = await graph.query<{
      microWishStats: { buckets: { region: { name: string; id: string } | null; figures: { posted: number; fulfilled: number; fulfilmentRate: number | null } }[] };
    }>(`{ microWishStats(groupBy: { region: COMMUNITY }) { buckets { region { id name } figures { posted fulfilled fulfilmentRate } } } }`, { token: analyst });
    expect(response.errors).toBeUndefined();
    const wishes = await rowsOf<{ community: string | null; fulfilled: boolean }>(
      graph.graph.subgraphs.requests.database.db,
      sql`select (select d.id from requests.directory_regions d where d.id = any(w.region_path) and d.kind = 'community') as community,
                 w.fulfilled_at is not null as fulfilled
            from requests.micro_wishes w`,
    );
    expect(wishes.length).toBeGreaterThan(0);
    const expected = new Map<string | null, { posted: number; fulfilled: number; fulfilmentRate: number | null }>();
    for (const community of new Set(wishes.map((wish) => wish.community))) {
      const posted = wishes.filter((wish) => wish.community === community);
      const fulfilled = posted.filter((wish) => wish.fulfilled).length;
      expected.set(community, { posted: posted.length, fulfilled, fulfilmentRate: Math.round((fulfilled / posted.length) * 10_000) / 10_000 });
    }
    expect(new Map(response.data!.microWishStats.buckets.map((bucket) => [bucket.region?.id ?? null, bucket.figures]))).toEqual(expected);
  });
});
