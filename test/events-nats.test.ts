/**
 * The whole graph with each subgraph on its own database and events carried
 * by NATS JetStream (EVENT_TRANSPORT=nats, this file's own nats-server): the
 * demo's events drained through NATS at start, then the five-step loop
 * through the gateway (order → publish → claim → service record → points
 * deposited → redemption, recognised); the same loop while the NATS server
 * is stopped and restarted mid-flow; and service records applied by a points
 * consumer running as its own process that is SIGKILLed while it holds
 * messages it has not acknowledged. After each, every outbox event of every
 * producer is applied in every consumer's inbox that wants it, and nothing
 * was applied twice.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { peopleSubgraph } from '@lianxin/people';
import { auditLedger, pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { natsDurableName, natsStreamName, newId, rowsOf, type SubgraphName } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_TEAM } from '@lianxin/shared/demo';
import { createTestDatabase, startTestNatsServer, waitFor, type TestDatabase, type TestNatsServer } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_MERCHANTS } from '../subgraphs/points/src/db/demo.js';
import { deposits } from '../subgraphs/points/src/db/schema.js';
import { activities, directoryTeamMembers } from '../subgraphs/requests/src/db/schema.js';
import { writeServiceRecord } from '../subgraphs/requests/src/records/service.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';
import { depositOf, serveRepair } from './support/loop.js';
import { paymentCodeFor } from './support/points.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODULES = [peopleSubgraph, requestsSubgraph, pointsSubgraph, recognitionSubgraph];

let nats: TestNatsServer;
let graph: TestGraph;
/** A connection of the test's own, to read the durable consumers' state. */
let monitor: NatsConnection | null = null;
const databases: Partial<Record<SubgraphName, TestDatabase>> = {};

beforeAll(async () => {
  nats = await startTestNatsServer();
  for (const { name } of MODULES) databases[name] = await createTestDatabase(`nats${name}`);
  // Each subgraph migrates and seeds its own database; the demo's events then travel through NATS only.
  graph = await startTestGraph({
    DATABASE_URL: '',
    ...Object.fromEntries(MODULES.map(({ name }) => [`${name.toUpperCase()}_DATABASE_URL`, databases[name]!.url])),
    EVENT_TRANSPORT: 'nats',
    NATS_URL: nats.url,
    EVENT_POLL_INTERVAL_MS: '50',
    SCHEDULER: 'false',
  });
}, 300_000);

afterAll(async () => {
  await monitor?.close();
  await graph?.stop();
  for (const database of Object.values(databases)) await database.drop();
  await nats?.dispose();
});

const dbOf = (name: SubgraphName) => graph.graph.subgraphs[name].database.db;
const operations = operationsOn(() => graph);
const { ok, must, eventually } = operations;

/**
 * Every event in each producer's outbox is in the inbox of each consumer that
 * listens to that producer, applied; and no service record was deposited
 * twice, and the ledger balances.
 */
async function expectEverythingDeliveredOnce(): Promise<void> {
  for (const module of MODULES) {
    for (const source of Object.keys(module.consumer?.handlers ?? {}) as SubgraphName[]) {
      const produced = await rowsOf<{ id: string }>(dbOf(source), sql`select id::text as id from ${sql.identifier(source)}.outbox`);
      const ids = produced.map((row) => row.id);
      await waitFor(
        `${module.name} to apply all ${ids.length} ${source} events`,
        async () => {
          const [row] = await rowsOf<{ applied: number }>(
            dbOf(module.name),
            sql`select count(*)::int as applied from ${sql.identifier(module.name)}.inbox
                where source = ${source} and status = 'applied' and event_id = any(${`{${ids.join(',')}}`}::uuid[])`,
          );
          return row?.applied === ids.length;
        },
        { timeoutMs: 120_000, intervalMs: 100 },
      );
    }
  }
  const twice = await rowsOf<{ service_record_id: string }>(
    dbOf('points'),
    sql`select service_record_id::text from points.deposits where service_record_id is not null group by service_record_id having count(*) > 1`,
  );
  expect(twice).toEqual([]);
  expect(await auditLedger(dbOf('points'))).toEqual([]);
}

