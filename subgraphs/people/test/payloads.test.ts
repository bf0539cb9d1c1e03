/**
 * A refused people mutation answers with the object it named as it now
 * stands, beside the user errors, so a screen can redraw without asking
 * again: but only as the matching query would show it to the caller. An
 * object they may not see, an id that names none and a malformed id come
 * back null; a success is the changed object, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Viewer } from '@lianxin/shared';
import {
  DEMO_GRID_WORKERS,
  DEMO_GRIDS,
  DEMO_HOUSEHOLDS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_REGIONS,
  DEMO_RESIDENTS,
  DEMO_TEAM,
  DEMO_VOLUNTEERS,
  DEMO_XINCHENG_REGIONS,
} from '@lianxin/shared/demo';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { peopleSubgraph } from '../src/index.js';

let people: SubgraphHarness<PeopleContext>;

const xingle = DEMO_REGIONS.xingle.id;
const ziming = DEMO_XINCHENG_REGIONS['ziming']!.id;
const wang = DEMO_VOLUNTEERS[0]!;
/** 何德顺's household: one member, low income, in Xingle's west compound. */
const heHousehold = DEMO_HOUSEHOLDS[1]!;
const UNKNOWN = '00000000-0000-7000-8000-00000000beef';

const as = {
  platformAdmin: viewerOf({ roles: ['platform_admin'] }),
  xingleAdmin: viewerOf({ roles: ['community_admin'], regionIds: [xingle] }),
  /** Admin of another community: Xingle's public objects are in sight, its households are not. */
  zimingAdmin: viewerOf({ roles: ['community_admin', 'station_admin'], regionIds: [ziming] }),
  /** 王建国, captain of 乐修匠. */
  captain: viewerOf({ roles: ['volunteer', 'team_captain'], personId: wang.id }),
  /** A till whose token also carries an admin role: merchants see no persons, whatever else they hold. */
  till: viewerOf({ roles: ['merchant', 'community_admin'], merchantId: '00000000-0000-7000-8000-00000000cafe', regionIds: [ziming] }),
};

interface Payload {
  userErrors: { field: string[] | null; code: string }[];
  [key: string]: unknown;
}

/** Runs `name` as `viewer` and returns its payload; a top-level error fails the test. */
async function mutate(name: string, selection: string, input: Record<string, unknown>, viewer: Viewer): Promise<Payload> {
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const { data, errors } = await people.execute(`mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { field code } } }`, {
    variables: { input },
    viewer,
  });
  if (errors) throw new Error(`unexpected errors: ${JSON.stringify(errors)}`);
  return (data as Record<string, Payload>)[name]!;
}

/** What `query` answers `viewer` with, errors included. */
async function read(query: string, id: string, viewer: Viewer): Promise<unknown> {
  const { data, errors } = await people.execute(query, { variables: { id }, viewer });
  return errors ? { data, codes: errors.map((error) => error.extensions?.['code']) } : data;
}

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

