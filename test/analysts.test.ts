/**
 * The analysts' questions, through the gateway with an analyst token, with
 * figures checked against the demo data read straight from the tables: (i)
 * total service hours per community in a month. Regions come back as
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
