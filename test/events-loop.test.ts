/**
 * The five-step loop runs by itself, end to end through the gateway on real
 * Postgres with the event runners of `npm start`: needs collected → published
 * → claimed → points deposited → redeemed, and recognised. Nobody copies a
 * number from one subgraph to another: every step after the volunteer's last
 * click is an event applied by a consumer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { auditLedger } from '@lianxin/points';
import { appendEvent, newId, rowsOf } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_TEAM, demoRegionId } from '@lianxin/shared/demo';
import { waitFor } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_FUND, DEMO_MERCHANTS } from '../subgraphs/points/src/db/demo.js';
import { accounts, deposits } from '../subgraphs/points/src/db/schema.js';
import { activities, directoryTeamMembers } from '../subgraphs/requests/src/db/schema.js';
import { writeServiceRecord } from '../subgraphs/requests/src/records/service.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { paymentCodeFor } from './support/points.js';
import { operationsOn } from './support/operations.js';
import { depositOf } from './support/loop.js';

let graph: TestGraph;

/** Runs the describe's tests on a graph of its own: Postgres, or the embedded PGlite of `npm start`. */
function onGraph(mode: 'postgres' | 'embedded'): void {
  // The embedded graph migrates and seeds the demo in its own PGlite at start, as test/embedded.test.ts allows for.
  beforeAll(async () => {
    graph = await startTestGraph({ EVENT_POLL_INTERVAL_MS: '50', ...(mode === 'embedded' ? { DATABASE_URL: '', DATA_DIR: 'memory://' } : {}) });
  }, 240_000);
  afterAll(async () => {
    await graph?.stop();
  });
}

const HEAD_BANK = DEMO_BANK.head.id;
const XINGLE_OFFICE = DEMO_BANK.xingleOffice.id;
const YONGHUI = DEMO_MERCHANTS.yonghui.id;
const CHARITY_FUND = DEMO_FUND.id;
const XINGLE = DEMO_REGIONS.xingle.id;
const liuGuifang = DEMO_RESIDENTS[0]!;
/** A 尚善 volunteer who is not (yet) in 乐修匠. */
const newcomer = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'shangshan')[1]!;

const operations = operationsOn(() => graph);
const { ok, must, eventually } = operations;
const request = (mutation: string, input: Record<string, unknown>, token: string) => must(mutation, 'serviceRequest { id status }', input, token);

