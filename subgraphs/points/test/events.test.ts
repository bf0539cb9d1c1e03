/**
 * Points and the events between subgraphs (docs/events.md): the requests
 * subgraph's service records, reversals and fund charges applied once each
 * through the real consumer on real Postgres, failures retried or
 * dead-lettered while other events flow, and the events points publishes on
 * its real mutations.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import { appendEvent, consumeOnce, databaseTransport, newId, retryPolicy, rowsOf, type ConsumeReport, type Database, type EventConsumer, type Viewer } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { createEventTables, waitFor } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_FUND, DEMO_MERCHANTS } from '../src/db/demo.js';
import { accounts, deposits, directoryPersons, fundEntries, funds, serviceRecords, transfers } from '../src/db/schema.js';
import { EVENTS_ACTOR, pointsConsumer } from '../src/index.js';
import { expireHolds } from '../src/redemptions/service.js';
import {
  customerWith,
  expectBooksToBalance,
  knownPerson,
  pointsOf,
  redemption,
  run,
  serviceRecordCreated,
  serviceRecordReversed,
  startPoints,
  viewers,
  wang,
  wangAccount,
  yonghuiItem,
  type PointsTestBed,
  type RequestsEvent,
  type UserErrorShape,
} from './support.js';

let bed: PointsTestBed;
let db: Database;

beforeAll(async () => {
  bed = await startPoints();
  db = bed.points.database.db;
  // The producers' outboxes, as the requests, people and recognition subgraphs' migrations would make them.
  await createEventTables(db, 'requests', { outbox: true });
  await createEventTables(db, 'people', { outbox: true });
  await createEventTables(db, 'recognition', { outbox: true });
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

// ---------------------------------------------------------------------------
// The requests subgraph, as far as points sees it: events in its outbox.

const REGIONS: Record<string, { id: string; parent: string | null }> = { ...DEMO_REGIONS, ...DEMO_XINCHENG_REGIONS };

/** A demo region's path as requests stores it: the root first, the region itself last. */
function pathOf(key: string): string[] {
  const path: string[] = [];
  for (let current: string | null = key; current !== null; current = REGIONS[current]?.parent ?? null) {
    const region = REGIONS[current];
    if (!region) throw new Error(`no demo region ${current}`);
    path.unshift(region.id);
  }
  return path;
}

/** Appends `events` to `requests.outbox` in one transaction, as the producer's change would. */
async function publish(...events: RequestsEvent[]): Promise<string[]> {
  return publishFrom('requests', events);
}

async function publishFrom(source: 'requests' | 'people', events: RequestsEvent[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const event of events) ids.push((await appendEvent(tx, source, event)).id);
    return ids;
  });
}

/** A `person.registered` as the contract fixes it: the person's id and when people registered them. */
function personRegistered(personId: string, registeredAt = new Date()): RequestsEvent {
  return { type: 'person.registered', aggregateType: 'person', aggregateId: personId, payload: { personId, registeredAt: registeredAt.toISOString() } };
}

/** A `service_record.created` (test support): an hour of home repair in 东院1号楼 unless told otherwise. */
function serviceRecord(volunteerId: string, options: { id?: string; category?: string; minutes?: number; place?: string; path?: string[]; teamId?: string | null } = {}) {
  return serviceRecordCreated(volunteerId, options.path ?? pathOf(options.place ?? 'eastBuilding1'), options);
}

/** A `fund_charge.created` for a request in 东院1号楼. */
function fundCharge(amountFen: number, requestId: string = newId()): RequestsEvent {
  const path = pathOf('eastBuilding1');
  return {
    type: 'fund_charge.created',
    aggregateType: 'service_request',
    aggregateId: requestId,
    payload: { fundChargeId: newId(), requestId, amountFen, regionId: path.at(-1)!, regionPath: path, createdAt: new Date().toISOString() },
  };
}

// ---------------------------------------------------------------------------
// The consumer and what it left behind.

/**
 * The points consumer as it runs, but with an hour's backoff: a failed event
 * is due again only when a test says so (`retryNow`), however slow the
 * machine, so no assertion depends on timing.
 */
const consumer: EventConsumer = {
  ...pointsConsumer,
  retry: retryPolicy({ maxAttempts: pointsConsumer.retry.maxAttempts, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 }),
};

/** One pass of the consumer: receive what the outbox holds, apply what is due. */
const pass = (): Promise<ConsumeReport> => consumeOnce({ db, consumer, transport: databaseTransport() });

const idle = (report: ConsumeReport): boolean => Object.values(report).every((count) => count === 0);

/**
 * Runs passes until the consumer has received every event in the outbox and
 * a pass finds nothing to do (events waiting for a retry stay waiting).
 * Passes rather than one: delivery waits for the oldest transaction in the
 * cluster, which another test file may hold for a moment.
 */