type Tally = { person: { serviceTally: { minutes: number; services: number; ratings: number }; badges: { code: string }[] } };
const TALLY = `query ($id: ID!) { person(id: $id) { serviceTally { minutes services ratings } badges { code } } }`;

/**
 * A resident's repair served by `volunteer` (a 尚善 volunteer who joins 乐修匠 first), up to the redemption of
 * what it earned; `whileServing` runs after the volunteer accepted, before the work is quoted, done and rated.
 */
async function repairLoop(volunteer: { id: string }, whileServing: () => Promise<void> = async () => undefined, afterServing: () => Promise<void> = async () => undefined) {
  const station = await graph.token({ roles: ['station_admin', 'community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [DEMO_REGIONS.xingle.id] });
  const resident = await graph.token({ roles: ['resident'], personId: DEMO_RESIDENTS[0]!.id });
  const token = await graph.token({ roles: ['volunteer'], personId: volunteer.id });
  const till = await graph.token({ roles: ['merchant'], merchantId: DEMO_MERCHANTS.yonghui.id });
  const before = (await ok<Tally>(TALLY, token, { id: volunteer.id })).person.serviceTally;

  // Joining: people → requests (who may take the team's work) and recognition (the team badge).
  await must('teamMemberAdd', 'team { id }', { team: DEMO_TEAM.id, person: volunteer.id }, station);
  const id = await serveRepair(
    operations,
    { resident, station, volunteer: token },
    {
      description: '水龙头滴水，需要更换阀芯。',
      quote: { labour: 3000, materials: 1000 },
      completion: { note: '换好了。', materialsUsed: [{ name: '阀芯', quantity: 1 }] },
      beforeAccept: () =>
        waitFor('requests to know the new member', async () => {
          const rows = await dbOf('requests')
            .select()
            .from(directoryTeamMembers)
            .where(and(eq(directoryTeamMembers.teamId, DEMO_TEAM.id), eq(directoryTeamMembers.personId, volunteer.id)));
          return rows.length === 1;
        }),
      whileServing,
    },
  );
  await afterServing();

  // 4 积分入折: requests → points.
  const { serviceRecord, earned } = await depositOf(operations, token, id);

  // 5 实际兑换.
  const item = await must<{ catalogItem: { id: string } }>(
    'catalogItemCreate',
    'catalogItem { id }',
    { merchant: DEMO_MERCHANTS.yonghui.id, name: `NATS 回路 ${newId()}`, pricePoints: earned, stock: 1 },
    till,
  );
  const redeemed = await must<{ redemption: { status: string; totalPoints: number } }>(
    'redemptionCreate',
    'redemption { status totalPoints }',
    { paymentCode: await paymentCodeFor(graph, volunteer.id), merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item: item.catalogItem.id, quantity: 1 }], idempotencyKey: newId() },
    till,
  );
  expect(redeemed.redemption).toEqual({ status: 'CAPTURED', totalPoints: earned });

  // Recognised, exactly once: requests → recognition (the service, its rating), people → recognition (the team).
  const recognised = await eventually<Tally>('the recognition read model', TALLY, token, { id: volunteer.id }, (data) => data.person.serviceTally.ratings === before.ratings + 1);
  expect(recognised.person.serviceTally).toEqual({ minutes: before.minutes + serviceRecord.minutes, services: before.services + 1, ratings: before.ratings + 1 });
  expect(recognised.person.badges.filter((badge) => badge.code === 'team_served')).toEqual([{ code: 'team_served' }]);
  const [deposited] = await dbOf('points')
    .select()
    .from(deposits)
    .where(inArray(deposits.serviceRecordId, [serviceRecord.id]));
  expect(deposited?.amount).toBe(earned);
}

const shangshan = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'shangshan');

