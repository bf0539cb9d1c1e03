/** Every people mutation: who may, what is refused and how, and that a refusal writes nothing. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { count, eq } from 'drizzle-orm';
import { derivedId, type Viewer } from '@lianxin/shared';
import { DEMO_GRID_WORKERS, DEMO_HOUSEHOLDS, DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_TEAM, DEMO_VOLUNTEERS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { demoIdNumber } from '../src/db/demo.js';
import { householdMembers, households, persons, type regions, type teams } from '../src/db/schema.js';
import { peopleSubgraph } from '../src/index.js';
import { runMutation, type MutationPayload } from './support.js';

let people: SubgraphHarness<PeopleContext>;

const xingle = DEMO_REGIONS.xingle.id;
const ziming = DEMO_XINCHENG_REGIONS['ziming']!.id;
const wang = DEMO_VOLUNTEERS[0]!;

const as = {
  platformAdmin: viewerOf({ roles: ['platform_admin'] }),
  xingleAdmin: viewerOf({ roles: ['community_admin'], regionIds: [xingle] }),
  zimingAdmin: viewerOf({ roles: ['community_admin'], regionIds: [ziming] }),
  xingleGridWorker: viewerOf({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[0]!.id, regionIds: [xingle] }),
  captain: viewerOf({ roles: ['volunteer', 'team_captain'], personId: wang.id }),
  volunteer: viewerOf({ roles: ['volunteer'], personId: DEMO_MORE_VOLUNTEERS[40]!.id }),
  resident: viewerOf({ roles: ['resident'], personId: DEMO_RESIDENTS[2]!.id }),
};

type Payload = MutationPayload;

const mutate = (name: string, selection: string, input: Record<string, unknown>, viewer?: Viewer): Promise<Payload> => runMutation(people, name, selection, input, viewer);

const tally = async (table: typeof persons | typeof households | typeof householdMembers | typeof teams | typeof regions): Promise<number> => {
  const [row] = await people.database.db.select({ n: count() }).from(table);
  return row?.n ?? 0;
};

/** A fresh checksum-valid ID number, never in the demo. */
let serial = 700;
const freshIdNumber = (): string => demoIdNumber((serial += 1), { gender: 'male', born: '1990-05-05' });

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

describe('personRegister', () => {
  const home = DEMO_REGIONS.eastBuilding2.id;

  it('registers a person under their real name, reading gender and birth date from the ID number', async () => {
    const idNumber = freshIdNumber();
    const payload = await mutate(
      'personRegister',
      'person { name gender birthDate idNumber phone homeRegion { name } }',
      { name: '测试居民', idNumber, phone: '13912345678', homeRegion: home, homeUnit: '1单元101' },
      as.xingleGridWorker,
    );
    expect(payload.userErrors).toEqual([]);
    expect(payload['person']).toEqual({
      name: '测试居民',
      gender: 'MALE',
      // The registrar is the grid worker of the new resident's grid: contact data in full, the ID number masked.
      birthDate: '1990-05-05',
      idNumber: `${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`,
      phone: '13912345678',
      homeRegion: { name: '东院2号楼' },
    });
    const [stored] = await people.database.db.select().from(persons).where(eq(persons.name, '测试居民'));
    expect(JSON.stringify(stored)).not.toContain(idNumber);
  });

  it('refuses a duplicate ID number, a bad check character and a bad phone, field by field', async () => {
    const idNumber = freshIdNumber();
    const input = { name: '重复登记', idNumber, homeRegion: home };
    expect((await mutate('personRegister', 'person { id }', input, as.xingleAdmin)).userErrors).toEqual([]);
    const before = await tally(persons);
    expect((await mutate('personRegister', 'person { id }', { ...input, idNumber: idNumber.toLowerCase() }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'idNumber'], code: 'ALREADY_EXISTS' },
    ]);
    const wrongCheck = idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0');
    expect((await mutate('personRegister', 'person { id }', { ...input, idNumber: wrongCheck }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'idNumber'], code: 'INVALID' },
    ]);
    expect((await mutate('personRegister', 'person { id }', { ...input, idNumber: freshIdNumber(), phone: '12345678901' }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'phone'], code: 'INVALID' },
    ]);
    expect(await tally(persons)).toBe(before);
  });

  it('refuses homes outside the registrar’s scope, unknown or malformed regions, and non-staff', async () => {
    const input = { name: '越界登记', idNumber: freshIdNumber(), homeRegion: home };
    expect((await mutate('personRegister', 'person { id }', input, as.zimingAdmin)).userErrors).toEqual([{ field: ['input', 'homeRegion'], code: 'NOT_ALLOWED' }]);
    expect((await mutate('personRegister', 'person { id }', { ...input, homeRegion: '00000000-0000-7000-8000-00000000beef' }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'homeRegion'], code: 'NOT_FOUND' },
    ]);
    expect((await mutate('personRegister', 'person { id }', { ...input, homeRegion: 'nope' }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'homeRegion'], code: 'INVALID' },
    ]);
    expect((await mutate('personRegister', 'person { id }', { ...input, homeRegion: xingle }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'homeRegion'], code: 'INVALID' },
    ]);
    expect((await mutate('personRegister', 'person { id }', input, as.volunteer)).topLevel).toBe('FORBIDDEN');
    expect((await mutate('personRegister', 'person { id }', input)).topLevel).toBe('UNAUTHENTICATED');
  });
});

