import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_RESIDENTS, DEMO_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { countStatements, startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { recognitionSubgraph } from '../src/index.js';
import type { RecognitionContext } from '../src/context.js';
import { badgeAwards, badgeKinds } from '../src/db/schema.js';

let recognition: SubgraphHarness<RecognitionContext>;
const volunteer = viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[1]!.id });
const wang = DEMO_VOLUNTEERS[0]!;

const personBadges = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id badges { code name awardedAt } } } }`;
const asPersons = (ids: readonly string[]) => ({ r: ids.map((id) => ({ __typename: 'Person', id })) });
// In process the DateTime scalar is not yet serialised, so a time may still be a Date.
type PersonBadges = { _entities: { id: string; badges: { code: string; name: string; awardedAt: string | Date }[] }[] };
const instant = (time: string | Date | undefined): string => new Date(time ?? Number.NaN).toISOString();

/** The SQLSTATE Postgres refused `statement` with, or null when it was accepted. */
async function refusalOf(statement: PromiseLike<unknown>): Promise<string | null> {
  try {
    await statement;
    return null;
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return typeof cause?.code === 'string' ? cause.code : 'unknown';
  }
}
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const CHECK_VIOLATION = '23514';

/*
 * Badges to read. The demo data set gives recognition nothing of its own (its
 * badges follow from the other subgraphs' events; test/demo.test.ts checks
 * them in the whole graph), so these tests write their awards: 乐修匠's twelve
 * joining a day apart from 11 January 2022, and two badges of the kinds no
 * rule awards yet, as an admin's import would.
 */
const DAY = 86_400_000;
const FIRST_JOINED = Date.UTC(2022, 0, 10, 1, 0, 0);
const AWARDS = [
  ...DEMO_VOLUNTEERS.map((holder, index) => ({ id: demoId(30, index + 1), badgeCode: 'team_joined', holderId: holder.id, awardedAt: new Date(FIRST_JOINED + (index + 1) * DAY) })),
  ...[0, 1, 4].map((index, n) => ({
    id: demoId(31, n + 1),
    badgeCode: 'active_volunteer',
    holderId: DEMO_VOLUNTEERS[index]!.id,
    awardedAt: new Date(Date.UTC(2022, 5, 1 + n, 2)),
  })),
  ...[0, 2].map((index, n) => ({ id: demoId(31, 4 + n), badgeCode: 'well_rated', holderId: DEMO_VOLUNTEERS[index]!.id, awardedAt: new Date(Date.UTC(2022, 8, 15 + n, 2)) })),
];

beforeAll(async () => {
  recognition = await startSubgraphHarness(recognitionSubgraph);
  await recognition.database.db.insert(badgeAwards).values(AWARDS);
});
afterAll(async () => {
  await recognition?.stop();
});

describe('the badge catalogue', () => {
  it('lists the four kinds every install has, to anyone', async () => {
    const { data, errors } = await recognition.execute(`{ badgeKinds { code name description } }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      badgeKinds: [
        { code: 'active_volunteer', name: '活跃志愿者徽章', description: expect.any(String) },
        { code: 'team_joined', name: '加入服务队徽章', description: 'Awarded on joining a volunteer service team.' },
        { code: 'team_served', name: '服务队服务徽章', description: expect.any(String) },
        { code: 'well_rated', name: '群众好评徽章', description: expect.any(String) },
      ],
    });
  });
});

