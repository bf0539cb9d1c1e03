/** `npm start` without DATABASE_URL: the whole graph on the embedded PGlite, demo data loaded. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { newId, rowsOf } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID, DEMO_STAFF, DEMO_TEAM } from '@lianxin/shared/demo';
import { waitFor } from '@lianxin/shared/testing';
import { DEMO_BANK } from '../subgraphs/points/src/db/demo.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';
import { openNotificationStream } from './support/stream.js';

let graph: TestGraph;

// Migrating and seeding four subgraphs in WebAssembly takes 10–25 s on a quiet two-core machine, and several times that when
// the machine is busy with other suites: the start gets a deadline of its own rather than the default minute.
beforeAll(async () => {
  graph = await startTestGraph({ DATABASE_URL: '', DATA_DIR: 'memory://', EVENT_POLL_INTERVAL_MS: '50' });
}, 240_000);
const { ok, must, eventually } = operationsOn(() => graph);
afterAll(async () => {
  await graph?.stop();
});

describe('the embedded graph', () => {
  it('runs every subgraph on PGlite', () => {
    for (const { database } of Object.values(graph.graph.subgraphs)) expect(database.driver).toBe('pglite');
  });

  it('answers the query that crosses all four subgraphs', async () => {
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const response = await graph.query(
      `query ($id: ID!) { person(id: $id) { name homeRegion { name } account { passbookNumber balance } badges { name } requests(first: 5) { edges { node { description status } } } } }`,
      { variables: { id: DEMO_SAMPLE_PERSON_ID }, token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({ person: { name: '王建国', homeRegion: { name: '东院1号楼' } } });
  });

  it('applies events between subgraphs on the one PGlite: a dispatch on a new member’s notification stream, a completed repair’s deposit and the team badge it earns', async () => {
    // 林晓, a registered person: requests refuses writes for persons people never registered.
    const station = await graph.token({ roles: ['station_admin', 'community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [DEMO_REGIONS.xingle.id] });
    const newcomer = DEMO_MORE_VOLUNTEERS.find((volunteer) => volunteer.team === 'shangshan')!;
    const volunteer = await graph.token({ roles: ['volunteer'], personId: newcomer.id });
    await must('teamMemberAdd', 'team { id }', { team: DEMO_TEAM.id, person: newcomer.id }, station);

    // The bank pays 600 points an hour of cleaning, so the minute a test job takes earns 10.
    const admin = await graph.token({ roles: ['platform_admin'], personId: newId() });
    await must('depositRuleSet', 'rule { pointsPerHour }', { bank: DEMO_BANK.head.id, category: 'cleaning', pointsPerHour: 600 }, admin);

    // A cleaning job (no price to agree) for the team; the newcomer may take it once requests has applied people's event.
    const filed = await must<{ serviceRequest: { id: string } }>(
      'serviceRequestCreate',
      'serviceRequest { id }',
      { category: 'cleaning', description: '楼道清扫。', place: DEMO_REGIONS.eastBuilding1.id },
      station,
    );
    const request = filed.serviceRequest.id;
    await must('serviceRequestApprove', 'serviceRequest { id }', { request }, station);
    // A member of the team holds the notification stream open: on PGlite the inbox announces new rows in process.
    const captain = await graph.token({ roles: ['volunteer', 'team_captain'], personId: DEMO_SAMPLE_PERSON_ID });
    const stream = await openNotificationStream(graph.url, captain);
    const dispatchNotice = stream.next((notification) => notification.kind === 'REQUEST_DISPATCHED' && notification.request?.id === request);
    await must('serviceRequestDispatch', 'serviceRequest { id }', { request, team: DEMO_TEAM.id }, station);
    expect(await dispatchNotice).toMatchObject({ kind: 'REQUEST_DISPATCHED', request: { id: request } });
    stream.close();
    await waitFor('the newcomer to be allowed to accept', async () => {
      const accepted = await ok<{ serviceRequestAccept: { userErrors: { code: string }[] } }>(
        `mutation ($input: ServiceRequestAcceptInput!) { serviceRequestAccept(input: $input) { userErrors { code } } }`,
        volunteer,
        { input: { request } },
      );
      return accepted.serviceRequestAccept.userErrors.length === 0;
    });
    await must('serviceRequestStart', 'serviceRequest { id }', { request }, volunteer);
    await must('serviceRequestComplete', 'serviceRequest { id }', { request, note: '已清扫。' }, volunteer);
    const served = await eventually<{ serviceRequest: { serviceRecord: { minutes: number; deposit: { points: number } | null } } }>(
      'the deposit',
      `query ($id: ID!) { serviceRequest(id: $id) { serviceRecord { minutes deposit { points } } } }`,
      volunteer,
      { id: request },
      (data) => data.serviceRequest.serviceRecord.deposit !== null,
    );
    expect(served.serviceRequest.serviceRecord.deposit).toEqual({ points: served.serviceRequest.serviceRecord.minutes * 10 });
    // Joined the team and served with it: the team_served rule awards its badge in the same transaction as the tally.
    await eventually<{ person: { serviceTally: { services: number }; badges: { code: string }[] } }>(
      'the tally and the team badge',
      `query ($id: ID!) { person(id: $id) { serviceTally { services } badges { code } } }`,
      volunteer,
      { id: newcomer.id },
      (data) => data.person.serviceTally.services === 1 && data.person.badges.some((badge) => badge.code === 'team_served'),
    );
  });

  it('answers a region’s service hours by month from the rollups as the records give them, before and after the job folds the queue', async () => {
    const analyst = await graph.token({ roles: ['analyst'] });
    const figures = 'total { minutes records volunteers } buckets { period { start } figures { minutes records volunteers } }';
    // The first reads the rollups; a period bound (before any record) makes the second sum the records.
    const query = `query ($region: ID!) {
      rollups: serviceHourStats(filter: { region: $region }, groupBy: { period: MONTH }) { ${figures} }
      records: serviceHourStats(filter: { region: $region, from: "2000-01-01" }, groupBy: { period: MONTH }) { ${figures} }
    }`;
    const both = async (): Promise<{ rollups: unknown; records: unknown }> => {
      const response = await graph.query<{ rollups: unknown; records: unknown }>(query, { variables: { region: DEMO_REGIONS.xingle.id }, token: analyst });
      expect(response.errors).toBeUndefined();
      return response.data!;
    };
    const before = await both();
    expect(before.rollups).toEqual(before.records);
    expect(before.rollups).toMatchObject({ total: { records: expect.any(Number) } });
    const { db } = graph.graph.subgraphs.requests.database;
    const queued = async (): Promise<number> => (await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from requests.service_hours_unfolded`))[0]?.n ?? -1;
    // The job folds every ten seconds on PGlite as on PostgreSQL.
    await waitFor('the service-hour rollups job to fold the queue', async () => (await queued()) === 0, { timeoutMs: 60_000, intervalMs: 500 });
    const [folded] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from requests.service_hour_months where region_id = ${DEMO_REGIONS.xingle.id}`);
    expect(folded?.n).toBeGreaterThan(0);
    const after = await both();
    expect(after.rollups).toEqual(after.records);
    expect(after).toEqual(before);
  });
});
