/**
 * Badge rules as data, on real Postgres: rules evaluated by the consumer when
 * a person's tallies change (events appended to the producers' outboxes and
 * applied by `consumeOnce`), the backfill of a rule created after the facts,
 * and the once-per-(person, rule, period) key.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, asc, eq, sql } from 'drizzle-orm';
import { newId, rowsOf, type ConsumeReport, type NewEvent } from '@lianxin/shared';
import { viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import {
  DISTRICT,
  EAST,
  STREET,
  WEST,
  consumeAll as consumeEvents,
  publish as publishEvents,
  requestRated,
  serviceCreated,
  serviceReversed,
  startRecognition,
  type Source,
} from './support.js';
import type { RecognitionContext } from '../src/context.js';
import { badgeAwards, badgeRules, type BadgeRuleRow } from '../src/db/schema.js';
import { evaluateRule } from '../src/badges/rules.js';
import { runBadgeBackfill } from '../src/badges/service.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;

beforeAll(async () => {
  recognition = await startRecognition();
});
afterAll(async () => {
  await recognition?.stop();
});

const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);

/** Consumer passes until every published event is applied, none of them dead-lettered. */
async function consumeAll(): Promise<ConsumeReport> {
  const total = await consumeEvents(db());
  expect(total.deadLettered).toBe(0);
  return total;
}

function teamJoined(teamId: string, personId: string, joinedAt: string): NewEvent {
  return { type: 'team_member.added', aggregateType: 'team', aggregateId: teamId, payload: { teamId, personId, role: 'member', joinedAt, communityId: EAST } };
}

/** A rule inserted as an admin's `badgeRuleCreate` would, its backfill finished unless asked (so only the consumer awards). */
async function createRule(rule: Partial<BadgeRuleRow> & Pick<BadgeRuleRow, 'kind'>, options: { backfilled?: boolean } = {}): Promise<BadgeRuleRow> {
  const [row] = await db()
    .insert(badgeRules)
    .values({ badgeCode: 'active_volunteer', validFrom: '2020-01-01', createdBy: 'test', backfillDoneAt: options.backfilled === false ? null : new Date(), ...rule })
    .returning();
  return row!;
}

async function awardsOf(ruleId: string, holderId?: string) {
  return db()
    .select()
    .from(badgeAwards)
    .where(and(eq(badgeAwards.ruleId, ruleId), holderId === undefined ? undefined : eq(badgeAwards.holderId, holderId)))
    .orderBy(asc(badgeAwards.holderId), asc(badgeAwards.periodStart));
}