describe('teams', () => {
  const TEAM = 'team { id memberCount captain { id } }';
  const teamQuery = `query ($id: ID!) { team(id: $id) { id memberCount captain { id } } }`;

  it('come back as they stand when a change is refused for their state, and as the change left them on success', async () => {
    const before = (await read(teamQuery, DEMO_TEAM.id, as.xingleAdmin)) as { team: { id: string; memberCount: number; captain: { id: string } } };
    expect(before.team.captain).toEqual({ id: wang.id });
    const members = before.team.memberCount;
    expect(members).toBeGreaterThan(1);

    // The captain cannot leave: the team, still captained by them, with every member.
    expect(await mutate('teamMemberRemove', TEAM, { team: DEMO_TEAM.id, person: wang.id }, as.xingleAdmin)).toEqual({
      team: { id: DEMO_TEAM.id, memberCount: members, captain: { id: wang.id } },
      userErrors: [{ field: ['input', 'person'], code: 'INVALID_STATE' }],
    });
    // A member added twice: the team as it is.
    expect(await mutate('teamMemberAdd', TEAM, { team: DEMO_TEAM.id, person: DEMO_VOLUNTEERS[1]!.id }, as.captain)).toEqual({
      team: { id: DEMO_TEAM.id, memberCount: members, captain: { id: wang.id } },
      userErrors: [{ field: ['input', 'person'], code: 'ALREADY_EXISTS' }],
    });
    // A captain who is not a member: the captain stays.
    expect(await mutate('teamCaptainSet', 'team { captain { id } }', { team: DEMO_TEAM.id, captain: DEMO_RESIDENTS[0]!.id }, as.xingleAdmin)).toEqual({
      team: { captain: { id: wang.id } },
      userErrors: [{ field: ['input', 'captain'], code: 'INVALID_STATE' }],
    });

    // Success is what it was: the team with its new member, then without them.
    const newcomer = DEMO_MORE_VOLUNTEERS[40]!.id;
    expect(await mutate('teamMemberAdd', TEAM, { team: DEMO_TEAM.id, person: newcomer }, as.captain)).toEqual({
      team: { id: DEMO_TEAM.id, memberCount: members + 1, captain: { id: wang.id } },
      userErrors: [],
    });
    expect(await mutate('teamMemberRemove', 'team { memberCount }', { team: DEMO_TEAM.id, person: newcomer }, as.captain)).toEqual({
      team: { memberCount: members },
      userErrors: [],
    });
  });

  it('are public, so a viewer refused for want of authority still gets the team the query shows them', async () => {
    const refused = await mutate('teamCaptainSet', 'team { id memberCount }', { team: DEMO_TEAM.id, captain: DEMO_VOLUNTEERS[1]!.id }, as.zimingAdmin);
    expect(refused.userErrors).toEqual([{ field: ['input', 'team'], code: 'NOT_ALLOWED' }]);
    expect({ team: refused['team'] }).toEqual(await read(`query ($id: ID!) { team(id: $id) { id memberCount } }`, DEMO_TEAM.id, as.zimingAdmin));
    expect(refused['team']).toMatchObject({ id: DEMO_TEAM.id });
  });

  it('are null for an id that names none and for a malformed id', async () => {
    expect(await mutate('teamMemberAdd', TEAM, { team: UNKNOWN, person: wang.id }, as.captain)).toEqual({
      team: null,
      userErrors: [{ field: ['input', 'team'], code: 'NOT_FOUND' }],
    });
    expect(await mutate('teamMemberRemove', TEAM, { team: 'team-1', person: wang.id }, as.xingleAdmin)).toEqual({
      team: null,
      userErrors: [{ field: ['input', 'team'], code: 'INVALID' }],
    });
  });
});

describe('households', () => {
  const householdQuery = `query ($id: ID!) { household(id: $id) { id hardshipLevel caretaker { id } members { person { id } } } }`;
  const HOUSEHOLD = 'household { id hardshipLevel caretaker { id } members { person { id } } }';

  it('come back as they stand, to those who see them, when a change is refused', async () => {
    const { household } = (await read(householdQuery, heHousehold.id, as.xingleAdmin)) as { household: Record<string, unknown> };
    // Disabled, so looked after by a neighbour.
    expect(household).toEqual({ id: heHousehold.id, hardshipLevel: 'LOW_INCOME', caretaker: { id: expect.any(String) }, members: [{ person: { id: DEMO_RESIDENTS[1]!.id } }] });

    // No reason given: the level stays.
    expect(await mutate('householdHardshipSet', HOUSEHOLD, { household: heHousehold.id, hardshipLevel: 'ORDINARY', reason: ' ' }, as.xingleAdmin)).toEqual({
      household,
      userErrors: [{ field: ['input', 'reason'], code: 'REQUIRED' }],
    });
    // A resident is no caretaker: the one there is stays.
    expect(await mutate('householdCaretakerAssign', HOUSEHOLD, { household: heHousehold.id, caretaker: DEMO_RESIDENTS[0]!.id }, as.xingleAdmin)).toEqual({
      household,
      userErrors: [{ field: ['input', 'caretaker'], code: 'INVALID_STATE' }],
    });
    // Not a member: the members as they are.
    expect(await mutate('householdMemberRemove', HOUSEHOLD, { household: heHousehold.id, person: DEMO_RESIDENTS[0]!.id }, as.xingleAdmin)).toEqual({
      household,
      userErrors: [{ field: ['input', 'person'], code: 'NOT_FOUND' }],
    });
  });

  it('are null to a viewer who may not see them, as the query is', async () => {
    // The admin of another community passes the role gate, and the input is refused before the household is looked at.
    expect(await read(householdQuery, heHousehold.id, as.zimingAdmin)).toEqual({ household: null });
    expect(await mutate('householdHardshipSet', HOUSEHOLD, { household: heHousehold.id, hardshipLevel: 'ORDINARY', reason: ' ' }, as.zimingAdmin)).toEqual({
      household: null,
      userErrors: [{ field: ['input', 'reason'], code: 'REQUIRED' }],
    });
    expect(
      await mutate(
        'householdMemberAdd',
        HOUSEHOLD,
        { household: heHousehold.id, person: 'person-1', relation: 'SPOUSE' },
        viewerOf({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[0]!.id }),
      ),
    ).toEqual({ household: null, userErrors: [{ field: ['input', 'person'], code: 'INVALID' }] });
  });

  it('are null for an id that names none and for a malformed id, and changed on success', async () => {
    expect(await mutate('householdMemberRemove', HOUSEHOLD, { household: UNKNOWN, person: DEMO_RESIDENTS[1]!.id }, as.platformAdmin)).toEqual({
      household: null,
      userErrors: [{ field: ['input', 'household'], code: 'NOT_FOUND' }],
    });
    expect(await mutate('householdHardshipSet', HOUSEHOLD, { household: 'household-1', hardshipLevel: 'ORDINARY', reason: 'x' }, as.xingleAdmin)).toEqual({
      household: null,
      userErrors: [{ field: ['input', 'household'], code: 'INVALID' }],
    });
    const changed = await mutate(
      'householdHardshipSet',
      'household { id hardshipLevel }',
      { household: heHousehold.id, hardshipLevel: 'ORDINARY', reason: '复核' },
      as.xingleAdmin,
    );
    expect(changed).toEqual({ household: { id: heHousehold.id, hardshipLevel: 'ORDINARY' }, userErrors: [] });
  });
});

