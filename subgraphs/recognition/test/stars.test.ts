/**
 * Volunteer stars on real Postgres: regions, homes, services, reversals and
 * ratings arrive as the producers' events (the payloads of docs/events.md),
 * `consumeOnce` applies them, and stars, histories and thresholds are read
 * back through GraphQL (and the database's guards through SQL).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { newId, type ConsumeReport, type NewEvent, type Viewer } from '@lianxin/shared';
import { countStatements, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { consumeAll as consumeEvents, publish as publishEvents, startRecognition, type Source } from './support.js';
import type { RecognitionContext } from '../src/context.js';
import { personStars, starChanges } from '../src/db/schema.js';
import { evaluateStars, STAR_EVALUATION_BATCH } from '../src/stars/evaluate.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;

beforeAll(async () => {
  // No demo data: every region, home and tally comes from the events below.
  recognition = await startRecognition();
});
afterAll(async () => {
  await recognition?.stop();
});

const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);
const consumeAll = (): Promise<ConsumeReport> => consumeEvents(db());

// --- Events, with the full documented payloads ---------------------------------------------------------------------

function regionCreated(regionId: string, path: readonly string[], kind: string): NewEvent {
  return { type: 'region.created', aggregateType: 'region', aggregateId: regionId, payload: { regionId, parentId: path.at(-1) ?? null, kind, path: [...path] } };
}

function regionMoved(regionId: string, path: readonly string[]): NewEvent {
  return { type: 'region.moved', aggregateType: 'region', aggregateId: regionId, payload: { regionId, parentId: path.at(-1) ?? null, path: [...path] } };
}

function personRegistered(personId: string, homeRegionId: string | null): NewEvent {
  return { type: 'person.registered', aggregateType: 'person', aggregateId: personId, payload: { personId, registeredAt: '2024-01-01T00:00:00.000Z', homeRegionId } };
}

function homeChanged(personId: string, homeRegionId: string | null): NewEvent {
  return { type: 'person.home_changed', aggregateType: 'person', aggregateId: personId, payload: { personId, homeRegionId } };
}

function serviceCreated(volunteerId: string, minutes: number, servedAt: string, recordId = newId()): NewEvent {
  const place = newId();
  return {
    type: 'service_record.created',
    aggregateType: 'service_record',
    aggregateId: recordId,
    payload: {
      serviceRecordId: recordId,
      volunteerId,
      categoryCode: 'repair',
      minutes,
      servedAt,
      requestId: newId(),
      activityId: null,
      correctsId: null,
      regionId: place,
      regionPath: [place],
      createdAt: servedAt,
    },
  };
}

function serviceReversed(volunteerId: string, originalId: string, originalMinutes: number, createdAt: string): NewEvent {
  const place = newId();
  return {
    type: 'service_record.reversed',
    aggregateType: 'service_record',
    aggregateId: originalId,
    payload: { serviceRecordId: newId(), reversesId: originalId, volunteerId, categoryCode: 'repair', minutes: -originalMinutes, regionId: place, regionPath: [place], createdAt },
  };
}

function requestRated(assigneeId: string, score: number, ratedAt = '2024-05-01T02:00:00.000Z'): NewEvent {
  const requestId = newId();
  const place = newId();
  return {
    type: 'service_request.rated',
    aggregateType: 'service_request',
    aggregateId: requestId,
    payload: { requestId, assigneeId, teamId: null, requesterId: newId(), ratedById: newId(), score, categoryCode: 'repair', regionId: place, regionPath: [place], ratedAt },
  };
}

/**
 * A fresh branch of the region tree, announced as people announces it:
 * province → city → district → street → community → compound → building.
 */
async function newTree() {
  const [province, city, district, street, community, compound, building] = Array.from({ length: 7 }, () => newId()) as [string, string, string, string, string, string, string];
  const kinds = ['province', 'city', 'district', 'street', 'community', 'compound', 'building'];
  const chain = [province, city, district, street, community, compound, building];
  await publish('people', ...chain.map((region, index) => regionCreated(region, chain.slice(0, index), kinds[index]!)));
  return { province, city, district, street, community, compound, building, chain };
}

/** A person living in `home`, announced by people. */
async function resident(home: string | null): Promise<string> {
  const person = newId();
  await publish('people', personRegistered(person, home));
  return person;
}

// --- Reading ----------------------------------------------------------------------------------------------------------

