/**
 * Merchants' webhooks, end to end on a real receiver: an HTTP server in this
 * test takes the deliveries and checks them the way a merchant would (the
 * HMAC over `<timestamp>.<body>` with the secret shown once, the timestamp,
 * the id to deduplicate by). Registration and its refusals, a lapsed hold
 * delivered, a receiver that fails and then answers, an endpoint that is
 * down until its round fails and a redelivery, the notice before a hold
 * lapses given once, the events in the outbox, who may see and do what.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { consumeOnce, databaseTransport, defineConsumer, newId, rowsOf, type Database } from '@lianxin/shared';
import { countStatements, waitFor } from '@lianxin/shared/testing';
import { DEMO_MERCHANTS } from '../src/db/demo.js';
import { announceExpiringHolds, deliverDueWebhooks, expireHolds, pointsConsumer } from '../src/index.js';
import { WEBHOOK_ATTEMPTS_PER_ROUND } from '../src/webhooks/delivery.js';
import { codeOf, customerWith, expectBooksToBalance, redemption, run, startPoints, viewers, yonghuiItem, type PointsTestBed, type UserErrorShape } from './support.js';

let bed: PointsTestBed;
let db: Database;
const yonghui = DEMO_MERCHANTS.yonghui;

/** What the receiver was sent. */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A merchant's receiver: answers each request with the next status queued (200 when none is), and keeps what it was sent. */
interface Receiver {
  url: string;
  received: Received[];
  answers: number[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/lianxin`,
    received,
    answers,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** A loopback URL nothing listens on: a server's port, once the server is closed. */
async function deadUrl(): Promise<string> {
  const receiver = await startReceiver();
  await receiver.close();
  return receiver.url;
}

/** What a merchant's receiver does with a delivery: checks the signature and the timestamp; returns the body when both hold. */
function verifyAsMerchant(secret: string, delivery: Received, now: Date): { id: string; type: string; createdAt: string; data: Record<string, unknown> } | null {
  const timestamp = String(delivery.headers['x-lianxin-timestamp'] ?? '');
  const given = Buffer.from(String(delivery.headers['x-lianxin-signature'] ?? ''));
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex')}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > 300) return null;
  return JSON.parse(delivery.body) as { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

let receiver: Receiver;

beforeAll(async () => {
  bed = await startPoints({ POINTS_HOLD_TTL_SECONDS: '600' });
  db = bed.points.database.db;
  receiver = await startReceiver();
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await receiver?.close();
  await bed?.stop();
});

/** The points consumer's handlers of its own events: the other subgraphs' outboxes are not in this database. */
const ownEvents = defineConsumer({ schema: 'points', handlers: { points: { ...pointsConsumer.handlers['points'] } } });

/**
 * What the outbox holds, fanned out: passes until the consumer has received
 * every event and a pass finds nothing to do. Passes rather than one: the
 * outbox is read only up to the oldest transaction of the cluster, which
 * another test file may hold for a moment.
 */
async function fanOut(): Promise<void> {
  await waitFor('the points consumer to catch up with its own outbox', async () => {
    const report = await consumeOnce({ db, consumer: ownEvents, transport: databaseTransport() });
    const [behind] = await rowsOf<{ missing: boolean }>(
      db,
      sql`select exists (select 1 from points.outbox o where not exists (select 1 from points.inbox i where i.event_id = o.id)) as missing`,
    );
    return Object.values(report).every((count) => count === 0) && behind?.missing === false;
  });
}

/** One run of the delivery worker, with no jitter, at the test's clock. */
const deliver = () => deliverDueWebhooks(db, { now: bed.clock.now, random: () => 0, allowLoopback: true });

const WEBHOOK_FIELDS = 'id url events active merchant { id }';
type WebhookShape = { id: string; url: string; events: string[]; active: boolean; merchant: { id: string } };

async function register(input: Record<string, unknown>, viewer = viewers.yonghui) {
  const data = await run<{ merchantWebhookCreate: { webhook: WebhookShape | null; secret: string | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: MerchantWebhookCreateInput!) { merchantWebhookCreate(input: $input) { webhook { ${WEBHOOK_FIELDS} } secret userErrors { field code message } } }`,
    viewer,
    { input },
  );
  return data.merchantWebhookCreate;
}