describe('events over NATS JetStream, each subgraph on its own database', () => {
  it('drained the demo’s events through NATS at start and runs the five-step loop by events alone', async () => {
    const admin = await graph.token({ roles: ['platform_admin'], personId: newId() });
    // The bank pays 600 points an hour of repair, so each minute earns 10.
    await must('depositRuleSet', 'rule { pointsPerHour }', { bank: DEMO_BANK.head.id, category: 'home_repair', pointsPerHour: 600 }, admin);
    await expectEverythingDeliveredOnce();
    await repairLoop(shangshan[1]!);
    await expectEverythingDeliveredOnce();
  });

  it('runs the loop while the NATS server is stopped and restarted mid-flow', async () => {
    await repairLoop(
      shangshan[2]!,
      // Stopped once the volunteer has accepted: the service record, its rating and the deposit wait in outboxes.
      () => nats.stop(),
      () => nats.restart(),
    );
    await expectEverythingDeliveredOnce();
  });

  it('loses nothing and applies nothing twice when a points consumer process is SIGKILLed holding unacknowledged messages', async () => {
    const points = graph.graph.subgraphs.points.events!;
    await points.stop();
    const child = startPointsProcess();
    try {
      await child.ready;
      const records = await approveHours(Array.from({ length: 200 }, () => newId()));
      // Killed while JetStream counts messages delivered to it and not acknowledged: only redelivery brings those.
      await waitFor('the points process to hold unacknowledged messages', async () => (await durableInfo('points', 'requests')).num_ack_pending > 0, {
        timeoutMs: 120_000,
        intervalMs: 5,
      });
      child.process.kill('SIGKILL');
      await child.exited;
      expect(await inboxed(records)).toBeLessThan(200);
    } finally {
      child.process.kill('SIGKILL');
      points.start();
    }
    await expectEverythingDeliveredOnce();
  }, 300_000);
});

/** The points subgraph as its own process on its database, consuming from NATS; `ready` once it serves. */
function startPointsProcess(): { process: ChildProcessWithoutNullStreams; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn(process.execPath, ['--conditions=@lianxin/source', '--import', 'tsx', 'subgraphs/points/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      POINTS_PORT: '0',
      POINTS_DATABASE_URL: databases.points!.url,
      EVENT_TRANSPORT: 'nats',
      NATS_URL: nats.url,
      EVENT_POLL_INTERVAL_MS: '50',
      DEMO_DATA: 'false',
      SCHEDULER: 'false',
    },
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('points subgraph ready')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`the points process exited before it was ready:\n${output}`)));
  });
  return { process: child, ready, exited };
}

/** Service records written by requests' own producer path, as an organiser's approval of activity hours writes them. */
async function approveHours(volunteerIds: readonly string[]): Promise<string[]> {
  const [activity] = await dbOf('requests').select().from(activities).limit(1);
  if (!activity) throw new Error('the demo data has no activity');
  return dbOf('requests').transaction(async (tx) => {
    const ids: string[] = [];
    for (const volunteerId of volunteerIds) {
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
      ids.push(record.id);
    }
    return ids;
  });
}

/** How many of `records`' service_record.created events are in points' inbox. */
async function inboxed(records: readonly string[]): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    dbOf('points'),
    sql`select count(*)::int as n from points.inbox where source = 'requests' and type = 'service_record.created' and aggregate_id = any(${`{${records.join(',')}}`}::text[])`,
  );
  return row?.n ?? 0;
}

/** The durable consumer's state, read on one connection kept for the file (after a NATS restart it reconnects). */
async function durableInfo(consumer: string, source: string) {
  monitor ??= await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  return (await jetstreamManager(monitor)).consumers.info(natsStreamName(source), natsDurableName(consumer, source));
}
