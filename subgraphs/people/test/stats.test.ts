/**
 * People's statistics: `volunteerStats` (registered and active, by region
 * level and period) and `householdStats` (households by hardship level, with
 * small cells suppressed), with exact figures from the demo; who may ask and
 * over which regions; refusals of a malformed question; one statement; the
 * minimum cell, as the shared configuration gives it; and the household cells
 * BI tools read, which equal the graph's answer after every write.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_JIMO_REGIONS, DEMO_REGIONS, DEMO_XINCHENG_REGIONS, demoBeijing } from '@lianxin/shared/demo';
import { rowsOf } from '@lianxin/shared';
import { countStatements, startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { sql } from 'drizzle-orm';
import type { PeopleContext } from '../src/context.js';
import { demoIdNumber } from '../src/db/demo.js';
import { analyticsHouseholdCells } from '../src/db/schema.js';
import { peopleSubgraph } from '../src/index.js';
import { readPeopleSettings } from '../src/settings.js';
import { rewriteHouseholdCells } from '../src/stats/service.js';

let people: SubgraphHarness<PeopleContext>;

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

const xingle = DEMO_REGIONS.xingle.id;
const ziming = DEMO_XINCHENG_REGIONS['ziming']!.id;
const xiangyang = DEMO_XINCHENG_REGIONS['xiangyang']!.id;
const xiangrong = DEMO_XINCHENG_REGIONS['xiangrong']!.id;
/** Jimo's 朝阳社区: one caseload volunteer and her twelve households, all of special hardship. */
const chaoyang = DEMO_JIMO_REGIONS.chaoyang.id;

const analyst = viewerOf({ roles: ['analyst'] });
const xingleAdmin = viewerOf({ roles: ['community_admin'], regionIds: [xingle] });

const VOLUNTEERS = `query ($f: VolunteerStatsFilter, $g: VolunteerGrouping) { volunteerStats(filter: $f, groupBy: $g) {
  total { registered active }
  buckets { region { id kind } period { bucket start end } figures { registered active } }
} }`;
const HOUSEHOLDS = `query ($f: HouseholdStatsFilter, $g: HouseholdGrouping) { householdStats(filter: $f, groupBy: $g) {
  total { households suppressed }
  buckets { region { id } hardship figures { households suppressed } }
} }`;

interface VolunteerFigures {
  registered: number;
  active: number;
}
interface VolunteerAnswer {
  volunteerStats: {
    total: VolunteerFigures;
    buckets: { region: { id: string; kind: string } | null; period: { bucket: string; start: string | Date; end: string | Date } | null; figures: VolunteerFigures }[];
  };
}
interface HouseholdFigures {
  households: number | null;
  suppressed: boolean;
}
interface HouseholdAnswer {
  householdStats: { total: HouseholdFigures; buckets: { region: { id: string } | null; hardship: string | null; figures: HouseholdFigures }[] };
}

async function run<T>(query: string, viewer: ReturnType<typeof viewerOf>, variables: Record<string, unknown> = {}): Promise<T> {
  const { data, errors } = await people.execute(query, { variables, viewer });
  expect(errors).toBeUndefined();
  return data as T;
}
async function codeOf(query: string, viewer: ReturnType<typeof viewerOf> | undefined, variables: Record<string, unknown> = {}): Promise<unknown> {
  const { errors } = await people.execute(query, { variables, ...(viewer ? { viewer } : {}) });
  return errors?.[0]?.extensions?.['code'];
}

const day = (value: string | Date): string => (value instanceof Date ? value.toISOString() : value).slice(0, 10);
/** The Beijing date of a story's day, as the moved demo has it. */
const storyDay = (month: number, date: number): string => day(new Date(demoBeijing(month, date, 12).getTime() + 8 * 3_600_000));

const shown = (households: number): HouseholdFigures => ({ households, suppressed: false });
const hidden: HouseholdFigures = { households: null, suppressed: true };

