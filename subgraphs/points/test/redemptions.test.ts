/** Redemptions on real Postgres: one step and two, windows, stock, idempotency, holds that lapse, and races. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { count, eq } from 'drizzle-orm';
import { createLogger, newId, startScheduler } from '@lianxin/shared';
import { countStatements, manualTimers, viewerOf, waitFor } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_MERCHANTS } from '../src/db/demo.js';
import { idempotencyKeys, transfers } from '../src/db/schema.js';
import { expireHolds } from '../src/index.js';
import { pointsJobs } from '../src/jobs.js';
import { readPointsSettings } from '../src/settings.js';
import {
  WINDOW_CLOSED,
  WINDOW_OPEN,
  codeOf,
  customerWith,
  depositFor,
  expectBooksToBalance,
  pointsOf,
  redemption,
  run,
  startPoints,
  stockOf,
  viewers,
  yonghuiItem,
  type PointsTestBed,
} from './support.js';

let bed: PointsTestBed;

beforeAll(async () => {
  bed = await startPoints({ POINTS_HOLD_TTL_SECONDS: '600' });
});
beforeEach(() => {
  bed.clock.reset();
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

const yonghui = DEMO_MERCHANTS.yonghui;
const charity = DEMO_MERCHANTS.charitySupermarket;
const exchange = DEMO_MERCHANTS.exchange;
const rice = yonghui.items[0];

const key = () => `test-${newId()}`;

async function transfersOfRedemption(redemptionId: string): Promise<number> {
  const [row] = await bed.points.database.db.select({ n: count() }).from(transfers).where(eq(transfers.reference, redemptionId));
  return row?.n ?? 0;
}

describe('redemptionCreate', () => {
  it('redeems rice at Yonghui: the customer debited, the merchant credited, the stock taken, a passbook line each', async () => {
    const customer = await customerWith(bed, 300);
    const shopBefore = (await pointsOf(bed, yonghui.accountId)).balance;
    const stockBefore = await stockOf(bed, rice.id);
    const { redemption: made, userErrors } = await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 2 }], idempotencyKey: key() },
      viewers.yonghui,
    );
    expect(userErrors).toEqual([]);
    expect(made).toMatchObject({ status: 'CAPTURED', totalPoints: 200, itemCount: 2, heldUntil: null });
    expect(await pointsOf(bed, customer.accountId)).toEqual({ balance: 100, heldPoints: 0, availablePoints: 100 });
    expect((await pointsOf(bed, yonghui.accountId)).balance).toBe(shopBefore + 200);
    expect(await stockOf(bed, rice.id)).toBe(stockBefore - 2);

    const passbook = await run<{ account: { transfers: { totalCount: number; edges: { node: { line: number; cause: string; amount: number; balanceAfter: number } }[] } } }>(
      bed,
      `query ($id: ID!) { account(id: $id) { transfers(first: 1) { totalCount edges { node { line cause amount balanceAfter } } } } }`,
      viewers.admin,
      { id: customer.accountId },
    );
    expect(passbook.account.transfers.edges[0]!.node).toEqual({ line: 2, cause: 'REDEMPTION', amount: -200, balanceAfter: 100 });
    expect(passbook.account.transfers.totalCount).toBe(2);
  });

  it('locks the key, the accounts and the items in that order, then writes the redemption, its points and its event: eight statements', async () => {
    const customer = await customerWith(bed, 100);
    const { result, statements } = await countStatements(bed.points.database, () =>
      redemption(
        bed,
        'redemptionCreate',
        { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: key() },
        viewers.yonghui,
      ),
    );
    expect(result.userErrors).toEqual([]);
    const at = (pattern: RegExp) => statements.findIndex((statement) => pattern.test(statement));
    expect(at(/^select .* from "points"\."merchants"/)).toBe(0);
    expect(at(/^insert into "points"\."idempotency_keys"/)).toBe(1);
    // The accounts' lock and the office's read (no lock) go in one batch, in either order.
    expect([at(/^select .* from "points"\."accounts" .* for update$/), at(/inner join "points"\."bank_units"/)].sort()).toEqual([2, 3]);
    expect(at(/points\.catalog_items .* for update of c/s)).toBe(4);
    // Then the writes, batched: every lock they need is held already.
    expect([at(/insert into points\.redemptions/), at(/update points\.accounts set/), at(/insert into "points"\."outbox"/)].sort()).toEqual([5, 6, 7]);
    expect(statements).toHaveLength(8);
  });

  it('refuses more points than the customer has with INSUFFICIENT_POINTS, and takes nothing', async () => {
    const customer = await customerWith(bed, 150);
    const stockBefore = await stockOf(bed, rice.id);
    const { redemption: made, userErrors } = await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 2 }], idempotencyKey: key() },
      viewers.yonghui,
    );
    expect(made).toBeNull();
    expect(userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_POINTS']);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(150);
    expect(await stockOf(bed, rice.id)).toBe(stockBefore);
  });

  it('refuses more than the stock with OUT_OF_STOCK on the line at fault', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 1, 3);
    const { userErrors } = await redemption(
      bed,
      'redemptionCreate',
      {
        passbookNumber: customer.passbookNumber,
        merchant: yonghui.id,
        items: [
          { item: rice.id, quantity: 1 },
          { item, quantity: 4 },
        ],
        idempotencyKey: key(),
      },
      viewers.yonghui,
    );
    expect(userErrors).toEqual([{ field: ['input', 'items', '1', 'quantity'], code: 'OUT_OF_STOCK', message: expect.stringContaining('Only 3') }]);
    expect(await stockOf(bed, item)).toBe(3);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(100);
  });

  it('takes redemptions at a windowed merchant on the first weekend of the month only, Beijing time', async () => {
    const customer = await customerWith(bed, 100);
    const soap = charity.items[4];
    const attempt = () =>
      redemption(
        bed,
        'redemptionCreate',
        { passbookNumber: customer.passbookNumber, merchant: charity.id, items: [{ item: soap.id, quantity: 1 }], idempotencyKey: key() },
        viewers.charity,
      );
    bed.clock.set(WINDOW_CLOSED);
    expect((await attempt()).userErrors).toEqual([{ field: ['input', 'merchant'], code: 'WINDOW_CLOSED', message: expect.any(String) }]);
    // Friday 4 December 2026, 23:59 in Beijing is still closed; a minute later the window opens.
    bed.clock.set('2026-12-04T15:59:00.000Z');
    expect((await attempt()).userErrors.map((error) => error.code)).toEqual(['WINDOW_CLOSED']);
    bed.clock.set('2026-12-04T16:00:00.000Z');
    expect((await attempt()).userErrors).toEqual([]);
    bed.clock.set(WINDOW_OPEN);
    expect((await attempt()).userErrors).toEqual([]);
    // Sunday 6 December, the last minute; then Monday.
    bed.clock.set('2026-12-06T15:59:00.000Z');
    expect((await attempt()).userErrors).toEqual([]);
    bed.clock.set('2026-12-06T16:00:00.000Z');
    expect((await attempt()).userErrors.map((error) => error.code)).toEqual(['WINDOW_CLOSED']);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(100 - 3 * soap.pricePoints);
  });

  it('serves only high-balance customers at the central exchange, run by the bank’s clerks', async () => {
    bed.clock.set(WINDOW_OPEN);
    const cooker = exchange.items[0];
    const poorer = await customerWith(bed, 199);
    const richer = await customerWith(bed, 400);
    const attempt = (passbookNumber: string) =>
      redemption(
        bed,
        'redemptionCreate',
        { passbookNumber, merchant: exchange.id, items: [{ item: cooker.id, quantity: 1 }], idempotencyKey: key(), clerkConfirmation: { identityChecked: true } },
        viewers.clerk,
      );
    expect((await attempt(poorer.passbookNumber)).userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_POINTS']);
    expect((await attempt(richer.passbookNumber)).redemption).toMatchObject({ status: 'CAPTURED', totalPoints: 300 });
    const asShop = await bed.points.execute(`mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { redemption { id } } }`, {
      variables: { input: { passbookNumber: richer.passbookNumber, merchant: exchange.id, items: [{ item: cooker.id, quantity: 1 }], idempotencyKey: key() } },
      viewer: viewers.yonghui,
    });
    expect(codeOf(asShop)).toBe('FORBIDDEN');
  });

  it('refuses unknown passbooks, items of other merchants and withdrawn items, naming the field', async () => {
    const customer = await customerWith(bed, 100);
    const withdrawn = await yonghuiItem(bed, 5, 10);
    await run(bed, `mutation { catalogItemUpdate(input: { item: "${withdrawn}", active: false }) { userErrors { code } } }`, viewers.yonghui);
    const unknownPassbook = '123456789015';
    const cases: [Record<string, unknown>, unknown][] = [
      [{ passbookNumber: unknownPassbook, items: [{ item: rice.id, quantity: 1 }] }, [{ field: ['input', 'passbookNumber'], code: 'NOT_FOUND', message: expect.any(String) }]],
      [{ items: [{ item: charity.items[0].id, quantity: 1 }] }, [{ field: ['input', 'items', '0', 'item'], code: 'NOT_FOUND', message: expect.any(String) }]],
      [{ items: [{ item: withdrawn, quantity: 1 }] }, [{ field: ['input', 'items', '0', 'item'], code: 'INVALID_STATE', message: expect.any(String) }]],
    ];
    for (const [override, expected] of cases) {
      const { userErrors } = await redemption(
        bed,
        'redemptionCreate',
        { passbookNumber: customer.passbookNumber, merchant: yonghui.id, idempotencyKey: key(), ...override },
        viewers.yonghui,
      );
      expect(userErrors).toEqual(expected);
    }
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(100);
  });

  it('refuses malformed input with INVALID (or REQUIRED) before anything is read', async () => {
    const customer = await customerWith(bed, 10);
    const wrongDigit = `${customer.passbookNumber.slice(0, 11)}${(Number(customer.passbookNumber[11]) + 1) % 10}`;
    const cases: [Record<string, unknown>, { field: string[]; code: string }[]][] = [
      [{ passbookNumber: wrongDigit }, [{ field: ['input', 'passbookNumber'], code: 'INVALID' }]],
      [{ merchant: 'yonghui' }, [{ field: ['input', 'merchant'], code: 'INVALID' }]],
      [{ items: [] }, [{ field: ['input', 'items'], code: 'REQUIRED' }]],
      [{ items: [{ item: rice.id, quantity: 0 }] }, [{ field: ['input', 'items', '0', 'quantity'], code: 'INVALID' }]],
      [
        {
          items: [
            { item: rice.id, quantity: 1 },
            { item: rice.id, quantity: 2 },
          ],
        },
        [{ field: ['input', 'items', '1', 'item'], code: 'INVALID' }],
      ],
      [{ idempotencyKey: 'short' }, [{ field: ['input', 'idempotencyKey'], code: 'INVALID' }]],
      [{ idempotencyKey: 'has a space in it' }, [{ field: ['input', 'idempotencyKey'], code: 'INVALID' }]],
    ];
    for (const [override, expected] of cases) {
      const { userErrors } = await redemption(
        bed,
        'redemptionCreate',
        { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: key(), ...override },
        viewers.yonghui,
      );
      expect(userErrors.map(({ field, code }) => ({ field, code }))).toEqual(expected);
    }
  });

  it('lets a merchant redeem only at its own till', async () => {
    const customer = await customerWith(bed, 100);
    const input = { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: key() };
    const mutation = `mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { redemption { id } } }`;
    // Another merchant's token, a merchant token naming none, and roles that never redeem: refused before anything is read.
    for (const viewer of [viewers.charity, viewerOf({ roles: ['merchant'] }), viewers.zhang, viewers.analyst]) {
      expect(codeOf(await bed.points.execute(mutation, { variables: { input }, viewer }))).toBe('FORBIDDEN');
    }
    // A clerk sees the (public) merchant but does not run its till: NOT_ALLOWED.
    expect(await redemption(bed, 'redemptionCreate', input, viewers.clerk)).toEqual({
      redemption: null,
      userErrors: [{ field: ['input', 'merchant'], code: 'NOT_ALLOWED', message: 'Only the merchant itself redeems at its till.' }],
    });
    expect(codeOf(await bed.points.execute(mutation, { variables: { input } }))).toBe('UNAUTHENTICATED');
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(100);
  });
});

describe('idempotency keys', () => {
  it('give the first result for the same key and input, without a second transfer', async () => {
    const customer = await customerWith(bed, 300);
    const input = { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: key() };
    const first = await redemption(bed, 'redemptionCreate', input, viewers.yonghui);
    // The same request with its items written differently (upper-case ids) means the same thing.
    const again = await redemption(bed, 'redemptionCreate', { ...input, items: [{ item: rice.id.toUpperCase(), quantity: 1 }] }, viewers.yonghui);
    expect(again).toEqual(first);
    expect(await transfersOfRedemption(first.redemption!.id)).toBe(1);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(200);
  });

  it('refuse the same key with a different input, or for a hold, with IDEMPOTENCY_CONFLICT', async () => {
    const customer = await customerWith(bed, 300);
    const input = { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: key() };
    await redemption(bed, 'redemptionCreate', input, viewers.yonghui);
    const changed = await redemption(bed, 'redemptionCreate', { ...input, items: [{ item: rice.id, quantity: 2 }] }, viewers.yonghui);
    expect(changed).toEqual({ redemption: null, userErrors: [{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_CONFLICT', message: expect.any(String) }] });
    const asHold = await redemption(bed, 'redemptionHold', input, viewers.yonghui);
    expect(asHold.userErrors.map((error) => error.code)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(200);
  });

  it('belong to one merchant: the same key at another merchant is another request', async () => {
    bed.clock.set(WINDOW_OPEN);
    const customer = await customerWith(bed, 300);
    const shared = key();
    const atYonghui = await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: shared },
      viewers.yonghui,
    );
    const atCharity = await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: customer.passbookNumber, merchant: charity.id, items: [{ item: charity.items[0].id, quantity: 1 }], idempotencyKey: shared },
      viewers.charity,
    );
    expect(atCharity.userErrors).toEqual([]);
    expect(atCharity.redemption!.id).not.toBe(atYonghui.redemption!.id);
  });

  it('are not spent by a refused request: a retry after a top-up succeeds', async () => {
    const customer = await customerWith(bed, 50);
    const input = { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: key() };
    expect((await redemption(bed, 'redemptionCreate', input, viewers.yonghui)).userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_POINTS']);
    await depositFor(bed, customer.personId, 150, 'home_repair');
    expect((await redemption(bed, 'redemptionCreate', input, viewers.yonghui)).redemption).toMatchObject({ status: 'CAPTURED' });
  });

  it('make 50 parallel replays of one request into one redemption and one transfer', async () => {
    const customer = await customerWith(bed, 300);
    const input = { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: key() };
    const results = await Promise.all(Array.from({ length: 50 }, () => redemption(bed, 'redemptionCreate', input, viewers.yonghui)));
    const ids = new Set(results.map((result) => result.redemption?.id));
    expect(results.every((result) => result.userErrors.length === 0)).toBe(true);
    expect(ids.size).toBe(1);
    expect(await transfersOfRedemption([...ids][0]!)).toBe(1);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(200);
  });

  it('are kept for their retention and then forgotten by the sweep', async () => {
    const customer = await customerWith(bed, 300);
    const recent = key();
    const old = key();
    bed.clock.set('2026-12-01T00:00:00.000Z');
    await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: old },
      viewers.yonghui,
    );
    await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item: rice.id, quantity: 1 }], idempotencyKey: recent },
      viewers.yonghui,
    );
    const db = bed.points.database.db;
    // Keys are stamped by the database clock; age one of them past the 72-hour default retention.
    await db
      .update(idempotencyKeys)
      .set({ createdAt: new Date(Date.now() - 73 * 3600 * 1000) })
      .where(eq(idempotencyKeys.key, old));
    await db
      .update(idempotencyKeys)
      .set({ createdAt: new Date(Date.now() - 23 * 3600 * 1000) })
      .where(eq(idempotencyKeys.key, recent));
    bed.clock.reset();
    const swept = await run<{ redemptionHoldsExpire: { purgedKeys: number } }>(bed, `mutation { redemptionHoldsExpire { purgedKeys expiredHolds } }`, viewers.admin);
    expect(swept.redemptionHoldsExpire.purgedKeys).toBeGreaterThanOrEqual(1);
    const left = await db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(eq(idempotencyKeys.merchantId, yonghui.id));
    expect(left.map((row) => row.key)).toContain(recent);
    expect(left.map((row) => row.key)).not.toContain(old);
  });
});

describe('holds', () => {
  const holdInput = (passbookNumber: string, item: string, quantity = 1) => ({ passbookNumber, merchant: yonghui.id, items: [{ item, quantity }], idempotencyKey: key() });

  it('reserve points and stock until captured; the capture pays the merchant once', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 30, 5);
    bed.clock.set('2026-12-09T04:00:00.000Z');
    const { redemption: hold } = await redemption(bed, 'redemptionHold', holdInput(customer.passbookNumber, item, 2), viewers.yonghui);
    expect(hold).toMatchObject({ status: 'HELD', totalPoints: 60, heldUntil: new Date('2026-12-09T04:10:00.000Z') });
    expect(await pointsOf(bed, customer.accountId)).toEqual({ balance: 100, heldPoints: 60, availablePoints: 40 });
    expect(await stockOf(bed, item)).toBe(3);
    // Held points cannot be spent twice.
    const meanwhile = await redemption(bed, 'redemptionCreate', holdInput(customer.passbookNumber, item, 2), viewers.yonghui);
    expect(meanwhile.userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_POINTS']);

    bed.clock.advance(5 * 60_000);
    const captured = await redemption(bed, 'redemptionCapture', { redemption: hold!.id }, viewers.yonghui);
    expect(captured.redemption).toMatchObject({ status: 'CAPTURED', totalPoints: 60 });
    expect(await pointsOf(bed, customer.accountId)).toEqual({ balance: 40, heldPoints: 0, availablePoints: 40 });
    expect(await stockOf(bed, item)).toBe(3);
    const again = await redemption(bed, 'redemptionCapture', { redemption: hold!.id }, viewers.yonghui);
    expect(again).toEqual(captured);
    expect(await transfersOfRedemption(hold!.id)).toBe(1);
    const voidAfter = await redemption(bed, 'redemptionVoid', { redemption: hold!.id }, viewers.yonghui);
    expect(voidAfter.userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
  });

  it('release points and stock when voided, once', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 30, 5);
    const { redemption: hold } = await redemption(bed, 'redemptionHold', holdInput(customer.passbookNumber, item, 3), viewers.yonghui);
    const voided = await redemption(bed, 'redemptionVoid', { redemption: hold!.id }, viewers.yonghui);
    expect(voided.redemption).toMatchObject({ status: 'VOIDED' });
    expect(await pointsOf(bed, customer.accountId)).toEqual({ balance: 100, heldPoints: 0, availablePoints: 100 });
    expect(await stockOf(bed, item)).toBe(5);
    expect(await redemption(bed, 'redemptionVoid', { redemption: hold!.id }, viewers.yonghui)).toEqual(voided);
    expect((await redemption(bed, 'redemptionCapture', { redemption: hold!.id }, viewers.yonghui)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    expect(await stockOf(bed, item)).toBe(5);
  });

  it('lapse after the configured time: read as expired at once, released when touched', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 40, 5);
    bed.clock.set('2026-12-09T04:00:00.000Z');
    const { redemption: hold } = await redemption(bed, 'redemptionHold', holdInput(customer.passbookNumber, item, 2), viewers.yonghui);
    bed.clock.advance(600_000);
    const seen = await run<{ redemption: { status: string } }>(bed, `query ($id: ID!) { redemption(id: $id) { status } }`, viewers.yonghui, { id: hold!.id });
    expect(seen.redemption.status).toBe('EXPIRED');
    // Not released yet: nobody has touched it.
    expect((await pointsOf(bed, customer.accountId)).heldPoints).toBe(80);
    const late = await redemption(bed, 'redemptionCapture', { redemption: hold!.id }, viewers.yonghui);
    // Refused, with the hold as it now stands: lapsed.
    expect(late).toEqual({
      redemption: { ...hold, status: 'EXPIRED' },
      userErrors: [{ field: ['input', 'redemption'], code: 'HOLD_EXPIRED', message: expect.any(String) }],
    });
    expect(await pointsOf(bed, customer.accountId)).toEqual({ balance: 100, heldPoints: 0, availablePoints: 100 });
    expect(await stockOf(bed, item)).toBe(5);
    expect((await redemption(bed, 'redemptionVoid', { redemption: hold!.id }, viewers.yonghui)).userErrors.map((error) => error.code)).toEqual(['HOLD_EXPIRED']);
  });

  it('that lapsed are released before a redemption would fall short', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 50, 5);
    bed.clock.set('2026-12-09T04:00:00.000Z');
    await redemption(bed, 'redemptionHold', holdInput(customer.passbookNumber, item, 2), viewers.yonghui);
    bed.clock.advance(601_000);
    const after = await redemption(bed, 'redemptionCreate', holdInput(customer.passbookNumber, item, 1), viewers.yonghui);
    expect(after.redemption).toMatchObject({ status: 'CAPTURED', totalPoints: 50 });
    expect(await pointsOf(bed, customer.accountId)).toEqual({ balance: 50, heldPoints: 0, availablePoints: 50 });
    expect(await stockOf(bed, item)).toBe(4);
  });

  it('that lapsed are all released by the sweep, which only platform admins run', async () => {
    const customers = await Promise.all([customerWith(bed, 60), customerWith(bed, 60), customerWith(bed, 60)]);
    const item = await yonghuiItem(bed, 20, 10);
    bed.clock.set('2026-12-09T04:00:00.000Z');
    for (const customer of customers) await redemption(bed, 'redemptionHold', holdInput(customer.passbookNumber, item, 2), viewers.yonghui);
    expect(await stockOf(bed, item)).toBe(4);
    expect(codeOf(await bed.points.execute(`mutation { redemptionHoldsExpire { expiredHolds } }`, { viewer: viewers.yonghui }))).toBe('FORBIDDEN');
    bed.clock.advance(600_000);
    const swept = await run<{ redemptionHoldsExpire: { expiredHolds: number } }>(bed, `mutation { redemptionHoldsExpire { expiredHolds } }`, viewers.admin);
    expect(swept.redemptionHoldsExpire.expiredHolds).toBeGreaterThanOrEqual(3);
    expect(await stockOf(bed, item)).toBe(10);
    for (const customer of customers) expect((await pointsOf(bed, customer.accountId)).heldPoints).toBe(0);
  });

  it('that lapsed are released by the scheduled hold-expiry job, with nobody touching them', async () => {
    const customer = await customerWith(bed, 60);
    const item = await yonghuiItem(bed, 20, 10);
    bed.clock.set('2026-12-09T04:00:00.000Z');
    await redemption(bed, 'redemptionHold', holdInput(customer.passbookNumber, item, 2), viewers.yonghui);
    const logger = createLogger('points', 'silent');
    const settings = { ...readPointsSettings({}), now: bed.clock.now };
    const jobs = pointsJobs({ db: bed.points.database.db, settings, logger });
    expect(jobs.map((job) => [job.name, job.schedule])).toEqual([
      ['hold-expiry', '* * * * *'],
      ['hold-expiring-notice', '* * * * *'],
      ['webhook-delivery', '*/15 * * * * *'],
      ['idempotency-key-purge', '30 3 * * *'],
      ['payment-code-purge', '15 * * * *'],
      ['settlement-close', '0 2 2 * *'],
    ]);
    const timers = manualTimers();
    const scheduler = startScheduler(bed.points.database.db, jobs, { schema: 'points', logger, now: bed.clock.now, timers });
    try {
      // Registered at 04:00, a minute's tick ahead.
      await waitFor('the scheduler starts', async () => timers.pending().length > 0);
      timers.fire();
      await waitFor('the scheduler sleeps', async () => timers.pending().length > 0);
      expect((await pointsOf(bed, customer.accountId)).heldPoints).toBe(40);
      // Ten minutes on (the hold's lifetime), at a minute's tick: the job releases the hold.
      bed.clock.advance(600_000);
      timers.fire();
      await waitFor('the hold is released', async () => (await pointsOf(bed, customer.accountId)).heldPoints === 0);
    } finally {
      await scheduler.stop();
    }
    expect(await pointsOf(bed, customer.accountId)).toEqual({ balance: 60, heldPoints: 0, availablePoints: 60 });
    expect(await stockOf(bed, item)).toBe(10);
  });
});