describe.each(['postgres', 'embedded'] as const)('the five-step loop (%s)', (mode) => {
  onGraph(mode);

  it('runs from a resident’s order to a redemption, with the team badge, hours and office indicators, by events alone', async () => {
    const admin = await graph.token({ roles: ['platform_admin'], personId: newId() });
    // 林晓, a registered person: requests refuses writes for persons people never registered.
    const station = await graph.token({ roles: ['station_admin', 'community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const resident = await graph.token({ roles: ['resident'], personId: liuGuifang.id });
    const volunteer = await graph.token({ roles: ['volunteer'], personId: newcomer.id });
    const till = await graph.token({ roles: ['merchant'], merchantId: YONGHUI });

    // The bank pays 600 points an hour of repair, so the minute a test repair takes earns 10.
    await must('depositRuleSet', 'rule { pointsPerHour }', { bank: HEAD_BANK, category: 'home_repair', pointsPerHour: 600 }, admin);

    // The volunteer joins 乐修匠 in people: recognition remembers the join (the team badge needs a service with the team
    // too); requests learns who may take the team's work.
    await must('teamMemberAdd', 'team { id }', { team: DEMO_TEAM.id, person: newcomer.id }, station);
    const requestsDb = graph.graph.subgraphs.requests.database.db;
    await waitFor('the directory to know the new member', async () => {
      const rows = await requestsDb
        .select()
        .from(directoryTeamMembers)
        .where(and(eq(directoryTeamMembers.teamId, DEMO_TEAM.id), eq(directoryTeamMembers.personId, newcomer.id)));
      return rows.length === 1;
    });

    // Star progress: the newcomer's approved activity hours come to 2,879 minutes, and 林晓 sets their building's
    // thresholds at 48 hours for the first star: one minute short, until the repair below is served.
    const requestsActivities = await requestsDb.select().from(activities).orderBy(activities.id).limit(2);
    await requestsDb.transaction(async (tx) => {
      for (const [activity, minutes] of requestsActivities.map((activity, index) => [activity, index === 0 ? 1440 : 1439] as const)) {
        await writeServiceRecord(tx, {
          volunteerId: newcomer.id,
          categoryCode: 'home_repair',
          minutes,
          servedAt: activity.startsAt,
          activityId: activity.id,
          regionId: activity.regionId,
          regionPath: activity.regionPath,
          description: activity.title,
          verifiedById: activity.organiserId,
        });
      }
    });
    const home = demoRegionId(newcomer.home);
    const set = await must<{ thresholds: { region: { id: string }; levels: number[] } }>(
      'starThresholdsSet',
      'thresholds { region { id } levels }',
      { region: home, levels: [48, 100, 200, 300, 400] },
      station,
    );
    expect(set.thresholds).toEqual({ region: { id: home }, levels: [48, 100, 200, 300, 400] });
    type Starred = { person: { star: { level: number; minutes: number; minutesToNext: number }; starHistory: { fromLevel: number; toLevel: number; cause: string }[] } };
    const starQuery = `query ($id: ID!) { person(id: $id) { star { level minutes minutesToNext } starHistory { fromLevel toLevel cause } } }`;
    const unstarred = await eventually<Starred>('the approved hours', starQuery, volunteer, { id: newcomer.id }, (data) => data.person.star.minutes === 2879);
    expect(unstarred.person).toEqual({ star: { level: 0, minutes: 2879, minutesToNext: 1 }, starHistory: [] });

    // The Xingle office's provisional star rating for this Beijing year, before the repair: its customers' hours.
    type Rated = { bankUnit: { rating: { provisional: boolean; indicators: { name: string; value: number }[] } } };
    const ratingQuery = `query ($id: ID!, $year: Int!) { bankUnit(id: $id) { rating(year: $year) { provisional indicators { name value } } } }`;
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const hoursOf = (rated: Rated): number => rated.bankUnit.rating.indicators.find((indicator) => indicator.name === 'SERVICE_HOURS')!.value;
    const ratedBefore = await ok<Rated>(ratingQuery, volunteer, { id: XINGLE_OFFICE, year });
    expect(ratedBefore.bankUnit.rating.provisional).toBe(true);

    // 1 需求收集 → 2 发布 → 3 认领: 刘桂芳 (特困) orders a repair; the station dispatches it to 乐修匠; the newcomer accepts.
    const filed = await must<{ serviceRequest: { id: string } }>(
      'serviceRequestCreate',
      'serviceRequest { id }',
      { category: 'home_repair', description: '厨房水管漏水，需要更换接头。', place: DEMO_REGIONS.eastBuilding1.id },
      resident,
    );
    const id = filed.serviceRequest.id;
    await request('serviceRequestApprove', { request: id }, station);
    await request('serviceRequestDispatch', { request: id, team: DEMO_TEAM.id }, station);
    await request('serviceRequestAccept', { request: id }, volunteer);
    await request('serviceRequestQuote', { request: id, labour: 6000, materials: 2500 }, volunteer);
    const quote = await ok<{ serviceRequest: { quote: { token: string; charityFundPays: number } } }>(
      `query ($id: ID!) { serviceRequest(id: $id) { quote { token charityFundPays } } }`,
      resident,
      { id },
    );
    expect(quote.serviceRequest.quote.charityFundPays).toBe(8500);
    await request('serviceRequestQuoteAgree', { request: id, quoteToken: quote.serviceRequest.quote.token }, resident);
    await request('serviceRequestStart', { request: id }, volunteer);
    await request('serviceRequestComplete', { request: id, note: '更换了接头。', materialsUsed: [{ name: '水管接头', quantity: 1 }] }, volunteer);
    await request('serviceRequestRate', { request: id, score: 5, comment: '及时又细心。' }, resident);

    // 4 积分入折: the service record's deposit appears, resolved by the points subgraph.
    const { serviceRecord, earned } = await depositOf(operations, volunteer, id);

    // The passbook says why each line is there.
    type Passbook = {
      person: {
        account: {
          id: string;
          passbookNumber: string;
          balance: number;
          office: { id: string; name: string };
          transfers: { edges: { node: { cause: string; amount: number; serviceRecord: { id: string } | null } }[] };
        };
      };
    };
    const passbookQuery = `query ($id: ID!) { person(id: $id) { account { id passbookNumber balance office { id name }
      transfers(first: 10) { edges { node { cause amount serviceRecord { id } } } } } } }`;
    const passbook = (await ok<Passbook>(passbookQuery, volunteer, { id: newcomer.id })).person.account;
    expect(passbook.transfers.edges.map((edge) => edge.node)).toContainEqual({ cause: 'SERVICE_RECORD', amount: earned, serviceRecord: { id: serviceRecord.id } });

    // The charity fund paid the subsidised part of the repair, once.
    type Statement = { fund: { statement: { edges: { node: { kind: string; amount: number; serviceRequest: { id: string } | null } }[] } } };
    const statement = await eventually<Statement>(
      'the fund disbursement',
      `query ($fund: ID!) { fund(id: $fund) { statement(first: 20, kind: DISBURSEMENT) { edges { node { kind amount serviceRequest { id } } } } } }`,
      admin,
      { fund: CHARITY_FUND },
      (data) => data.fund.statement.edges.some((edge) => edge.node.serviceRequest?.id === id),
    );
    expect(statement.fund.statement.edges.filter((edge) => edge.node.serviceRequest?.id === id).map((edge) => edge.node.amount)).toEqual([8500]);

    // 5 实际兑换: the volunteer shows a payment code and spends the points at Yonghui's till.
    const item = await must<{ catalogItem: { id: string } }>(
      'catalogItemCreate',
      'catalogItem { id }',
      { merchant: YONGHUI, name: `连心回路 ${newId()}`, pricePoints: earned, stock: 5 },
      till,
    );
    const redeemed = await must<{ redemption: { status: string; totalPoints: number } }>(
      'redemptionCreate',
      'redemption { status totalPoints }',
      { paymentCode: await paymentCodeFor(graph, newcomer.id), merchant: YONGHUI, items: [{ item: item.catalogItem.id, quantity: 1 }], idempotencyKey: newId() },
      till,
    );
    expect(redeemed.redemption).toEqual({ status: 'CAPTURED', totalPoints: earned });

    // Recognition: the hours, the service, the rating, the office's indicators, and the badge for joining 乐修匠 and
    // serving with it (the team_served rule), once.
    type Recognised = {
      person: {
        serviceTally: { minutes: number; services: number; ratings: number; averageRating: number | null };
        badges: { code: string; tally: { services: number | null; teamId: string | null } | null }[];
        account: { office: { indicators: { redemptions: number; pointsRedeemed: number } } };
      };
    };
    const recognised = await eventually<Recognised>(
      'the recognition read model',
      `query ($id: ID!) { person(id: $id) { serviceTally { minutes services ratings averageRating } badges { code tally { services teamId } }
        account { office { indicators { redemptions pointsRedeemed } } } } }`,
      volunteer,
      { id: newcomer.id },
      (data) => data.person.serviceTally.ratings === 1 && data.person.account.office.indicators.redemptions > 0,
    );
    expect(recognised.person.serviceTally).toEqual({ minutes: 2879 + serviceRecord.minutes, services: 3, ratings: 1, averageRating: 5 });
    expect(recognised.person.badges.filter((badge) => badge.code === 'team_served')).toEqual([{ code: 'team_served', tally: { services: 1, teamId: DEMO_TEAM.id } }]);
    expect(recognised.person.account.office.indicators.pointsRedeemed).toBeGreaterThanOrEqual(earned);

    // The repair moved the newcomer's star: the first, by the service.
    const starred = await eventually<Starred>('the star', starQuery, volunteer, { id: newcomer.id }, (data) => data.person.star.level === 1);
    expect(starred.person.starHistory).toEqual([{ fromLevel: 0, toLevel: 1, cause: 'SERVICE' }]);

    // And the office's provisional rating: its customer's repair counts in its service hours (the newcomer's account
    // was opened there by the deposit, bringing the hours served before it too).
    expect(passbook.office.id).toBe(XINGLE_OFFICE);
    const repairHours = serviceRecord.minutes / 60;
    const ratedAfter = await eventually<Rated>(
      'the rating',
      ratingQuery,
      volunteer,
      { id: XINGLE_OFFICE, year },
      (data) => hoursOf(data) >= hoursOf(ratedBefore) + repairHours - 0.01,
    );
    expect(ratedAfter.bankUnit.rating.provisional).toBe(true);

    // A review closed by hand through the gateway: last year's, frozen, and read by points for its recommendations.
    const closed = await must<{ review: { id: string; period: { start: string } } }>(
      'reviewClose',
      'review { id period { start } }',
      { bank: HEAD_BANK, period: { bucket: 'YEAR', start: `${year - 1}-01-01` } },
      admin,
    );
    expect(closed.review.period.start).toBe(`${year - 1}-01-01`);
    const pointsDb = graph.graph.subgraphs.points.database.db;
    await waitFor('points to apply review.closed', async () => {
      const rows = await rowsOf<{ status: string }>(
        pointsDb,
        sql`select status from points.inbox where source = 'recognition' and type = 'review.closed' and aggregate_id = ${closed.review.id}`,
      );
      return rows.length === 1 && rows[0]!.status === 'applied';
    });
    const listed = await ok<{ bankUnit: { centralExchangeRecommendations: { edges: unknown[] } } }>(
      `query ($id: ID!, $year: Int!) { bankUnit(id: $id) { centralExchangeRecommendations(year: $year) { edges { node { id } } } } }`,
      admin,
      { id: HEAD_BANK, year: year - 1 },
    );
    expect(Array.isArray(listed.bankUnit.centralExchangeRecommendations.edges)).toBe(true);
  });
});

/** Service records written by the requests subgraph's own producer path, as an organiser's approval of activity hours writes them. */
async function approveHoursFor(volunteerIds: readonly string[], minutes = 30, category = 'home_repair'): Promise<string[]> {
  const requestsDb = graph.graph.subgraphs.requests.database.db;
  const [activity] = await requestsDb.select().from(activities).limit(1);
  if (!activity) throw new Error('the demo data has no activity');
  const ids: string[] = [];
  // In batches of 100, each in one transaction, as approvals come.
  for (let start = 0; start < volunteerIds.length; start += 100) {
    await requestsDb.transaction(async (tx) => {
      for (const volunteerId of volunteerIds.slice(start, start + 100)) {
        const record = await writeServiceRecord(tx, {
          volunteerId,
          categoryCode: category,
          minutes,
          servedAt: activity.startsAt,
          activityId: activity.id,
          regionId: activity.regionId,
          regionPath: activity.regionPath,
          description: activity.title,
          verifiedById: activity.organiserId,
        });
        ids.push(record.id);
      }
    });
  }
  return ids;
}

async function depositsOf(recordIds: readonly string[]): Promise<{ serviceRecordId: string; amount: number }[]> {
  if (recordIds.length === 0) return [];
  return graph.graph.subgraphs.points.database.db
    .select({ serviceRecordId: deposits.serviceRecordId, amount: deposits.amount })
    .from(deposits)
    .where(inArray(deposits.serviceRecordId, [...recordIds]));
}

describe('delivery', () => {
  onGraph('postgres');

  it('catches up after the points consumer was down while 500 records were approved: exactly 500 deposits', async () => {
    const points = graph.graph.subgraphs.points;
    const events = points.events!;
    await events.stop();
    const volunteers = Array.from({ length: 500 }, () => newId());
    const records = await approveHoursFor(volunteers);
    expect(records).toHaveLength(500);
    expect(await depositsOf(records)).toEqual([]);

    events.start();
    await waitFor('500 deposits', async () => (await depositsOf(records)).length === 500, { timeoutMs: 120_000, intervalMs: 100 });
    const made = await depositsOf(records);
    expect(new Set(made.map((deposit) => deposit.serviceRecordId)).size).toBe(500);
    // Each volunteer got a passbook at the office covering the activity, and the ledger balances.
    const opened = await points.database.db.select({ holderId: accounts.holderId }).from(accounts).where(inArray(accounts.holderId, volunteers));
    expect(opened).toHaveLength(500);
    expect(await auditLedger(points.database.db)).toEqual([]);
    // Approving 500 records and catching up may take longer than jest's default on a busy machine; the wait above bounds it.
  }, 180_000);

  it('applies an event delivered twice once: a rewound cursor redelivers everything and changes nothing', async () => {
    const pointsDb = graph.graph.subgraphs.points.database.db;
    const [record] = await approveHoursFor([newId()]);
    await waitFor('the deposit', async () => (await depositsOf([record!])).length === 1);
    const count = async () => (await pointsDb.select({ n: sql<number>`count(*)::int` }).from(deposits))[0]!.n;
    const before = await count();

    await pointsDb.execute(sql`update points.inbox_cursors set transaction_id = '0', position = 0 where source = 'requests'`);
    graph.graph.subgraphs.points.events!.wake();
    // Caught up again: the cursor is back at the last event in the requests outbox.
    await waitFor(
      'the cursor to pass every requests event again',
      async () => {
        const result: unknown = await pointsDb.execute(
          sql`select (c.transaction_id, c.position) >= (o.transaction_id, o.position) as caught_up
              from points.inbox_cursors c,
                   (select transaction_id, position from requests.outbox order by transaction_id desc, position desc limit 1) o
              where c.source = 'requests'`,
        );
        // postgres.js answers with the rows themselves.
        const [row] = result as { caught_up: boolean }[];
        return row?.caught_up === true;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect(await count()).toBe(before);
    expect(await auditLedger(pointsDb)).toEqual([]);
  });

  it('sends a poison event to the dead letters while the events behind it flow, keeps a record it cannot deposit yet for staff, and lets a platform admin replay a letter once', async () => {
    const admin = await graph.token({ roles: ['platform_admin'], personId: newId() });
    const station = await graph.token({ roles: ['station_admin'], personId: newId(), regionIds: [XINGLE] });
    const requestsDb = graph.graph.subgraphs.requests.database.db;
    // A malformed event, then a record of a category the bank has no rule for, then a good one.
    const poison = await requestsDb.transaction((tx) =>
      appendEvent(tx, 'requests', { type: 'service_record.created', aggregateType: 'service_record', aggregateId: newId(), payload: { minutes: 'many' } }),
    );
    // Its volunteer is one people registered (the demo cast), as a manual deposit needs.
    const [emergency] = await approveHoursFor([DEMO_MORE_VOLUNTEERS[5]!.id], 30, 'emergency_call');
    const [good] = await approveHoursFor([newId()]);
    await waitFor('the good record’s deposit', async () => (await depositsOf([good!])).length === 1);

    type Letters = {
      pointsDeadLetters: { totalCount: number; edges: { node: { id: string; error: string; event: { id: string; type: string; aggregateId: string; payload: string } } }[] };
    };
    const lettersQuery = `{ pointsDeadLetters(first: 50) { totalCount edges { node { id error event { id type aggregateId payload } } } } }`;
    const letters = await eventually<Letters>('the dead letter', lettersQuery, admin, {}, (data) => data.pointsDeadLetters.totalCount === 1);
    const [letter] = letters.pointsDeadLetters.edges.map((edge) => edge.node);
    expect(letter).toMatchObject({
      error: expect.stringMatching(/^UnprocessableEventError: payload of service_record.created/),
      event: { id: poison.id, type: 'service_record.created' },
    });

    // Dead letters are for platform admins only.
    const refused = await graph.query(lettersQuery, { token: station });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    // The record without a rule was kept, not dead-lettered: the bank adds the rule and deposits it, once.
    expect(await depositsOf([emergency!])).toEqual([]);
    await must('depositRuleSet', 'rule { pointsPerHour }', { bank: HEAD_BANK, category: 'emergency_call', pointsPerHour: 30 }, admin);
    const deposited = await must<{ deposit: { points: number } }>('pointsDeposit', 'deposit { points }', { serviceRecord: emergency }, admin);
    expect(deposited.deposit).toEqual({ points: 15 });
    await must('pointsDeposit', 'deposit { points }', { serviceRecord: emergency }, admin);
    expect(await depositsOf([emergency!])).toEqual([{ serviceRecordId: emergency, amount: 15 }]);

    // A replay puts the event back once; the poison fails again into a new letter.
    const replay = `mutation ($input: DeadLetterReplayInput!) { pointsDeadLetterReplay(input: $input) { deadLetter { id replayedBy replayedAt } userErrors { field code } } }`;
    type Replayed = { pointsDeadLetterReplay: { deadLetter: { id: string; replayedBy: string; replayedAt: string } | null; userErrors: { field: string[]; code: string }[] } };
    const replayed = await ok<Replayed>(replay, admin, { input: { id: letter!.id } });
    expect(replayed.pointsDeadLetterReplay.deadLetter).toMatchObject({ id: letter!.id, replayedAt: expect.any(String) });
    const again = await ok<Replayed>(replay, admin, { input: { id: letter!.id } });
    expect(again.pointsDeadLetterReplay).toEqual({ deadLetter: null, userErrors: [{ field: ['input', 'id'], code: 'INVALID_STATE' }] });
    const malformed = await ok<Replayed>(replay, admin, { input: { id: 'not-an-id' } });
    expect(malformed.pointsDeadLetterReplay.userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID' }]);
    const waiting = await eventually<Letters>('the poison’s new letter', lettersQuery, admin, {}, (data) =>
      data.pointsDeadLetters.edges.some((edge) => edge.node.id !== letter!.id),
    );
    expect(waiting.pointsDeadLetters.edges.map((edge) => edge.node.event.id)).toEqual([poison.id]);
  });
});
