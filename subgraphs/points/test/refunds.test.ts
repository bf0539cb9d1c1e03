/** Refunds of captured redemptions on real Postgres: points and stock back, never more than was taken, idempotent, raced, settled and announced. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { count, eq, sql } from 'drizzle-orm';
import { newId, rowsOf, type Viewer } from '@lianxin/shared';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK } from '../src/db/demo.js';
import { refunds, transfers } from '../src/db/schema.js';
import { transfer } from '../src/ledger/store.js';
import {
  acceptPassbookNumbers,
  codeOf,
  customerWith,
  expectBooksToBalance,
  pointsOf,
  redemption,
  run,
  startPoints,
  stockOf,
  viewers,
  type PointsTestBed,
  type UserErrorShape,
} from './support.js';

let bed: PointsTestBed;

beforeAll(async () => {
  bed = await startPoints();
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

const key = () => `refund-${newId()}`;

interface Shop {
  id: string;
  accountId: string;
  viewer: Viewer;
  /** Items by name: 大米 (10 points, returnable), 鲜奶 (3 points, not returnable). */
  rice: string;
  milk: string;
}

/** A merchant of its own (always open), so that totals and lists are this test's alone. */
async function newShop(): Promise<Shop> {
  const created = await run<{ merchantCreate: { merchant: { id: string; account: { id: string } } } }>(
    bed,
    `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id account { id } } userErrors { field code message } } }`,
    viewers.admin,
    { input: { bank: DEMO_BANK.head.id, organization: newId(), name: `refund shop ${newId()}`, alwaysOpen: true } },
  );
  const merchant = created.merchantCreate.merchant;
  // Its customers here key in passbook numbers: the refund, not the payment code, is what these tests are about.
  await acceptPassbookNumbers(bed, merchant.id);
  const viewer = viewerOf({ roles: ['merchant'], merchantId: merchant.id });
  const item = async (name: string, pricePoints: number, returnable: boolean | undefined) => {
    const data = await run<{ catalogItemCreate: { catalogItem: { id: string; returnable: boolean } } }>(
      bed,
      `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id returnable } userErrors { field code message } } }`,
      viewer,
      { input: { merchant: merchant.id, name, pricePoints, stock: 100, ...(returnable === undefined ? {} : { returnable }) } },
    );
    expect(data.catalogItemCreate.catalogItem.returnable).toBe(returnable ?? true);
    return data.catalogItemCreate.catalogItem.id;
  };
  return { id: merchant.id, accountId: merchant.account.id, viewer, rice: await item('大米', 10, undefined), milk: await item('鲜奶', 3, false) };
}

/** A one-step redemption of `lines` at `shop` by a new customer with `points`. */
async function redeemed(shop: Shop, lines: { item: string; quantity: number }[], points = 1000) {
  const customer = await customerWith(bed, points);
  const made = await redemption(bed, 'redemptionCreate', { passbookNumber: customer.passbookNumber, merchant: shop.id, items: lines, idempotencyKey: key() }, shop.viewer);
  expect(made.userErrors).toEqual([]);
  return { customer, redemptionId: made.redemption!.id };
}

interface RefundShape {
  id: string;
  points: number;
  itemCount: number;
  reason: string | null;
  lines: { item: { id: string }; quantity: number; unitPoints: number; points: number }[];
  transfer: { id: string; cause: string; amount: number; reference: string } | null;
}

const REFUND = `mutation ($input: RedemptionRefundInput!) { redemptionRefund(input: $input) {
  refund { id points itemCount reason lines { item { id } quantity unitPoints points } transfer { id cause amount reference } }
  userErrors { field code message } } }`;

async function refundOf(input: Record<string, unknown>, viewer: Viewer): Promise<{ refund: RefundShape | null; userErrors: UserErrorShape[] }> {
  const data = await run<{ redemptionRefund: { refund: RefundShape | null; userErrors: UserErrorShape[] } }>(bed, REFUND, viewer, { input });
  return data.redemptionRefund;
}