describe('rules evaluated when a tally changes', () => {
  it('hours: 5,999 minutes is not 100 hours, 6,000 is', async () => {
    const rule = await createRule({ kind: 'hours', minMinutes: 6_000 });
    const [under, exact] = [newId(), newId()];
    await publish(
      'requests',
      serviceCreated(under, 5_999, '2024-04-02T02:00:00.000Z', { region: EAST }),
      serviceCreated(exact, 5_999, '2024-04-02T02:00:00.000Z', { region: EAST }),
    );
    await publish('requests', serviceCreated(exact, 1, '2024-04-03T02:00:00.000Z', { region: EAST }));
    await consumeAll();
    const awards = await awardsOf(rule.id);
    expect(awards.map((award) => [award.holderId, award.tally, award.periodStart, award.awardedAt.toISOString()])).toEqual([
      [exact, { minutes: 6_000 }, null, '2024-04-03T02:00:00.000Z'],
    ]);
  });

  it('services in a calendar month: earned again next month, not twice in one (the seeded active_volunteer rule)', async () => {
    const volunteer = newId();
    const april = [1, 2, 3, 4, 5].map((day) => serviceCreated(volunteer, 30, `2024-04-0${day}T02:00:00.000Z`, { region: EAST }));
    const may = [1, 2, 3].map((day) => serviceCreated(volunteer, 30, `2024-05-0${day}T02:00:00.000Z`, { region: EAST }));
    await publish('requests', ...april, ...may);
    await consumeAll();
    const seeded = await db().select().from(badgeRules).where(eq(badgeRules.badgeCode, 'active_volunteer'));
    const activeVolunteer = seeded.find((rule) => rule.createdBy === 'migration')!;
    expect((await awardsOf(activeVolunteer.id, volunteer)).map((award) => [award.periodStart, award.tally])).toEqual([['2024-04-01', { services: 4 }]]);
    // 31 May 16:30 UTC is 1 June in Beijing: the fourth service of May must be served by 31 May 15:59 UTC.
    await publish('requests', serviceCreated(volunteer, 30, '2024-05-31T16:30:00.000Z', { region: EAST }));
    await consumeAll();
    expect(await awardsOf(activeVolunteer.id, volunteer)).toHaveLength(1);
    await publish('requests', serviceCreated(volunteer, 30, '2024-05-31T15:59:00.000Z', { region: EAST }));
    await consumeAll();
    expect((await awardsOf(activeVolunteer.id, volunteer)).map((award) => award.periodStart)).toEqual(['2024-04-01', '2024-05-01']);
  });

  it('the team rule needs both joining the team and N services with it', async () => {
    const teamRule = await createRule({ kind: 'team_served', badgeCode: 'team_served', minCount: 3 });
    const [team, other] = [newId(), newId()];
    const [joinedFirst, servedFirst, servedOthers] = [newId(), newId(), newId()];
    const three = (volunteer: string, teamId: string) => [1, 2, 3].map((day) => serviceCreated(volunteer, 60, `2024-06-0${day}T02:00:00.000Z`, { region: EAST, teamId }));
    await publish(
      'people',
      teamJoined(team, joinedFirst, '2024-05-01T00:00:00.000Z'),
      teamJoined(team, servedFirst, '2024-07-01T00:00:00.000Z'),
      teamJoined(team, servedOthers, '2024-05-01T00:00:00.000Z'),
    );
    await consumeAll();
    await publish('requests', ...three(joinedFirst, team).slice(0, 2), ...three(servedOthers, other));
    await consumeAll();
    expect(await awardsOf(teamRule.id, joinedFirst)).toHaveLength(0);
    await publish('requests', three(joinedFirst, team)[2]!, ...three(servedFirst, team));
    await consumeAll();
    // A member who served with the team before the join's date still joined and served; services with another team do not count.
    const awards = (await Promise.all([joinedFirst, servedFirst, servedOthers].map((person) => awardsOf(teamRule.id, person)))).map((rows) => rows.map((row) => row.tally));
    expect(awards).toEqual([[{ teamId: team, services: 3 }], [{ teamId: team, services: 3 }], []]);
  });

  it('rating: an average of exactly 4.5 over ten ratings earns it, nine ratings do not (the seeded well_rated rule)', async () => {
    const [ten, nine] = [newId(), newId()];
    const scores = [5, 5, 5, 5, 5, 4, 4, 4, 4, 4];
    await publish(
      'requests',
      ...scores.map((score) => requestRated(ten, score, '2024-04-02T02:00:00.000Z', EAST)),
      ...scores.slice(1).map((score) => requestRated(nine, score, '2024-04-02T02:00:00.000Z', EAST)),
    );
    await consumeAll();
    const wellRated = (await db().select().from(badgeRules).where(eq(badgeRules.badgeCode, 'well_rated')))[0]!;
    expect((await awardsOf(wellRated.id)).filter((award) => [ten, nine].includes(award.holderId)).map((award) => [award.holderId, award.tally])).toEqual([
      [ten, { ratings: 10, ratingSum: 45 }],
    ]);
  });

  it('a rolling window of seven days, within a region subtree; a reversal does not take the award back', async () => {
    const rule = await createRule({ kind: 'services', minCount: 3, windowDays: 7, regionId: STREET });
    const [spread, within] = [newId(), newId()];
    const first = serviceCreated(within, 30, '2024-08-01T02:00:00.000Z', { region: WEST });
    await publish(
      'requests',
      serviceCreated(spread, 30, '2024-08-01T02:00:00.000Z', { region: EAST }),
      serviceCreated(spread, 30, '2024-08-05T02:00:00.000Z', { region: EAST }),
      serviceCreated(spread, 30, '2024-08-08T02:00:00.000Z', { region: EAST }),
      first,
      serviceCreated(within, 30, '2024-08-04T02:00:00.000Z', { region: WEST }),
      serviceCreated(within, 30, '2024-08-07T02:00:00.000Z', { region: WEST }),
    );
    await consumeAll();
    expect((await awardsOf(rule.id)).map((award) => [award.holderId, award.tally])).toEqual([[within, { services: 3 }]]);
    await publish('requests', serviceReversed(within, first.aggregateId, 30, WEST, '2024-08-09T02:00:00.000Z'));
    await consumeAll();
    expect(await awardsOf(rule.id, within)).toHaveLength(1);
  });
});

