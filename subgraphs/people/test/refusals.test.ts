/**
 * Authority before state, for every people mutation: a viewer who may not
 * act on an object hears one answer (code, field and words) whatever state
 * the object is in, so a refusal never tells them anything about it. A
 * household the viewer may not see is FORBIDDEN exactly as an id that names
 * none (households do not exist for those outside them; only a platform
 * admin hears NOT_FOUND for a made-up id); objects that are public (regions,
 * teams, grids, persons) are NOT_ALLOWED to those who may not change them.
 * Each case tries two or more states.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, type Viewer } from '@lianxin/shared';
import { DEMO_GRID_WORKERS, DEMO_GRIDS, DEMO_HOUSEHOLDS, DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_TEAM, DEMO_VOLUNTEERS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { demoIdNumber } from '../src/db/demo.js';
import { peopleSubgraph } from '../src/index.js';

let people: SubgraphHarness<PeopleContext>;

const xingle = DEMO_REGIONS.xingle.id;
const ziming = DEMO_XINCHENG_REGIONS['ziming']!.id;
const westBuilding = DEMO_REGIONS.westBuilding1.id;
/** 何德顺's household, one member, in the west compound (the second Xingle grid). */
const heHousehold = DEMO_HOUSEHOLDS[1]!;
/** A two-member Xingle household, also in the second grid. */
const pairHousehold = DEMO_HOUSEHOLDS[8]!;

const as = {
  platformAdmin: viewerOf({ roles: ['platform_admin'] }),
  xingleAdmin: viewerOf({ roles: ['community_admin'], regionIds: [xingle] }),
  /** A community admin of Ziming: every Xingle object lies outside their scope. */
  zimingAdmin: viewerOf({ roles: ['community_admin', 'station_admin'], regionIds: [ziming] }),
  /** The grid worker of the first Xingle grid (the east compound), made caretaker of second-grid households below. */
  eastGridWorker: viewerOf({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[0]!.id, regionIds: [xingle] }),
  /** A volunteer of another team, with no relation to 乐修匠. */
  volunteer: viewerOf({ roles: ['volunteer'], personId: DEMO_MORE_VOLUNTEERS[40]!.id }),
};

interface Answer {
  topLevel?: unknown;
  userErrors?: { field: string[] | null; code: string; message: string }[];
}

/** The whole answer to a mutation: the top-level error's code and words, or the user errors with their words. */
async function answer(name: string, input: Record<string, unknown>, viewer: Viewer): Promise<Answer> {
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const { data, errors } = await people.execute(`mutation ($input: ${inputType}!) { ${name}(input: $input) { userErrors { field code message } } }`, {
    variables: { input },
    viewer,
  });
  if (errors) return { topLevel: [errors[0]?.extensions?.['code'], errors[0]?.message] };
  return { userErrors: (data as Record<string, { userErrors: Answer['userErrors'] }>)[name]!.userErrors };
}

/** Runs a mutation that must succeed. */
async function must(name: string, input: Record<string, unknown>, viewer: Viewer): Promise<void> {
  expect(await answer(name, input, viewer)).toEqual({ userErrors: [] });
}

/** Asks the same mutation of objects in different states and expects one refusal for all, with `code` on `field`. */
async function expectOneAnswer(name: string, inputs: readonly Record<string, unknown>[], viewer: Viewer, field: string[], code: string): Promise<void> {
  const answers = await Promise.all(inputs.map((input) => answer(name, input, viewer)));
  expect(answers[0]!.userErrors?.map((error) => [error.field, error.code])).toEqual([[field, code]]);
  for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);
}

/** The answer to a household the viewer may not see, and to an id that names none. */
const UNSEEN_HOUSEHOLD: Answer = { topLevel: ['FORBIDDEN', 'There is no such household, or you may not see it.'] };