const errorsOf = (result: { userErrors: UserErrorShape[] }) => result.userErrors.map(({ field, code }) => ({ field, code }));

async function refundRows(redemptionId: string): Promise<number> {
  const [row] = await bed.points.database.db.select({ n: count() }).from(refunds).where(eq(refunds.redemptionId, redemptionId));
  return row?.n ?? 0;
}

describe('redemptionRefund', () => {
  it('gives back part of a redemption: points from the merchant to the customer, returnable stock back, the redemption still captured', async () => {
    const shop = await newShop();
    const { customer, redemptionId } = await redeemed(shop, [
      { item: shop.rice, quantity: 3 },
      { item: shop.milk, quantity: 2 },
    ]);
    const [riceStock, milkStock] = [await stockOf(bed, shop.rice), await stockOf(bed, shop.milk)];
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(1000 - 36);

    const { refund, userErrors } = await refundOf(
      {
        redemption: redemptionId,
        lines: [
          { item: shop.rice, quantity: 2 },
          { item: shop.milk, quantity: 1 },
        ],
        reason: ' 包装破损 ',
        idempotencyKey: key(),
      },
      shop.viewer,
    );
    expect(userErrors).toEqual([]);
    expect(refund).toMatchObject({ points: 23, itemCount: 3, reason: '包装破损' });
    expect(refund!.lines).toEqual(
      expect.arrayContaining([
        { item: { id: shop.rice }, quantity: 2, unitPoints: 10, points: 20 },
        { item: { id: shop.milk }, quantity: 1, unitPoints: 3, points: 3 },
      ]),
    );
    expect(refund!.transfer).toMatchObject({ cause: 'REFUND', amount: 23, reference: refund!.id });
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(1000 - 36 + 23);
    expect((await pointsOf(bed, shop.accountId)).balance).toBe(36 - 23);
    // Rice goes back on the shelf; milk does not.
    expect(await stockOf(bed, shop.rice)).toBe(riceStock + 2);
    expect(await stockOf(bed, shop.milk)).toBe(milkStock);

    const seen = await run<{
      redemption: { status: string; refundedPoints: number; refunds: { id: string }[]; lines: { item: { id: string }; quantity: number; refundedQuantity: number }[] };
    }>(bed, `query ($id: ID!) { redemption(id: $id) { status refundedPoints refunds { id } lines { item { id } quantity refundedQuantity } } }`, shop.viewer, {
      id: redemptionId,
    });
    expect(seen.redemption).toMatchObject({ status: 'CAPTURED', refundedPoints: 23, refunds: [{ id: refund!.id }] });
    expect(seen.redemption.lines).toEqual(
      expect.arrayContaining([
        { item: { id: shop.rice }, quantity: 3, refundedQuantity: 2 },
        { item: { id: shop.milk }, quantity: 2, refundedQuantity: 1 },
      ]),
    );
    // The customer's passbook shows the points coming back.
    const passbook = await run<{ account: { transfers: { edges: { node: { cause: string; amount: number; reference: string } }[] } } }>(
      bed,
      `query ($id: ID!) { account(id: $id) { transfers(first: 1) { edges { node { cause amount reference } } } } }`,
      viewerOf({ roles: ['volunteer'], personId: customer.personId }),
      { id: customer.accountId },
    );
    expect(passbook.account.transfers.edges[0]!.node).toEqual({ cause: 'REFUND', amount: 23, reference: refund!.id });
  });

  it('gives back everything left when no lines are named, then refuses a further refund with REFUND_EXCEEDS', async () => {
    const shop = await newShop();
    const { redemptionId } = await redeemed(shop, [
      { item: shop.rice, quantity: 3 },
      { item: shop.milk, quantity: 2 },
    ]);
    await refundOf({ redemption: redemptionId, lines: [{ item: shop.rice, quantity: 1 }], idempotencyKey: key() }, shop.viewer);
    const rest = await refundOf({ redemption: redemptionId, idempotencyKey: key() }, shop.viewer);
    expect(rest.userErrors).toEqual([]);
    expect(rest.refund).toMatchObject({ points: 26, itemCount: 4 });
    expect((await pointsOf(bed, shop.accountId)).balance).toBe(0);

    expect(errorsOf(await refundOf({ redemption: redemptionId, idempotencyKey: key() }, shop.viewer))).toEqual([{ field: ['input', 'redemption'], code: 'REFUND_EXCEEDS' }]);
    expect(errorsOf(await refundOf({ redemption: redemptionId, lines: [{ item: shop.milk, quantity: 1 }], idempotencyKey: key() }, shop.viewer))).toEqual([
      { field: ['input', 'lines', '0', 'quantity'], code: 'REFUND_EXCEEDS' },
    ]);
    expect(await refundRows(redemptionId)).toBe(2);
  });

  it('refuses lines the redemption does not have, more than it took, and malformed input, and writes nothing', async () => {
    const shop = await newShop();
    const { customer, redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 2 }]);
    const cases: [Record<string, unknown>, { field: string[]; code: string }[]][] = [
      [{ lines: [{ item: shop.milk, quantity: 1 }] }, [{ field: ['input', 'lines', '0', 'item'], code: 'NOT_FOUND' }]],
      [{ lines: [{ item: shop.rice, quantity: 3 }] }, [{ field: ['input', 'lines', '0', 'quantity'], code: 'REFUND_EXCEEDS' }]],
      [{ lines: [{ item: shop.rice, quantity: 0 }] }, [{ field: ['input', 'lines', '0', 'quantity'], code: 'INVALID' }]],
      [
        {
          lines: [
            { item: shop.rice, quantity: 1 },
            { item: shop.rice, quantity: 1 },
          ],
        },
        [{ field: ['input', 'lines', '1', 'item'], code: 'INVALID' }],
      ],
      [{ lines: [] }, [{ field: ['input', 'lines'], code: 'INVALID' }]],
      [{ reason: '   ' }, [{ field: ['input', 'reason'], code: 'REQUIRED' }]],
      [{ reason: '坏'.repeat(201) }, [{ field: ['input', 'reason'], code: 'INVALID' }]],
      [{ idempotencyKey: 'short' }, [{ field: ['input', 'idempotencyKey'], code: 'INVALID' }]],
      [{ redemption: 'not-an-id' }, [{ field: ['input', 'redemption'], code: 'INVALID' }]],
    ];
    for (const [override, expected] of cases) {
      expect(errorsOf(await refundOf({ redemption: redemptionId, idempotencyKey: key(), ...override }, shop.viewer))).toEqual(expected);
    }
    expect(await refundRows(redemptionId)).toBe(0);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(980);
  });

  it('is the merchant’s own: another merchant and an unknown id are FORBIDDEN alike, a clerk NOT_ALLOWED', async () => {
    const shop = await newShop();
    const { customer, redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 1 }]);
    const mutation = `mutation ($input: RedemptionRefundInput!) { redemptionRefund(input: $input) { refund { id } } }`;
    const forbidden = async (redemption: string, viewer: Viewer) => {
      const result = await bed.points.execute(mutation, { variables: { input: { redemption, idempotencyKey: key() } }, viewer });
      return { code: codeOf(result), message: result.errors?.[0]?.message };
    };
    const asOther = await forbidden(redemptionId, viewers.yonghui);
    expect(asOther.code).toBe('FORBIDDEN');
    // The same words as for an id that names nothing, and as capture and void give.
    expect(await forbidden(newId(), viewers.yonghui)).toEqual(asOther);
    expect(
      (
        await bed.points.execute(`mutation ($input: RedemptionResolveInput!) { redemptionCapture(input: $input) { redemption { id } } }`, {
          variables: { input: { redemption: redemptionId } },
          viewer: viewers.yonghui,
        })
      ).errors?.[0]?.message,
    ).toBe(asOther.message);
    for (const viewer of [viewerOf({ roles: ['volunteer'], personId: customer.personId }), viewers.analyst]) expect((await forbidden(redemptionId, viewer)).code).toBe('FORBIDDEN');
    expect(codeOf(await bed.points.execute(mutation, { variables: { input: { redemption: redemptionId, idempotencyKey: key() } } }))).toBe('UNAUTHENTICATED');
    expect(errorsOf(await refundOf({ redemption: redemptionId, idempotencyKey: key() }, viewers.clerk))).toEqual([{ field: ['input', 'redemption'], code: 'NOT_ALLOWED' }]);
    expect(errorsOf(await refundOf({ redemption: newId(), idempotencyKey: key() }, viewers.admin))).toEqual([{ field: ['input', 'redemption'], code: 'NOT_FOUND' }]);
    expect(await refundRows(redemptionId)).toBe(0);
    // A platform admin may act for any merchant.
    expect((await refundOf({ redemption: redemptionId, idempotencyKey: key() }, viewers.admin)).userErrors).toEqual([]);
  });

  it('refunds only captured redemptions: a hold, voided or captured later, is INVALID_STATE until captured', async () => {
    const shop = await newShop();
    const customer = await customerWith(bed, 100);
    const hold = async () =>
      (
        await redemption(
          bed,
          'redemptionHold',
          { passbookNumber: customer.passbookNumber, merchant: shop.id, items: [{ item: shop.rice, quantity: 1 }], idempotencyKey: key() },
          shop.viewer,
        )
      ).redemption!.id;
    const [held, voided] = [await hold(), await hold()];
    await redemption(bed, 'redemptionVoid', { redemption: voided }, shop.viewer);
    for (const id of [held, voided]) {
      expect(errorsOf(await refundOf({ redemption: id, idempotencyKey: key() }, shop.viewer))).toEqual([{ field: ['input', 'redemption'], code: 'INVALID_STATE' }]);
    }
    await redemption(bed, 'redemptionCapture', { redemption: held }, shop.viewer);
    expect((await refundOf({ redemption: held, idempotencyKey: key() }, shop.viewer)).refund).toMatchObject({ points: 10 });
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(100);
  });

  it('refunds within the refund period after the capture, and refuses later with REFUND_PERIOD_OVER', async () => {
    const shop = await newShop();
    bed.clock.set('2027-05-01T04:00:00.000Z');
    const { redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 2 }]);
    bed.clock.set('2027-05-31T04:00:00.000Z');
    expect((await refundOf({ redemption: redemptionId, lines: [{ item: shop.rice, quantity: 1 }], idempotencyKey: key() }, shop.viewer)).userErrors).toEqual([]);
    bed.clock.set('2027-05-31T04:00:00.001Z');
    expect(errorsOf(await refundOf({ redemption: redemptionId, idempotencyKey: key() }, shop.viewer))).toEqual([{ field: ['input', 'redemption'], code: 'REFUND_PERIOD_OVER' }]);
  });

  it('refuses a refund the merchant’s account cannot pay with INSUFFICIENT_POINTS', async () => {
    const shop = await newShop();
    const { customer, redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 2 }]);
    // The merchant's points left by some other way (here a gift straight through the ledger).
    await bed.points.database.db.transaction((tx) => transfer(tx, { debit: shop.accountId, credit: customer.accountId, amount: 5, cause: 'opening', createdBy: 'test' }));
    expect(errorsOf(await refundOf({ redemption: redemptionId, idempotencyKey: key() }, shop.viewer))).toEqual([{ field: ['input', 'redemption'], code: 'INSUFFICIENT_POINTS' }]);
    expect((await refundOf({ redemption: redemptionId, lines: [{ item: shop.rice, quantity: 1 }], idempotencyKey: key() }, shop.viewer)).refund).toMatchObject({ points: 10 });
    expect((await pointsOf(bed, shop.accountId)).balance).toBe(20 - 5 - 10);
  });

  it('is idempotent by key: the same request gives the first refund, a different one IDEMPOTENCY_CONFLICT', async () => {
    const shop = await newShop();
    const { customer, redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 3 }]);
    const input = { redemption: redemptionId, lines: [{ item: shop.rice, quantity: 1 }], idempotencyKey: key() };
    const first = await refundOf(input, shop.viewer);
    const again = await refundOf(input, shop.viewer);
    expect(again).toEqual(first);
    expect(errorsOf(await refundOf({ ...input, lines: [{ item: shop.rice, quantity: 2 }] }, shop.viewer))).toEqual([
      { field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_CONFLICT' },
    ]);
    expect(errorsOf(await refundOf({ ...input, reason: '另一个理由' }, shop.viewer))).toEqual([{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_CONFLICT' }]);
    // A key a redemption used is taken too.
    const redemptionKey = key();
    await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: customer.passbookNumber, merchant: shop.id, items: [{ item: shop.rice, quantity: 1 }], idempotencyKey: redemptionKey },
      shop.viewer,
    );
    expect(errorsOf(await refundOf({ redemption: redemptionId, idempotencyKey: redemptionKey }, shop.viewer))).toEqual([
      { field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_CONFLICT' },
    ]);
    expect(await refundRows(redemptionId)).toBe(1);
    const [moved] = await bed.points.database.db.select({ n: count() }).from(transfers).where(eq(transfers.reference, first.refund!.id));
    expect(moved?.n).toBe(1);
  });

  it('gives a line back once when two refunds of it race: one succeeds, the other REFUND_EXCEEDS', async () => {
    const shop = await newShop();
    for (let round = 0; round < 3; round += 1) {
      const { customer, redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 2 }]);
      const results = await Promise.all([0, 1].map(() => refundOf({ redemption: redemptionId, lines: [{ item: shop.rice, quantity: 2 }], idempotencyKey: key() }, shop.viewer)));
      expect(results.map((result) => (result.refund ? 'refunded' : result.userErrors[0]?.code)).sort()).toEqual(['REFUND_EXCEEDS', 'refunded']);
      expect(await refundRows(redemptionId)).toBe(1);
      expect((await pointsOf(bed, customer.accountId)).balance).toBe(1000);
    }
    // Parallel replays of one key give one refund.
    const { redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 2 }]);
    const input = { redemption: redemptionId, lines: [{ item: shop.rice, quantity: 1 }], idempotencyKey: key() };
    const replays = await Promise.all(Array.from({ length: 5 }, () => refundOf(input, shop.viewer)));
    expect(new Set(replays.map((result) => result.refund?.id)).size).toBe(1);
    expect(await refundRows(redemptionId)).toBe(1);
  });

  it('announces redemption.refunded in the refund’s transaction, with no personal data, and nothing for a replay or a refusal', async () => {
    const shop = await newShop();
    const { customer, redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 3 }]);
    const input = { redemption: redemptionId, lines: [{ item: shop.rice, quantity: 2 }], idempotencyKey: key() };
    const { refund } = await refundOf(input, shop.viewer);
    await refundOf(input, shop.viewer);
    await refundOf({ redemption: redemptionId, lines: [{ item: shop.rice, quantity: 2 }], idempotencyKey: key() }, shop.viewer);
    const published = await rowsOf<{ type: string; aggregate_type: string; sequence: number; payload: Record<string, unknown> }>(
      bed.points.database.db,
      sql`select type, aggregate_type, sequence::int as sequence, payload from points.outbox where aggregate_id = ${redemptionId} order by sequence`,
    );
    expect(published.map((event) => event.type)).toEqual(['redemption.made', 'redemption.refunded']);
    const refunded = published[1]!;
    expect(refunded).toMatchObject({ aggregate_type: 'redemption', sequence: 2 });
    expect(refunded.payload).toEqual({
      refundId: refund!.id,
      redemptionId,
      accountId: customer.accountId,
      holderId: customer.personId,
      officeId: DEMO_BANK.xingleOffice.id,
      bankId: DEMO_BANK.head.id,
      merchantId: shop.id,
      points: 20,
      items: 2,
      refundedAt: expect.any(String),
    });
    expect(JSON.stringify(refunded.payload)).not.toContain(customer.passbookNumber);
  });
});