describe("a person's badges", () => {
  it('shows 王建国 his badges with their names, earliest awarded first', async () => {
    const { data, errors } = await recognition.execute(personBadges, { variables: asPersons([wang.id]), viewer: volunteer });
    expect(errors).toBeUndefined();
    const [person] = (data as PersonBadges)._entities;
    expect(person?.badges.map((badge) => [badge.code, badge.name])).toEqual([
      ['team_joined', '加入服务队徽章'],
      ['active_volunteer', '活跃志愿者徽章'],
      ['well_rated', '群众好评徽章'],
    ]);
    const times = person!.badges.map((badge) => new Date(badge.awardedAt).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Awarded the day after joining the team.
    expect(instant(person?.badges[0]?.awardedAt)).toBe('2022-01-11T01:00:00.000Z');
  });

  it('shows badges to anonymous viewers too: they are public recognition', async () => {
    const { data, errors } = await recognition.execute(personBadges, { variables: asPersons([wang.id]) });
    expect(errors).toBeUndefined();
    expect((data as PersonBadges)._entities[0]?.badges).toHaveLength(3);
  });

  it('gives a person without badges an empty list', async () => {
    const { data, errors } = await recognition.execute(personBadges, { variables: asPersons([DEMO_RESIDENTS[0]!.id]) });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [{ id: DEMO_RESIDENTS[0]!.id, badges: [] }] });
  });

  it('names the holder of a badge as a Person reference', async () => {
    const { data, errors } = await recognition.execute(`query ($id: ID!) { badge(id: $id) { code holder { id } } }`, {
      variables: { id: demoId(30, 1) },
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ badge: { code: 'team_joined', holder: { id: wang.id } } });
  });

  it('refuses a malformed badge id with BAD_USER_INPUT and answers null for an unknown one', async () => {
    const bad = await recognition.execute(`{ badge(id: "1; drop table recognition.badge_awards") { id } }`);
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const unknown = await recognition.execute(`{ badge(id: "00000000-0000-7000-8000-00000000dead") { id } }`);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ badge: null });
  });
});

describe('the database', () => {
  it('refuses to award the same badge to the same person twice', async () => {
    const award = { badgeCode: 'team_joined', holderId: wang.id, awardedAt: new Date() };
    expect(await refusalOf(recognition.database.db.insert(badgeAwards).values(award))).toBe(UNIQUE_VIOLATION);
    const { data } = await recognition.execute(personBadges, { variables: asPersons([wang.id]) });
    expect((data as PersonBadges)._entities[0]?.badges.filter((badge) => badge.code === 'team_joined')).toHaveLength(1);
  });

  it('refuses an award of a badge kind that does not exist', async () => {
    const award = { badgeCode: 'no_such_badge', holderId: wang.id, awardedAt: new Date() };
    expect(await refusalOf(recognition.database.db.insert(badgeAwards).values(award))).toBe(FOREIGN_KEY_VIOLATION);
  });

  it('refuses a badge kind with a blank name', async () => {
    const kind = { code: 'blank', name: '  ', description: 'A badge nobody could read.' };
    expect(await refusalOf(recognition.database.db.insert(badgeKinds).values(kind))).toBe(CHECK_VIOLATION);
  });

  it("adds no award when the demo data is loaded: its badges follow from the other subgraphs' events", async () => {
    const before = await recognition.database.db.$count(badgeAwards);
    await recognitionSubgraph.seedDemo(recognition.database.db, undefined);
    expect(await recognition.database.db.$count(badgeAwards)).toBe(before);
    expect(before).toBe(AWARDS.length);
  });
});

describe('federation contract', () => {
  it("loads many persons' badges in one statement, however many persons are asked", async () => {
    const two = await countStatements(recognition.database, () => recognition.execute(personBadges, { variables: asPersons(DEMO_VOLUNTEERS.slice(0, 2).map((v) => v.id)) }));
    const twelve = await countStatements(recognition.database, () => recognition.execute(personBadges, { variables: asPersons(DEMO_VOLUNTEERS.map((v) => v.id)) }));
    expect(twelve.result.errors).toBeUndefined();
    const persons = (twelve.result.data as PersonBadges)._entities;
    expect(persons.map((person) => person.id)).toEqual(DEMO_VOLUNTEERS.map((v) => v.id));
    expect(persons.every((person) => person.badges.some((badge) => badge.code === 'team_joined'))).toBe(true);
    expect(two.count).toBe(1);
    expect(twelve.count).toBe(two.count);
  });

  it('resolves a batch of Badge references in one statement, in the order asked, with null for unknown ids', async () => {
    const ids = [demoId(31, 4), '00000000-0000-7000-8000-00000000dead', demoId(30, 2), 'not-a-uuid'];
    const { result, count } = await countStatements(recognition.database, () =>
      recognition.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Badge { id code name description holder { id } } } }`, {
        variables: { r: ids.map((id) => ({ __typename: 'Badge', id })) },
      }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      _entities: [
        { id: demoId(31, 4), code: 'well_rated', name: '群众好评徽章', description: expect.any(String), holder: { id: wang.id } },
        null,
        {
          id: demoId(30, 2),
          code: 'team_joined',
          name: '加入服务队徽章',
          description: 'Awarded on joining a volunteer service team.',
          holder: { id: DEMO_VOLUNTEERS[1]!.id },
        },
        null,
      ],
    });
    expect(count).toBe(1);
  });
});