/** Asks the same mutation of households in different states, and of a made-up one, and expects FORBIDDEN for all, in the same words. */
async function expectUnseen(name: string, inputs: readonly Record<string, unknown>[], viewer: Viewer): Promise<void> {
  const answers = await Promise.all(inputs.map((input) => answer(name, input, viewer)));
  answers.forEach((other, index) => expect({ input: inputs[index], answer: other }).toEqual({ input: inputs[index], answer: UNSEEN_HOUSEHOLD }));
}

let serial = 900;
const freshIdNumber = (): string => demoIdNumber((serial += 1), { gender: 'male', born: '1975-07-07' });

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
  // The east grid's worker looks after two households of the other grid: sees them, may not manage them.
  for (const household of [heHousehold, pairHousehold]) {
    await must('householdCaretakerAssign', { household: household.id, caretaker: as.eastGridWorker.personId }, as.xingleAdmin);
  }
});
afterAll(async () => {
  await people?.stop();
});

describe('households: one the viewer may not see is FORBIDDEN as a made-up one is, whatever its members, level or caretaker', () => {
  const missing = newId();
  const member = (household: (typeof DEMO_HOUSEHOLDS)[number]) => household.members[0]!.personId;

  it('householdMemberAdd and householdMemberRemove, by an admin of another community', async () => {
    const stranger = DEMO_VOLUNTEERS[11]!.id;
    await expectUnseen(
      'householdMemberAdd',
      [
        { household: heHousehold.id, person: stranger, relation: 'CHILD' },
        // The person is a member already: the answer does not say so.
        { household: heHousehold.id, person: member(heHousehold), relation: 'CHILD' },
        { household: pairHousehold.id, person: stranger, relation: 'CHILD' },
        { household: missing, person: stranger, relation: 'CHILD' },
      ],
      as.zimingAdmin,
    );
    await expectUnseen(
      'householdMemberRemove',
      [
        { household: pairHousehold.id, person: member(pairHousehold) },
        { household: pairHousehold.id, person: stranger },
        { household: missing, person: stranger },
      ],
      as.zimingAdmin,
    );
  });

  it('householdHardshipSet and householdCaretakerAssign, by an admin of another community', async () => {
    await expectUnseen(
      'householdHardshipSet',
      [
        { household: heHousehold.id, hardshipLevel: 'ORDINARY', reason: '复核' },
        { household: pairHousehold.id, hardshipLevel: 'ORDINARY', reason: '复核' },
        { household: missing, hardshipLevel: 'ORDINARY', reason: '复核' },
      ],
      as.zimingAdmin,
    );
    await expectUnseen(
      'householdCaretakerAssign',
      [
        // An active volunteer, and a resident who could never be caretaker: the answer does not tell them apart.
        { household: heHousehold.id, caretaker: DEMO_VOLUNTEERS[6]!.id },
        { household: heHousehold.id, caretaker: member(pairHousehold) },
        { household: missing, caretaker: DEMO_VOLUNTEERS[6]!.id },
      ],
      as.zimingAdmin,
    );
  });

  it('a grid worker of another grid and a volunteer hear the same, and only a platform admin, who sees every household, hears that an id names none', async () => {
    const stranger = DEMO_VOLUNTEERS[11]!.id;
    for (const viewer of [as.eastGridWorker, as.volunteer]) {
      // The east grid's worker cares for households of the other grid but may not see a third; the volunteer holds no registrar role at all.
      const made = await answer('householdMemberAdd', { household: missing, person: stranger, relation: 'CHILD' }, viewer);
      if (viewer === as.volunteer) expect(made.topLevel).toEqual(['FORBIDDEN', 'Your role may not change households.']);
      else expect(made).toEqual(UNSEEN_HOUSEHOLD);
    }
    await expectUnseen(
      'householdMemberRemove',
      [
        { household: DEMO_HOUSEHOLDS[3]!.id, person: stranger },
        { household: missing, person: stranger },
      ],
      as.eastGridWorker,
    );
    for (const [name, input] of [
      ['householdMemberAdd', { household: missing, person: stranger, relation: 'CHILD' }],
      ['householdMemberRemove', { household: missing, person: stranger }],
      ['householdHardshipSet', { household: missing, hardshipLevel: 'ORDINARY', reason: '复核' }],
      ['householdCaretakerAssign', { household: missing, caretaker: DEMO_VOLUNTEERS[6]!.id }],
    ] as const) {
      expect({ name, answer: await answer(name, input, as.platformAdmin) }).toEqual({
        name,
        answer: { userErrors: [{ field: ['input', 'household'], code: 'NOT_FOUND', message: 'There is no such household.' }] },
      });
    }
  });

  it('a caretaker who sees the household but does not manage it: NOT_ALLOWED, whoever is in it', async () => {
    await expectOneAnswer(
      'householdMemberRemove',
      [
        { household: pairHousehold.id, person: member(pairHousehold) },
        { household: pairHousehold.id, person: DEMO_VOLUNTEERS[11]!.id },
        { household: heHousehold.id, person: member(heHousehold) },
      ],
      as.eastGridWorker,
      ['input', 'household'],
      'NOT_ALLOWED',
    );
  });
});