describe('under concurrency', () => {
  it('lets exactly 100 of 200 parallel one-point redemptions through an account holding 100 points', async () => {
    const customer = await customerWith(bed, 100);
    const item = await yonghuiItem(bed, 1, 1000);
    const shopBefore = (await pointsOf(bed, yonghui.accountId)).balance;
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        redemption(
          bed,
          'redemptionCreate',
          { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: key() },
          viewers.yonghui,
        ),
      ),
    );
    const succeeded = results.filter((result) => result.redemption !== null);
    const refusals = results.flatMap((result) => result.userErrors.map((error) => error.code));
    expect(succeeded).toHaveLength(100);
    expect(refusals).toEqual(Array.from({ length: 100 }, () => 'INSUFFICIENT_POINTS'));
    expect(await pointsOf(bed, customer.accountId)).toEqual({ balance: 0, heldPoints: 0, availablePoints: 0 });
    expect((await pointsOf(bed, yonghui.accountId)).balance).toBe(shopBefore + 100);
    expect(await stockOf(bed, item)).toBe(900);
  });

  it('never sells more than the stock when parallel customers want the last units', async () => {
    const item = await yonghuiItem(bed, 1, 7);
    const customers = await Promise.all(Array.from({ length: 12 }, () => customerWith(bed, 5)));
    const results = await Promise.all(
      customers.map((customer) =>
        redemption(
          bed,
          'redemptionCreate',
          { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: key() },
          viewers.yonghui,
        ),
      ),
    );
    expect(results.filter((result) => result.redemption !== null)).toHaveLength(7);
    expect(results.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(Array.from({ length: 5 }, () => 'OUT_OF_STOCK'));
    expect(await stockOf(bed, item)).toBe(0);
  });

  it('resolves a hold once when capture, void and the expiry sweep race for it', async () => {
    const item = await yonghuiItem(bed, 10, 1000);
    for (let round = 0; round < 15; round += 1) {
      const customer = await customerWith(bed, 10);
      const { redemption: hold } = await redemption(
        bed,
        'redemptionHold',
        { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: key() },
        viewers.yonghui,
      );
      // Each contender starts after a small random head start, so the rounds see different interleavings.
      const jitter = <T>(work: () => Promise<T>) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 8)).then(work);
      const [capture, voided, swept] = await Promise.all([
        jitter(() => redemption(bed, 'redemptionCapture', { redemption: hold!.id }, viewers.yonghui)),
        jitter(() => redemption(bed, 'redemptionVoid', { redemption: hold!.id }, viewers.yonghui)),
        // The sweep runs as if the hold had lapsed; capture and void run before its expiry.
        jitter(() => expireHolds(bed.points.database.db, { now: new Date(Date.now() + 3_600_000), accountId: customer.accountId })),
      ]);
      const winners = [capture.userErrors.length === 0, voided.userErrors.length === 0 && voided.redemption?.status === 'VOIDED', swept === 1];
      expect(winners.filter(Boolean)).toHaveLength(1);
      const state = await run<{ redemption: { status: string } }>(bed, `query ($id: ID!) { redemption(id: $id) { status } }`, viewers.admin, { id: hold!.id });
      const outcome = state.redemption.status;
      const after = await pointsOf(bed, customer.accountId);
      expect(after).toEqual(outcome === 'CAPTURED' ? { balance: 0, heldPoints: 0, availablePoints: 0 } : { balance: 10, heldPoints: 0, availablePoints: 10 });
      expect(await transfersOfRedemption(hold!.id)).toBe(outcome === 'CAPTURED' ? 1 : 0);
      if (outcome === 'CAPTURED') expect(voided.userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
      if (outcome === 'VOIDED') expect(capture.userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
      if (outcome === 'EXPIRED') {
        expect(capture.userErrors.map((error) => error.code)).toEqual(['HOLD_EXPIRED']);
        expect(voided.userErrors.map((error) => error.code)).toEqual(['HOLD_EXPIRED']);
      }
    }
  });
});