describe('volunteerStats', () => {
  it('counts the demo’s 101 volunteers by community: 45 in Xingle, 30 in Ziming, 25 in Xiangyang, 1 in Jimo’s Chaoyang, 7 of them paused or gone', async () => {
    const data = await run<VolunteerAnswer>(VOLUNTEERS, analyst, { g: { region: 'COMMUNITY' } });
    expect(data.volunteerStats.total).toEqual({ registered: 101, active: 94 });
    expect(data.volunteerStats.buckets.map(({ region, period, figures }) => [region?.id, region?.kind, period, figures])).toEqual([
      [xingle, 'COMMUNITY', null, { registered: 45, active: 42 }],
      [ziming, 'COMMUNITY', null, { registered: 30, active: 28 }],
      [xiangyang, 'COMMUNITY', null, { registered: 25, active: 23 }],
      [chaoyang, 'COMMUNITY', null, { registered: 1, active: 1 }],
    ]);
  });

  it('counts registrations by the Beijing day of their profile, an hour apart from 9:00 on the story’s 10 January', async () => {
    const data = await run<VolunteerAnswer>(VOLUNTEERS, analyst, { g: { period: 'DAY' } });
    expect(data.volunteerStats.buckets.map(({ region, period, figures }) => [region, day(period!.start), day(period!.end), figures])).toEqual([
      [null, storyDay(1, 10), storyDay(1, 10), { registered: 16, active: 14 }],
      [null, storyDay(1, 11), storyDay(1, 11), { registered: 24, active: 23 }],
      [null, storyDay(1, 12), storyDay(1, 12), { registered: 24, active: 23 }],
      [null, storyDay(1, 13), storyDay(1, 13), { registered: 24, active: 22 }],
      [null, storyDay(1, 14), storyDay(1, 14), { registered: 13, active: 12 }],
    ]);
    const narrowed = await run<VolunteerAnswer>(VOLUNTEERS, analyst, { f: { from: storyDay(1, 11), to: storyDay(1, 12) }, g: { region: 'STREET', period: 'MONTH' } });
    expect(narrowed.volunteerStats.total).toEqual({ registered: 48, active: 46 });
    expect(narrowed.volunteerStats.buckets.reduce((sum, bucket) => sum + bucket.figures.registered, 0)).toBe(48);
    expect(narrowed.volunteerStats.buckets.every((bucket) => bucket.region?.kind === 'STREET' && bucket.period?.bucket === 'MONTH')).toBe(true);
  });

  it('narrows by region, and cuts a community admin’s figures to their community', async () => {
    const filtered = await run<VolunteerAnswer>(VOLUNTEERS, analyst, { f: { region: xingle } });
    const mine = await run<VolunteerAnswer>(VOLUNTEERS, xingleAdmin);
    expect(mine.volunteerStats).toEqual(filtered.volunteerStats);
    expect(mine.volunteerStats.total).toEqual({ registered: 45, active: 42 });
    const elsewhere = await run<VolunteerAnswer>(VOLUNTEERS, xingleAdmin, { f: { region: ziming } });
    expect(elsewhere.volunteerStats).toEqual({ total: { registered: 0, active: 0 }, buckets: [] });
  });
});