describe('personUpdate and volunteerProfileSet', () => {
  it('lets a person change their own phone but not their registered name', async () => {
    const self = viewerOf({ roles: ['resident'], personId: DEMO_RESIDENTS[2]!.id });
    const changed = await mutate('personUpdate', 'person { phone }', { person: DEMO_RESIDENTS[2]!.id, phone: '13711112222' }, self);
    expect(changed).toEqual({ person: { phone: '13711112222' }, userErrors: [] });
    expect((await mutate('personUpdate', 'person { name }', { person: DEMO_RESIDENTS[2]!.id, name: '改名' }, self)).userErrors).toEqual([
      { field: ['input', 'name'], code: 'NOT_ALLOWED' },
    ]);
    expect((await mutate('personUpdate', 'person { name }', { person: DEMO_RESIDENTS[2]!.id, name: '郑晓红' }, as.xingleAdmin)).userErrors).toEqual([]);
    expect((await mutate('personUpdate', 'person { name }', { person: DEMO_RESIDENTS[2]!.id, phone: '13711112223' }, as.zimingAdmin)).userErrors).toEqual([
      { field: ['input', 'person'], code: 'NOT_ALLOWED' },
    ]);
    expect((await mutate('personUpdate', 'person { name }', { person: DEMO_RESIDENTS[2]!.id, phone: '13711112223' }, as.volunteer)).topLevel).toBe('FORBIDDEN');
  });

  it('makes a resident a volunteer with skills, and lists them by skill', async () => {
    const self = viewerOf({ roles: ['resident'], personId: DEMO_RESIDENTS[2]!.id });
    const payload = await mutate(
      'volunteerProfileSet',
      'person { volunteer { skills partyMember status } }',
      { person: DEMO_RESIDENTS[2]!.id, skills: ['理发', '理发', ' 烹饪 '], partyMember: true },
      self,
    );
    expect(payload).toEqual({ person: { volunteer: { skills: ['理发', '烹饪'], partyMember: true, status: 'ACTIVE' } }, userErrors: [] });
    const paused = await mutate('volunteerProfileSet', 'person { volunteer { skills status } }', { person: DEMO_RESIDENTS[2]!.id, status: 'PAUSED' }, as.xingleAdmin);
    expect(paused).toEqual({ person: { volunteer: { skills: ['理发', '烹饪'], status: 'PAUSED' } }, userErrors: [] });
    const { data } = await people.execute(`{ persons(filter: { skill: "理发" }) { edges { node { name } } } }`, { viewer: as.platformAdmin });
    expect(data).toEqual({ persons: { edges: [{ node: { name: '郑晓红' } }] } });
  });
});