describe('what a merchant sees of a customer', () => {
  it('is a member id: the same at one merchant, different at another, never the person or passbook', async () => {
    bed.clock.set(WINDOW_OPEN);
    const customer = await customerWith(bed, 300);
    const at = async (merchant: string, item: string, viewer: typeof viewers.yonghui) =>
      (await redemption(bed, 'redemptionCreate', { passbookNumber: customer.passbookNumber, merchant, items: [{ item, quantity: 1 }], idempotencyKey: key() }, viewer)).redemption!;
    const first = await at(yonghui.id, rice.id, viewers.yonghui);
    const second = await at(yonghui.id, rice.id, viewers.yonghui);
    const elsewhere = await at(charity.id, charity.items[1].id, viewers.charity);
    expect(first.memberId).toBe(second.memberId);
    expect(first.memberId).not.toBe(elsewhere.memberId);
    expect(first.memberId).toMatch(/^M[0-9A-F]{20}$/);
    for (const secret of [customer.personId, customer.accountId, customer.passbookNumber]) expect(first.memberId).not.toContain(secret.toUpperCase().slice(0, 8));

    const asShop = await bed.points.execute(`query ($id: ID!) { redemption(id: $id) { memberId account { passbookNumber } } }`, {
      variables: { id: first.id },
      viewer: viewers.yonghui,
    });
    expect(asShop.data).toEqual({ redemption: { memberId: first.memberId, account: null } });
    expect(codeOf(asShop)).toBe('FORBIDDEN');
    const asOtherShop = await bed.points.execute(`query ($id: ID!) { redemption(id: $id) { id } }`, { variables: { id: first.id }, viewer: viewers.charity });
    expect(codeOf(asOtherShop)).toBe('FORBIDDEN');
    const asCustomer = await run<{ redemption: { account: { id: string } } }>(
      bed,
      `query ($id: ID!) { redemption(id: $id) { account { id } } }`,
      viewerOf({ roles: ['volunteer'], personId: customer.personId }),
      {
        id: first.id,
      },
    );
    expect(asCustomer.redemption.account.id).toBe(customer.accountId);
  });
});

