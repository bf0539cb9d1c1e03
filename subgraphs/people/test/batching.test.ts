/** Lists of many teams, persons and regions cost the same number of statements for 5 items as for 50. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { DEMO_ORGANIZATIONS, DEMO_REGIONS, DEMO_STATIONS, DEMO_TEAM, DEMO_VOLUNTEERS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { countStatements, startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { organizations, persons, teamCategories, teamMembers, teamRegions, teams } from '../src/db/schema.js';
import { peopleSubgraph } from '../src/index.js';

let people: SubgraphHarness<PeopleContext>;
const admin = viewerOf({ roles: ['platform_admin'] });

/** 50 women's teams, each with its own organisation, a captain and four members, two categories and two coverage regions. */
async function seedFiftyTeams(): Promise<void> {
  const db = people.database.db;
  const base = Date.UTC(2023, 0, 1);
  const organization = { id: newId(), name: '批量测试组织', kind: 'social_organization' as const, regionId: DEMO_REGIONS.xingle.id };
  await db.insert(organizations).values(organization);
  const people50 = Array.from({ length: 250 }, (_, index) => ({
    id: newId(),
    name: `批量队员${index}`,
    homeRegionId: index % 2 ? DEMO_REGIONS.eastBuilding1.id : DEMO_XINCHENG_REGIONS['zimingBuilding1']!.id,
    registeredAt: new Date(base + index * 1000),
  }));
  await db.insert(persons).values(people50);
  const teamRows = Array.from({ length: 50 }, (_, index) => ({
    id: newId(),
    name: `批量服务队${String(index).padStart(2, '0')}`,
    kind: 'women' as const,
    communityId: DEMO_REGIONS.xingle.id,
    organizationId: organization.id,
  }));
  await db.insert(teams).values(teamRows);
  await db.insert(teamMembers).values(
    teamRows.flatMap((team, t) =>
      Array.from({ length: 5 }, (_, m) => ({
        teamId: team.id,
        personId: people50[t * 5 + m]!.id,
        role: m === 0 ? ('captain' as const) : ('member' as const),
        joinedAt: new Date(base + m * 1000),
      })),
    ),
  );
  await db.insert(teamCategories).values(teamRows.flatMap((team) => ['cleaning', 'companionship'].map((categoryCode) => ({ teamId: team.id, categoryCode }))));
  await db
    .insert(teamRegions)
    .values(teamRows.flatMap((team) => [DEMO_REGIONS.xingleCompoundEast.id, DEMO_REGIONS.xingleCompoundWest.id].map((regionId) => ({ teamId: team.id, regionId }))));
}

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
  await seedFiftyTeams();
});
afterAll(async () => {
  await people?.stop();
});