describe('a rule created after the facts', () => {
  it('is applied by the backfill once; running it again awards nothing', async () => {
    const [three, two] = [newId(), newId()];
    await publish(
      'requests',
      ...[1, 2, 3].map((day) => serviceCreated(three, 45, `2023-02-0${day}T02:00:00.000Z`, { region: EAST, activityId: newId() })),
      ...[1, 2].map((day) => serviceCreated(two, 45, `2023-02-0${day}T02:00:00.000Z`, { region: EAST, activityId: newId() })),
    );
    await consumeAll();
    const rule = await createRule({ kind: 'activities', minCount: 3, period: 'quarter' }, { backfilled: false });
    const now = new Date('2024-09-01T00:00:00.000Z');
    const first = await runBadgeBackfill(db(), { now, batchSize: 2 });
    expect(first.awards).toBeGreaterThanOrEqual(1);
    expect((await awardsOf(rule.id)).map((award) => [award.holderId, award.periodStart, award.tally])).toEqual([[three, '2023-01-01', { activities: 3 }]]);
    const [progress] = await db().select().from(badgeRules).where(eq(badgeRules.id, rule.id));
    expect(progress?.backfillDoneAt).not.toBeNull();
    expect(progress?.backfillAwards).toBe(1);
    expect(progress?.backfillPersons).toBeGreaterThanOrEqual(2);
    // Run again from the start: the same facts award nothing more.
    await db().update(badgeRules).set({ backfillDoneAt: null, backfillCursor: null }).where(eq(badgeRules.id, rule.id));
    await runBadgeBackfill(db(), { now, batchSize: 2 });
    expect(await awardsOf(rule.id)).toHaveLength(1);
  });
});

describe('the once-per-(person, rule, period) key', () => {
  it('two transactions evaluating the same person at the same moment make one award', async () => {
    const volunteer = newId();
    await publish('requests', serviceCreated(volunteer, 120, '2024-10-02T02:00:00.000Z', { region: EAST }));
    await consumeAll();
    const rule = await createRule({ kind: 'hours', minMinutes: 120, period: 'month' });
    const results = await Promise.all(
      [0, 1].map(() =>
        db().transaction(async (tx) => {
          await tx.execute(sql`select pg_sleep(0.05)`);
          return evaluateRule(tx, rule, volunteer, '2024-10-02', new Date('2024-10-02T02:00:00.000Z'));
        }),
      ),
    );
    expect(results.filter((award) => award !== null)).toHaveLength(1);
    expect(await awardsOf(rule.id, volunteer)).toHaveLength(1);
    const [count] = await rowsOf<{ n: number }>(db(), sql`select count(*)::int as n from recognition.badge_awards where rule_id = ${rule.id}`);
    expect(count?.n).toBe(1);
  });
});