describe('settlement', () => {
  it('totals what a merchant captured in whole Beijing days, and lists it for reconciliation, page by page', async () => {
    const customer = await customerWith(bed, 1000);
    const item = await yonghuiItem(bed, 7, 100);
    const make = async (at: string, quantity: number, mode: 'redemptionCreate' | 'redemptionHold' = 'redemptionCreate') => {
      bed.clock.set(at);
      return (await redemption(bed, mode, { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity }], idempotencyKey: key() }, viewers.yonghui))
        .redemption!;
    };
    // 1 March 2027, 00:00 Beijing is 28 February 16:00 UTC: the first belongs to February.
    await make('2027-02-28T15:59:59.000Z', 1);
    const inPeriod = [await make('2027-02-28T16:00:00.000Z', 2), await make('2027-03-15T04:00:00.000Z', 3), await make('2027-03-31T15:59:59.000Z', 4)];
    await make('2027-03-31T16:00:00.000Z', 5);
    const voided = await make('2027-03-10T04:00:00.000Z', 6, 'redemptionHold');
    await redemption(bed, 'redemptionVoid', { redemption: voided.id }, viewers.yonghui);
    const held = await make('2027-03-11T04:00:00.000Z', 1, 'redemptionHold');
    bed.clock.set('2027-03-11T04:05:00.000Z');
    await redemption(bed, 'redemptionCapture', { redemption: held.id }, viewers.yonghui);
    bed.clock.reset();

    type Page = { edges: { cursor: string; node: { id: string; totalPoints: number } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    const query = `query ($id: ID!, $after: String) { merchant(id: $id) { settlement(period: { from: "2027-03-01", to: "2027-03-31" }) {
      from to redemptionCount itemCount points redemptions(first: 2, after: $after) { edges { cursor node { id totalPoints } } pageInfo { hasNextPage endCursor } } } } }`;
    const listed: string[] = [];
    let after: string | null = null;
    let totals: { redemptionCount: number; itemCount: number; points: number } | null = null;
    for (let page = 0; page < 5; page += 1) {
      const data: { merchant: { settlement: { redemptionCount: number; itemCount: number; points: number; redemptions: Page } } } = await run(bed, query, viewers.yonghui, {
        id: yonghui.id,
        after,
      });
      totals = data.merchant.settlement;
      listed.push(...data.merchant.settlement.redemptions.edges.map((edge) => edge.node.id));
      if (!data.merchant.settlement.redemptions.pageInfo.hasNextPage) break;
      after = data.merchant.settlement.redemptions.pageInfo.endCursor;
    }
    // Other tests redeem at Yonghui too, but in 2026 or today: March 2027 holds only these.
    expect(listed).toEqual([inPeriod[0]!.id, held.id, inPeriod[1]!.id, inPeriod[2]!.id]);
    expect(totals).toMatchObject({ redemptionCount: 4, itemCount: 2 + 1 + 3 + 4, points: 7 * (2 + 1 + 3 + 4) });
  });

  it('is the merchant’s own business and its bank’s', async () => {
    const query = `query ($id: ID!) { merchant(id: $id) { settlement(period: { from: "2027-03-01", to: "2027-03-31" }) { points } } }`;
    for (const viewer of [viewers.charity, viewers.wang, viewers.analyst]) {
      expect(codeOf(await bed.points.execute(query, { variables: { id: yonghui.id }, viewer }))).toBe('FORBIDDEN');
    }
    for (const viewer of [viewers.yonghui, viewers.clerk, viewers.admin]) {
      expect((await bed.points.execute(query, { variables: { id: yonghui.id }, viewer })).errors).toBeUndefined();
    }
    const backwards = await bed.points.execute(`query ($id: ID!) { merchant(id: $id) { settlement(period: { from: "2027-03-31", to: "2027-03-01" }) { points } } }`, {
      variables: { id: yonghui.id },
      viewer: viewers.yonghui,
    });
    expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
    expect(DEMO_BANK.head.redemptionWindow).toBe('first_weekend_of_month');
  });
});