describe('householdStats', () => {
  it('publishes households per community, none under 5: 15, 12, 12, 11 and Jimo’s 12, of 62', async () => {
    const data = await run<HouseholdAnswer>(HOUSEHOLDS, analyst, { g: { region: 'COMMUNITY' } });
    expect(data.householdStats).toEqual({
      total: shown(62),
      buckets: [
        { region: { id: xingle }, hardship: null, figures: shown(15) },
        { region: { id: ziming }, hardship: null, figures: shown(12) },
        { region: { id: xiangyang }, hardship: null, figures: shown(11) },
        { region: { id: xiangrong }, hardship: null, figures: shown(12) },
        { region: { id: chaoyang }, hardship: null, figures: shown(12) },
      ],
    });
  });

  it('by community and hardship, withholds the cells under 5 and, beside them, one more in each row and level left with one alone', async () => {
    const data = await run<HouseholdAnswer>(HOUSEHOLDS, analyst, { g: { region: 'COMMUNITY', hardship: true } });
    // Counts: 兴乐 5/4/6, 紫铭 –/5/7, 向阳 5/2/4, 向荣 –/4/8, 朝阳 12/–/– (special hardship / low income / ordinary).
    expect(data.householdStats).toEqual({
      total: shown(62),
      buckets: [
        { region: { id: xingle }, hardship: 'ORDINARY', figures: hidden },
        { region: { id: xingle }, hardship: 'LOW_INCOME', figures: hidden },
        { region: { id: xingle }, hardship: 'SPECIAL_HARDSHIP', figures: shown(5) },
        { region: { id: ziming }, hardship: 'ORDINARY', figures: shown(7) },
        { region: { id: ziming }, hardship: 'LOW_INCOME', figures: shown(5) },
        { region: { id: xiangyang }, hardship: 'ORDINARY', figures: hidden },
        { region: { id: xiangyang }, hardship: 'LOW_INCOME', figures: hidden },
        { region: { id: xiangyang }, hardship: 'SPECIAL_HARDSHIP', figures: shown(5) },
        { region: { id: xiangrong }, hardship: 'ORDINARY', figures: hidden },
        { region: { id: xiangrong }, hardship: 'LOW_INCOME', figures: hidden },
        { region: { id: chaoyang }, hardship: 'SPECIAL_HARDSHIP', figures: shown(12) },
      ],
    });
  });

  it('by street and hardship, leaves no row or level with a single withheld cell, and publishes only true figures', async () => {
    const data = await run<HouseholdAnswer>(HOUSEHOLDS, analyst, { g: { region: 'STREET', hardship: true } });
    const streets = new Map([
      [DEMO_REGIONS.xiyilu.id, { ORDINARY: 6, LOW_INCOME: 4, SPECIAL_HARDSHIP: 5 }],
      [DEMO_XINCHENG_REGIONS['changleZhonglu']!.id, { ORDINARY: 11, LOW_INCOME: 7, SPECIAL_HARDSHIP: 5 }],
      [DEMO_XINCHENG_REGIONS['ziqianglu']!.id, { ORDINARY: 8, LOW_INCOME: 4 }],
      [DEMO_JIMO_REGIONS.tongji.id, { SPECIAL_HARDSHIP: 12 }],
    ]);
    const { buckets, total } = data.householdStats;
    expect(total).toEqual(shown(62));
    expect(buckets).toHaveLength(9);
    for (const bucket of buckets) {
      const count = (streets.get(bucket.region!.id) as Record<string, number>)[bucket.hardship!]!;
      expect(bucket.figures).toEqual(count < 5 || bucket.figures.suppressed ? hidden : shown(count));
    }
    // The two lone small low-income cells pull in their rows' and levels' neighbours until, in Xincheng, only 长乐中路's 11 ordinary ones stand;
    // 通济街道's 12 special-hardship households, alone in their row, stand too.
    expect(buckets.filter((bucket) => !bucket.figures.suppressed)).toEqual([
      { region: { id: DEMO_XINCHENG_REGIONS['changleZhonglu']!.id }, hardship: 'ORDINARY', figures: shown(11) },
      { region: { id: DEMO_JIMO_REGIONS.tongji.id }, hardship: 'SPECIAL_HARDSHIP', figures: shown(12) },
    ]);
    for (const line of [...streets.keys(), 'ORDINARY', 'LOW_INCOME', 'SPECIAL_HARDSHIP']) {
      const withheld = buckets.filter((bucket) => (bucket.region!.id === line || bucket.hardship === line) && bucket.figures.suppressed);
      expect(withheld.length === 0 || withheld.length >= 2).toBe(true);
    }
  });

  it('cuts a community admin’s figures to their community, where the lone small level takes the next smallest with it', async () => {
    const data = await run<HouseholdAnswer>(HOUSEHOLDS, xingleAdmin, { g: { hardship: true } });
    expect(data.householdStats).toEqual({
      total: shown(15),
      buckets: [
        { region: null, hardship: 'ORDINARY', figures: shown(6) },
        { region: null, hardship: 'LOW_INCOME', figures: hidden },
        { region: null, hardship: 'SPECIAL_HARDSHIP', figures: hidden },
      ],
    });
    const filtered = await run<HouseholdAnswer>(HOUSEHOLDS, analyst, { f: { region: xingle }, g: { hardship: true } });
    expect(filtered).toEqual(data);
    const elsewhere = await run<HouseholdAnswer>(HOUSEHOLDS, xingleAdmin, { f: { region: ziming } });
    expect(elsewhere.householdStats).toEqual({ total: shown(0), buckets: [] });
  });
});

