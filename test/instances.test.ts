/**
 * Several instances of everything on one PostgreSQL database: two graphs
 * started by `startGraph` (two gateways, and two instances of each subgraph,
 * each with its own event runners and scheduler). The five-step loop runs
 * through both gateways in turn; a burst of service records is shared by both
 * points consumers; holds left to lapse are released by the `hold-expiry` job.
 * Every event is applied once, every hold lapses once, every scheduled tick
 * runs once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cron } from 'croner';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { auditLedger } from '@lianxin/points';
import { newId, rowsOf, type Executor } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_TEAM } from '@lianxin/shared/demo';
import { createTestDatabase, waitFor, type TestDatabase } from '@lianxin/shared/testing';
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { DEMO_BANK, DEMO_MERCHANTS } from '../subgraphs/points/src/db/demo.js';
import { accounts, catalogItems, deposits, redemptions } from '../subgraphs/points/src/db/schema.js';
import { personTallies } from '../subgraphs/recognition/src/db/schema.js';
import { activities, directoryTeamMembers } from '../subgraphs/requests/src/db/schema.js';
import { writeServiceRecord } from '../subgraphs/requests/src/records/service.js';
import { graphShape, startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';
import { depositOf, serveRepair } from './support/loop.js';
import { paymentCodeFor } from './support/points.js';

const MODULES = [peopleSubgraph, requestsSubgraph, pointsSubgraph, recognitionSubgraph];
const SCHEMAS = MODULES.map((module) => module.name);
const HOLD_TTL_SECONDS = 10;
const BURST = 60;

let database: TestDatabase;
const graphs: TestGraph[] = [];
/** Each call to `next()` is the other graph: every operation goes through the gateway after the previous one's. */
let turn = 0;
const next = (): TestGraph => graphs[turn++ % graphs.length]!;
const operations = operationsOn(next);
const { ok, must, eventually } = operations;
/** Any instance's database handle: they are one database. */
const db = (): Executor => graphs[0]!.graph.subgraphs.points.database.db;

interface JobState {
  schema: string;
  name: string;
  schedule: string;
  runs: number;
  nextRunAt: string;
  inFlight: boolean;
  lastRunner: string | null;
}

async function jobStates(): Promise<Map<string, JobState>> {
  const states = new Map<string, JobState>();
  for (const schema of SCHEMAS) {
    const rows = await rowsOf<Omit<JobState, 'schema'>>(
      db(),
      sql.raw(`select name, schedule, runs::int as runs, to_char(next_run_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "nextRunAt",
                      running_until is not null as "inFlight", last_runner as "lastRunner"
                 from ${schema}.scheduled_jobs`),
    );
    for (const row of rows) states.set(`${schema}.${row.name}`, { schema, ...row });
  }
  return states;
}

/** Ticks of `schedule` (Beijing time, as the scheduler reads it) in [from, to). */
function ticksBetween(schedule: string, from: Date, to: Date): number {
  const cron = new Cron(schedule, { timezone: 'Asia/Shanghai', paused: true });
  let count = 0;
  for (let tick = cron.nextRun(new Date(from.getTime() - 1)); tick && tick < to; tick = cron.nextRun(tick)) count += 1;
  return count;
}

let startedAt: Date;
let before: Map<string, JobState>;
let beforeAt: number;
/** The instances seen taking ticks, by subgraph: each subgraph's two schedulers have names of their own. */
const runners = new Map<string, Set<string>>(SCHEMAS.map((schema) => [schema, new Set<string>()]));
const sawRunner = (state: JobState) => state.lastRunner && runners.get(state.schema)!.add(state.lastRunner);
let watching: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  const env = { ...process.env, DEMO_DATA: 'true', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0', RATE_LIMIT_MERCHANT_PER_MINUTE: '0', RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0' };
  database = await createTestDatabase('instances', graphShape(env));
  startedAt = new Date();
  // The second graph must not seed again: the copy holds the demo data, and both start with DEMO_DATA=false.
  const overrides = { DATABASE_URL: database.url, DEMO_DATA: 'false', EVENT_POLL_INTERVAL_MS: '50', POINTS_HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS) };
  graphs.push(await startTestGraph(overrides), await startTestGraph(overrides));
  await waitFor('both schedulers to register their jobs', async () => (await jobStates()).size === 14);
  before = await jobStates();
  beforeAt = Date.now();
  // Who takes the ticks, sampled while the tests run.
  watching = setInterval(() => {
    void jobStates()
      .then((states) => states.forEach(sawRunner))
      .catch(() => undefined);
  }, 500);
}, 180_000);