type Star = {
  level: number;
  minutes: number;
  hours: number;
  nextLevel: number | null;
  minutesToNext: number | null;
  hoursToNext: number | null;
  heldBackByQuality: boolean;
  reachedAt: string | null;
  thresholds: { region: { id: string } | null; levels: number[]; quality: { minAverage: number; minRatings: number; fromLevel: number } | null };
};
type Change = {
  fromLevel: number;
  toLevel: number;
  lowered: boolean;
  cause: string;
  changedAt: string;
  minutes: number;
  ratings: number;
  averageRating: number | null;
  thresholdsRegion: { id: string } | null;
};

const instant = (time: unknown): string | null => (time == null ? null : new Date(time as string).toISOString());

const starQuery = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person {
  star { level minutes hours nextLevel minutesToNext hoursToNext heldBackByQuality reachedAt thresholds { region { id } levels quality { minAverage minRatings fromLevel } } }
  starHistory { fromLevel toLevel lowered cause changedAt minutes ratings averageRating thresholdsRegion { id } }
} } }`;

async function starOf(person: string): Promise<{ star: Star; history: Change[] }> {
  const { data, errors } = await recognition.execute(starQuery, { variables: { r: [{ __typename: 'Person', id: person }] } });
  expect(errors).toBeUndefined();
  const [entity] = (data as { _entities: { star: Star; starHistory: Change[] }[] })._entities;
  return {
    star: { ...entity!.star, reachedAt: instant(entity!.star.reachedAt) },
    history: entity!.starHistory.map((change) => ({ ...change, changedAt: instant(change.changedAt)! })),
  };
}

const levelOf = async (person: string): Promise<number> => (await starOf(person)).star.level;

const platformAdmin = viewerOf({ roles: ['platform_admin'] });

type Payload = {
  thresholds: { region: { id: string } | null; levels: number[] } | null;
  evaluated: number | null;
  changed: number | null;
  userErrors: { field: string[]; code: string }[];
};

async function thresholdsMutation(
  name: 'starThresholdsSet' | 'starThresholdsClear',
  input: Record<string, unknown>,
  viewer: Viewer = platformAdmin,
): Promise<{ payload?: Payload; topLevel?: unknown }> {
  const inputType = name === 'starThresholdsSet' ? 'StarThresholdsSetInput' : 'StarThresholdsClearInput';
  const { data, errors } = await recognition.execute(
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { thresholds { region { id } levels } evaluated changed userErrors { field code } } }`,
    { variables: { input }, viewer },
  );
  if (errors) return { topLevel: errors[0]?.extensions?.['code'] };
  return { payload: (data as Record<string, Payload>)[name] };
}

async function setThresholds(region: string, levels: number[], quality?: Record<string, number>): Promise<Payload> {
  const { payload, topLevel } = await thresholdsMutation('starThresholdsSet', { region, levels, ...(quality ? { quality } : {}) });
  expect(topLevel).toBeUndefined();
  expect(payload!.userErrors).toEqual([]);
  return payload!;
}

// --- Tests ------------------------------------------------------------------------------------------------------------

describe('the national practice', () => {
  it('counts whole minutes: 5,999 minutes is no star, 6,000 is one', async () => {
    const { building } = await newTree();
    const volunteer = await resident(building);
    // 4 × 1,440 + 239 = 5,999 minutes.
    await publish(
      'requests',
      ...[1, 2, 3, 4].map((day) => serviceCreated(volunteer, 1440, `2024-03-0${day}T01:00:00.000Z`)),
      serviceCreated(volunteer, 239, '2024-03-05T01:00:00.000Z'),
    );
    await consumeAll();
    const short = await starOf(volunteer);
    expect(short.star).toEqual({
      level: 0,
      minutes: 5999,
      hours: 99.98,
      nextLevel: 1,
      minutesToNext: 1,
      hoursToNext: 0.02,
      heldBackByQuality: false,
      reachedAt: null,
      thresholds: { region: null, levels: [100, 300, 600, 1000, 1500], quality: null },
    });
    expect(short.history).toEqual([]);

    await publish('requests', serviceCreated(volunteer, 1, '2024-03-06T01:00:00.000Z'));
    await consumeAll();
    const reached = await starOf(volunteer);
    expect(reached.star).toMatchObject({ level: 1, minutes: 6000, hours: 100, nextLevel: 2, minutesToNext: 12000, hoursToNext: 200, reachedAt: '2024-03-06T01:00:00.000Z' });
    expect(reached.history).toEqual([
      { fromLevel: 0, toLevel: 1, lowered: false, cause: 'SERVICE', changedAt: '2024-03-06T01:00:00.000Z', minutes: 6000, ratings: 0, averageRating: null, thresholdsRegion: null },
    ]);
  });

  it('applies to a person without a home, and reaches level 5 at 1,500 hours, with nothing after it', async () => {
    const volunteer = await resident(null);
    await publish('requests', ...Array.from({ length: 63 }, (_, day) => serviceCreated(volunteer, 1440, new Date(Date.UTC(2023, 0, day + 1)).toISOString())));
    await consumeAll();
    // 63 × 1,440 = 90,720 ≥ 90,000 minutes.
    const { star, history } = await starOf(volunteer);
    expect(star).toMatchObject({ level: 5, nextLevel: null, minutesToNext: null, hoursToNext: null, heldBackByQuality: false });
    expect(history.map((change) => [change.fromLevel, change.toLevel])).toEqual([
      [4, 5],
      [3, 4],
      [2, 3],
      [1, 2],
      [0, 1],
    ]);
  });
});