describe('who may ask, and what', () => {
  it('refuses volunteers, residents and grid workers, asks anonymous callers to sign in, and lets platform admins and station admins in', async () => {
    const refused = [
      viewerOf({ roles: ['volunteer'], personId: '00000000-0000-7000-8002-000000000001' }),
      viewerOf({ roles: ['resident'], personId: '00000000-0000-7000-8003-000000000001' }),
      viewerOf({ roles: ['grid_worker'], regionIds: [xingle] }),
      viewerOf({ roles: ['community_admin'] }),
    ];
    for (const query of [VOLUNTEERS, HOUSEHOLDS]) {
      for (const viewer of refused) expect(await codeOf(query, viewer)).toBe('FORBIDDEN');
      expect(await codeOf(query, undefined)).toBe('UNAUTHENTICATED');
    }
    const admin = await run<HouseholdAnswer>(HOUSEHOLDS, viewerOf({ roles: ['platform_admin'] }));
    expect(admin.householdStats.total).toEqual(shown(62));
    const station = await run<VolunteerAnswer>(VOLUNTEERS, viewerOf({ roles: ['station_admin'], regionIds: [ziming] }));
    expect(station.volunteerStats.total).toEqual({ registered: 30, active: 28 });
  });

  it('refuses a malformed region or days, and a household filter below a community, as the caller’s mistake', async () => {
    for (const f of [{ region: 'xingle' }, { from: '2026-12-05', to: '2026-12-01' }, { from: 'yesterday' }]) {
      expect(await codeOf(VOLUNTEERS, analyst, { f })).toBe('BAD_USER_INPUT');
    }
    for (const region of ['xingle', DEMO_REGIONS.westBuilding1.id, DEMO_REGIONS.xingleCompoundEast.id, '00000000-0000-7000-8fff-000000000001']) {
      expect(await codeOf(HOUSEHOLDS, analyst, { f: { region } })).toBe('BAD_USER_INPUT');
    }
    // The refusal of a forbidden caller comes first, whatever the filter.
    expect(await codeOf(HOUSEHOLDS, viewerOf({ roles: ['volunteer'] }), { f: { region: 'xingle' } })).toBe('FORBIDDEN');
  });

  it('answers each statistic in one statement', async () => {
    for (const [query, g] of [
      [VOLUNTEERS.replace('region { id kind } ', ''), { region: 'COMMUNITY', period: 'DAY' }],
      [HOUSEHOLDS.replace('region { id } ', ''), { region: 'STREET', hardship: true }],
    ] as const) {
      const { result, count } = await countStatements(people.analytics, () => people.execute(query, { variables: { g }, viewer: analyst }));
      expect(result.errors).toBeUndefined();
      expect(count).toBe(1);
    }
  });
});