describe('regionCreate and regionMove', () => {
  it('lets a community admin add a building inside their scope, and keeps its ancestors', async () => {
    const payload = await mutate(
      'regionCreate',
      'region { name kind ancestors { name } }',
      { parent: DEMO_REGIONS.xingleCompoundWest.id, kind: 'BUILDING', name: '西院9号楼' },
      as.xingleAdmin,
    );
    expect(payload).toEqual({
      region: { name: '西院9号楼', kind: 'BUILDING', ancestors: ['陕西省', '西安市', '新城区', '西一路街道', '兴乐社区', '兴乐西院'].map((name) => ({ name })) },
      userErrors: [],
    });
  });

  it('refuses a parent outside the scope, a kind above its parent, a taken code, and a province from a community admin', async () => {
    expect((await mutate('regionCreate', 'region { id }', { parent: DEMO_XINCHENG_REGIONS['zimingGarden']!.id, kind: 'BUILDING', name: 'x' }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'parent'], code: 'NOT_ALLOWED' },
    ]);
    expect((await mutate('regionCreate', 'region { id }', { parent: DEMO_REGIONS.xingleCompoundWest.id, kind: 'COMMUNITY', name: 'x' }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'kind'], code: 'INVALID' },
    ]);
    expect((await mutate('regionCreate', 'region { id }', { parent: xingle, kind: 'COMPOUND', name: 'x', code: '610102' }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'code'], code: 'ALREADY_EXISTS' },
    ]);
    expect((await mutate('regionCreate', 'region { id }', { kind: 'PROVINCE', name: '测试省' }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'parent'], code: 'REQUIRED' },
    ]);
    expect((await mutate('regionCreate', 'region { id }', { parent: xingle, kind: 'COMPOUND', name: 'x' }, as.resident)).topLevel).toBe('FORBIDDEN');
  });

  it('moves a compound with its buildings, and refuses to move a region inside itself', async () => {
    const created = await mutate('regionCreate', 'region { id }', { parent: xingle, kind: 'COMPOUND', name: '搬迁小区' }, as.platformAdmin);
    const compound = (created['region'] as { id: string }).id;
    const building = await mutate('regionCreate', 'region { id }', { parent: compound, kind: 'BUILDING', name: '搬迁1号楼' }, as.platformAdmin);
    const moved = await mutate('regionMove', 'region { parent { name } }', { region: compound, parent: ziming }, as.platformAdmin);
    expect(moved).toEqual({ region: { parent: { name: '紫铭社区' } }, userErrors: [] });
    const { data } = await people.execute(`query ($id: ID!) { region(id: $id) { ancestors { name } } }`, { variables: { id: (building['region'] as { id: string }).id } });
    expect(data).toEqual({ region: { ancestors: ['陕西省', '西安市', '新城区', '长乐中路街道', '紫铭社区', '搬迁小区'].map((name) => ({ name })) } });

    expect((await mutate('regionMove', 'region { id }', { region: ziming, parent: ziming }, as.platformAdmin)).userErrors).toEqual([
      { field: ['input', 'parent'], code: 'INVALID' },
    ]);
    expect((await mutate('regionMove', 'region { id }', { region: DEMO_REGIONS.xiyilu.id, parent: DEMO_REGIONS.eastBuilding1.id }, as.platformAdmin)).userErrors).toEqual([
      { field: ['input', 'parent'], code: 'INVALID' },
    ]);
    expect((await mutate('regionMove', 'region { id }', { region: compound, parent: xingle }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'region'], code: 'NOT_ALLOWED' },
    ]);
  });

  it('finds regions by code and by name inside a subtree', async () => {
    const byCode = await people.execute(`{ regionByCode(code: "610102002001") { name } }`);
    expect(byCode.data).toEqual({ regionByCode: { name: '紫铭社区' } });
    const search = await people.execute(`query ($w: ID) { regionSearch(filter: { within: $w, nameContains: "号楼", kind: BUILDING }, first: 50) { edges { node { name } } } }`, {
      variables: { w: DEMO_REGIONS.xingleCompoundEast.id },
    });
    expect(search.data).toEqual({ regionSearch: { edges: [{ node: { name: '东院1号楼' } }, { node: { name: '东院2号楼' } }] } });
  });
});