describe('thresholds of regions', () => {
  it('are inherited from the nearest region above the home that sets any: a grandparent', async () => {
    const { community, compound, building } = await newTree();
    const volunteer = await resident(building);
    await publish('requests', serviceCreated(volunteer, 600, '2024-04-01T01:00:00.000Z'));
    await consumeAll();
    expect(await levelOf(volunteer)).toBe(0);

    // The community is the building's grandparent (building → compound → community).
    const payload = await setThresholds(community, [10, 20, 30, 40, 50]);
    expect(payload).toMatchObject({ thresholds: { region: { id: community }, levels: [10, 20, 30, 40, 50] }, evaluated: 1, changed: 1 });
    const { star, history } = await starOf(volunteer);
    expect(star).toMatchObject({ level: 1, hours: 10, nextLevel: 2, minutesToNext: 600, thresholds: { region: { id: community }, levels: [10, 20, 30, 40, 50] } });
    expect(history[0]).toMatchObject({ fromLevel: 0, toLevel: 1, cause: 'THRESHOLDS', thresholdsRegion: { id: community } });

    // The query answers the same for the compound between them, and the national practice above the community.
    const { data } = await recognition.execute(
      `query ($a: ID, $b: ID) { here: starThresholds(region: $a) { region { id } levels } above: starThresholds(region: $b) { region { id } levels } }`,
      {
        variables: { a: compound, b: newId() },
      },
    );
    expect(data).toEqual({ here: { region: { id: community }, levels: [10, 20, 30, 40, 50] }, above: { region: null, levels: [100, 300, 600, 1000, 1500] } });
  });

  it('of a region below override those above it, for its volunteers only', async () => {
    const { district, compound, building, chain } = await newTree();
    const otherCompound = newId();
    const otherBuilding = newId();
    const communityChain = chain.slice(0, 5);
    await publish('people', regionCreated(otherCompound, communityChain, 'compound'), regionCreated(otherBuilding, [...communityChain, otherCompound], 'building'));
    const below = await resident(building);
    const beside = await resident(otherBuilding);
    await publish('requests', serviceCreated(below, 300, '2024-04-02T01:00:00.000Z'), serviceCreated(beside, 300, '2024-04-02T01:00:00.000Z'));
    await consumeAll();

    await setThresholds(district, [4, 8, 12, 16, 20]);
    expect([await levelOf(below), await levelOf(beside)]).toEqual([1, 1]);
    const override = await setThresholds(compound, [1, 2, 3, 4, 5]);
    expect(override).toMatchObject({ evaluated: 1, changed: 1 });
    expect([await levelOf(below), await levelOf(beside)]).toEqual([5, 1]);
    expect((await starOf(below)).star.thresholds.region).toEqual({ id: compound });
    expect((await starOf(beside)).star.thresholds.region).toEqual({ id: district });

    // Cleared, the compound inherits the district's again.
    const cleared = await thresholdsMutation('starThresholdsClear', { region: compound });
    expect(cleared.payload).toMatchObject({ thresholds: { region: { id: district }, levels: [4, 8, 12, 16, 20] }, evaluated: 1, changed: 1, userErrors: [] });
    const { star, history } = await starOf(below);
    expect(star.level).toBe(1);
    expect(history[0]).toMatchObject({ fromLevel: 5, toLevel: 1, lowered: true, cause: 'THRESHOLDS', thresholdsRegion: { id: district } });
  });

  it('follow a volunteer who moves, and a region that moves', async () => {
    const first = await newTree();
    const second = await newTree();
    await consumeAll();
    await setThresholds(second.street, [1, 2, 3, 4, 5]);
    const volunteer = await resident(first.building);
    await publish('requests', serviceCreated(volunteer, 130, '2024-04-03T01:00:00.000Z'));
    await consumeAll();
    expect(await levelOf(volunteer)).toBe(0);

    await publish('people', homeChanged(volunteer, second.building));
    await consumeAll();
    expect((await starOf(volunteer)).history[0]).toMatchObject({ fromLevel: 0, toLevel: 2, cause: 'HOME' });

    // The first tree's compound moves under the second street: its building's volunteers inherit that street's thresholds.
    const stayed = await resident(first.building);
    await publish('requests', serviceCreated(stayed, 200, '2024-04-03T01:00:00.000Z'));
    await consumeAll();
    expect(await levelOf(stayed)).toBe(0);
    await publish('people', regionMoved(first.compound, [second.province, second.city, second.district, second.street, second.community]));
    await consumeAll();
    expect((await starOf(stayed)).history[0]).toMatchObject({ fromLevel: 0, toLevel: 3, cause: 'REGION', thresholdsRegion: { id: second.street } });
  });
});