describe('the minimum cell', () => {
  it('comes from ANALYTICS_MIN_CELL, read for every subgraph: at 2, no community and hardship level of the demo is withheld', async () => {
    const lenient = await startSubgraphHarness(peopleSubgraph, { env: { ANALYTICS_MIN_CELL: '2' } });
    try {
      const { data, errors } = await lenient.execute(HOUSEHOLDS, { variables: { g: { region: 'COMMUNITY', hardship: true } }, viewer: analyst });
      expect(errors).toBeUndefined();
      const { householdStats } = data as unknown as HouseholdAnswer;
      // 兴乐 5/4/6, 紫铭 5/7, 向阳 5/2/4, 向荣 4/8, 朝阳 12 (special hardship / low income / ordinary): 向阳's 2 low-income households are published too.
      expect(householdStats.buckets.map((bucket) => bucket.figures.households)).toEqual([6, 4, 5, 7, 5, 4, 2, 5, 8, 4, 12]);
      expect(householdStats.total).toEqual(shown(62));
    } finally {
      await lenient.stop();
    }
  });
});

describe('the household cells BI tools read (people.analytics_household_cells)', () => {
  const CELLS = HOUSEHOLDS.replace('region { id }', 'region { id kind }');
  interface Cell {
    total: boolean;
    communityId: string | null;
    hardshipLevel: string | null;
    households: number | null;
    suppressed: boolean;
  }
  /** The table as BI tools read it, cells in the answer's order, then the total. */
  async function table(): Promise<{ cells: Cell[]; minCell: number[] }> {
    const rows = await people.database.db.select().from(analyticsHouseholdCells).orderBy(analyticsHouseholdCells.communityId, analyticsHouseholdCells.hardshipLevel);
    const strip = ({ total, communityId, hardshipLevel, households, suppressed }: (typeof rows)[number]): Cell => ({ total, communityId, hardshipLevel, households, suppressed });
    return { cells: [...rows.filter((row) => !row.total), ...rows.filter((row) => row.total)].map(strip), minCell: [...new Set(rows.map((row) => row.minCell))] };
  }
  /** `householdStats` grouped by community and level, as an analyst reads it, in the table's shape and order. */
  async function graphCells(): Promise<Cell[]> {
    const { householdStats } = await run<HouseholdAnswer>(CELLS, analyst, { g: { region: 'COMMUNITY', hardship: true } });
    const buckets = householdStats.buckets.map((bucket) => ({
      total: false,
      communityId: bucket.region?.id ?? null,
      hardshipLevel: bucket.hardship?.toLowerCase() ?? null,
      ...bucket.figures,
    }));
    const order = (cell: Cell) => `${cell.communityId ?? '~'} ${['ordinary', 'low_income', 'special_hardship'].indexOf(cell.hardshipLevel!)}`;
    return [...buckets.sort((a, b) => (order(a) < order(b) ? -1 : 1)), { total: true, communityId: null, hardshipLevel: null, ...householdStats.total }];
  }

  let serial = 900;
  /** Registers a new resident of Xingle's 西院1号楼 as a household of one at `level`, as Xingle's admin; returns its id. */
  async function registerHousehold(level: string): Promise<string> {
    const person = await run<{ personRegister: { person: { id: string } } }>(
      `mutation ($input: PersonRegisterInput!) { personRegister(input: $input) { person { id } } }`,
      xingleAdmin,
      { input: { name: '统计住户', idNumber: demoIdNumber((serial += 1), { gender: 'female', born: '1960-03-03' }), homeRegion: DEMO_REGIONS.westBuilding1.id } },
    );
    const household = await run<{ householdRegister: { household: { id: string }; userErrors: unknown[] } }>(
      `mutation ($input: HouseholdRegisterInput!) { householdRegister(input: $input) { household { id } userErrors { code } } }`,
      xingleAdmin,
      { input: { address: DEMO_REGIONS.westBuilding1.id, members: [{ person: person.personRegister.person.id, relation: 'HEAD' }], hardshipLevel: level } },
    );
    expect(household.householdRegister.userErrors).toEqual([]);
    return household.householdRegister.household.id;
  }

  it('holds the demo’s answer as the graph gives it: the same four cells of Xincheng and Jimo’s one published, six withheld, the total 62', async () => {
    const { cells, minCell } = await table();
    expect(cells).toEqual(await graphCells());
    expect(minCell).toEqual([5]);
    expect(cells.filter((cell) => !cell.suppressed).map((cell) => [cell.communityId, cell.hardshipLevel, cell.households])).toEqual(
      expect.arrayContaining([
        [xingle, 'special_hardship', 5],
        [xiangyang, 'special_hardship', 5],
        [ziming, 'low_income', 5],
        [ziming, 'ordinary', 7],
        [chaoyang, 'special_hardship', 12],
        [null, null, 62],
      ]),
    );
    expect(cells.filter((cell) => cell.suppressed)).toHaveLength(6);
    expect(cells.every((cell) => cell.suppressed === (cell.households === null))).toBe(true);
  });

  it('is rewritten in the transaction of each household registered and each level changed, and always equals the graph’s answer', async () => {
    // Xingle's low-income households go from 4 (withheld) to 5.
    const added = await registerHousehold('LOW_INCOME');
    const afterAdding = await table();
    expect(afterAdding.cells).toEqual(await graphCells());
    expect(afterAdding.cells.at(-1)).toEqual({ total: true, communityId: null, hardshipLevel: null, households: 63, suppressed: false });
    // And back to 4, by a change of level.
    const changed = await run<{ householdHardshipSet: { userErrors: unknown[] } }>(
      `mutation ($input: HouseholdHardshipSetInput!) { householdHardshipSet(input: $input) { userErrors { code } } }`,
      xingleAdmin,
      { input: { household: added, hardshipLevel: 'ORDINARY', reason: '收入好转' } },
    );
    expect(changed.householdHardshipSet.userErrors).toEqual([]);
    const afterChanging = await table();
    expect(afterChanging.cells).toEqual(await graphCells());
    expect(afterChanging.cells).not.toEqual(afterAdding.cells);
  });

  it('makes a registration wait while another writer holds the cells, then counts what that writer committed and its own household', async () => {
    const before = (await table()).cells.at(-1)!.households!;
    const registering: Promise<string>[] = [];
    await people.database.db.transaction(async (tx) => {
      await rewriteHouseholdCells(tx, 5);
      registering.push(registerHousehold('SPECIAL_HARDSHIP'));
      // The registration's transaction waits for the cells' lock (seen from the statistics pool, a connection of its own).
      for (let waiting = false; !waiting;) {
        const [row] = await rowsOf<{ waiting: number }>(people.analytics.db, sql`select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted`);
        waiting = row!.waiting > 0;
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    await Promise.all(registering);
    const { cells } = await table();
    expect(cells).toEqual(await graphCells());
    expect(cells.at(-1)!.households).toBe(before + 1);
  });

  it('is recomputed at start, with the minimum then configured', async () => {
    const tenSettings = readPeopleSettings({ ANALYTICS_MIN_CELL: '10' });
    await peopleSubgraph.prepare!(people.database.db, tenSettings);
    const { cells, minCell } = await table();
    expect(minCell).toEqual([10]);
    expect(cells.filter((cell) => !cell.total && !cell.suppressed).every((cell) => cell.households! >= 10)).toBe(true);
    // Only Jimo's 12 special-hardship households reach ten; every cell of Xincheng is withheld.
    expect(cells.filter((cell) => !cell.total && !cell.suppressed).map((cell) => [cell.communityId, cell.hardshipLevel, cell.households])).toEqual([
      [chaoyang, 'special_hardship', 12],
    ]);
    await peopleSubgraph.prepare!(people.database.db, readPeopleSettings({}));
    expect((await table()).cells).toEqual(await graphCells());
  });
});
