/**
 * The analysts' questions the people subgraph answers, through the gateway
 * with an analyst token, with figures checked against the demo's tables read
 * here: (iv) households per hardship level per community, with the small
 * cells suppressed and nothing suppressed derivable from what is published;
 * and volunteers registered per community and month.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rowsOf } from '@lianxin/shared';
import { sql } from 'drizzle-orm';
import { startTestGraph, type TestGraph } from './support/graph.js';

const HARDSHIP_PER_COMMUNITY = `query {
  householdStats(groupBy: { region: COMMUNITY, hardship: true }) {
    total { households suppressed }
    buckets { region { id name } hardship figures { households suppressed } }
  }
}`;
const HOUSEHOLDS_PER_COMMUNITY = `query { householdStats(groupBy: { region: COMMUNITY }) { total { households } buckets { region { id } figures { households suppressed } } } }`;
const HOUSEHOLDS_PER_LEVEL = `query { householdStats(groupBy: { hardship: true }) { buckets { hardship figures { households suppressed } } } }`;
const VOLUNTEERS_PER_COMMUNITY = `query {
  volunteerStats(groupBy: { region: COMMUNITY, period: MONTH }) {
    total { registered active }
    buckets { region { id name } period { start end } figures { registered active } }
  }
}`;

interface HouseholdFigures {
  households: number | null;
  suppressed: boolean;
}
interface HardshipAnswer {
  householdStats: { total: HouseholdFigures; buckets: { region: { id: string; name: string } | null; hardship: string | null; figures: HouseholdFigures }[] };
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

async function ask<T>(query: string, token: string): Promise<T> {
  const response = await graph.query<T>(query, { token });
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** Households per community and level (`community/LEVEL`), counted here from the register and the regions' kinds. */
async function householdsPerCell(): Promise<Map<string, number>> {
  const rows = await rowsOf<{ community: string; level: string }>(
    graph.graph.subgraphs.people.database.db,
    sql`select (select c.id from people.regions c where (c.id = a.id or c.id = any(a.path)) and c.kind = 'community') as community, upper(h.hardship_level::text) as level
          from people.households h join people.regions a on a.id = h.address_region_id`,
  );
  const cells = new Map<string, number>();
  for (const row of rows) cells.set(`${row.community}/${row.level}`, (cells.get(`${row.community}/${row.level}`) ?? 0) + 1);
  return cells;
}

