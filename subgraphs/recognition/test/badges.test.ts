/**
 * Badge rules as data, on real Postgres: rules evaluated by the consumer when
 * a person's tallies change (events appended to the producers' outboxes and
 * applied by `consumeOnce`), the backfill of a rule created after the facts,
 * and the once-per-(person, rule, period) key.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, asc, eq, sql } from 'drizzle-orm';
import { appendEvent, consumeOnce, databaseTransport, newId, rowsOf, type ConsumeReport, type NewEvent } from '@lianxin/shared';
import { createEventTables, startSubgraphHarness, waitFor, type SubgraphHarness } from '@lianxin/shared/testing';
import { recognitionConsumer, recognitionSubgraph } from '../src/index.js';
import type { RecognitionContext } from '../src/context.js';
import { badgeAwards, badgeRules, type BadgeRuleRow } from '../src/db/schema.js';
import { evaluateRule } from '../src/badges/rules.js';
import { runBadgeBackfill } from '../src/badges/service.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;
const SOURCES = ['requests', 'people', 'points'] as const;

beforeAll(async () => {
  recognition = await startSubgraphHarness(recognitionSubgraph, { demoData: false });
  for (const source of SOURCES) await createEventTables(db(), source, { outbox: true });
});
afterAll(async () => {
  await recognition?.stop();
});

async function publish(source: (typeof SOURCES)[number], ...events: NewEvent[]): Promise<void> {
  await db().transaction(async (tx) => {
    for (const event of events) await appendEvent(tx, source, event);
  });
}

async function caughtUp(): Promise<boolean> {
  for (const source of SOURCES) {
    const [row] = await rowsOf<{ behind: boolean }>(
      db(),
      sql`select exists (
            select 1 from ${sql.identifier(source)}.outbox o
            where not exists (
              select 1 from recognition.inbox_cursors c
              where c.source = ${source} and (c.transaction_id, c.position) >= (o.transaction_id, o.position)
            )
          ) as behind`,
    );
    if (row?.behind) return false;
  }
  return true;
}

/** Consumer passes until every published event is received and applied (see events.test.ts). */
async function consumeAll(): Promise<ConsumeReport> {
  const total: ConsumeReport = { received: 0, applied: 0, skipped: 0, failed: 0, deadLettered: 0 };
  await waitFor('recognition to consume every published event', async () => {
    const pass = await consumeOnce({ db: db(), consumer: recognitionConsumer, transport: databaseTransport() });
    for (const key of Object.keys(total) as (keyof ConsumeReport)[]) total[key] += pass[key];
    return Object.values(pass).every((n) => n === 0) && (await caughtUp());
  });
  expect(total.deadLettered).toBe(0);
  return total;
}

// A region tree: district → street → two communities.
const DISTRICT = newId();
const STREET = newId();
const EAST = newId();
const WEST = newId();
const PATHS: Record<string, string[]> = { [EAST]: [DISTRICT, STREET, EAST], [WEST]: [DISTRICT, STREET, WEST], [STREET]: [DISTRICT, STREET] };
/** The path from the root down to a region of the tree above. */
const pathOf = (region: string): string[] => PATHS[region] ?? [region];

function serviceCreated(
  volunteerId: string,
  minutes: number,
  servedAt: string,
  place: { region: string; category?: string; teamId?: string | null; activityId?: string | null; recordId?: string },
): NewEvent {
  const recordId = place.recordId ?? newId();
  const activityId = place.activityId ?? null;
  return {
    type: 'service_record.created',
    aggregateType: 'service_record',
    aggregateId: recordId,
    payload: {
      serviceRecordId: recordId,
      volunteerId,
      categoryCode: place.category ?? 'repair',
      minutes,
      servedAt,
      requestId: activityId === null ? newId() : null,
      activityId,
      teamId: place.teamId ?? null,
      correctsId: null,
      regionId: place.region,
      regionPath: pathOf(place.region),
      createdAt: servedAt,
    },
  };
}

function serviceReversed(volunteerId: string, originalId: string, originalMinutes: number, region: string, createdAt: string): NewEvent {
  return {
    type: 'service_record.reversed',
    aggregateType: 'service_record',
    aggregateId: originalId,
    payload: {
      serviceRecordId: newId(),
      reversesId: originalId,
      volunteerId,
      categoryCode: 'repair',
      minutes: -originalMinutes,
      regionId: region,
      regionPath: pathOf(region),
      createdAt,
    },
  };
}

function requestRated(assigneeId: string | null, score: number, ratedAt: string, region: string, teamId: string | null = null): NewEvent {
  const requestId = newId();
  return {
    type: 'service_request.rated',
    aggregateType: 'service_request',
    aggregateId: requestId,
    payload: {
      requestId,
      assigneeId,
      teamId,
      requesterId: newId(),
      ratedById: newId(),
      score,
      categoryCode: 'repair',
      regionId: region,
      regionPath: pathOf(region),
      ratedAt,
    },
  };
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

  it('the team rule needs both joining the team and three services with it', async () => {
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
    const teamRule = (await db().select().from(badgeRules).where(eq(badgeRules.badgeCode, 'team_served')))[0]!;
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