describe('grids and building captains', () => {
  it('cuts a grid, assigns its worker, and refuses a region another grid covers', async () => {
    const compound = await mutate('regionCreate', 'region { id }', { parent: xingle, kind: 'COMPOUND', name: '新网格小区' }, as.xingleAdmin);
    const compoundId = (compound['region'] as { id: string }).id;
    const grid = await mutate(
      'gridCreate',
      'grid { id name coverage { name } worker { id } }',
      { community: xingle, name: '兴乐社区第三网格', coverage: [compoundId] },
      as.xingleAdmin,
    );
    expect(grid).toMatchObject({ grid: { name: '兴乐社区第三网格', coverage: [{ name: '新网格小区' }], worker: null }, userErrors: [] });
    const gridId = (grid['grid'] as { id: string }).id;
    const assigned = await mutate('gridWorkerAssign', 'grid { worker { id } }', { grid: gridId, worker: DEMO_MORE_VOLUNTEERS[1]!.id }, as.xingleAdmin);
    expect(assigned).toEqual({ grid: { worker: { id: DEMO_MORE_VOLUNTEERS[1]!.id } }, userErrors: [] });
    expect((await mutate('gridCreate', 'grid { id }', { community: xingle, name: '重复覆盖', coverage: [DEMO_REGIONS.xingleCompoundEast.id] }, as.xingleAdmin)).userErrors).toEqual(
      [{ field: ['input', 'coverage'], code: 'ALREADY_EXISTS' }],
    );
    expect((await mutate('gridWorkerAssign', 'grid { id }', { grid: gridId, worker: wang.id }, as.zimingAdmin)).userErrors).toEqual([
      { field: ['input', 'grid'], code: 'NOT_ALLOWED' },
    ]);
    expect((await mutate('gridCreate', 'grid { id }', { community: xingle, name: 'x', coverage: [] }, as.xingleGridWorker)).topLevel).toBe('FORBIDDEN');
  });

  it('names a building captain, and only for buildings', async () => {
    const payload = await mutate('buildingCaptainAssign', 'building { buildingCaptain { name } }', { building: DEMO_REGIONS.eastBuilding2.id, captain: wang.id }, as.xingleAdmin);
    expect(payload).toEqual({ building: { buildingCaptain: { name: wang.name } }, userErrors: [] });
    expect((await mutate('buildingCaptainAssign', 'building { id }', { building: DEMO_REGIONS.xingleCompoundEast.id, captain: wang.id }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'building'], code: 'INVALID' },
    ]);
  });
});