describe('the quality condition', () => {
  it('holds levels back until the ratings come, exactly at the average, and lowers them when the average falls', async () => {
    const { street, building } = await newTree();
    await consumeAll();
    await setThresholds(street, [1, 2, 3, 4, 5], { minAverage: 4.5, minRatings: 3, fromLevel: 2 });
    const volunteer = await resident(building);
    await publish('requests', serviceCreated(volunteer, 180, '2024-05-01T01:00:00.000Z'));
    await consumeAll();
    // Three hours served, but level 2 and above need an average of 4.5 over 3 ratings.
    expect((await starOf(volunteer)).star).toMatchObject({
      level: 1,
      nextLevel: 2,
      minutesToNext: 0,
      hoursToNext: 0,
      heldBackByQuality: true,
      thresholds: { quality: { minAverage: 4.5, minRatings: 3, fromLevel: 2 } },
    });

    await publish('requests', requestRated(volunteer, 5), requestRated(volunteer, 5));
    await consumeAll();
    expect(await levelOf(volunteer)).toBe(1);
    // 5 + 5 + 4 = 14 over 3: 4.67.
    await publish('requests', requestRated(volunteer, 4, '2024-05-03T02:00:00.000Z'));
    await consumeAll();
    const released = await starOf(volunteer);
    expect(released.star).toMatchObject({ level: 3, heldBackByQuality: false, minutesToNext: 60 });
    expect(released.history[0]).toEqual({
      fromLevel: 1,
      toLevel: 3,
      lowered: false,
      cause: 'RATING',
      changedAt: '2024-05-03T02:00:00.000Z',
      minutes: 180,
      ratings: 3,
      averageRating: 4.67,
      thresholdsRegion: { id: street },
    });

    // 18 over 4 is 4.5 exactly: still enough. 22 over 5 is 4.4: back to level 1.
    await publish('requests', requestRated(volunteer, 4));
    await consumeAll();
    expect(await levelOf(volunteer)).toBe(3);
    await publish('requests', requestRated(volunteer, 4));
    await consumeAll();
    expect((await starOf(volunteer)).history[0]).toMatchObject({ fromLevel: 3, toLevel: 1, lowered: true, cause: 'RATING', averageRating: 4.4 });
  });
});