afterAll(async () => {
  if (watching) clearInterval(watching);
  for (const graph of graphs) await graph.stop();
  await database?.drop();
});

const XINGLE = DEMO_REGIONS.xingle.id;
const YONGHUI = DEMO_MERCHANTS.yonghui.id;
const newcomer = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'shangshan')[1]!;
/** Registered volunteers who earn points in the burst below and then leave holds to lapse. */
const holders = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.id !== newcomer.id).slice(0, 3);
const burstRecords: string[] = [];
let burstVolunteers: string[] = [];

describe('two graphs on one database', () => {
  it('runs the five-step loop through both gateways in turn, each event applied once', async () => {
    const admin = await next().token({ roles: ['platform_admin'], personId: newId() });
    const station = await next().token({ roles: ['station_admin', 'community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const resident = await next().token({ roles: ['resident'], personId: DEMO_RESIDENTS[0]!.id });
    const volunteer = await next().token({ roles: ['volunteer'], personId: newcomer.id });
    const till = await next().token({ roles: ['merchant'], merchantId: YONGHUI });
    await must('depositRuleSet', 'rule { pointsPerHour }', { bank: DEMO_BANK.head.id, category: 'home_repair', pointsPerHour: 600 }, admin);

    await must('teamMemberAdd', 'team { id }', { team: DEMO_TEAM.id, person: newcomer.id }, station);
    await waitFor('the directory to know the new member', async () => {
      const rows = await db()
        .select()
        .from(directoryTeamMembers)
        .where(and(eq(directoryTeamMembers.teamId, DEMO_TEAM.id), eq(directoryTeamMembers.personId, newcomer.id)));
      return rows.length === 1;
    });

    const id = await serveRepair(operations, { resident, station, volunteer });
    const { serviceRecord, earned } = await depositOf(operations, volunteer, id);

    const item = await must<{ catalogItem: { id: string } }>(
      'catalogItemCreate',
      'catalogItem { id }',
      { merchant: YONGHUI, name: `两个实例 ${newId()}`, pricePoints: earned, stock: 5 },
      till,
    );
    const redeemed = await must<{ redemption: { status: string; totalPoints: number } }>(
      'redemptionCreate',
      'redemption { status totalPoints }',
      { paymentCode: await paymentCodeFor(next(), newcomer.id), merchant: YONGHUI, items: [{ item: item.catalogItem.id, quantity: 1 }], idempotencyKey: newId() },
      till,
    );
    expect(redeemed.redemption).toEqual({ status: 'CAPTURED', totalPoints: earned });

    type Recognised = { person: { serviceTally: { minutes: number; services: number; ratings: number; averageRating: number | null } } };
    const recognised = await eventually<Recognised>(
      'the tally',
      `query ($id: ID!) { person(id: $id) { serviceTally { minutes services ratings averageRating } } }`,
      volunteer,
      { id: newcomer.id },
      (data) => data.person.serviceTally.ratings === 1,
    );
    // Exact: counted once, though two recognition instances consume the same events.
    expect(recognised.person.serviceTally).toEqual({ minutes: serviceRecord.minutes, services: 1, ratings: 1, averageRating: 5 });
    expect(await db().select().from(deposits).where(eq(deposits.serviceRecordId, serviceRecord.id))).toHaveLength(1);
  }, 120_000);

  it('shares a burst of service records between the consumers of both instances: one deposit and one tally each', async () => {
    const [activity] = await db().select().from(activities).limit(1);
    if (!activity) throw new Error('the demo data has no activity');
    burstVolunteers = [...holders.map((holder) => holder.id), ...Array.from({ length: BURST - holders.length }, () => newId())];
    // Written by requests' own producer path in a few transactions, as approvals come, while both points and both
    // recognition runners poll.
    for (let start = 0; start < burstVolunteers.length; start += 20) {
      await db().transaction(async (tx) => {
        for (const volunteerId of burstVolunteers.slice(start, start + 20)) {
          const record = await writeServiceRecord(tx, {
            volunteerId,
            categoryCode: 'home_repair',
            minutes: 30,
            servedAt: activity.startsAt,
            activityId: activity.id,
            regionId: activity.regionId,
            regionPath: activity.regionPath,
            description: activity.title,
            verifiedById: activity.organiserId,
          });
          burstRecords.push(record.id);
        }
      });
    }
    await waitFor('a deposit per record', async () => (await db().select().from(deposits).where(inArray(deposits.serviceRecordId, burstRecords))).length >= BURST, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    const made = await db().select({ serviceRecordId: deposits.serviceRecordId, amount: deposits.amount }).from(deposits).where(inArray(deposits.serviceRecordId, burstRecords));
    expect(made).toHaveLength(BURST);
    expect(new Set(made.map((deposit) => deposit.serviceRecordId)).size).toBe(BURST);
    expect(new Set(made.map((deposit) => deposit.amount))).toEqual(new Set([300]));

    const newcomers = burstVolunteers.slice(holders.length);
    await waitFor('a tally per volunteer', async () => (await db().select().from(personTallies).where(inArray(personTallies.personId, newcomers))).length === newcomers.length, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    const tallies = await db()
      .select({ services: personTallies.services, minutes: personTallies.serviceMinutes })
      .from(personTallies)
      .where(inArray(personTallies.personId, newcomers));
    expect(tallies).toEqual(Array(newcomers.length).fill({ services: 1, minutes: 30 }));
  }, 120_000);
});

describe('holds left to lapse', () => {
  it('are released once each by the hold-expiry job of one instance or the other', async () => {
    const till = await next().token({ roles: ['merchant'], merchantId: YONGHUI });
    const item = await must<{ catalogItem: { id: string } }>(
      'catalogItemCreate',
      'catalogItem { id }',
      { merchant: YONGHUI, name: `过期预留 ${newId()}`, pricePoints: 10, stock: 10 },
      till,
    );
    const itemId = item.catalogItem.id;
    const heldOf = async () =>
      new Map(
        (
          await db()
            .select({ holderId: accounts.holderId, held: accounts.held })
            .from(accounts)
            .where(
              inArray(
                accounts.holderId,
                holders.map((holder) => holder.id),
              ),
            )
        ).map((row) => [row.holderId, row.held] as const),
      );
    const heldBefore = await heldOf();
    expect(heldBefore.size).toBe(holders.length);

    const holds: string[] = [];
    for (const holder of holders) {
      // redemptionHold takes RedemptionCreateInput, which `must` would not name.
      const { redemptionHold: held } = await ok<{ redemptionHold: { redemption: { id: string; status: string }; userErrors: unknown[] } }>(
        `mutation ($input: RedemptionCreateInput!) { redemptionHold(input: $input) { redemption { id status } userErrors { code } } }`,
        till,
        { input: { paymentCode: await paymentCodeFor(next(), holder.id), merchant: YONGHUI, items: [{ item: itemId, quantity: 1 }], idempotencyKey: newId() } },
      );
      expect(held.userErrors).toEqual([]);
      expect(held.redemption.status).toBe('HELD');
      holds.push(held.redemption.id);
    }
    for (const [holderId, held] of await heldOf()) expect(held).toBe(heldBefore.get(holderId)! + 10);

    // Nothing reads these customers' accounts through the graph meanwhile (a short redemption would release their
    // lapsed holds itself): only the job releases them, at its first minute tick after their ten seconds.
    await waitFor(
      'the holds to lapse',
      async () => (await db().select({ status: redemptions.status }).from(redemptions).where(inArray(redemptions.id, holds))).every((row) => row.status === 'expired'),
      { timeoutMs: 100_000, intervalMs: 250 },
    );
    const lapses = await rowsOf<{ aggregateId: string; n: number }>(
      db(),
      sql`select aggregate_id as "aggregateId", count(*)::int as n from points.outbox
           where type = 'redemption.hold_lapsed' and aggregate_id in (${sql.join(
             holds.map((hold) => sql`${hold}`),
             sql`, `,
           )}) group by aggregate_id`,
    );
    expect(lapses.sort((a, b) => a.aggregateId.localeCompare(b.aggregateId))).toEqual([...holds].sort().map((aggregateId) => ({ aggregateId, n: 1 })));
    // Released once: the held points and the stock are back where they were, not below.
    expect(await heldOf()).toEqual(heldBefore);
    const [stock] = await db().select({ stock: catalogItems.stock }).from(catalogItems).where(eq(catalogItems.id, itemId));
    expect(stock).toEqual({ stock: 10 });
    expect(await auditLedger(db())).toEqual([]);
  }, 150_000);
});

describe('after all that', () => {
  it('has every producer’s events in each consumer’s inbox once, applied', async () => {
    const pairs = MODULES.flatMap((module) => (module.consumer ? Object.keys(module.consumer.handlers).map((source) => ({ consumer: module.consumer!.schema, source })) : []));
    expect(pairs.length).toBeGreaterThan(3);
    const counts = async () => {
      const seen: { consumer: string; source: string; outbox: number; inbox: number; applied: number }[] = [];
      for (const { consumer, source } of pairs) {
        const [row] = await rowsOf<{ outbox: number; inbox: number; applied: number }>(
          db(),
          sql.raw(`select (select count(*)::int from ${source}.outbox) as outbox,
                          (select count(*)::int from ${consumer}.inbox where source = '${source}') as inbox,
                          (select count(*)::int from ${consumer}.inbox where source = '${source}' and status = 'applied') as applied`),
        );
        seen.push({ consumer, source, ...row! });
      }
      return seen;
    };
    await waitFor('every inbox to catch up', async () => (await counts()).every((pair) => pair.inbox === pair.outbox && pair.applied === pair.inbox), {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    for (const pair of await counts()) expect(pair).toEqual({ ...pair, inbox: pair.outbox, applied: pair.outbox });
    // The same events, not just as many.
    for (const { consumer, source } of pairs) {
      const [missing] = await rowsOf<{ n: number }>(
        db(),
        sql.raw(`select count(*)::int as n from ${source}.outbox o where not exists (select 1 from ${consumer}.inbox i where i.event_id = o.id and i.source = '${source}')`),
      );
      expect({ consumer, source, missing: missing!.n }).toEqual({ consumer, source, missing: 0 });
    }
    // One deposit per service record, whichever instance applied it.
    const [doubled] = await rowsOf<{ n: number }>(db(), sql`select count(*)::int as n from (select service_record_id from points.deposits group by 1 having count(*) > 1) d`);
    expect(doubled!.n).toBe(0);
  }, 90_000);

  it('ran each scheduled tick once, on one instance or the other', async () => {
    // Which instance takes a tick is whichever claims it first, often the same one: each points instance's scheduler
    // is stopped in turn, and the other takes the next webhook-delivery tick.
    const takers: (string | null)[] = [];
    for (const graph of graphs) {
      const jobs = graph.graph.subgraphs.points.jobs;
      await jobs.stop();
      const stopped = (await jobStates()).get('points.webhook-delivery')!;
      let taker: JobState | undefined;
      await waitFor(
        'the other instance to take a tick',
        async () => {
          taker = (await jobStates()).get('points.webhook-delivery')!;
          return taker.runs > stopped.runs && !taker.inFlight;
        },
        { timeoutMs: 40_000, intervalMs: 250 },
      );
      takers.push(taker!.lastRunner);
      jobs.start();
    }
    expect(takers[0]).not.toBeNull();
    expect(takers[1]).not.toBeNull();
    expect(takers[0]).not.toBe(takers[1]);
    // Real ticks: at least a minute and ten seconds of them since the first reading.
    await waitFor('seventy seconds of ticks', async () => Date.now() - beforeAt >= 70_000, { timeoutMs: 90_000, intervalMs: 1_000 });
    const now = new Date();
    const after = await jobStates();
    const frequent = [...after.values()].filter((job) => job.schedule === '* * * * *' || job.schedule === '*/15 * * * * *');
    expect(frequent.length).toBeGreaterThanOrEqual(5);
    for (const job of frequent) {
      const first = before.get(`${job.schema}.${job.name}`)!;
      // Claims between the two readings: runs recorded, plus the run in flight at the second, less the one at the first.
      const claims = job.runs + Number(job.inFlight) - (first.runs + Number(first.inFlight));
      // Each claim moves next_run_at past the tick it took: the ticks between the two readings' next_run_at.
      const ticks = ticksBetween(job.schedule, new Date(first.nextRunAt), new Date(job.nextRunAt));
      const described = `${job.schema}.${job.name}`;
      expect({ described, claims }).toEqual({ described, claims: expect.any(Number) });
      expect(claims).toBeLessThanOrEqual(ticks);
      expect(claims).toBeGreaterThanOrEqual(ticks - 1);
      // Never more runs than ticks since the graphs started, and at most the tick in flight behind the ticks since registration.
      expect(job.runs).toBeLessThanOrEqual(ticksBetween(job.schedule, startedAt, now));
    }
    const expiry = after.get('points.hold-expiry')!;
    expect(expiry.runs).toBeGreaterThanOrEqual(1);
    // Both instances' schedulers took ticks.
    after.forEach(sawRunner);
    // Never more than the two instances of a subgraph (points: four schedulers, as each was restarted once).
    const seen = Object.fromEntries([...runners].map(([schema, names]) => [schema, names.size]));
    expect(seen).toEqual({ people: expect.any(Number), requests: expect.any(Number), points: expect.any(Number), recognition: expect.any(Number) });
    for (const [schema, count] of Object.entries(seen)) expect(count).toBeLessThanOrEqual(schema === 'points' ? 4 : 2);
  }, 120_000);
});