async function drain(timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'the points consumer to catch up with the requests and people outboxes',
    async () => {
      const report = await pass();
      const [behind] = await rowsOf<{ missing: boolean }>(
        db,
        sql`select exists (
              select 1 from (select id from requests.outbox union all select id from people.outbox) o
              where not exists (select 1 from points.inbox i where i.event_id = o.id)
            ) as missing`,
      );
      return idle(report) && behind?.missing === false;
    },
    { timeoutMs },
  );
}

/** One pass, as the runner would make once a failed event's wait is over: its retry time is moved to now first. */
async function retryNow(eventId: string): Promise<ConsumeReport> {
  await db.execute(sql`update points.inbox set next_attempt_at = now() where event_id = ${eventId}::uuid`);
  return pass();
}

interface InboxState {
  status: string;
  attempts: number;
  last_error: string | null;
  retry_later: boolean;
}

async function inboxState(eventId: string): Promise<InboxState | undefined> {
  const [row] = await rowsOf<InboxState>(db, sql`select status, attempts, last_error, next_attempt_at > now() as retry_later from points.inbox where event_id = ${eventId}::uuid`);
  return row;
}

async function deadLettersOf(eventId: string): Promise<{ id: string; error: string; attempts: number }[]> {
  return rowsOf(db, sql`select id, error, attempts from points.dead_letters where event_id = ${eventId}::uuid and replayed_at is null`);
}

const depositsOf = (serviceRecordId: string) => db.select().from(deposits).where(eq(deposits.serviceRecordId, serviceRecordId));

async function accountOf(holderId: string) {
  const [row] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.holderId, holderId), eq(accounts.kind, 'customer')));
  return row;
}

interface Published {
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  sequence: number;
  payload: Record<string, unknown>;
}

/** What points published about `aggregateId`, in order. */
const publishedAbout = (aggregateId: string): Promise<Published[]> =>
  rowsOf(db, sql`select type, aggregate_type, aggregate_id, sequence::int as sequence, payload from points.outbox where aggregate_id = ${aggregateId} order by sequence`);

/** Points of `minutes` at the demo bank's home-repair rule: 20 an hour, rounded down. */
const homeRepairPoints = (minutes: number): number => Math.floor((minutes * 20) / 60);

// ---------------------------------------------------------------------------

describe('person.registered', () => {
  const known = async (personId: string): Promise<boolean> => (await db.select().from(directoryPersons).where(eq(directoryPersons.personId, personId))).length === 1;
  const OPEN = `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id } userErrors { field code } } }`;
  const open = (holder: string) =>
    run<{ accountOpen: { account: { id: string } | null; userErrors: { field: string[]; code: string }[] } }>(bed, OPEN, viewers.clerk, { input: { holder } });

  it('makes a person known to the bank, once, so that an account can be opened for them', async () => {
    const personId = newId();
    expect((await open(personId)).accountOpen.userErrors).toEqual([{ field: ['input', 'holder'], code: 'NOT_FOUND' }]);

    const registeredAt = new Date('2026-11-20T02:00:00.000Z');
    const [eventId] = await publishFrom('people', [personRegistered(personId, registeredAt)]);
    // The same person announced again (a producer that retried) changes nothing.
    await publishFrom('people', [personRegistered(personId, new Date())]);
    await drain();

    expect(await inboxState(eventId!)).toMatchObject({ status: 'applied' });
    const rows = await db.select().from(directoryPersons).where(eq(directoryPersons.personId, personId));
    expect(rows).toEqual([{ personId, registeredAt, learnedAt: expect.any(Date) }]);
    expect((await open(personId)).accountOpen.account).not.toBeNull();
  });

  it('leaves other people events without effect, and dead-letters a registration of the wrong shape while later ones apply', async () => {
    const personId = newId();
    const [other] = await publishFrom('people', [{ type: 'team.created', aggregateType: 'team', aggregateId: newId(), payload: { teamId: newId() } }]);
    const [malformed] = await publishFrom('people', [{ ...personRegistered(newId()), payload: { personId: 'someone', registeredAt: 'yesterday' } }]);
    await publishFrom('people', [personRegistered(personId)]);
    await drain();

    expect(await inboxState(other!)).toMatchObject({ status: 'applied' });
    expect((await deadLettersOf(malformed!))[0]?.error).toContain('personId');
    expect(await known(personId)).toBe(true);
  });
});