describe('teams', () => {
  let teamId = '';

  it('founds a team with its captain as first member, categories and coverage', async () => {
    const payload = await mutate(
      'teamCreate',
      'team { id name kind captain { name } memberCount categories coverage { name } organization { name } }',
      { name: '巾帼志愿服务队', kind: 'WOMEN', community: xingle, captain: DEMO_VOLUNTEERS[1]!.id, categories: ['cleaning', 'companionship'] },
      as.xingleAdmin,
    );
    expect(payload.userErrors).toEqual([]);
    expect(payload['team']).toMatchObject({
      name: '巾帼志愿服务队',
      kind: 'WOMEN',
      captain: { name: DEMO_VOLUNTEERS[1]!.name },
      memberCount: 1,
      categories: ['cleaning', 'companionship'],
      coverage: [{ name: '兴乐社区' }],
      organization: null,
    });
    teamId = (payload['team'] as { id: string }).id;
    expect((await mutate('teamCreate', 'team { id }', { name: '巾帼志愿服务队', community: xingle }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'name'], code: 'ALREADY_EXISTS' },
    ]);
    expect((await mutate('teamCreate', 'team { id }', { name: 'x', community: xingle, categories: ['Not A Code'] }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'categories', '0'], code: 'INVALID' },
    ]);
    expect((await mutate('teamCreate', 'team { id }', { name: 'x', community: ziming }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'community'], code: 'NOT_ALLOWED' },
    ]);
  });

  it('lets the captain add members, refuses one added twice and a stranger doing it', async () => {
    const captain = viewerOf({ roles: ['volunteer', 'team_captain'], personId: DEMO_VOLUNTEERS[1]!.id });
    expect(await mutate('teamMemberAdd', 'team { memberCount }', { team: teamId, person: DEMO_VOLUNTEERS[3]!.id }, captain)).toEqual({ team: { memberCount: 2 }, userErrors: [] });
    expect((await mutate('teamMemberAdd', 'team { memberCount }', { team: teamId, person: DEMO_VOLUNTEERS[3]!.id }, captain)).userErrors).toEqual([
      { field: ['input', 'person'], code: 'ALREADY_EXISTS' },
    ]);
    expect((await mutate('teamMemberAdd', 'team { memberCount }', { team: teamId, person: DEMO_VOLUNTEERS[5]!.id }, as.volunteer)).userErrors).toEqual([
      { field: ['input', 'team'], code: 'NOT_ALLOWED' },
    ]);
    expect((await mutate('teamMemberAdd', 'team { id }', { team: '00000000-0000-7000-8000-00000000beef', person: wang.id }, captain)).userErrors).toEqual([
      { field: ['input', 'team'], code: 'NOT_FOUND' },
    ]);
  });

  it('refuses a captain who is not a member, then hands the captaincy over', async () => {
    expect((await mutate('teamCaptainSet', 'team { id }', { team: teamId, captain: DEMO_VOLUNTEERS[7]!.id }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'captain'], code: 'INVALID_STATE' },
    ]);
    expect(await mutate('teamCaptainSet', 'team { captain { name } }', { team: teamId, captain: DEMO_VOLUNTEERS[3]!.id }, as.xingleAdmin)).toEqual({
      team: { captain: { name: DEMO_VOLUNTEERS[3]!.name } },
      userErrors: [],
    });
    expect((await mutate('teamCaptainSet', 'team { id }', { team: teamId, captain: DEMO_VOLUNTEERS[1]!.id }, as.captain)).topLevel).toBe('FORBIDDEN');
  });

  it('ends a membership but keeps it in the history, and refuses to remove the captain', async () => {
    const leaver = viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[1]!.id });
    expect(await mutate('teamMemberRemove', 'team { memberCount }', { team: teamId, person: DEMO_VOLUNTEERS[1]!.id }, leaver)).toEqual({
      team: { memberCount: 1 },
      userErrors: [],
    });
    expect((await mutate('teamMemberRemove', 'team { id }', { team: teamId, person: DEMO_VOLUNTEERS[3]!.id }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'person'], code: 'INVALID_STATE' },
    ]);
    expect((await mutate('teamMemberRemove', 'team { id }', { team: teamId, person: DEMO_VOLUNTEERS[1]!.id }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'person'], code: 'NOT_FOUND' },
    ]);
    const { data } = await people.execute(`query ($id: ID!) { team(id: $id) { members(includeFormer: true) { edges { node { name } role leftAt } } } }`, {
      variables: { id: teamId },
      viewer: as.xingleAdmin,
    });
    const edges = (data as { team: { members: { edges: { node: { name: string }; role: string; leftAt: string | null }[] } } }).team.members.edges;
    expect(edges.map((edge) => [edge.node.name, edge.role, edge.leftAt !== null])).toEqual([
      [DEMO_VOLUNTEERS[1]!.name, 'MEMBER', true],
      [DEMO_VOLUNTEERS[3]!.name, 'CAPTAIN', false],
    ]);
    // A former member may join again.
    expect((await mutate('teamMemberAdd', 'team { memberCount }', { team: teamId, person: DEMO_VOLUNTEERS[1]!.id }, as.xingleAdmin)).userErrors).toEqual([]);
  });
});