describe('(iv) households per hardship level per community', () => {
  it('publishes the cells of 5 or more that give nothing away, suppresses those under 5 and their complements, and shows the total', async () => {
    const expected = await householdsPerCell();
    expect([...expected.values()].reduce((sum, count) => sum + count, 0)).toBe(62);
    // The demo's small cells: 兴乐 low income 4, 向阳 low income 2 and ordinary 4, 向荣 low income 4.
    expect([...expected.values()].filter((count) => count < 5).sort()).toEqual([2, 4, 4, 4]);

    const { householdStats } = await ask<HardshipAnswer>(HARDSHIP_PER_COMMUNITY, analyst);
    expect(householdStats.total).toEqual({ households: 62, suppressed: false });
    expect(householdStats.buckets).toHaveLength(expected.size);
    const answered = new Map(householdStats.buckets.map((bucket) => [`${bucket.region!.id}/${bucket.hardship}`, bucket.figures]));
    for (const [cell, count] of expected) {
      // Every small cell is suppressed; every published figure is the register's.
      if (count < 5) expect(answered.get(cell)).toEqual({ households: null, suppressed: true });
      else expect(answered.get(cell)).toEqual(answered.get(cell)!.suppressed ? { households: null, suppressed: true } : { households: count, suppressed: false });
    }
    const published = householdStats.buckets
      .filter((bucket) => !bucket.figures.suppressed)
      .map((bucket) => `${bucket.region!.name} ${bucket.hardship} ${bucket.figures.households}`)
      .sort();
    expect(published).toEqual(['兴乐社区 SPECIAL_HARDSHIP 5', '向阳社区 SPECIAL_HARDSHIP 5', '朝阳社区 SPECIAL_HARDSHIP 12', '紫铭社区 LOW_INCOME 5', '紫铭社区 ORDINARY 7']);
  });

  it('lets no suppressed cell be worked out from the total, nor from the community and level totals other questions publish', async () => {
    const { householdStats } = await ask<HardshipAnswer>(HARDSHIP_PER_COMMUNITY, analyst);
    const perCommunity = await ask<{ householdStats: { total: { households: number }; buckets: { region: { id: string }; figures: HouseholdFigures }[] } }>(
      HOUSEHOLDS_PER_COMMUNITY,
      analyst,
    );
    const perLevel = await ask<{ householdStats: { buckets: { hardship: string; figures: HouseholdFigures }[] } }>(HOUSEHOLDS_PER_LEVEL, analyst);
    // Each margin an analyst can read (a community's total, a level's total, the grand total) minus what is published of it
    // leaves a sum of at least two suppressed cells, itself 5 or more: no single cell follows.
    const margins: { of: (bucket: HardshipAnswer['householdStats']['buckets'][number]) => boolean; total: number }[] = [
      { of: () => true, total: householdStats.total.households! },
      ...perCommunity.householdStats.buckets.map((bucket) => ({
        of: (cell: { region: { id: string } | null }) => cell.region!.id === bucket.region.id,
        total: bucket.figures.households!,
      })),
      ...perLevel.householdStats.buckets.map((bucket) => ({ of: (cell: { hardship: string | null }) => cell.hardship === bucket.hardship, total: bucket.figures.households! })),
    ];
    expect(margins).toHaveLength(1 + 5 + 3);
    const expected = await householdsPerCell();
    for (const margin of margins) {
      const cells = householdStats.buckets.filter(margin.of);
      const withheld = cells.filter((cell) => cell.figures.suppressed);
      const rest = margin.total - cells.reduce((sum, cell) => sum + (cell.figures.households ?? 0), 0);
      if (withheld.length === 0) expect(rest).toBe(0);
      else {
        expect(withheld.length).toBeGreaterThanOrEqual(2);
        expect(rest).toBe(withheld.reduce((sum, cell) => sum + expected.get(`${cell.region!.id}/${cell.hardship}`)!, 0));
        expect(rest).toBeGreaterThanOrEqual(5);
        expect(rest).toBeGreaterThan(withheld.length);
      }
    }
    // The margins are all published, none under 5.
    expect(perCommunity.householdStats.buckets.map((bucket) => bucket.figures.households).sort()).toEqual([11, 12, 12, 12, 15]);
    expect(perLevel.householdStats.buckets.map((bucket) => [bucket.hardship, bucket.figures.households])).toEqual([
      ['ORDINARY', 25],
      ['LOW_INCOME', 15],
      ['SPECIAL_HARDSHIP', 22],
    ]);
  });

  it('is refused to a volunteer and a grid worker, and asks an anonymous caller to sign in', async () => {
    for (const roles of [['volunteer'], ['grid_worker']] as const) {
      const token = await graph.token({ roles: [...roles], personId: '00000000-0000-7000-8002-000000000001' });
      expect((await graph.query(HARDSHIP_PER_COMMUNITY, { token })).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
    expect((await graph.query(HARDSHIP_PER_COMMUNITY)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('volunteers registered per community and month', () => {
  it('answers with the profiles’ figures, each community named through the graph', async () => {
    const rows = await rowsOf<{ community: string | null; month: string; registered: number; active: number }>(
      graph.graph.subgraphs.people.database.db,
      sql`select (select c.id from people.regions c where (c.id = h.id or c.id = any(h.path)) and c.kind = 'community') as community,
                 to_char(v.registered_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
                 count(*)::int as registered, count(*) filter (where v.status = 'active')::int as active
            from people.volunteer_profiles v join people.persons p on p.id = v.person_id left join people.regions h on h.id = p.home_region_id
           group by 1, 2`,
    );
    const { volunteerStats } = await ask<{
      volunteerStats: {
        total: { registered: number; active: number };
        buckets: { region: { id: string; name: string } | null; period: { start: string; end: string }; figures: { registered: number; active: number } }[];
      };
    }>(VOLUNTEERS_PER_COMMUNITY, analyst);
    expect(new Map(volunteerStats.buckets.map((bucket) => [`${bucket.region?.id ?? null}/${String(bucket.period.start).slice(0, 7)}`, bucket.figures]))).toEqual(
      new Map(rows.map((row) => [`${row.community}/${row.month}`, { registered: row.registered, active: row.active }])),
    );
    expect(volunteerStats.total).toEqual({
      registered: rows.reduce((sum, row) => sum + row.registered, 0),
      active: rows.reduce((sum, row) => sum + row.active, 0),
    });
    expect(volunteerStats.total.registered).toBeGreaterThanOrEqual(100);
    expect(volunteerStats.buckets.map((bucket) => bucket.region?.name)).toEqual(expect.arrayContaining(['兴乐社区', '紫铭社区', '向阳社区']));
  });
});