describe('transferReverse', () => {
  it('does not reverse a refund’s transfer: the refund is settled with its merchant', async () => {
    const shop = await newShop();
    const { redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 1 }]);
    const { refund } = await refundOf({ redemption: redemptionId, idempotencyKey: key() }, shop.viewer);
    const data = await run<{ transferReverse: { reversal: { id: string } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: TransferReverseInput!) { transferReverse(input: $input) { reversal { id } userErrors { field code message } } }`,
      viewers.admin,
      { input: { transfer: refund!.transfer!.id, reason: 'undo the refund' } },
    );
    expect(errorsOf(data.transferReverse)).toEqual([{ field: ['input', 'transfer'], code: 'INVALID_STATE' }]);
  });
});

describe('the database', () => {
  it('refuses a refund line beyond its redemption line, an edit of a refund and a refund transfer no refund names', async () => {
    const shop = await newShop();
    const { customer, redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 2 }]);
    const { refund } = await refundOf({ redemption: redemptionId, lines: [{ item: shop.rice, quantity: 2 }], idempotencyKey: key() }, shop.viewer);
    const { db } = bed.points.database;
    const failure = async (work: Promise<unknown>) => {
      try {
        await work;
        return null;
      } catch (error) {
        // A statement's error comes wrapped by drizzle; one raised at commit comes as the driver's own.
        type PgError = { constraint_name?: string; message?: string; cause?: PgError };
        const cause = (error as PgError).cause ?? (error as PgError);
        return cause.constraint_name ?? cause.message ?? String(error);
      }
    };
    // Another refund of the same line, written straight to the tables.
    expect(
      await failure(
        db.transaction(async (tx) => {
          await tx.execute(sql`insert into points.refunds (id, redemption_id, merchant_id, account_id, points, item_count, transfer_id, created_by)
            select ${newId()}::uuid, redemption_id, merchant_id, account_id, 10, 1, ${newId()}::uuid, 'test' from points.refunds where id = ${refund!.id}::uuid`);
          await tx.execute(sql`insert into points.refund_lines (refund_id, item_id, quantity, unit_points)
            select id, ${shop.rice}::uuid, 1, 10 from points.refunds where redemption_id = ${redemptionId}::uuid and id <> ${refund!.id}::uuid`);
        }),
      ),
    ).toBe('refund_lines_within_redemption');
    expect(await failure(db.execute(sql`update points.refunds set points = 1 where id = ${refund!.id}::uuid`))).toMatch(/append-only/);
    expect(await failure(db.execute(sql`delete from points.refund_lines where refund_id = ${refund!.id}::uuid`))).toMatch(/append-only/);
    expect(await failure(db.transaction((tx) => transfer(tx, { debit: customer.accountId, credit: shop.accountId, amount: 1, cause: 'refund', createdBy: 'test' })))).toBe(
      'transfers_refund_of_a_refund',
    );
    expect(await refundRows(redemptionId)).toBe(1);
  });
});

describe('Redemption.refunds', () => {
  const query = `query ($id: ID!, $first: Int!) { merchant(id: $id) { redemptions(first: $first) { edges { node {
    refundedPoints lines { refundedQuantity } refunds { id points reason lines { item { name } quantity points } } } } } } }`;

  it('loads the refunds, their lines and refunded quantities of a page of redemptions in the same statements however long the page', async () => {
    const shop = await newShop();
    const statementsFor = async (first: number) => {
      const { count: statements, result } = await countStatements(bed.points.database, () =>
        run<{ merchant: { redemptions: { edges: unknown[] } } }>(bed, query, shop.viewer, { id: shop.id, first }),
      );
      expect(result.merchant.redemptions.edges).toHaveLength(first);
      return statements;
    };
    for (let index = 0; index < 4; index += 1) {
      const { redemptionId } = await redeemed(shop, [
        { item: shop.rice, quantity: 2 },
        { item: shop.milk, quantity: 1 },
      ]);
      await refundOf({ redemption: redemptionId, lines: [{ item: shop.rice, quantity: 1 }], idempotencyKey: key() }, shop.viewer);
      await refundOf({ redemption: redemptionId, lines: [{ item: shop.milk, quantity: 1 }], idempotencyKey: key() }, shop.viewer);
    }
    expect(await statementsFor(4)).toBe(await statementsFor(1));
  });

  it('resolves a Refund by reference for whoever sees its redemption', async () => {
    const shop = await newShop();
    const { customer, redemptionId } = await redeemed(shop, [{ item: shop.rice, quantity: 1 }]);
    const { refund } = await refundOf({ redemption: redemptionId, idempotencyKey: key() }, shop.viewer);
    const entities = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Refund { id points redemption { id } } } }`;
    const representations = { r: [{ __typename: 'Refund', id: refund!.id }] };
    for (const viewer of [shop.viewer, viewerOf({ roles: ['volunteer'], personId: customer.personId }), viewers.admin]) {
      expect(await run(bed, entities, viewer, representations)).toEqual({ _entities: [{ id: refund!.id, points: 10, redemption: { id: redemptionId } }] });
    }
    expect(codeOf(await bed.points.execute(entities, { variables: representations, viewer: viewers.yonghui }))).toBe('FORBIDDEN');
  });
});