describe('public objects: NOT_ALLOWED to those who may not change them, whatever their state', () => {
  it('teamMemberAdd, teamMemberRemove: a volunteer with no relation to the team, whether the person is a member, its captain or neither', async () => {
    const captain = DEMO_VOLUNTEERS[0]!.id;
    const memberOf = DEMO_VOLUNTEERS[1]!.id;
    const outsider = DEMO_MORE_VOLUNTEERS[60]!.id;
    await expectOneAnswer(
      'teamMemberAdd',
      [
        { team: DEMO_TEAM.id, person: memberOf },
        { team: DEMO_TEAM.id, person: outsider },
      ],
      as.volunteer,
      ['input', 'team'],
      'NOT_ALLOWED',
    );
    await expectOneAnswer(
      'teamMemberRemove',
      [
        { team: DEMO_TEAM.id, person: captain },
        { team: DEMO_TEAM.id, person: memberOf },
        { team: DEMO_TEAM.id, person: outsider },
      ],
      as.volunteer,
      ['input', 'team'],
      'NOT_ALLOWED',
    );
  });

  it('teamCaptainSet: an admin of another community, whether the candidate is a member or not', async () => {
    await expectOneAnswer(
      'teamCaptainSet',
      [
        { team: DEMO_TEAM.id, captain: DEMO_VOLUNTEERS[1]!.id },
        { team: DEMO_TEAM.id, captain: DEMO_MORE_VOLUNTEERS[60]!.id },
      ],
      as.zimingAdmin,
      ['input', 'team'],
      'NOT_ALLOWED',
    );
  });

  it('teamCreate, organizationCreate, gridCreate: an admin of another community, whether the name is taken or not', async () => {
    await expectOneAnswer(
      'teamCreate',
      [
        { name: DEMO_TEAM.name, community: xingle },
        { name: '越界新队', community: xingle },
        // Not even a community: the answer is about scope all the same.
        { name: '越界新队', community: westBuilding },
      ],
      as.zimingAdmin,
      ['input', 'community'],
      'NOT_ALLOWED',
    );
    await expectOneAnswer(
      'organizationCreate',
      [
        { name: '尚善学苑', kind: 'SOCIAL_ORGANIZATION', region: xingle },
        { name: '越界新机构', kind: 'SOCIAL_ORGANIZATION', region: xingle },
      ],
      as.zimingAdmin,
      ['input', 'region'],
      'NOT_ALLOWED',
    );
    await expectOneAnswer(
      'gridCreate',
      [
        { community: xingle, name: DEMO_GRIDS[0]!.name, coverage: [] },
        { community: xingle, name: '越界新网格', coverage: [DEMO_REGIONS.xingleCompoundEast.id] },
      ],
      as.zimingAdmin,
      ['input', 'community'],
      'NOT_ALLOWED',
    );
  });

  it('gridWorkerAssign and buildingCaptainAssign: an admin of another community, whatever grid or building', async () => {
    await expectOneAnswer(
      'gridWorkerAssign',
      [
        { grid: DEMO_GRIDS[0]!.id, worker: DEMO_GRID_WORKERS[0]!.id },
        { grid: DEMO_GRIDS[1]!.id, worker: DEMO_GRID_WORKERS[0]!.id },
      ],
      as.zimingAdmin,
      ['input', 'grid'],
      'NOT_ALLOWED',
    );
    await expectOneAnswer(
      'buildingCaptainAssign',
      [
        // A building with a captain, one without, and a compound (which has none): one answer.
        { building: DEMO_REGIONS.eastBuilding1.id, captain: DEMO_VOLUNTEERS[3]!.id },
        { building: DEMO_REGIONS.eastBuilding2.id, captain: DEMO_VOLUNTEERS[3]!.id },
        { building: DEMO_REGIONS.xingleCompoundEast.id, captain: DEMO_VOLUNTEERS[3]!.id },
      ],
      as.zimingAdmin,
      ['input', 'building'],
      'NOT_ALLOWED',
    );
  });

  it('regionCreate and regionMove: an admin of another community, whether the code is taken or the move changes anything', async () => {
    await expectOneAnswer(
      'regionCreate',
      [
        { parent: xingle, kind: 'COMPOUND', name: '越界小区', code: DEMO_REGIONS.xingle.code },
        { parent: xingle, kind: 'COMPOUND', name: '越界小区' },
      ],
      as.zimingAdmin,
      ['input', 'parent'],
      'NOT_ALLOWED',
    );
    await expectOneAnswer(
      'regionMove',
      [
        { region: DEMO_REGIONS.westBuilding1.id, parent: DEMO_REGIONS.xingleCompoundWest.id },
        { region: DEMO_REGIONS.westBuilding1.id, parent: DEMO_REGIONS.xingleCompoundEast.id },
      ],
      as.zimingAdmin,
      ['input', 'region'],
      'NOT_ALLOWED',
    );
  });

  it('personRegister and householdRegister: an admin of another community, whether the ID number or the member is taken', async () => {
    const taken = freshIdNumber();
    await must('personRegister', { name: '已登记', idNumber: taken, homeRegion: westBuilding }, as.xingleAdmin);
    await expectOneAnswer(
      'personRegister',
      [
        { name: '越界登记', idNumber: taken, homeRegion: westBuilding },
        { name: '越界登记', idNumber: freshIdNumber(), homeRegion: westBuilding },
        // Not a dwelling either: still an answer about scope.
        { name: '越界登记', idNumber: freshIdNumber(), homeRegion: xingle },
      ],
      as.zimingAdmin,
      ['input', 'homeRegion'],
      'NOT_ALLOWED',
    );
    await expectOneAnswer(
      'householdRegister',
      [
        { address: westBuilding, members: [{ person: heHousehold.members[0]!.personId, relation: 'HEAD' }] },
        { address: westBuilding, members: [{ person: DEMO_VOLUNTEERS[11]!.id, relation: 'HEAD' }] },
      ],
      as.zimingAdmin,
      ['input', 'address'],
      'NOT_ALLOWED',
    );
  });

  it('personUpdate and volunteerProfileSet: an admin of another community, whether the person has a volunteer profile or not', async () => {
    await expectOneAnswer(
      'personUpdate',
      [
        { person: DEMO_VOLUNTEERS[2]!.id, phone: '13900000001' },
        { person: heHousehold.members[0]!.personId, name: '改名' },
      ],
      as.zimingAdmin,
      ['input', 'person'],
      'NOT_ALLOWED',
    );
    await expectOneAnswer(
      'volunteerProfileSet',
      [
        // A volunteer with a profile, and a resident without one.
        { person: DEMO_VOLUNTEERS[2]!.id, partyMember: true },
        { person: heHousehold.members[0]!.personId, partyMember: true },
      ],
      as.zimingAdmin,
      ['input', 'person'],
      'NOT_ALLOWED',
    );
  });
});