describe('admins: rules, awards and revocations', () => {
  const platformAdmin = viewerOf({ roles: ['platform_admin'] });
  const streetAdmin = viewerOf({ roles: ['station_admin'], regionIds: [STREET] });
  const otherAdmin = viewerOf({ roles: ['community_admin'], regionIds: [newId()] });
  const volunteerViewer = viewerOf({ roles: ['volunteer'], personId: newId() });

  const CREATE = `mutation ($input: BadgeRuleCreateInput!) {
    badgeRuleCreate(input: $input) { badgeRule { id code name kind minCount region { id } period active backfill { done } } userErrors { field code message } }
  }`;
  const AWARD = `mutation ($input: BadgeAwardInput!) {
    badgeAward(input: $input) { badge { id code reason revoked rule { id } period { kind start end } tally { services } } userErrors { field code } }
  }`;
  const REVOKE = `mutation ($input: BadgeRevokeInput!) { badgeRevoke(input: $input) { badge { id revoked reason } userErrors { field code } } }`;

  async function run(query: string, viewer: ReturnType<typeof viewerOf>, input: Record<string, unknown>) {
    return recognition.execute(query, { variables: { input }, viewer });
  }

  beforeAll(async () => {
    // People announce the tree: the street admin's scope holds the east community.
    await publish(
      'people',
      { type: 'region.created', aggregateType: 'region', aggregateId: STREET, payload: { regionId: STREET, parentId: DISTRICT, kind: 'street', path: [DISTRICT] } },
      { type: 'region.created', aggregateType: 'region', aggregateId: EAST, payload: { regionId: EAST, parentId: STREET, kind: 'community', path: [DISTRICT, STREET] } },
    );
    await consumeAll();
  });

  it('a region admin creates a rule for a region of their scope, awards and revokes it with reasons; others are refused', async () => {
    const created = await run(CREATE, streetAdmin, {
      code: 'east_helper',
      name: '东社区热心人',
      description: 'Chosen by the street for helping out.',
      kind: 'ADMIN',
      region: EAST,
      period: 'YEAR',
    });
    expect(created.errors).toBeUndefined();
    const payload = (
      created.data as { badgeRuleCreate: { badgeRule: { id: string; name: string; kind: string; active: boolean; backfill: { done: boolean } }; userErrors: unknown[] } }
    ).badgeRuleCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.badgeRule).toMatchObject({ name: '东社区热心人', kind: 'ADMIN', active: true, backfill: { done: true } });
    const ruleId = payload.badgeRule.id;

    // Out of scope: another community's admin, and a rule for everywhere by a region admin.
    const refused = await run(AWARD, otherAdmin, { rule: ruleId, person: newId(), reason: 'Helped.' });
    expect(refused.data).toEqual({ badgeAward: { badge: null, userErrors: [{ field: ['input', 'rule'], code: 'NOT_ALLOWED' }] } });
    const everywhere = await run(CREATE, streetAdmin, { code: 'everywhere', name: '全域', description: 'Everywhere.', kind: 'HOURS', minMinutes: 60 });
    expect((everywhere.data as { badgeRuleCreate: { userErrors: { code: string }[] } }).badgeRuleCreate.userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    const forbidden = await run(AWARD, volunteerViewer, { rule: ruleId, person: newId(), reason: 'Helped.' });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const person = newId();
    const awarded = await run(AWARD, streetAdmin, { rule: ruleId, person, reason: 'Organised the spring clean-up.' });
    const badge = (awarded.data as { badgeAward: { badge: { id: string; reason: string; revoked: boolean; period: { start: string; end: string } } } }).badgeAward.badge;
    expect(badge).toMatchObject({ reason: 'Organised the spring clean-up.', revoked: false, rule: { id: ruleId }, tally: null });
    expect(badge.period.end.slice(5)).toBe('12-31');
    // Once per person and period.
    const again = await run(AWARD, streetAdmin, { rule: ruleId, person, reason: 'Again.' });
    expect(again.data).toEqual({ badgeAward: { badge: null, userErrors: [{ field: ['input', 'person'], code: 'ALREADY_EXISTS' }] } });

    const blank = await run(REVOKE, streetAdmin, { badge: badge.id, reason: '  ' });
    expect(blank.data).toEqual({ badgeRevoke: { badge: null, userErrors: [{ field: ['input', 'reason'], code: 'REQUIRED' }] } });
    const notAllowed = await run(REVOKE, otherAdmin, { badge: badge.id, reason: 'Mistake.' });
    expect(notAllowed.data).toEqual({ badgeRevoke: { badge: null, userErrors: [{ field: ['input', 'badge'], code: 'NOT_ALLOWED' }] } });
    const revoked = await run(REVOKE, streetAdmin, { badge: badge.id, reason: 'Awarded to the wrong person.' });
    expect(revoked.data).toEqual({ badgeRevoke: { badge: { id: badge.id, revoked: true, reason: 'Organised the spring clean-up.' }, userErrors: [] } });

    // Gone from the person; the award and the revocation both stay.
    const held = await recognition.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { badges { id } } } }`, {
      variables: { r: [{ __typename: 'Person', id: person }] },
    });
    expect(held.data).toEqual({ _entities: [{ badges: [] }] });
    const [history] = await rowsOf<{ n: number; reason: string }>(
      db(),
      sql`select count(a.id)::int as n, max(r.reason) as reason from recognition.badge_awards a join recognition.badge_revocations r on r.award_id = a.id where a.id = ${badge.id}`,
    );
    expect(history).toEqual({ n: 1, reason: 'Awarded to the wrong person.' });
  });

  it('a rule whose parameters do not fit its kind is refused with the field; badgeRules lists the active ones', async () => {
    const wrong = await run(CREATE, platformAdmin, { code: 'fast', name: '快', description: 'Fast.', kind: 'RATING', minCount: 3, minAverageRating: 4.555 });
    expect((wrong.data as { badgeRuleCreate: { userErrors: { field: string[] }[] } }).badgeRuleCreate.userErrors.map((error) => error.field)).toEqual([
      ['input', 'minAverageRating'],
    ]);
    const hours = await run(CREATE, platformAdmin, { code: 'hours_missing', name: '时', description: 'Hours.', kind: 'HOURS', minCount: 3 });
    expect((hours.data as { badgeRuleCreate: { userErrors: { field: string[] }[] } }).badgeRuleCreate.userErrors.map((error) => error.field)).toEqual([
      ['input', 'minCount'],
      ['input', 'minMinutes'],
    ]);
    const created = await run(CREATE, platformAdmin, {
      code: 'quarter_hours',
      name: '季度百小时',
      description: '100 hours in a quarter.',
      kind: 'HOURS',
      minMinutes: 6_000,
      period: 'QUARTER',
    });
    const ruleId = (created.data as { badgeRuleCreate: { badgeRule: { id: string } } }).badgeRuleCreate.badgeRule.id;
    const retire = `mutation ($input: BadgeRuleRetireInput!) { badgeRuleRetire(input: $input) { badgeRule { id active } userErrors { code } } }`;
    expect((await run(retire, platformAdmin, { rule: ruleId, reason: 'Replaced by the yearly rule.' })).data).toEqual({
      badgeRuleRetire: { badgeRule: { id: ruleId, active: false }, userErrors: [] },
    });
    expect((await run(retire, platformAdmin, { rule: ruleId, reason: 'Twice.' })).data).toEqual({ badgeRuleRetire: { badgeRule: null, userErrors: [{ code: 'INVALID_STATE' }] } });
    const listed = await recognition.execute(`{ active: badgeRules(active: true) { id } retired: badgeRules(active: false) { id } }`);
    const ids = listed.data as { active: { id: string }[]; retired: { id: string }[] };
    expect(ids.active.map((rule) => rule.id)).not.toContain(ruleId);
    expect(ids.retired.map((rule) => rule.id)).toContain(ruleId);
  });
});