describe('households', () => {
  const address = DEMO_REGIONS.westBuilding1.id; // grid 2
  const gridWorker2 = viewerOf({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[1]!.id });
  let householdId = '';
  let newcomer = '';

  it('registers a household through the grid worker of its grid, who then sees it', async () => {
    const registered = await mutate('personRegister', 'person { id }', { name: '新住户', idNumber: freshIdNumber(), homeRegion: address }, as.xingleAdmin);
    newcomer = (registered['person'] as { id: string }).id;
    const payload = await mutate(
      'householdRegister',
      'household { id address { name } members { person { name } relation } hardshipLevel specialNeeds consents grid { name } }',
      { address, unit: '2单元402', members: [{ person: newcomer, relation: 'HEAD' }], specialNeeds: ['ELDERLY'], consents: ['HOME_VISITS'] },
      gridWorker2,
    );
    expect(payload.userErrors).toEqual([]);
    expect(payload['household']).toMatchObject({
      address: { name: '西院1号楼' },
      members: [{ person: { name: '新住户' }, relation: 'HEAD' }],
      hardshipLevel: 'ORDINARY',
      specialNeeds: ['ELDERLY'],
      consents: ['HOME_VISITS'],
      grid: { name: '兴乐社区第二网格' },
    });
    householdId = (payload['household'] as { id: string }).id;
  });

  it('refuses a member who belongs to another household, and writes nothing of the refused household', async () => {
    const before = [await tally(households), await tally(householdMembers)];
    const spare = await mutate('personRegister', 'person { id }', { name: '另一住户', idNumber: freshIdNumber(), homeRegion: address }, as.xingleAdmin);
    const payload = await mutate(
      'householdRegister',
      'household { id }',
      {
        address,
        members: [
          { person: (spare['person'] as { id: string }).id, relation: 'HEAD' },
          { person: newcomer, relation: 'SPOUSE' },
        ],
      },
      as.xingleAdmin,
    );
    expect(payload.userErrors).toEqual([{ field: ['input', 'members', '1', 'person'], code: 'ALREADY_EXISTS' }]);
    expect([await tally(households), await tally(householdMembers)]).toEqual(before);
    expect((await mutate('householdRegister', 'household { id }', { address, members: [{ person: newcomer, relation: 'HEAD' }] }, as.zimingAdmin)).userErrors).toEqual([
      { field: ['input', 'address'], code: 'NOT_ALLOWED' },
    ]);
    expect((await mutate('householdRegister', 'household { id }', { address, members: [] }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'members'], code: 'REQUIRED' },
    ]);
  });

  it('adds and removes members, refusing one added twice', async () => {
    const spouse = await mutate('personRegister', 'person { id }', { name: '新住户配偶', idNumber: freshIdNumber(), homeRegion: address }, as.xingleAdmin);
    const spouseId = (spouse['person'] as { id: string }).id;
    expect(await mutate('householdMemberAdd', 'household { members { relation } }', { household: householdId, person: spouseId, relation: 'SPOUSE' }, gridWorker2)).toEqual({
      household: { members: [{ relation: 'HEAD' }, { relation: 'SPOUSE' }] },
      userErrors: [],
    });
    expect((await mutate('householdMemberAdd', 'household { id }', { household: householdId, person: spouseId, relation: 'SPOUSE' }, gridWorker2)).userErrors).toEqual([
      { field: ['input', 'person'], code: 'ALREADY_EXISTS' },
    ]);
    // Each membership has a stable id of its own, derived from its household, member and joining instant.
    const read = async () => {
      const { data } = await people.execute('query ($id: ID!) { household(id: $id) { members { id person { id } joinedAt } } }', {
        variables: { id: householdId },
        viewer: gridWorker2,
      });
      return (data as { household: { members: { id: string; person: { id: string }; joinedAt: string }[] } }).household.members;
    };
    const members = await read();
    expect(members.map((member) => member.id)).toEqual(members.map((member) => derivedId('HouseholdMember', householdId, member.person.id, member.joinedAt)));
    expect(new Set(members.map((member) => member.id)).size).toBe(2);
    expect(await read()).toEqual(members);
    expect(await mutate('householdMemberRemove', 'household { members { relation } }', { household: householdId, person: spouseId }, as.xingleAdmin)).toEqual({
      household: { members: [{ relation: 'HEAD' }] },
      userErrors: [],
    });
    // Another grid's household is out of this grid worker's sight: FORBIDDEN, as an id that names none is.
    expect((await mutate('householdMemberAdd', 'household { id }', { household: householdId, person: spouseId, relation: 'SPOUSE' }, as.xingleGridWorker)).topLevel).toBe(
      'FORBIDDEN',
    );
  });

  it('sets the hardship level by community admins only, with a reason', async () => {
    expect(
      await mutate('householdHardshipSet', 'household { hardshipLevel }', { household: householdId, hardshipLevel: 'LOW_INCOME', reason: '低保证 2022-118' }, as.xingleAdmin),
    ).toEqual({
      household: { hardshipLevel: 'LOW_INCOME' },
      userErrors: [],
    });
    expect((await mutate('householdHardshipSet', 'household { id }', { household: householdId, hardshipLevel: 'ORDINARY', reason: ' ' }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'reason'], code: 'REQUIRED' },
    ]);
    expect((await mutate('householdHardshipSet', 'household { id }', { household: householdId, hardshipLevel: 'ORDINARY', reason: 'x' }, gridWorker2)).topLevel).toBe('FORBIDDEN');
    // A household outside the admin's scope is out of their sight: FORBIDDEN, as an id that names none is.
    expect((await mutate('householdHardshipSet', 'household { id }', { household: DEMO_HOUSEHOLDS[3]!.id, hardshipLevel: 'ORDINARY', reason: 'x' }, as.xingleAdmin)).topLevel).toBe(
      'FORBIDDEN',
    );
  });

  it('assigns a caretaker who is an active volunteer or a grid worker, who then sees the household', async () => {
    const caretaker = DEMO_VOLUNTEERS[6]!;
    expect((await mutate('householdCaretakerAssign', 'household { id }', { household: householdId, caretaker: DEMO_RESIDENTS[1]!.id }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'caretaker'], code: 'INVALID_STATE' },
    ]);
    expect(await mutate('householdCaretakerAssign', 'household { caretaker { name } }', { household: householdId, caretaker: caretaker.id }, as.xingleAdmin)).toEqual({
      household: { caretaker: { name: caretaker.name } },
      userErrors: [],
    });
    const { data } = await people.execute(`query ($id: ID!) { household(id: $id) { unit } }`, {
      variables: { id: householdId },
      viewer: viewerOf({ roles: ['volunteer'], personId: caretaker.id }),
    });
    expect(data).toEqual({ household: { unit: '2单元402' } });
  });
});