describe('service_record.created', () => {
  it('deposits the record once by the bank’s rule, with a passbook line naming its cause, reference and record', async () => {
    const before = (await pointsOf(bed, wangAccount.id)).balance;
    const record = serviceRecord(wang.id, { minutes: 95 });
    await publish(record.event);
    await drain();

    // 95 minutes at 20 points an hour is 31.67: 31 points, as pointsDeposit would give.
    const [deposit] = await depositsOf(record.id);
    expect(deposit).toMatchObject({
      accountId: wangAccount.id,
      personId: wang.id,
      categoryCode: 'home_repair',
      minutes: 95,
      pointsPerHour: 20,
      amount: 31,
      createdBy: EVENTS_ACTOR,
    });
    expect((await pointsOf(bed, wangAccount.id)).balance).toBe(before + 31);

    const lines = await run<{ account: { transfers: { edges: { node: { cause: string; amount: number; reference: string; serviceRecord: { id: string } | null } }[] } } }>(
      bed,
      `query ($id: ID!) { account(id: $id) { transfers(first: 2) { edges { node { cause amount reference serviceRecord { id } } } } } }`,
      viewers.wang,
      { id: wangAccount.id },
    );
    expect(lines.account.transfers.edges[0]?.node).toEqual({ cause: 'SERVICE_RECORD', amount: 31, reference: record.id, serviceRecord: { id: record.id } });
    // Lines of other causes name no service record.
    expect(lines.account.transfers.edges[1]?.node.serviceRecord ?? null).toBeNull();

    const asRecord = await run<{ _entities: { deposit: { points: number; createdAt: string } | null }[] }>(
      bed,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRecord { deposit { points createdAt } } } }`,
      viewers.wang,
      { r: [{ __typename: 'ServiceRecord', id: record.id }] },
    );
    expect(asRecord._entities[0]?.deposit?.points).toBe(31);
  });

  it('opens an account at the savings office covering the record’s place for a volunteer without one, and announces it', async () => {
    // Requests vouches for its volunteers: a record's volunteer need not have reached the bank's directory yet.
    const volunteer = newId();
    const record = serviceRecord(volunteer, { place: 'zimingBuilding1', minutes: 120 });
    await publish(record.event);
    await drain();

    const account = await accountOf(volunteer);
    expect(account).toMatchObject({ officeId: DEMO_BANK.zimingOffice.id, balance: homeRepairPoints(120), openedBy: EVENTS_ACTOR });
    expect(await depositsOf(record.id)).toHaveLength(1);
    expect(await publishedAbout(account!.id)).toEqual([
      {
        type: 'account.opened',
        aggregate_type: 'account',
        aggregate_id: account!.id,
        sequence: 1,
        payload: { accountId: account!.id, holderId: volunteer, officeId: DEMO_BANK.zimingOffice.id, bankId: DEMO_BANK.head.id, openedAt: account!.openedAt.toISOString() },
      },
      // Then the deposit into it, for the holder's notification inbox.
      expect.objectContaining({ type: 'deposit.made', aggregate_type: 'account', aggregate_id: account!.id, sequence: 2 }),
    ]);
  });

  it('has one effect when an event is delivered twice or a record is announced twice', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = serviceRecord(volunteer.personId, { minutes: 30 });
    await publish(record.event);
    await drain();
    // Redelivery: the cursor rewound to the start of the outbox hands every event over again.
    await db.execute(sql`update points.inbox_cursors set transaction_id = '0', position = 0 where source = 'requests'`);
    await drain();
    // The same record in a second event (a producer that announced it again).
    await publish({ ...record.event });
    await drain();

    expect(await depositsOf(record.id)).toHaveLength(1);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(homeRepairPoints(30));
    const [received] = await rowsOf<{ events: number }>(db, sql`select count(*)::int as events from points.inbox where aggregate_id = ${record.id}`);
    expect(received?.events).toBe(2);
  });

  it('applies a record too short for a whole point without a deposit', async () => {
    const volunteer = await customerWith(bed, 0);
    // 11 minutes at 5 points an hour is 0.92 of a point.
    const record = serviceRecord(volunteer.personId, { category: 'other', minutes: 11 });
    const [eventId] = await publish(record.event);
    await drain();
    expect(await inboxState(eventId!)).toMatchObject({ status: 'applied' });
    expect(await depositsOf(record.id)).toEqual([]);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
  });

  it('deposits exactly once each of 500 records announced while no consumer ran', async () => {
    const volunteers = Array.from({ length: 10 }, () => newId());
    const records = Array.from({ length: 500 }, (_, index) =>
      serviceRecord(volunteers[index % 10]!, { minutes: 3 + ((index * 37) % 240), place: index % 2 ? 'eastBuilding2' : 'xiangyangBuilding1' }),
    );
    // Several producer transactions, as many completions would make.
    for (let start = 0; start < records.length; start += 50) await publish(...records.slice(start, start + 50).map((record) => record.event));
    await drain(120_000);

    const [made] = await rowsOf<{ count: number }>(
      db,
      sql`select count(*)::int as count from points.deposits where service_record_id in (${sql.join(
        records.map((record) => sql`${record.id}::uuid`),
        sql`, `,
      )})`,
    );
    expect(made?.count).toBe(500);
    for (const [index, volunteer] of volunteers.entries()) {
      const mine = records.filter((_, at) => at % 10 === index);
      const account = await accountOf(volunteer);
      expect(account?.balance).toBe(mine.reduce((sum, record) => sum + homeRepairPoints(Number(record.event.payload.minutes)), 0));
      // Odd-numbered records lie in Xingle, even ones in Xiangyang: each volunteer's account opened where their first record was.
      expect(account?.officeId).toBe(index % 2 ? DEMO_BANK.xingleOffice.id : DEMO_BANK.xiangyangOffice.id);
      // Opened once, then one deposit.made per record.
      expect((await publishedAbout(account!.id)).map((event) => event.type)).toEqual(['account.opened', ...mine.map(() => 'deposit.made')]);
    }
  });
});

describe('service_record.reversed', () => {
  it('takes the deposit back through one reversal, however often the reversal arrives', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = serviceRecord(volunteer.personId, { minutes: 60 });
    await publish(record.event);
    await drain();
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(20);

    await publish(serviceRecordReversed(record));
    await publish(serviceRecordReversed(record));
    await drain();

    const [deposit] = await depositsOf(record.id);
    const reversals = await db.select().from(transfers).where(eq(transfers.reversesId, deposit!.transferId));
    expect(reversals).toHaveLength(1);
    expect(reversals[0]).toMatchObject({ cause: 'reversal', amount: 20, debitAccountId: volunteer.accountId, reference: record.id, createdBy: EVENTS_ACTOR });
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
  });

  it('takes back what is left of points already spent and records the rest as a debt, at once, while other events flow', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = serviceRecord(volunteer.personId, { minutes: 60 });
    await publish(record.event);
    await drain();
    const item = await yonghuiItem(bed, 15, 5);
    const spent = await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: volunteer.passbookNumber, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: `events-${newId()}` },
      viewers.yonghui,
    );
    expect(spent.redemption?.status).toBe('CAPTURED');

    const [reversal] = await publish(serviceRecordReversed(record));
    const other = serviceRecord(volunteer.personId, { minutes: 30 });
    await publish(other.event);
    await drain();

    // 5 points were left of the 20: the reversal took them and the 15 spent are owed; the later deposit of 10 repaid 10 of them.
    expect(await inboxState(reversal!)).toMatchObject({ status: 'applied', attempts: 1 });
    expect(await deadLettersOf(reversal!)).toEqual([]);
    const [deposit] = await depositsOf(record.id);
    const reversals = await db.select().from(transfers).where(eq(transfers.reversesId, deposit!.transferId));
    expect(reversals).toEqual([expect.objectContaining({ cause: 'reversal', amount: 5, debitAccountId: volunteer.accountId })]);
    expect(await depositsOf(other.id)).toHaveLength(1);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
    const [reversed] = (await publishedAbout(volunteer.accountId)).filter((event) => event.type === 'deposit.reversed');
    expect(reversed?.payload).toMatchObject({ points: 20, pointsTakenBack: 5, pointsOwed: 15, reversalId: reversals[0]!.id, debtId: expect.any(String) });
  });

  it('has nothing to take back for a record kept undeposited, and once it is reversed no one deposits it', async () => {
    const volunteer = await customerWith(bed, 0);
    // No rule for the category yet: the record is kept without a deposit, then reversed.
    const category = `test_${newId().slice(-12)}`;
    const record = serviceRecord(volunteer.personId, { category });
    const [created] = await publish(record.event);
    const [reversed] = await publish(serviceRecordReversed(record));
    await drain();
    expect(await inboxState(created!)).toMatchObject({ status: 'applied' });
    expect(await inboxState(reversed!)).toMatchObject({ status: 'applied' });
    expect(await knownRecordOf(record.id)).toMatchObject({ volunteerId: volunteer.personId, categoryCode: category, minutes: 60 });

    // The bank gets its rule and a clerk asks for the deposit: the record was reversed, so it earns nothing.
    await setRule(category, 30);
    expect((await depositRecord(record.id)).userErrors).toEqual([{ field: ['input', 'serviceRecord'], code: 'INVALID_STATE', message: expect.stringContaining('reversed') }]);
    expect(await depositsOf(record.id)).toEqual([]);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
  });
});

/** The record as points keeps it. */
async function knownRecordOf(id: string) {
  const [row] = await db.select().from(serviceRecords).where(eq(serviceRecords.id, id));
  return row;
}

/** `pointsDeposit` of a kept record, as the Xingle clerk (or `viewer`). */
async function depositRecord(id: string, viewer = viewers.clerk) {
  const data = await run<{ pointsDeposit: { deposit: { points: number } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { deposit { points } userErrors { field code message } } }`,
    viewer,
    { input: { serviceRecord: id } },
  );
  return data.pointsDeposit;
}

async function setRule(category: string, pointsPerHour: number): Promise<void> {
  const data = await run<{ depositRuleSet: { userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: DepositRuleSetInput!) { depositRuleSet(input: $input) { userErrors { field code message } } }`,
    viewers.admin,
    { input: { bank: DEMO_BANK.head.id, category, pointsPerHour } },
  );
  expect(data.depositRuleSet.userErrors).toEqual([]);
}

describe('records that cannot be deposited yet', () => {
  it('keeps a record of a category the bank has no rule for, applied without a deposit, while later events apply; a clerk deposits it once the rule is set', async () => {
    const volunteer = await customerWith(bed, 0);
    const category = `test_${newId().slice(-12)}`;
    const unknown = serviceRecord(volunteer.personId, { category, minutes: 60 });
    const [eventId] = await publish(unknown.event);
    const later = serviceRecord(volunteer.personId, { minutes: 60 });
    await publish(later.event);
    await drain();

    expect(await inboxState(eventId!)).toMatchObject({ status: 'applied', attempts: 1 });
    expect(await deadLettersOf(eventId!)).toEqual([]);
    expect(await knownRecordOf(unknown.id)).toMatchObject({ volunteerId: volunteer.personId, categoryCode: category, minutes: 60 });
    expect(await depositsOf(unknown.id)).toEqual([]);
    expect(await depositsOf(later.id)).toHaveLength(1);

    await setRule(category, 30);
    expect((await depositRecord(unknown.id)).deposit).toEqual({ points: 30 });
    expect(await depositsOf(unknown.id)).toMatchObject([{ amount: 30, pointsPerHour: 30, minutes: 60, categoryCode: category, personId: volunteer.personId }]);
    // The event delivered again deposits nothing more.
    await publish({ ...unknown.event });
    await drain();
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(20 + 30);
  });

  it('keeps the record of a newcomer serving where no savings office is; once they have a passbook a clerk deposits it', async () => {
    const newcomer = await knownPerson(bed);
    const nowhere = serviceRecord(newcomer, { path: [newId(), newId()], minutes: 90 });
    const [eventId] = await publish(nowhere.event);
    await drain();
    expect(await inboxState(eventId!)).toMatchObject({ status: 'applied' });
    expect(await accountOf(newcomer)).toBeUndefined();
    expect(await knownRecordOf(nowhere.id)).toMatchObject({ volunteerId: newcomer, place: nowhere.event.payload.regionPath });

    const opened = await run<{ accountOpen: { account: { id: string } | null } }>(
      bed,
      `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id } } }`,
      viewers.clerk,
      {
        input: { holder: newcomer },
      },
    );
    expect(opened.accountOpen.account).not.toBeNull();
    expect((await depositRecord(nowhere.id)).deposit).toEqual({ points: 30 });
    expect((await accountOf(newcomer))?.balance).toBe(30);
  });
});

describe('events no retry can fix', () => {
  it('dead-letters payloads of the wrong shape while later events apply', async () => {
    const volunteer = await customerWith(bed, 0);
    const malformed = serviceRecord(volunteer.personId);
    const [badShape] = await publish({ ...malformed.event, payload: { ...malformed.event.payload, minutes: '60' } });
    const [badCharge] = await publish({ ...fundCharge(100), payload: { requestId: 'not-a-request' } });
    const later = serviceRecord(volunteer.personId, { minutes: 90 });
    await publish(later.event);
    await drain();

    expect((await deadLettersOf(badShape!))[0]?.error).toContain('minutes');
    expect((await deadLettersOf(badCharge!))[0]?.error).toContain('UnprocessableEventError');
    expect(await knownRecordOf(malformed.id)).toBeUndefined();
    expect(await depositsOf(malformed.id)).toEqual([]);
    expect(await depositsOf(later.id)).toHaveLength(1);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(30);
  });

  it('dead-letters a record announced again with other details, and keeps the first', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = serviceRecord(volunteer.personId, { minutes: 60 });
    await publish(record.event);
    const [changed] = await publish({ ...record.event, payload: { ...record.event.payload, minutes: 600 } });
    await drain();
    expect((await deadLettersOf(changed!))[0]?.error).toContain('announced before with other details');
    expect(await knownRecordOf(record.id)).toMatchObject({ minutes: 60 });
    expect(await depositsOf(record.id)).toMatchObject([{ minutes: 60, amount: 20 }]);
  });
});

describe('fund_charge.created', () => {
  const fundBalance = async (id: string): Promise<number> => (await db.select().from(funds).where(eq(funds.id, id)))[0]!.balance;
  const disbursementsOf = (requestId: string) => db.select().from(fundEntries).where(eq(fundEntries.serviceRequestId, requestId));

  it('pays once from the oldest fund of the bank covering the request’s place', async () => {
    // A second, newer fund at the same bank is not the one charged.
    await run(bed, `mutation ($input: FundCreateInput!) { fundCreate(input: $input) { fund { id } } }`, viewers.admin, {
      input: { bank: DEMO_BANK.head.id, name: `新基金 ${newId()}` },
    });
    const before = await fundBalance(DEMO_FUND.id);
    const requestId = newId();
    const charge = fundCharge(4_200, requestId);
    await publish(charge);
    await publish(fundCharge(4_200, requestId));
    await drain();

    expect(await disbursementsOf(requestId)).toMatchObject([{ fundId: DEMO_FUND.id, kind: 'disbursement', amount: 4_200, createdBy: EVENTS_ACTOR }]);
    expect(await fundBalance(DEMO_FUND.id)).toBe(before - 4_200);
  });

  it('never takes a fund below zero: too low a fund is retried until a contribution lets it pay', async () => {
    const before = await fundBalance(DEMO_FUND.id);
    const requestId = newId();
    const charge = fundCharge(before + 1, requestId);
    const [eventId] = await publish(charge);
    await drain();

    expect(await inboxState(eventId!)).toMatchObject({ status: 'pending', attempts: 1, retry_later: true });
    expect(await disbursementsOf(requestId)).toEqual([]);
    expect(await fundBalance(DEMO_FUND.id)).toBe(before);

    const gift = await run<{ fundContribute: { userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: FundContributeInput!) { fundContribute(input: $input) { userErrors { code } } }`,
      viewers.clerk,
      { input: { fund: DEMO_FUND.id, source: 'PUBLIC', amount: 100 } },
    );
    expect(gift.fundContribute.userErrors).toEqual([]);
    expect((await retryNow(eventId!)).applied).toBe(1);
    expect(await disbursementsOf(requestId)).toMatchObject([{ amount: before + 1 }]);
    expect(await fundBalance(DEMO_FUND.id)).toBe(99);
  });
});