describe('persons', () => {
  const resident = DEMO_RESIDENTS[2]!;

  it('come back as they stand when a change is refused, to a viewer who reads persons', async () => {
    const self = viewerOf({ roles: ['resident'], personId: resident.id });
    expect(await mutate('personUpdate', 'person { id name }', { person: resident.id, name: '改名' }, self)).toEqual({
      person: { id: resident.id, name: resident.name },
      userErrors: [{ field: ['input', 'name'], code: 'NOT_ALLOWED' }],
    });
    expect(await mutate('volunteerProfileSet', 'person { id volunteer { status } }', { person: wang.id, status: 'PAUSED' }, as.zimingAdmin)).toEqual({
      person: { id: wang.id, volunteer: { status: 'ACTIVE' } },
      userErrors: [{ field: ['input', 'person'], code: 'NOT_ALLOWED' }],
    });
  });

  it('are null to a till, which sees no persons, and for an id that names none or a malformed one', async () => {
    expect(await mutate('personUpdate', 'person { id }', { person: resident.id, phone: '13711112229' }, as.till)).toEqual({
      person: null,
      userErrors: [{ field: ['input', 'person'], code: 'NOT_ALLOWED' }],
    });
    expect(await mutate('personUpdate', 'person { id }', { person: UNKNOWN, phone: '13711112229' }, as.platformAdmin)).toEqual({
      person: null,
      userErrors: [{ field: ['input', 'person'], code: 'NOT_FOUND' }],
    });
    expect(await mutate('volunteerProfileSet', 'person { id }', { person: 'person-1', status: 'PAUSED' }, as.platformAdmin)).toEqual({
      person: null,
      userErrors: [{ field: ['input', 'person'], code: 'INVALID' }],
    });
  });
});

describe('regions and grids', () => {
  it('come back as they stand when a move, a captain or a worker is refused', async () => {
    expect(await mutate('regionMove', 'region { id parent { id } }', { region: xingle, parent: DEMO_REGIONS.eastBuilding1.id }, as.platformAdmin)).toEqual({
      region: { id: xingle, parent: { id: DEMO_REGIONS.xiyilu.id } },
      userErrors: [{ field: ['input', 'parent'], code: 'INVALID' }],
    });
    expect(await mutate('buildingCaptainAssign', 'building { id kind }', { building: DEMO_REGIONS.xingleCompoundEast.id, captain: wang.id }, as.xingleAdmin)).toEqual({
      building: { id: DEMO_REGIONS.xingleCompoundEast.id, kind: 'COMPOUND' },
      userErrors: [{ field: ['input', 'building'], code: 'INVALID' }],
    });
    const grid = DEMO_GRIDS[0]!;
    expect(await mutate('gridWorkerAssign', 'grid { id worker { id } }', { grid: grid.id, worker: wang.id }, as.zimingAdmin)).toEqual({
      grid: { id: grid.id, worker: { id: grid.workerId } },
      userErrors: [{ field: ['input', 'grid'], code: 'NOT_ALLOWED' }],
    });
  });

  it('are null for an id that names none and for a malformed id', async () => {
    expect(await mutate('gridWorkerAssign', 'grid { id }', { grid: UNKNOWN, worker: wang.id }, as.xingleAdmin)).toEqual({
      grid: null,
      userErrors: [{ field: ['input', 'grid'], code: 'NOT_FOUND' }],
    });
    expect(await mutate('regionMove', 'region { id }', { region: 'region-1', parent: xingle }, as.platformAdmin)).toEqual({
      region: null,
      userErrors: [{ field: ['input', 'region'], code: 'INVALID' }],
    });
  });
});