describe('reversals', () => {
  it('lower a level, and the history says a reversal lowered it', async () => {
    const volunteer = await resident(null);
    const corrected = newId();
    await publish(
      'requests',
      ...[1, 2, 3, 4].map((day) => serviceCreated(volunteer, 1440, `2024-06-0${day}T01:00:00.000Z`)),
      serviceCreated(volunteer, 240, '2024-06-05T01:00:00.000Z', corrected),
    );
    await consumeAll();
    expect(await levelOf(volunteer)).toBe(1);

    await publish('requests', serviceReversed(volunteer, corrected, 240, '2024-06-07T08:00:00.000Z'));
    await consumeAll();
    const { star, history } = await starOf(volunteer);
    expect(star).toMatchObject({ level: 0, minutes: 5760, reachedAt: null, minutesToNext: 240 });
    expect(history.map(({ fromLevel, toLevel, lowered, cause, changedAt, minutes }) => ({ fromLevel, toLevel, lowered, cause, changedAt, minutes }))).toEqual([
      { fromLevel: 1, toLevel: 0, lowered: true, cause: 'REVERSAL', changedAt: '2024-06-07T08:00:00.000Z', minutes: 5760 },
      { fromLevel: 0, toLevel: 1, lowered: false, cause: 'SERVICE', changedAt: '2024-06-05T01:00:00.000Z', minutes: 6000 },
    ]);
  });
});

describe('delivery', () => {
  it('changes nothing when events are delivered again, or a record is announced twice', async () => {
    const volunteer = await resident(null);
    const record = newId();
    await publish(
      'requests',
      ...[1, 2, 3, 4].map((day) => serviceCreated(volunteer, 1440, `2024-07-0${day}T01:00:00.000Z`)),
      serviceCreated(volunteer, 240, '2024-07-05T01:00:00.000Z', record),
    );
    await consumeAll();
    const snapshot = async () => ({
      star: await db().select().from(personStars).where(eq(personStars.personId, volunteer)),
      history: await db().select().from(starChanges).where(eq(starChanges.personId, volunteer)),
    });
    const before = await snapshot();
    expect(before.history).toHaveLength(1);

    await db().execute(sql`update recognition.inbox_cursors set transaction_id = '0', position = 0`);
    expect(await consumeAll()).toEqual({ received: 0, applied: 0, skipped: 0, failed: 0, deadLettered: 0 });
    // The same record announced in a new event counts once.
    await publish('requests', serviceCreated(volunteer, 240, '2024-07-05T01:00:00.000Z', record));
    await consumeAll();
    // Evaluating again with nothing changed writes nothing.
    await db().transaction((tx) => evaluateStars(tx, [volunteer], { kind: 'service', at: new Date() }));
    expect(await snapshot()).toEqual(before);
  });
});

describe('the database', () => {
  it('refuses to edit or delete the history, and levels outside 0 to 5', async () => {
    const volunteer = await resident(null);
    await publish('requests', ...[1, 2, 3, 4, 5].map((day) => serviceCreated(volunteer, 1440, `2024-08-0${day}T01:00:00.000Z`)));
    await consumeAll();
    // The database's refusal, under the query error drizzle wraps it in.
    const causeOf = async (work: Promise<unknown>): Promise<string> =>
      work.then(
        () => 'no error',
        (caught: unknown) => String((caught as { cause?: unknown }).cause ?? caught),
      );
    expect(await causeOf(db().execute(sql`update recognition.star_changes set to_level = 2 where person_id = ${volunteer}::uuid`))).toContain(
      'recognition.star_changes is append-only: UPDATE refused',
    );
    expect(await causeOf(db().execute(sql`delete from recognition.star_changes where person_id = ${volunteer}::uuid`))).toContain(
      'recognition.star_changes is append-only: DELETE refused',
    );
    expect(await causeOf(db().execute(sql`truncate recognition.star_changes`))).toContain('recognition.star_changes is append-only: TRUNCATE refused');
    expect(await causeOf(db().execute(sql`update recognition.person_stars set level = 6 where person_id = ${volunteer}::uuid`))).toContain('person_stars_level_range');
    expect(
      await causeOf(db().execute(sql`insert into recognition.star_thresholds (region_id, level_hours, set_by) values (${newId()}::uuid, '{100,100,200,300,400}', 'test')`)),
    ).toContain('star_thresholds_levels_increasing');
  });
});