/**
 * Whether the outbox row of event `type` about `aggregateId` was written by
 * the transaction that last wrote `row` (a row's `xmin` is the low 32 bits
 * of its writer's transaction id): the event exists exactly when the change does.
 */
async function inSameTransaction(type: string, aggregateId: string, row: { table: string; id: string }): Promise<boolean> {
  const [result] = await rowsOf<{ same: boolean }>(
    db,
    sql`select (o.transaction_id::text::bigint % 4294967296) = r.xmin::text::bigint as same
        from points.outbox o, ${sql.raw(`points.${row.table}`)} r
        where o.type = ${type} and o.aggregate_id = ${aggregateId} and r.id = ${row.id}::uuid`,
  );
  return result?.same === true;
}

describe('what recognition counts: deposits, their reversals, merchants and bank units', () => {
  it('announces a deposit with its office, bank, category, place and team, and its reversal, each in the transaction of its change', async () => {
    const volunteer = await customerWith(bed, 0);
    const team = newId();
    const record = serviceRecord(volunteer.personId, { minutes: 90, place: 'eastBuilding1', teamId: team });
    await publish(record.event);
    await drain();
    const [deposit] = await depositsOf(record.id);
    const path = pathOf('eastBuilding1');
    expect((await publishedAbout(volunteer.accountId)).filter((event) => event.type === 'deposit.made')).toEqual([
      {
        type: 'deposit.made',
        aggregate_type: 'account',
        aggregate_id: volunteer.accountId,
        sequence: expect.any(Number),
        payload: {
          depositId: deposit!.id,
          accountId: volunteer.accountId,
          holderId: volunteer.personId,
          officeId: DEMO_BANK.xingleOffice.id,
          bankId: DEMO_BANK.head.id,
          serviceRecordId: record.id,
          points: 30,
          categoryCode: 'home_repair',
          regionId: path.at(-1),
          regionPath: path,
          teamId: team,
          madeAt: deposit!.createdAt.toISOString(),
        },
      },
    ]);
    expect(await inSameTransaction('deposit.made', volunteer.accountId, { table: 'deposits', id: deposit!.id })).toBe(true);

    await publish(serviceRecordReversed(record));
    await drain();
    const [reversal] = await db.select().from(transfers).where(eq(transfers.reversesId, deposit!.transferId));
    const events = await publishedAbout(volunteer.accountId);
    expect(events.at(-1)).toEqual({
      type: 'deposit.reversed',
      aggregate_type: 'account',
      aggregate_id: volunteer.accountId,
      // After the deposit, on the same aggregate.
      sequence: events.find((event) => event.type === 'deposit.made')!.sequence + 1,
      payload: {
        depositId: deposit!.id,
        accountId: volunteer.accountId,
        holderId: volunteer.personId,
        officeId: DEMO_BANK.xingleOffice.id,
        bankId: DEMO_BANK.head.id,
        serviceRecordId: record.id,
        points: 30,
        pointsTakenBack: 30,
        pointsOwed: 0,
        reversalId: reversal!.id,
        debtId: null,
        reversedAt: reversal!.createdAt.toISOString(),
      },
    });
    expect(await inSameTransaction('deposit.reversed', volunteer.accountId, { table: 'transfers', id: reversal!.id })).toBe(true);
  });

  it('announces a deposit a clerk reverses by its transfer', async () => {
    const volunteer = await customerWith(bed, 0);
    const record = serviceRecord(volunteer.personId, { minutes: 60 });
    await publish(record.event);
    await drain();
    const [deposit] = await depositsOf(record.id);
    const reverse = (transfer: string) =>
      run<{ transferReverse: { reversal: { id: string } | null; userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: TransferReverseInput!) { transferReverse(input: $input) { reversal { id } userErrors { code } } }`,
        viewers.clerk,
        { input: { transfer, reason: '误存。' } },
      );
    const reversed = await reverse(deposit!.transferId);
    expect(reversed.transferReverse.userErrors).toEqual([]);
    const events = await publishedAbout(volunteer.accountId);
    expect(events.filter((event) => event.type === 'deposit.reversed').map((event) => event.payload)).toEqual([
      expect.objectContaining({ depositId: deposit!.id, points: 20, reversalId: reversed.transferReverse.reversal!.id }),
    ]);
  });

  it('announces an alliance merchant with the office that recruited it, in its transaction; refuses an office of no use; a central exchange is not announced', async () => {
    const create = (input: Record<string, unknown>) =>
      run<{ merchantCreate: { merchant: { id: string; office: { id: string } | null } | null; userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id office { id } } userErrors { field code } } }`,
        viewers.admin,
        { input },
      );
    const base = { bank: DEMO_BANK.head.id, organization: newId(), name: `新店${newId().slice(-6)}` };
    const made = await create({ ...base, office: DEMO_BANK.zimingOffice.id });
    expect(made.merchantCreate.userErrors).toEqual([]);
    const merchant = made.merchantCreate.merchant!;
    expect(merchant.office).toEqual({ id: DEMO_BANK.zimingOffice.id });
    const [row] = await rowsOf<{ created_at: Date }>(db, sql`select created_at from points.merchants where id = ${merchant.id}::uuid`);
    expect(await publishedAbout(merchant.id)).toEqual([
      {
        type: 'merchant.joined',
        aggregate_type: 'merchant',
        aggregate_id: merchant.id,
        sequence: 1,
        payload: {
          merchantId: merchant.id,
          bankId: DEMO_BANK.head.id,
          officeId: DEMO_BANK.zimingOffice.id,
          regionId: DEMO_BANK.zimingOffice.regionId,
          joinedAt: new Date(row!.created_at).toISOString(),
        },
      },
    ]);
    expect(await inSameTransaction('merchant.joined', merchant.id, { table: 'merchants', id: merchant.id })).toBe(true);

    // A branch is not an office; a central exchange is recruited by no one.
    expect((await create({ ...base, organization: newId(), office: DEMO_BANK.xiyiluBranch.id })).merchantCreate.userErrors).toEqual([
      { field: ['input', 'office'], code: 'INVALID' },
    ]);
    expect((await create({ ...base, organization: newId(), office: newId() })).merchantCreate.userErrors).toEqual([{ field: ['input', 'office'], code: 'NOT_FOUND' }]);
  });

  it('announces a bank unit with its region, in its transaction', async () => {
    const region = newId();
    const made = await run<{ bankUnitCreate: { bankUnit: { id: string } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: BankUnitCreateInput!) { bankUnitCreate(input: $input) { bankUnit { id } userErrors { code } } }`,
      viewers.admin,
      { input: { kind: 'HEAD_BANK', name: `银行${newId().slice(-6)}`, region } },
    );
    const unitId = made.bankUnitCreate.bankUnit!.id;
    const [row] = await rowsOf<{ created_at: Date }>(db, sql`select created_at from points.bank_units where id = ${unitId}::uuid`);
    expect(await publishedAbout(unitId)).toEqual([
      {
        type: 'bank_unit.opened',
        aggregate_type: 'bank_unit',
        aggregate_id: unitId,
        sequence: 1,
        payload: { unitId, kind: 'head_bank', bankId: unitId, parentId: null, regionId: region, openedAt: new Date(row!.created_at).toISOString() },
      },
    ]);
    expect(await inSameTransaction('bank_unit.opened', unitId, { table: 'bank_units', id: unitId })).toBe(true);
  });

  it("announces the demo's bank units and alliance merchants, as its mutations would", async () => {
    const units = Object.values(DEMO_BANK).map((unit) => unit.id);
    const [opened] = await rowsOf<{ n: number }>(
      db,
      sql`select count(distinct aggregate_id)::int as n from points.outbox where type = 'bank_unit.opened' and aggregate_id::text in (${sql.join(units, sql`, `)})`,
    );
    expect(opened?.n).toBe(units.length);
    const joined = await rowsOf<{ merchant: string; office: string | null }>(
      db,
      sql`select payload->>'merchantId' as merchant, payload->>'officeId' as office from points.outbox where type = 'merchant.joined' and aggregate_id::text in (${sql.join(
        Object.values(DEMO_MERCHANTS).map((merchant) => merchant.id),
        sql`, `,
      )}) order by 1`,
    );
    expect(joined).toEqual(
      Object.values(DEMO_MERCHANTS)
        .filter((merchant) => merchant.kind === 'alliance')
        .map((merchant) => ({ merchant: merchant.id, office: merchant.officeId }))
        .sort((a, b) => a.merchant.localeCompare(b.merchant)),
    );
  });
});

describe('events points publishes', () => {
  it('announces an account opened through accountOpen, and nothing when the person already has one', async () => {
    const holder = await knownPerson(bed);
    const open = () =>
      run<{ accountOpen: { account: { id: string } | null; userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id } userErrors { code } } }`,
        viewers.clerk,
        { input: { holder } },
      );
    const first = await open();
    const accountId = first.accountOpen.account!.id;
    expect((await open()).accountOpen.userErrors).toEqual([{ code: 'ALREADY_EXISTS' }]);
    const account = await accountOf(holder);
    expect(await publishedAbout(accountId)).toEqual([
      {
        type: 'account.opened',
        aggregate_type: 'account',
        aggregate_id: accountId,
        sequence: 1,
        payload: { accountId, holderId: holder, officeId: DEMO_BANK.xingleOffice.id, bankId: DEMO_BANK.head.id, openedAt: account!.openedAt.toISOString() },
      },
    ]);
  });

  it('announces a one-step redemption once, not its replay under the same key', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 20, 10);
    const input = { passbookNumber: customer.passbookNumber, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item, quantity: 2 }], idempotencyKey: `events-${newId()}` };
    const made = await redemption(bed, 'redemptionCreate', input, viewers.yonghui);
    expect((await redemption(bed, 'redemptionCreate', input, viewers.yonghui)).redemption?.id).toBe(made.redemption!.id);

    const id = made.redemption!.id;
    const published = await publishedAbout(id);
    expect(published).toEqual([
      {
        type: 'redemption.made',
        aggregate_type: 'redemption',
        aggregate_id: id,
        sequence: 1,
        payload: {
          redemptionId: id,
          accountId: customer.accountId,
          holderId: customer.personId,
          officeId: DEMO_BANK.xingleOffice.id,
          bankId: DEMO_BANK.head.id,
          merchantId: DEMO_MERCHANTS.yonghui.id,
          points: 40,
          items: 2,
          madeAt: expect.any(String),
        },
      },
    ]);
  });

  it('announces a hold when it is placed (with its expiry) and when it is captured, once, nothing more for a hold voided, and a lapse to its merchant', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 10, 10);
    const hold = async () =>
      (
        await redemption(
          bed,
          'redemptionHold',
          { passbookNumber: customer.passbookNumber, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: `events-${newId()}` },
          viewers.yonghui,
        )
      ).redemption!.id;

    const captured = await hold();
    expect((await publishedAbout(captured)).map((event) => event.type)).toEqual(['redemption.held']);
    await redemption(bed, 'redemptionCapture', { redemption: captured }, viewers.yonghui);
    await redemption(bed, 'redemptionCapture', { redemption: captured }, viewers.yonghui);
    expect((await publishedAbout(captured)).map((event) => [event.type, event.payload['points'], event.payload['items']])).toEqual([
      ['redemption.held', 10, undefined],
      ['redemption.made', 10, 1],
    ]);

    const voided = await hold();
    expect((await redemption(bed, 'redemptionVoid', { redemption: voided }, viewers.yonghui)).redemption?.status).toBe('VOIDED');
    expect((await publishedAbout(voided)).map((event) => event.type)).toEqual(['redemption.held']);

    const lapsed = await hold();
    expect(await expireHolds(db, { now: new Date(Date.now() + 24 * 3600 * 1000), accountId: customer.accountId })).toBe(1);
    expect((await publishedAbout(lapsed)).map((event) => event.type)).toEqual(['redemption.held', 'redemption.hold_lapsed']);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(90);
  });
});