describe('settlement', () => {
  it('subtracts the refunds made in the period, whenever their redemptions were captured, and lists them', async () => {
    const shop = await newShop();
    bed.clock.set('2027-03-30T04:00:00.000Z');
    const march = await redeemed(shop, [{ item: shop.rice, quantity: 4 }]);
    const marchRefund = (await refundOf({ redemption: march.redemptionId, lines: [{ item: shop.rice, quantity: 1 }], idempotencyKey: key() }, shop.viewer)).refund!;
    bed.clock.set('2027-04-02T04:00:00.000Z');
    const aprilRefund = (await refundOf({ redemption: march.redemptionId, lines: [{ item: shop.rice, quantity: 2 }], idempotencyKey: key() }, shop.viewer)).refund!;
    const april = await redeemed(shop, [{ item: shop.milk, quantity: 1 }]);

    const settlement = async (from: string, to: string) =>
      (
        await run<{ merchant: { settlement: Record<string, unknown> & { refunds: { edges: { node: { id: string } }[] } } } }>(
          bed,
          `query ($id: ID!, $from: Date!, $to: Date!) { merchant(id: $id) { settlement(period: { from: $from, to: $to }) {
            redemptionCount points refundCount refundedPoints netPoints refunds(first: 10) { edges { node { id } } } } } }`,
          shop.viewer,
          { id: shop.id, from, to },
        )
      ).merchant.settlement;
    expect(await settlement('2027-03-01', '2027-03-31')).toEqual({
      redemptionCount: 1,
      points: 40,
      refundCount: 1,
      refundedPoints: 10,
      netPoints: 30,
      refunds: { edges: [{ node: { id: marchRefund.id } }] },
    });
    expect(await settlement('2027-04-01', '2027-04-30')).toEqual({
      redemptionCount: 1,
      points: 3,
      refundCount: 1,
      refundedPoints: 20,
      netPoints: -17,
      refunds: { edges: [{ node: { id: aprilRefund.id } }] },
    });
    expect(april.redemptionId).toBeDefined();
  });
});
