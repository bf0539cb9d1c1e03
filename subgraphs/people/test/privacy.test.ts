/** Masking per viewer, the access log it writes, and household visibility, on the demo data. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import type { Viewer } from '@lianxin/shared';
import { DEMO_GRID_WORKERS, DEMO_HOUSEHOLDS, DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_TEAM, DEMO_VOLUNTEERS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { countStatements, startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { demoIdNumber, demoPhone } from '../src/db/demo.js';
import { peopleSubgraph } from '../src/index.js';

let people: SubgraphHarness<PeopleContext>;

const wang = DEMO_VOLUNTEERS[0]!; // captain of 乐修匠
const zhang = DEMO_VOLUNTEERS[1]!; // a member of 乐修匠, index 1 in the demo cast
const zhangPhone = demoPhone(1);
const zhangIdNumber = demoIdNumber(1, { gender: 'female', born: '1960-07-01' });
const stranger = DEMO_MORE_VOLUNTEERS.find((volunteer) => volunteer.team === 'qiseguang' && volunteer.born > '1970')!;

const viewers: Record<string, Viewer> = {
  herself: viewerOf({ roles: ['volunteer'], personId: zhang.id }),
  captain: viewerOf({ roles: ['volunteer', 'team_captain'], personId: wang.id }),
  gridWorker: viewerOf({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[0]!.id }),
  xingleAdmin: viewerOf({ roles: ['community_admin'], regionIds: [DEMO_REGIONS.xingle.id], subject: 'admin-xingle' }),
  zimingAdmin: viewerOf({ roles: ['community_admin'], regionIds: [DEMO_XINCHENG_REGIONS['ziming']!.id], subject: 'admin-ziming' }),
  otherVolunteer: viewerOf({ roles: ['volunteer'], personId: stranger.id }),
  platformAdmin: viewerOf({ roles: ['platform_admin'], subject: 'platform-admin' }),
  analyst: viewerOf({ roles: ['analyst'], subject: 'analyst' }),
};

const PERSON = `query ($id: ID!) { person(id: $id) { name phone idNumber gender birthDate homeUnit } }`;
type PersonData = { person: { name: string; phone: string; idNumber: string; gender: string; birthDate: string | null; homeUnit: string | null } };

async function readZhang(viewer: Viewer) {
  const { data, errors } = await people.execute(PERSON, { variables: { id: zhang.id }, viewer });
  expect(errors).toBeUndefined();
  return (data as PersonData).person;
}

async function logRowsAbout(personId: string): Promise<{ viewer_subject: string; fields: string[] }[]> {
  const result = await people.database.db.execute(sql`select viewer_subject, fields from people.personal_data_accesses where subject_person_id = ${personId} order by at, id`);
  return [...(result as Iterable<{ viewer_subject: string; fields: string[] }>)];
}

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

describe('who sees a person’s phone and ID number', () => {
  const maskedPhone = `${zhangPhone.slice(0, 3)}****${zhangPhone.slice(-4)}`;
  const maskedId = `${zhangIdNumber.slice(0, 3)}***********${zhangIdNumber.slice(-4)}`;

  it.each([
    ['herself', zhangPhone, zhangIdNumber, true],
    ['captain', zhangPhone, maskedId, true],
    ['gridWorker', zhangPhone, maskedId, true],
    ['xingleAdmin', zhangPhone, maskedId, true],
    ['zimingAdmin', maskedPhone, maskedId, false],
    ['otherVolunteer', maskedPhone, maskedId, false],
    ['analyst', maskedPhone, maskedId, false],
    ['platformAdmin', zhangPhone, zhangIdNumber, true],
  ])('%s sees the phone as %s and the ID number as %s', async (viewer, phone, idNumber, seesContact) => {
    const person = await readZhang(viewers[viewer]!);
    expect(person.phone).toBe(phone);
    expect(person.idNumber).toBe(idNumber);
    expect(person.gender).toBe('FEMALE');
    expect(person.birthDate).toBe(seesContact ? '1960-07-01' : null);
    expect(person.homeUnit === null).toBe(!seesContact);
  });

  it('masks personal data for a signed-in stranger reading a team list', async () => {
    const { data, errors } = await people.execute(`query ($id: ID!) { team(id: $id) { members(first: 2) { edges { node { phone idNumber birthDate } } } } }`, {
      variables: { id: DEMO_TEAM.id },
      viewer: viewers['otherVolunteer']!,
    });
    expect(errors).toBeUndefined();
    const nodes = (data as { team: { members: { edges: { node: { phone: string; idNumber: string; birthDate: string | null } }[] } } }).team.members.edges;
    for (const { node } of nodes) {
      expect(node.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(node.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
      expect(node.birthDate).toBeNull();
    }
  });
});

describe('the access log', () => {
  it('has a row for every unmasked read by someone else, and none for the person herself or for masked reads', async () => {
    const rows = await logRowsAbout(zhang.id);
    const bySubject = new Map(rows.map((row) => [row.viewer_subject, row.fields]));
    expect(bySubject.get(wang.id)).toEqual(['phone', 'birth_date', 'home_unit']);
    expect(bySubject.get(DEMO_GRID_WORKERS[0]!.id)).toEqual(['phone', 'birth_date', 'home_unit']);
    expect(bySubject.get('admin-xingle')).toEqual(['phone', 'birth_date', 'home_unit']);
    expect(bySubject.get('platform-admin')).toEqual(['id_number', 'phone', 'birth_date', 'home_unit']);
    expect(bySubject.has(zhang.id)).toBe(false);
    expect(bySubject.has('admin-ziming')).toBe(false);
    expect(bySubject.has(stranger.id)).toBe(false);
    expect(rows).toHaveLength(4);
  });

  it('writes a whole page of unmasked reads in one INSERT, one row per person', async () => {
    const before = (await logRowsAbout(DEMO_VOLUNTEERS[5]!.id)).length;
    const { result, statements } = await countStatements(people.database, () =>
      people.execute(`query ($id: ID!) { team(id: $id) { members(first: 12) { edges { node { phone idNumber } } } } }`, {
        variables: { id: DEMO_TEAM.id },
        viewer: viewers['platformAdmin']!,
      }),
    );
    expect(result.errors).toBeUndefined();
    expect(statements.filter((statement) => statement.includes('insert into "people"."personal_data_accesses"'))).toHaveLength(1);
    expect((await logRowsAbout(DEMO_VOLUNTEERS[5]!.id)).length).toBe(before + 1);
  });

  it('lets platform admins page through it by subject and viewer, and no one else', async () => {
    const query = `query ($filter: PersonalDataAccessFilter) {
      personalDataAccesses(filter: $filter, first: 10) { edges { node { viewerSubject viewer { name } subject { name } fields traceId at } } }
    }`;
    const { data, errors } = await people.execute(query, { variables: { filter: { subject: zhang.id, viewer: wang.id } }, viewer: viewers['platformAdmin']! });
    expect(errors).toBeUndefined();
    const edges = (data as { personalDataAccesses: { edges: { node: { viewer: { name: string }; subject: { name: string }; fields: string[]; traceId: string } }[] } })
      .personalDataAccesses.edges;
    expect(edges).toHaveLength(1);
    expect(edges[0]!.node).toMatchObject({ viewer: { name: wang.name }, subject: { name: zhang.name }, fields: ['PHONE', 'BIRTH_DATE', 'HOME_UNIT'] });
    expect(edges[0]!.node.traceId).toMatch(/^[0-9a-f-]{36}$/);

    const later = await people.execute(query, {
      variables: { filter: { subject: zhang.id, since: new Date(Date.now() + 60_000).toISOString() } },
      viewer: viewers['platformAdmin']!,
    });
    expect((later.data as { personalDataAccesses: { edges: unknown[] } }).personalDataAccesses.edges).toEqual([]);

    for (const viewer of ['xingleAdmin', 'captain', 'analyst']) {
      const refused = await people.execute(query, { variables: { filter: null }, viewer: viewers[viewer]! });
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
  });

  it('cannot be changed or emptied, even by the database owner', async () => {
    await expect(people.database.db.execute(sql`update people.personal_data_accesses set fields = '{phone}'`)).rejects.toThrow();
    await expect(people.database.db.execute(sql`delete from people.personal_data_accesses`)).rejects.toThrow();
    await expect(people.database.db.execute(sql`truncate people.personal_data_accesses`)).rejects.toThrow();
    expect((await logRowsAbout(zhang.id)).length).toBeGreaterThan(0);
  });
});

describe('who sees a household', () => {
  // The first demo household: 刘桂芳, an elder living alone in 东院1号楼 (grid 1), with a caretaker.
  const household = DEMO_HOUSEHOLDS[0]!;
  const query = `query ($id: ID!) { household(id: $id) { id hardshipLevel specialNeeds members { person { name } relation } caretaker { id } grid { name } } }`;

  async function read(viewer: Viewer) {
    const { data, errors } = await people.execute(query, { variables: { id: household.id }, viewer });
    expect(errors).toBeUndefined();
    return (data as { household: { hardshipLevel: string; specialNeeds: string[]; members: { person: { name: string } }[]; caretaker: { id: string } | null } | null }).household;
  }

  it('shows it to its member, its caretaker, its grid worker and admins of its region, with its hardship and needs', async () => {
    const member = viewerOf({ roles: ['resident'], personId: DEMO_RESIDENTS[0]!.id });
    const seen = await read(member);
    expect(seen).toMatchObject({ hardshipLevel: 'SPECIAL_HARDSHIP', specialNeeds: ['LIVING_ALONE', 'ELDERLY'], members: [{ person: { name: '刘桂芳' } }] });
    const caretakerId = seen!.caretaker!.id;
    expect(await read(viewerOf({ roles: ['volunteer'], personId: caretakerId }))).not.toBeNull();
    expect(await read(viewers['gridWorker']!)).not.toBeNull();
    expect(await read(viewers['xingleAdmin']!)).not.toBeNull();
    expect(await read(viewers['platformAdmin']!)).not.toBeNull();
  });

  it('hides it from everyone else, as if it did not exist', async () => {
    for (const viewer of ['zimingAdmin', 'otherVolunteer', 'analyst', 'captain']) expect(await read(viewers[viewer]!)).toBeNull();
    const anonymous = await people.execute(query, { variables: { id: household.id } });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const reference = await people.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Household { hardshipLevel } } }`, {
      variables: { r: [{ __typename: 'Household', id: household.id }] },
      viewer: viewers['otherVolunteer']!,
    });
    expect(reference.data).toEqual({ _entities: [null] });
  });

  it('logs staff reads of hardship and needs, but not the member’s own', async () => {
    const rows = await people.database.db.execute(sql`select viewer_subject, fields from people.personal_data_accesses where subject_household_id = ${household.id}`);
    const list = [...(rows as Iterable<{ viewer_subject: string; fields: string[] }>)];
    expect(list.map((row) => row.viewer_subject)).toContain('admin-xingle');
    expect(list.map((row) => row.viewer_subject)).not.toContain(DEMO_RESIDENTS[0]!.id);
    expect(list.every((row) => row.fields.join() === 'hardship_level,special_needs')).toBe(true);
  });

  it('lists households to admins inside their scope only, with filters', async () => {
    const list = `query ($filter: HouseholdFilter) { households(filter: $filter, first: 100) { totalCount edges { node { address { name } hardshipLevel specialNeeds } } } }`;
    type List = { households: { totalCount: number; edges: { node: { hardshipLevel: string; specialNeeds: string[] } }[] } };
    const all = await people.execute(list, { variables: { filter: null }, viewer: viewers['platformAdmin']! });
    expect((all.data as List).households.totalCount).toBe(62); // 50 in Xincheng, 12 in Jimo's caseload
    const xingle = await people.execute(list, { variables: { filter: null }, viewer: viewers['xingleAdmin']! });
    expect((xingle.data as List).households.totalCount).toBeLessThan(50);
    expect((xingle.data as List).households.totalCount).toBeGreaterThan(0);
    const alone = await people.execute(list, { variables: { filter: { specialNeed: 'LIVING_ALONE', hardshipLevel: 'SPECIAL_HARDSHIP' } }, viewer: viewers['platformAdmin']! });
    const nodes = (alone.data as List).households.edges.map((edge) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((node) => node.hardshipLevel === 'SPECIAL_HARDSHIP' && node.specialNeeds.includes('LIVING_ALONE'))).toBe(true);
    for (const viewer of ['gridWorker', 'captain', 'analyst']) {
      const refused = await people.execute(list, { variables: { filter: null }, viewer: viewers[viewer]! });
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
  });
});