describe('service_category.created', () => {
  const categoryCreated = (code: string): RequestsEvent => ({
    type: 'service_category.created',
    aggregateType: 'service_category',
    aggregateId: code,
    payload: { categoryCode: code, name: '消毒消杀', createdAt: new Date().toISOString() },
  });
  const withoutRule = async (viewer: Viewer): Promise<string[] | null> =>
    (
      await run<{ bankUnit: { categoriesWithoutDepositRule: string[] | null } }>(bed, `query ($id: ID!) { bankUnit(id: $id) { categoriesWithoutDepositRule } }`, viewer, {
        id: DEMO_BANK.head.id,
      })
    ).bankUnit.categoriesWithoutDepositRule;

  it('shows bank staff a new category until the bank sets its deposit rule, learnt once however often it arrives', async () => {
    const [first] = await publish(categoryCreated('disinfection'), categoryCreated('disinfection'), categoryCreated('smart_class'));
    await drain();
    expect(await inboxState(first!)).toMatchObject({ status: 'applied' });
    expect(await withoutRule(viewers.admin)).toEqual(['disinfection', 'smart_class']);
    expect(await withoutRule(viewers.unassignedClerk)).toEqual(['disinfection', 'smart_class']);

    await setRule('disinfection', 15);
    expect(await withoutRule(viewers.admin)).toEqual(['smart_class']);
  });

  it('is bank staff’s business: null to everyone else', async () => {
    expect(await withoutRule(viewers.communityAdmin)).toBeNull();
    expect(await withoutRule(viewers.resident())).toBeNull();
  });

  it('dead-letters a malformed code at once', async () => {
    const [malformed] = await publish(categoryCreated('Not A Code'));
    await drain();
    expect((await deadLettersOf(malformed!))[0]?.error).toContain('categoryCode');
  });
});