describe('organizationCreate', () => {
  it('registers an organisation in scope, shows its contact to signed-in viewers only, and refuses a duplicate', async () => {
    const input = { name: '兴乐便民超市', kind: 'SUPERMARKET', region: xingle, contactName: '店长', contactPhone: '13600001111' };
    const payload = await mutate('organizationCreate', 'organization { id name kind region { name } }', input, as.xingleAdmin);
    expect(payload).toMatchObject({ organization: { name: '兴乐便民超市', kind: 'SUPERMARKET', region: { name: '兴乐社区' } }, userErrors: [] });
    const id = (payload['organization'] as { id: string }).id;
    const query = `query ($id: ID!) { organization(id: $id) { contactPhone } }`;
    expect((await people.execute(query, { variables: { id } })).data).toEqual({ organization: { contactPhone: null } });
    expect((await people.execute(query, { variables: { id }, viewer: as.resident })).data).toEqual({ organization: { contactPhone: '13600001111' } });
    expect((await mutate('organizationCreate', 'organization { id }', input, as.xingleAdmin)).userErrors).toEqual([{ field: ['input', 'name'], code: 'ALREADY_EXISTS' }]);
    expect((await mutate('organizationCreate', 'organization { id }', { ...input, name: '外区超市', region: ziming }, as.xingleAdmin)).userErrors).toEqual([
      { field: ['input', 'region'], code: 'NOT_ALLOWED' },
    ]);
  });
});

describe('races', () => {
  it('lets only one of two simultaneous registrations of one ID number through', async () => {
    const idNumber = freshIdNumber();
    const input = (name: string) => ({ name, idNumber, homeRegion: DEMO_REGIONS.eastBuilding1.id });
    const results = await Promise.all([
      mutate('personRegister', 'person { id }', input('并发甲'), as.xingleAdmin),
      mutate('personRegister', 'person { id }', input('并发乙'), as.xingleAdmin),
    ]);
    expect(results.map((result) => result.userErrors.map((error) => error.code)).sort()).toEqual([[], ['ALREADY_EXISTS']]);
  });

  it('adds a person once when two captains’ requests to add them arrive together', async () => {
    const person = DEMO_MORE_VOLUNTEERS[50]!.id;
    const input = { team: DEMO_TEAM.id, person };
    const results = await Promise.all([mutate('teamMemberAdd', 'team { id }', input, as.captain), mutate('teamMemberAdd', 'team { id }', input, as.xingleAdmin)]);
    expect(results.map((result) => result.userErrors.map((error) => error.code)).sort()).toEqual([[], ['ALREADY_EXISTS']]);
  });

  it('puts a person in one household only when two registrations race for them', async () => {
    const registered = await mutate('personRegister', 'person { id }', { name: '抢户口', idNumber: freshIdNumber(), homeRegion: DEMO_REGIONS.eastBuilding1.id }, as.xingleAdmin);
    const person = (registered['person'] as { id: string }).id;
    const input = { address: DEMO_REGIONS.eastBuilding1.id, members: [{ person, relation: 'HEAD' }] };
    const before = await tally(households);
    const results = await Promise.all([
      mutate('householdRegister', 'household { id }', input, as.xingleAdmin),
      mutate('householdRegister', 'household { id }', input, as.platformAdmin),
    ]);
    expect(results.map((result) => result.userErrors.map((error) => error.code)).sort()).toEqual([[], ['ALREADY_EXISTS']]);
    expect(await tally(households)).toBe(before + 1);
  });
});