async function registered(url: string, events: string[] = ['HOLD_LAPSED']): Promise<{ webhook: WebhookShape; secret: string }> {
  const made = await register({ merchant: yonghui.id, url, events });
  expect(made.userErrors).toEqual([]);
  return { webhook: made.webhook!, secret: made.secret! };
}

async function deleteWebhook(id: string): Promise<void> {
  const data = await run<{ merchantWebhookDelete: { userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: MerchantWebhookInput!) { merchantWebhookDelete(input: $input) { userErrors { code } } }`,
    viewers.yonghui,
    { input: { webhook: id } },
  );
  expect(data.merchantWebhookDelete.userErrors).toEqual([]);
}

const holdInput = (passbookNumber: string, item: string) => ({ passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: newId() });

/** A hold of yonghui's, made at `at`; lapses 10 minutes later. */
async function holdAt(at: string): Promise<string> {
  const customer = await customerWith(bed, 100);
  const item = await yonghuiItem(bed, 20, 5);
  bed.clock.set(at);
  const { redemption: hold } = await redemption(bed, 'redemptionHold', holdInput(customer.passbookNumber, item), viewers.yonghui);
  return hold!.id;
}

/** A hold made at `at` that lapses and is released by the sweep 10 minutes later; the clock is left there. */
async function lapsedHold(at: string): Promise<string> {
  const id = await holdAt(at);
  bed.clock.advance(600_000);
  expect(await expireHolds(db, { now: bed.clock.now() })).toBeGreaterThanOrEqual(1);
  return id;
}

const DELIVERIES = `query ($id: ID!) { merchant(id: $id) { webhooks { id deliveries(first: 10) { totalCount edges { node {
  id eventId event status attempts lastStatusCode lastError nextAttemptAt deliveredAt attemptLog { attempt statusCode error } } } } } } }`;

interface DeliveryShape {
  id: string;
  eventId: string;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  attemptLog: { attempt: number; statusCode: number | null; error: string | null }[];
}

async function deliveriesOf(webhookId: string): Promise<{ totalCount: number; nodes: DeliveryShape[] }> {
  const data = await run<{ merchant: { webhooks: { id: string; deliveries: { totalCount: number; edges: { node: DeliveryShape }[] } }[] } }>(bed, DELIVERIES, viewers.yonghui, {
    id: yonghui.id,
  });
  const webhook = data.merchant.webhooks.find((each) => each.id === webhookId)!;
  return { totalCount: webhook.deliveries.totalCount, nodes: webhook.deliveries.edges.map((edge) => edge.node) };
}

async function redeliver(delivery: string, viewer = viewers.yonghui) {
  return bed.points.execute(
    `mutation ($input: MerchantWebhookRedeliverInput!) { merchantWebhookRedeliver(input: $input) { delivery { id status nextAttemptAt } userErrors { field code } } }`,
    { variables: { input: { delivery } }, viewer },
  );
}

describe('registering a webhook', () => {
  it('returns the endpoint and its secret once; the merchant’s books list it without the secret', async () => {
    const { webhook, secret } = await registered(receiver.url, ['HOLD_LAPSED', 'HOLD_EXPIRING', 'HOLD_LAPSED']);
    expect(webhook).toEqual({ id: expect.any(String), url: receiver.url, events: ['HOLD_LAPSED', 'HOLD_EXPIRING'], active: true, merchant: { id: yonghui.id } });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await run<{ merchant: { webhooks: { id: string }[] } }>(bed, `query ($id: ID!) { merchant(id: $id) { webhooks { id } } }`, viewers.clerk, { id: yonghui.id });
    expect(listed.merchant.webhooks.map((each) => each.id)).toContain(webhook.id);
    // The secret is no field of the endpoint: the schema has nothing to read it by.
    const probe = await bed.points.execute(`query ($id: ID!) { merchant(id: $id) { webhooks { secret } } }`, { variables: { id: yonghui.id }, viewer: viewers.yonghui });
    expect(probe.errors?.[0]?.message).toMatch(/Cannot query field "secret"/);

    const rotated = await run<{ merchantWebhookSecretRotate: { webhook: { id: string }; secret: string; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: MerchantWebhookInput!) { merchantWebhookSecretRotate(input: $input) { webhook { id } secret userErrors { code } } }`,
      viewers.yonghui,
      { input: { webhook: webhook.id } },
    );
    expect(rotated.merchantWebhookSecretRotate).toEqual({ webhook: { id: webhook.id }, secret: expect.stringMatching(/^whsec_/), userErrors: [] });
    expect(rotated.merchantWebhookSecretRotate.secret).not.toBe(secret);
    await deleteWebhook(webhook.id);
  });

  it.each([
    ['ftp://example.com/hook', 'INVALID'],
    ['http://example.com/hook', 'INVALID'],
    ['https://user:password@example.com/hook', 'INVALID'],
    ['https://example.com/ and then 2048 more characters', 'INVALID'],
    ['not a url', 'INVALID'],
    ['  ', 'REQUIRED'],
  ])('refuses %s as %s, writing nothing', async (url, code) => {
    const before = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from points.merchant_webhooks`);
    const made = await register({ merchant: yonghui.id, url: url.replace(' and then 2048 more characters', 'a'.repeat(2048)), events: ['HOLD_LAPSED'] });
    expect(made).toEqual({ webhook: null, secret: null, userErrors: [{ field: ['input', 'url'], code, message: expect.any(String) }] });
    expect(await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from points.merchant_webhooks`)).toEqual(before);
  });

  it('needs at least one event, and refuses a sixth endpoint', async () => {
    expect((await register({ merchant: yonghui.id, url: 'https://example.com/hook', events: [] })).userErrors).toEqual([
      { field: ['input', 'events'], code: 'REQUIRED', message: expect.any(String) },
    ]);
    const made: string[] = [];
    const existing = await run<{ merchant: { webhooks: unknown[] } }>(bed, `query ($id: ID!) { merchant(id: $id) { webhooks { id } } }`, viewers.yonghui, { id: yonghui.id });
    for (let index = existing.merchant.webhooks.length; index < 5; index += 1) made.push((await registered(`https://example.com/hook/${index}`)).webhook.id);
    const sixth = await register({ merchant: yonghui.id, url: 'https://example.com/hook/6', events: ['HOLD_LAPSED'] });
    expect(sixth.userErrors).toEqual([{ field: ['input', 'merchant'], code: 'INVALID_STATE', message: expect.any(String) }]);
    for (const id of made) await deleteWebhook(id);
  });

  it('keeps the limit when two registrations race for the fifth place: the database refuses the sixth', async () => {
    const made: string[] = [];
    for (let index = 0; index < 4; index += 1) made.push((await registered(`https://example.com/race/${index}`)).webhook.id);
    const raced = await Promise.all([1, 2].map((index) => register({ merchant: yonghui.id, url: `https://example.com/race/last-${index}`, events: ['HOLD_LAPSED'] })));
    expect(raced.map((each) => each.userErrors.map((error) => error.code)).sort()).toEqual([[], ['INVALID_STATE']]);
    made.push(...raced.flatMap((each) => (each.webhook ? [each.webhook.id] : [])));
    expect(made).toHaveLength(5);
    // Whatever path writes it: the trigger counts too.
    await expect(
      db.execute(sql`insert into points.merchant_webhooks (id, merchant_id, url, events, secret, created_by, updated_by)
        values (${newId()}, ${yonghui.id}, 'https://example.com/direct', '{hold_lapsed}', ${'s'.repeat(40)}, 'test', 'test')`),
    ).rejects.toMatchObject({ cause: { constraint_name: 'merchant_webhooks_limit' } });
    for (const id of made) await deleteWebhook(id);
  });

  it('is plain http to loopback only when the bank allows it', async () => {
    const { urlProblem } = await import('../src/webhooks/service.js');
    expect(urlProblem('http://127.0.0.1:8080/hook', { webhookAllowInsecure: true })).toBeNull();
    expect(urlProblem('http://localhost/hook', { webhookAllowInsecure: false })).not.toBeNull();
    expect(urlProblem('http://shop.example.com/hook', { webhookAllowInsecure: false })).toMatch(/https/);
    expect(urlProblem('https://shop.example.com/hook', { webhookAllowInsecure: false })).toBeNull();
  });

  it('never points at an internal address: private, loopback, link-local, mapped or written oddly', async () => {
    const { urlProblem } = await import('../src/webhooks/service.js');
    const { hostProblem } = await import('../src/webhooks/address.js');
    for (const url of [
      'https://10.0.0.5/hook',
      'https://172.20.1.1/hook',
      'https://192.168.1.10:8443/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/hook',
      'https://0.0.0.0/hook',
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://[::1]/hook',
      'https://[fd00::1]/hook',
      'https://[fe80::1]/hook',
      'https://[::ffff:10.0.0.1]/hook',
      'https://0x7f000001/hook',
      'https://2130706433/hook',
    ])
      expect({ url, problem: urlProblem(url, { webhookAllowInsecure: false }) }).toEqual({ url, problem: 'must not point at an internal or private network address.' });
    // Through the graph, as a merchant registers one.
    const made = await register({ merchant: yonghui.id, url: 'https://169.254.169.254/latest/meta-data', events: ['HOLD_LAPSED'] });
    expect(made.userErrors).toEqual([{ field: ['input', 'url'], code: 'INVALID', message: expect.stringContaining('internal') }]);
    // A name is judged by what it resolves to, before each delivery: localhost's name resolves to loopback.
    expect(await hostProblem('https://8.8.8.8/hook', false)).toBeNull();
    expect(await hostProblem('https://localhost./hook', false)).toMatch(/internal/);
    expect(await hostProblem('https://[::ffff:192.168.0.1]/hook', false)).toMatch(/internal/);
    expect(await hostProblem('https://name.invalid/hook', false)).toMatch(/does not resolve/);
  });

  it('is not posted to when it resolves to an internal address at delivery time', async () => {
    const { webhook } = await registered(receiver.url);
    receiver.received.length = 0;
    await lapsedHold('2026-12-09T06:00:00.000Z');
    await fanOut();
    // The production worker, which does not let loopback through: the attempt fails without a request.
    expect(await deliverDueWebhooks(db, { now: bed.clock.now, random: () => 0, allowLoopback: false })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(receiver.received).toHaveLength(0);
    const log = await deliveriesOf(webhook.id);
    expect(log.nodes[0]).toMatchObject({ status: 'QUEUED', attempts: 1, lastStatusCode: null, lastError: 'the endpoint is an internal address' });
    await deleteWebhook(webhook.id);
  });

  it('is for the merchant itself: another merchant is FORBIDDEN and learns nothing; a clerk who reads the books is NOT_ALLOWED', async () => {
    const { webhook } = await registered(receiver.url);
    const other = await bed.points.execute(`mutation ($input: MerchantWebhookCreateInput!) { merchantWebhookCreate(input: $input) { secret userErrors { code } } }`, {
      variables: { input: { merchant: yonghui.id, url: 'https://evil.example.com/hook', events: ['HOLD_LAPSED'] } },
      viewer: viewers.charity,
    });
    expect(codeOf(other)).toBe('FORBIDDEN');
    for (const mutation of ['merchantWebhookUpdate', 'merchantWebhookDelete', 'merchantWebhookSecretRotate']) {
      const inputType = mutation === 'merchantWebhookUpdate' ? 'MerchantWebhookUpdateInput' : 'MerchantWebhookInput';
      for (const id of [webhook.id, newId()]) {
        const refused = await bed.points.execute(`mutation ($input: ${inputType}!) { ${mutation}(input: $input) { userErrors { code } } }`, {
          variables: { input: { webhook: id } },
          viewer: viewers.charity,
        });
        expect([mutation, codeOf(refused)]).toEqual([mutation, 'FORBIDDEN']);
      }
    }
    const read = await bed.points.execute(`query ($id: ID!) { merchant(id: $id) { webhooks { id } } }`, { variables: { id: yonghui.id }, viewer: viewers.charity });
    expect(codeOf(read)).toBe('FORBIDDEN');
    const byClerk = await run<{ merchantWebhookCreate: { userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: MerchantWebhookCreateInput!) { merchantWebhookCreate(input: $input) { userErrors { field code message } } }`,
      viewers.clerk,
      { input: { merchant: yonghui.id, url: 'https://example.com/hook', events: ['HOLD_LAPSED'] } },
    );
    expect(byClerk.merchantWebhookCreate.userErrors).toEqual([{ field: ['input', 'merchant'], code: 'NOT_ALLOWED', message: expect.any(String) }]);
    await deleteWebhook(webhook.id);
  });
});

describe('deliveries', () => {
  it('post a lapsed hold to the endpoint, signed so the merchant can verify it, with no personal data', async () => {
    const { webhook, secret } = await registered(receiver.url);
    receiver.received.length = 0;
    const hold = await lapsedHold('2026-12-09T04:00:00.000Z');
    await fanOut();
    expect(await deliver()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0]!;
    const body = verifyAsMerchant(secret, delivery, bed.clock.now());
    expect(body).toEqual({
      id: delivery.headers['x-lianxin-webhook-id'],
      type: 'hold.lapsed',
      createdAt: expect.any(String),
      data: { redemptionId: hold, merchantId: yonghui.id, points: 20, heldUntil: '2026-12-09T04:10:00.000Z', lapsedAt: '2026-12-09T04:10:00.000Z' },
    });
    expect(delivery.headers['content-type']).toBe('application/json');
    // A wrong secret, or a body changed on the way, fails the check.
    expect(verifyAsMerchant(`${secret}x`, delivery, bed.clock.now())).toBeNull();
    expect(verifyAsMerchant(secret, { ...delivery, body: delivery.body.replace('20', '2000') }, bed.clock.now())).toBeNull();
    expect(verifyAsMerchant(secret, delivery, new Date(bed.clock.now().getTime() + 301_000))).toBeNull();

    const log = await deliveriesOf(webhook.id);
    expect(log.totalCount).toBe(1);
    expect(log.nodes[0]).toMatchObject({ eventId: body!.id, event: 'HOLD_LAPSED', status: 'DELIVERED', attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    // Fanning out again, or running the worker again, sends nothing more.
    await fanOut();
    expect(await deliver()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    await deleteWebhook(webhook.id);
  });

  it('post a refund to an endpoint that asked for REFUND_DONE, and nothing to one that did not', async () => {
    const { webhook, secret } = await registered(receiver.url, ['REFUND_DONE']);
    const { webhook: holdsOnly } = await registered(receiver.url, ['HOLD_LAPSED']);
    receiver.received.length = 0;
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 15, 5);
    bed.clock.set('2026-12-09T05:00:00.000Z');
    const { redemption: sale } = await redemption(bed, 'redemptionCreate', { ...holdInput(customer.passbookNumber, item), items: [{ item, quantity: 2 }] }, viewers.yonghui);
    const refunded = await run<{ redemptionRefund: { refund: { id: string } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: RedemptionRefundInput!) { redemptionRefund(input: $input) { refund { id } userErrors { field code message } } }`,
      viewers.yonghui,
      { input: { redemption: sale!.id, lines: [{ item, quantity: 1 }], idempotencyKey: newId() } },
    );
    expect(refunded.redemptionRefund.userErrors).toEqual([]);
    await fanOut();
    expect(await deliver()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    expect(verifyAsMerchant(secret, receiver.received[0]!, bed.clock.now())).toEqual({
      id: expect.any(String),
      type: 'refund.done',
      createdAt: expect.any(String),
      data: { refundId: refunded.redemptionRefund.refund!.id, redemptionId: sale!.id, merchantId: yonghui.id, points: 15, refundedAt: '2026-12-09T05:00:00.000Z' },
    });
    expect((await deliveriesOf(holdsOnly.id)).totalCount).toBe(0);
    await deleteWebhook(webhook.id);
    await deleteWebhook(holdsOnly.id);
  });

  it('post a closed settlement statement to an endpoint that asked for STATEMENT_READY', async () => {
    const { webhook, secret } = await registered(receiver.url, ['STATEMENT_READY']);
    receiver.received.length = 0;
    bed.clock.set('2027-02-03T02:00:00.000Z');
    const closed = await run<{ settlementStatementClose: { statement: { id: string; points: number; amountFen: number } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation { settlementStatementClose(input: { merchant: "${yonghui.id}", month: "2027-01" }) { statement { id points amountFen } userErrors { field code message } } }`,
      viewers.admin,
    );
    expect(closed.settlementStatementClose.userErrors).toEqual([]);
    const statement = closed.settlementStatementClose.statement!;
    await fanOut();
    expect(await deliver()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(verifyAsMerchant(secret, receiver.received[0]!, bed.clock.now())).toEqual({
      id: expect.any(String),
      type: 'statement.ready',
      createdAt: expect.any(String),
      data: {
        statementId: statement.id,
        merchantId: yonghui.id,
        periodFrom: '2027-01-01',
        periodTo: '2027-01-31',
        points: statement.points,
        amountFen: statement.amountFen,
        closedAt: '2027-02-03T02:00:00.000Z',
      },
    });
    await deleteWebhook(webhook.id);
  });

  it('retry a receiver that fails, with backoff, until it answers; the log shows each attempt', async () => {
    const { webhook, secret } = await registered(receiver.url);
    receiver.received.length = 0;
    receiver.answers.push(500);
    await lapsedHold('2026-12-09T05:00:00.000Z');
    await fanOut();
    expect(await deliver()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const [waiting] = (await deliveriesOf(webhook.id)).nodes;
    expect(waiting).toMatchObject({ status: 'QUEUED', attempts: 1, lastStatusCode: 500, lastError: 'answered HTTP 500' });
    // The first retry waits 30 seconds: not before.
    expect(new Date(waiting!.nextAttemptAt!).getTime()).toBe(bed.clock.now().getTime() + 30_000);
    bed.clock.advance(29_000);
    expect(await deliver()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    bed.clock.advance(1_000);
    expect(await deliver()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(2);
    // The same id both times, for the merchant to deduplicate by; each signed anew.
    const [first, second] = receiver.received.map((each) => verifyAsMerchant(secret, each, bed.clock.now()));
    expect(second!.id).toBe(first!.id);
    const [done] = (await deliveriesOf(webhook.id)).nodes;
    expect(done).toMatchObject({
      status: 'DELIVERED',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
      deliveredAt: bed.clock.now(),
      attemptLog: [
        { attempt: 1, statusCode: 500, error: 'answered HTTP 500' },
        { attempt: 2, statusCode: 200, error: null },
      ],
    });
    await expect(db.execute(sql`update points.webhook_delivery_attempts set status_code = 200`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/append-only/) },
    });
    await deleteWebhook(webhook.id);
  });

  it('fail after the round’s attempts to an endpoint that is down; a redelivery queues them again, once', async () => {
    const down = await deadUrl();
    const { webhook } = await registered(down);
    await lapsedHold('2026-12-09T06:00:00.000Z');
    await fanOut();
    for (let attempt = 1; attempt < WEBHOOK_ATTEMPTS_PER_ROUND; attempt += 1) {
      expect(await deliver()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
      bed.clock.advance(8 * 3600_000);
    }
    expect(await deliver()).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    const [failed] = (await deliveriesOf(webhook.id)).nodes;
    expect(failed).toMatchObject({ status: 'FAILED', attempts: WEBHOOK_ATTEMPTS_PER_ROUND, lastStatusCode: null, lastError: expect.stringMatching(/^connection failed/) });
    expect(failed!.attemptLog).toHaveLength(WEBHOOK_ATTEMPTS_PER_ROUND);
    bed.clock.advance(3600_000);
    expect(await deliver()).toEqual({ delivered: 0, retrying: 0, failed: 0 });

    // Another merchant may not redeliver it, nor hear whether it exists.
    expect(codeOf(await redeliver(failed!.id, viewers.charity))).toBe('FORBIDDEN');
    expect(codeOf(await redeliver(newId(), viewers.charity))).toBe('FORBIDDEN');
    const again = await redeliver(failed!.id);
    expect(again.data).toEqual({ merchantWebhookRedeliver: { delivery: { id: failed!.id, status: 'QUEUED', nextAttemptAt: bed.clock.now() }, userErrors: [] } });
    bed.clock.advance(1_000);
    expect((await redeliver(failed!.id)).data).toEqual(again.data);

    // The merchant's endpoint is back, at a new address.
    const moved = await run<{ merchantWebhookUpdate: { webhook: { url: string }; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: MerchantWebhookUpdateInput!) { merchantWebhookUpdate(input: $input) { webhook { url } userErrors { code } } }`,
      viewers.yonghui,
      { input: { webhook: webhook.id, url: receiver.url } },
    );
    expect(moved.merchantWebhookUpdate).toEqual({ webhook: { url: receiver.url }, userErrors: [] });
    expect(await deliver()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    const [delivered] = (await deliveriesOf(webhook.id)).nodes;
    expect(delivered).toMatchObject({ status: 'DELIVERED', attempts: WEBHOOK_ATTEMPTS_PER_ROUND + 1 });
    await deleteWebhook(webhook.id);
    expect((await redeliver(failed!.id)).data).toEqual({ merchantWebhookRedeliver: { delivery: null, userErrors: [{ field: ['input', 'delivery'], code: 'INVALID_STATE' }] } });
  });

  it('announce a hold about to lapse once, however often the job runs', async () => {
    const { webhook, secret } = await registered(receiver.url, ['HOLD_EXPIRING']);
    receiver.received.length = 0;
    const hold = await holdAt('2026-12-09T07:00:00.000Z');
    const notice = { noticeSeconds: 120 };
    expect(await announceExpiringHolds(db, { now: bed.clock.now(), ...notice })).toBe(0);
    bed.clock.advance(8 * 60_000 + 1_000);
    expect(await announceExpiringHolds(db, { now: bed.clock.now(), ...notice })).toBe(1);
    bed.clock.advance(30_000);
    expect(await announceExpiringHolds(db, { now: bed.clock.now(), ...notice })).toBe(0);
    await fanOut();
    expect(await deliver()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(verifyAsMerchant(secret, receiver.received[0]!, bed.clock.now())).toMatchObject({
      type: 'hold.expiring',
      data: { redemptionId: hold, merchantId: yonghui.id, points: 20, heldUntil: '2026-12-09T07:10:00.000Z', announcedAt: '2026-12-09T07:08:01.000Z' },
    });
    // A hold past its expiry is left to the lapse, which this endpoint did not subscribe to.
    bed.clock.advance(120_000);
    expect(await expireHolds(db, { now: bed.clock.now() })).toBe(1);
    await fanOut();
    expect(await deliver()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect((await deliveriesOf(webhook.id)).totalCount).toBe(1);
    await deleteWebhook(webhook.id);
  });

  it('go only to active endpoints of the hold’s merchant', async () => {
    const { webhook } = await registered(receiver.url);
    await run(bed, `mutation ($input: MerchantWebhookUpdateInput!) { merchantWebhookUpdate(input: $input) { userErrors { code } } }`, viewers.yonghui, {
      input: { webhook: webhook.id, active: false },
    });
    await lapsedHold('2026-12-09T08:00:00.000Z');
    await fanOut();
    expect((await deliveriesOf(webhook.id)).totalCount).toBe(0);
    await deleteWebhook(webhook.id);
  });
});

describe('the outbox', () => {
  it('holds redemption.hold_lapsed and redemption.hold_expiring with their documented payloads, naming no customer', async () => {
    const lapsed = await lapsedHold('2026-12-09T09:00:00.000Z');
    const expiring = await holdAt('2026-12-09T09:30:00.000Z');
    bed.clock.advance(9 * 60_000);
    await announceExpiringHolds(db, { now: bed.clock.now(), noticeSeconds: 120 });
    const events = await rowsOf<{ type: string; aggregate_type: string; aggregate_id: string; payload: Record<string, unknown> }>(
      db,
      sql`select type, aggregate_type, aggregate_id, payload from points.outbox where aggregate_id in (${lapsed}, ${expiring}) and type like 'redemption.hold_%' order by position`,
    );
    expect(events).toEqual([
      {
        type: 'redemption.hold_lapsed',
        aggregate_type: 'redemption',
        aggregate_id: lapsed,
        payload: { redemptionId: lapsed, merchantId: yonghui.id, points: 20, heldUntil: '2026-12-09T09:10:00.000Z', lapsedAt: '2026-12-09T09:10:00.000Z' },
      },
      {
        type: 'redemption.hold_expiring',
        aggregate_type: 'redemption',
        aggregate_id: expiring,
        payload: { redemptionId: expiring, merchantId: yonghui.id, points: 20, heldUntil: '2026-12-09T09:40:00.000Z', announcedAt: '2026-12-09T09:39:00.000Z' },
      },
    ]);
  });
});

describe('reading webhooks', () => {
  it('costs the same statements for one merchant’s endpoints as for many', async () => {
    const query = `{ merchants(first: 50) { edges { node { webhooks { id deliveries(first: 5) { totalCount edges { node { id attemptLog { attempt } } } } } } } } }`;
    const first = (await registered(receiver.url)).webhook.id;
    await lapsedHold('2026-12-09T10:00:00.000Z');
    await fanOut();
    await deliver();
    const few = await countStatements(bed.points.database, () => bed.points.execute(query, { viewer: viewers.admin }));
    expect(few.result.errors).toBeUndefined();
    const made = [first, (await registered(receiver.url)).webhook.id];
    const charity = await register({ merchant: DEMO_MERCHANTS.charitySupermarket.id, url: receiver.url, events: ['HOLD_LAPSED'] }, viewers.charity);
    await lapsedHold('2026-12-09T11:00:00.000Z');
    await fanOut();
    await deliver();
    const many = await countStatements(bed.points.database, () => bed.points.execute(query, { viewer: viewers.admin }));
    expect(many.result.errors).toBeUndefined();
    expect(many.count).toBe(few.count);
    for (const id of made) await deleteWebhook(id);
    await run(bed, `mutation ($input: MerchantWebhookInput!) { merchantWebhookDelete(input: $input) { userErrors { code } } }`, viewers.charity, {
      input: { webhook: charity.webhook!.id },
    });
  });
});