describe('batching', () => {
  it('lists 50 teams with captains, members, organisations and regions in as many statements as 5', async () => {
    const query = `query ($first: Int) {
      teams(filter: { kind: WOMEN }, first: $first) {
        totalCount
        edges { node {
          name kind categories memberCount
          community { name ancestors { name } }
          organization { name }
          coverage { name grid { name worker { name } } }
          captain { name phone homeRegion { name } volunteer { status } }
          members(first: 5) { edges { role node { name idNumber homeRegion { name } teams { name } } } }
        } }
      }
    }`;
    const five = await countStatements(people.database, () => people.execute(query, { variables: { first: 5 }, viewer: admin }));
    const fifty = await countStatements(people.database, () => people.execute(query, { variables: { first: 50 }, viewer: admin }));
    expect(fifty.result.errors).toBeUndefined();
    const edges = (fifty.result.data as { teams: { totalCount: number; edges: { node: { captain: { name: string }; members: { edges: unknown[] }; coverage: unknown[] } }[] } })
      .teams;
    expect(edges.totalCount).toBe(50);
    expect(edges.edges).toHaveLength(50);
    expect(edges.edges.every(({ node }) => node.captain !== null && node.members.edges.length === 5 && node.coverage.length === 2)).toBe(true);
    expect(fifty.count).toBe(five.count);
  });

  it('lists persons with teams and personal data in as many statements for 5 as for 50', async () => {
    const query = `query ($first: Int) { persons(first: $first) { edges { node { name phone idNumber birthDate volunteer { skills } teams { name } homeRegion { name grid { name } } } } } }`;
    const xingleAdmin = viewerOf({ roles: ['community_admin'], regionIds: [DEMO_REGIONS.xingle.id], subject: 'batching-admin' });
    const five = await countStatements(people.database, () => people.execute(query, { variables: { first: 5 }, viewer: xingleAdmin }));
    const fifty = await countStatements(people.database, () => people.execute(query, { variables: { first: 50 }, viewer: xingleAdmin }));
    expect(fifty.result.errors).toBeUndefined();
    expect((fifty.result.data as { persons: { edges: unknown[] } }).persons.edges).toHaveLength(50);
    expect(fifty.count).toBe(five.count);
  });

  it('lists households with members, caretakers and grids in as many statements for 5 as for 50', async () => {
    const query = `query ($first: Int) { households(first: $first) { edges { node { hardshipLevel specialNeeds address { name } members { relation person { name phone } } caretaker { name } grid { worker { name } } } } } }`;
    const five = await countStatements(people.database, () => people.execute(query, { variables: { first: 5 }, viewer: admin }));
    const fifty = await countStatements(people.database, () => people.execute(query, { variables: { first: 50 }, viewer: admin }));
    expect(fifty.result.errors).toBeUndefined();
    expect((fifty.result.data as { households: { edges: unknown[] } }).households.edges).toHaveLength(50);
    expect(fifty.count).toBe(five.count);
  });

  it('resolves batches of Region, Team, Organization and Station references in one statement per type, in order, failing only the unknown ones', async () => {
    const organization = DEMO_ORGANIZATIONS[3]!;
    const station = DEMO_STATIONS[4]!;
    const { result, count } = await countStatements(people.database, () =>
      people.execute(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Team { name } ... on Region { name } ... on Organization { name } ... on Station { name } } }`,
        {
          variables: {
            r: [
              { __typename: 'Region', id: DEMO_REGIONS.xingle.id },
              { __typename: 'Organization', id: organization.id },
              { __typename: 'Station', id: station.id },
              { __typename: 'Region', id: DEMO_REGIONS.xiyilu.id },
              { __typename: 'Team', id: newId() },
              { __typename: 'Station', id: 'bad' },
              { __typename: 'Organization', id: DEMO_ORGANIZATIONS[4]!.id },
            ],
          },
        },
      ),
    );
    // Errors come in the order the references resolve: a malformed id needs no SQL and fails first.
    const errors = result.errors?.map((error) => ({ path: error.path, code: error.extensions?.['code'], message: error.message }));
    expect(errors?.sort((a, b) => String(a.path).localeCompare(String(b.path)))).toEqual([
      { path: ['_entities', 4], code: 'NOT_FOUND', message: 'The Team this refers to does not exist.' },
      { path: ['_entities', 5], code: 'NOT_FOUND', message: 'The Station this refers to does not exist.' },
    ]);
    expect(result.data).toEqual({
      _entities: [{ name: '兴乐社区' }, { name: organization.name }, { name: station.name }, { name: '西一路街道' }, null, null, { name: DEMO_ORGANIZATIONS[4]!.name }],
    });
    expect(count).toBe(4);
  });
});

describe('connections with filters', () => {
  type Names = { edges: { node: { name: string } }[]; totalCount: number };

  it('finds persons by team, region subtree, party membership and status', async () => {
    const byTeam = await people.execute(`query ($t: ID) { persons(filter: { team: $t }, first: 100) { totalCount } }`, { variables: { t: DEMO_TEAM.id }, viewer: admin });
    expect(byTeam.data).toEqual({ persons: { totalCount: DEMO_VOLUNTEERS.length + 18 } });
    const query = `query ($r: ID) { persons(filter: { region: $r, partyMember: true, status: ACTIVE }, first: 100) { totalCount edges { node { homeRegion { ancestors { name } } volunteer { partyMember status } } } } }`;
    const { data, errors } = await people.execute(query, { variables: { r: DEMO_XINCHENG_REGIONS['ziming']!.id }, viewer: admin });
    expect(errors).toBeUndefined();
    const list = (
      data as { persons: { totalCount: number; edges: { node: { homeRegion: { ancestors: { name: string }[] }; volunteer: { partyMember: boolean; status: string } } }[] } }
    ).persons;
    expect(list.totalCount).toBeGreaterThan(0);
    expect(list.edges).toHaveLength(list.totalCount);
    for (const { node } of list.edges) {
      expect(node.volunteer).toEqual({ partyMember: true, status: 'ACTIVE' });
      expect(node.homeRegion.ancestors.map((region) => region.name)).toContain('紫铭社区');
    }
    const scoped = viewerOf({ roles: ['community_admin'], regionIds: [DEMO_XINCHENG_REGIONS['xiangrong']!.id] });
    const outside = await people.execute(`query ($t: ID) { persons(filter: { team: $t }) { totalCount } }`, { variables: { t: DEMO_TEAM.id }, viewer: scoped });
    expect(outside.data).toEqual({ persons: { totalCount: 0 } });
  });

  it('finds teams by region, category and kind, and organisations by kind and region', async () => {
    const teamsIn = async (filter: Record<string, unknown>) => {
      const { data, errors } = await people.execute(`query ($f: TeamFilter) { teams(filter: $f, first: 100) { totalCount edges { node { name } } } }`, {
        variables: { f: filter },
      });
      expect(errors).toBeUndefined();
      return (data as { teams: Names }).teams.edges.map((edge) => edge.node.name);
    };
    expect(await teamsIn({ region: DEMO_XINCHENG_REGIONS['changleZhonglu']!.id })).toEqual(['七色光志愿服务队', '健康有约青年志愿服务队']);
    expect(await teamsIn({ category: 'home_repair' })).toEqual(['乐修匠服务队']);
    expect(await teamsIn({ kind: 'PARENTS_HELP' })).toEqual(['尚善学苑家长帮帮团']);
    expect(await teamsIn({ region: DEMO_XINCHENG_REGIONS['zimingGarden']!.id, category: 'companionship' })).toEqual(['七色光志愿服务队']);

    const { data } = await people.execute(`query ($r: ID) { organizations(filter: { kind: SUPERMARKET, region: $r }) { totalCount edges { node { name region { name } } } } }`, {
      variables: { r: DEMO_REGIONS.xincheng.id },
    });
    expect(data).toEqual({
      organizations: {
        totalCount: 3,
        edges: [
          { node: { name: '兴乐幸福超市', region: { name: '兴乐社区' } } },
          { node: { name: '永辉超市新城店', region: { name: '新城区' } } },
          { node: { name: '紫铭爱心超市', region: { name: '紫铭社区' } } },
        ],
      },
    });
  });

  it('walks the practice network from the district centre to the community stations', async () => {
    const { data } = await people.execute(`query ($id: ID!) { station(id: $id) { kind region { name } children { name kind children { name region { name } } } } }`, {
      variables: { id: DEMO_STATIONS[0]!.id },
    });
    const centre = (data as { station: { kind: string; children: { kind: string; children: unknown[] }[] } }).station;
    expect(centre.kind).toBe('PRACTICE_CENTRE');
    expect(centre.children).toHaveLength(3);
    // A station in each of the four communities and in the village 宝台村.
    expect(centre.children.flatMap((institute) => institute.children)).toHaveLength(5);
    const region = await people.execute(`query ($id: ID!) { region(id: $id) { station { name parent { kind } } grids { name worker { name } coverage { name } } } }`, {
      variables: { id: DEMO_REGIONS.xingle.id },
      viewer: admin,
    });
    expect(region.errors).toBeUndefined();
    expect(region.data).toMatchObject({
      region: {
        station: { name: '兴乐社区新时代文明实践站', parent: { kind: 'INSTITUTE' } },
        grids: [{ name: '兴乐社区第一网格', coverage: [{ name: '兴乐东院' }] }, { name: '兴乐社区第二网格' }],
      },
    });
  });

  it('reads the caseload caps of a list of regions in one statement, each its own, the nearest above it, or the default', async () => {
    const query = `query ($parent: ID) { regions(parent: $parent, first: 50) { edges { node { id caseloadCap } } } }`;
    const xingle = DEMO_REGIONS.xingle.id;
    const { result, count } = await countStatements(people.database, () => people.execute(query, { variables: { parent: xingle }, viewer: admin }));
    expect(result.errors).toBeUndefined();
    const caps = (result.data as { regions: { edges: { node: { id: string; caseloadCap: number } }[] } }).regions.edges.map(({ node }) => node.caseloadCap);
    expect(caps.length).toBeGreaterThan(1);
    expect(new Set(caps)).toEqual(new Set([12]));
    // The page of children, then their caps together.
    expect(count).toBe(2);
    const set = await people.execute(`mutation ($input: RegionCaseloadCapSetInput!) { regionCaseloadCapSet(input: $input) { userErrors { code } } }`, {
      variables: { input: { region: xingle, cap: 10 } },
      viewer: admin,
    });
    expect(set.errors).toBeUndefined();
    const after = await people.execute(query, { variables: { parent: xingle }, viewer: admin });
    expect(new Set((after.data as { regions: { edges: { node: { caseloadCap: number } }[] } }).regions.edges.map(({ node }) => node.caseloadCap))).toEqual(new Set([10]));
  });
});