describe('starThresholdsSet and starThresholdsClear', () => {
  it('are for platform admins and the admins of a region containing the one they set', async () => {
    const { street, community, building } = await newTree();
    const other = await newTree();
    await consumeAll();
    const input = { region: community, levels: [1, 2, 3, 4, 5] };
    expect(await thresholdsMutation('starThresholdsSet', input, viewerOf({ roles: [], subject: null }))).toEqual({ topLevel: 'UNAUTHENTICATED' });
    expect(await thresholdsMutation('starThresholdsSet', input, viewerOf({ roles: ['volunteer'], personId: newId() }))).toEqual({ topLevel: 'FORBIDDEN' });
    expect(await thresholdsMutation('starThresholdsClear', { region: community }, viewerOf({ roles: ['analyst'] }))).toEqual({ topLevel: 'FORBIDDEN' });
    // A community admin elsewhere: the region lies outside their scope; nothing is set.
    const elsewhere = viewerOf({ roles: ['community_admin'], regionIds: [other.community] });
    expect((await thresholdsMutation('starThresholdsSet', input, elsewhere)).payload).toEqual({
      thresholds: null,
      evaluated: null,
      changed: null,
      userErrors: [{ field: ['input', 'region'], code: 'NOT_ALLOWED' }],
    });
    expect((await thresholdsMutation('starThresholdsClear', { region: community }, elsewhere)).payload?.userErrors).toEqual([{ field: ['input', 'region'], code: 'NOT_ALLOWED' }]);
    // A station admin of the street above it may.
    const above = viewerOf({ roles: ['station_admin'], regionIds: [street] });
    expect((await thresholdsMutation('starThresholdsSet', input, above)).payload).toMatchObject({ thresholds: { region: { id: community } }, userErrors: [] });
    const { data } = await recognition.execute(`query ($r: ID) { starThresholds(region: $r) { region { id } } }`, { variables: { r: building } });
    expect(data).toEqual({ starThresholds: { region: { id: community } } });
  });

  it('refuse thresholds that are not five strictly increasing hours, a bad quality condition and an unknown region', async () => {
    const { community } = await newTree();
    await consumeAll();
    const errorsOf = async (input: Record<string, unknown>) => (await thresholdsMutation('starThresholdsSet', input)).payload?.userErrors;
    expect(await errorsOf({ region: community, levels: [1, 2, 3, 4] })).toEqual([{ field: ['input', 'levels'], code: 'INVALID' }]);
    expect(await errorsOf({ region: community, levels: [100, 100, 200, 300, 400] })).toEqual([{ field: ['input', 'levels'], code: 'INVALID' }]);
    expect(await errorsOf({ region: community, levels: [0, 1, 2, 3, 4] })).toEqual([{ field: ['input', 'levels', '0'], code: 'INVALID' }]);
    expect(await errorsOf({ region: community, levels: [1, 2, 3, 4, 5], quality: { minAverage: 4.555, minRatings: 0, fromLevel: 6 } })).toEqual([
      { field: ['input', 'quality', 'minAverage'], code: 'INVALID' },
      { field: ['input', 'quality', 'minRatings'], code: 'INVALID' },
      { field: ['input', 'quality', 'fromLevel'], code: 'INVALID' },
    ]);
    expect(await errorsOf({ region: 'nowhere', levels: [1, 2, 3, 4, 5] })).toEqual([{ field: ['input', 'region'], code: 'INVALID' }]);
    expect(await errorsOf({ region: newId(), levels: [1, 2, 3, 4, 5] })).toEqual([{ field: ['input', 'region'], code: 'NOT_FOUND' }]);
    const { errors } = await recognition.execute(`{ starThresholds(region: "nowhere") { id } }`);
    expect(errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('evaluate the persons living under the region in batches, each a fixed number of statements', async () => {
    const one = await newTree();
    const many = await newTree();
    const alone = await resident(one.building);
    const volunteers = await Promise.all(Array.from({ length: 12 }, () => resident(many.building)));
    await publish(
      'requests',
      serviceCreated(alone, 60, '2024-09-01T01:00:00.000Z'),
      ...volunteers.map((volunteer, index) => serviceCreated(volunteer, 60 * (index + 1), '2024-09-01T01:00:00.000Z')),
    );
    await consumeAll();
    const single = await countStatements(recognition.database, () => setThresholds(one.street, [1, 3, 5, 7, 9]));
    expect(single.result).toMatchObject({ evaluated: 1, changed: 1 });
    const twelve = await countStatements(recognition.database, () => setThresholds(many.street, [1, 3, 5, 7, 9]));
    expect(twelve.result).toMatchObject({ evaluated: 12, changed: 12 });
    // Twelve persons are one batch, as one is: the same statements.
    expect(STAR_EVALUATION_BATCH).toBeGreaterThan(12);
    expect(twelve.count).toBe(single.count);
    expect(await Promise.all(volunteers.map(levelOf))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5]);
  });
});
