/**
 * A property-based test of the bank against an in-memory model: random
 * deposits, redemptions, holds (captured, voided, lapsing, swept), refunds,
 * reversals and donations (to another customer or to the fund) run through the graph on real Postgres, and after every step the
 * accounts, the stock and every hold must be where the model says, and the
 * books must balance.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { newId, type Viewer } from '@lianxin/shared';
import { viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_FUND } from '../src/db/demo.js';
import { auditLedger } from '../src/ledger/audit.js';
import {
  acceptPassbookNumbers,
  customerWith,
  expectBooksToBalance,
  knownRecord,
  pointsOf,
  redemption,
  run,
  startPoints,
  stockOf,
  viewers,
  type PointsTestBed,
  type UserErrorShape,
} from './support.js';

const HOLD_TTL_SECONDS = 600;
const PRICE = 5;
const CUSTOMERS = 3;
const HOLD_SLOTS = 6;
/** Each customer's points before the first step: enough for a few redemptions, not for everything. */
const OPENING = 40;
const STOCK = 20;

let bed: PointsTestBed;

beforeAll(async () => {
  bed = await startPoints({ POINTS_HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS) });
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

type Op =
  | { kind: 'deposit'; customer: number; points: number }
  | { kind: 'redeem'; customer: number; quantity: number }
  | { kind: 'hold'; customer: number; quantity: number }
  | { kind: 'capture'; hold: number }
  | { kind: 'void'; hold: number }
  | { kind: 'lapse' }
  | { kind: 'sweep' }
  | { kind: 'reverse'; deposit: number }
  | { kind: 'refund'; redemption: number; quantity: number | null }
  /** `to` 0 or 1: the next customer but `to`; 2: the bank's fund. */
  | { kind: 'donate'; customer: number; to: number; points: number };

const customer = fc.integer({ min: 0, max: CUSTOMERS - 1 });
const quantity = fc.integer({ min: 1, max: 4 });
const slot = fc.integer({ min: 0, max: HOLD_SLOTS - 1 });

const operation: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deposit' as const), customer, points: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('redeem' as const), customer, quantity }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('hold' as const), customer, quantity }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('capture' as const), hold: slot }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), hold: slot }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'lapse' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sweep' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), deposit: slot }) },
  // A quantity, or null for everything left of the redemption.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), redemption: slot, quantity: fc.option(quantity, { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('donate' as const), customer, to: fc.integer({ min: 0, max: 2 }), points: fc.integer({ min: 1, max: 40 }) }) },
);

type HoldStatus = 'held' | 'captured' | 'voided' | 'expired';

interface ModelHold {
  id: string;
  customer: number;
  quantity: number;
  points: number;
  heldUntil: number;
  status: HoldStatus;
}

interface Model {
  now: number;
  balance: number[];
  held: number[];
  shop: number;
  stock: number;
  holds: ModelHold[];
  deposits: { transferId: string; customer: number; points: number; reversed: boolean }[];
  /** Captured redemptions (one step, or holds once captured), with the units refunded so far. */
  captured: { id: string; customer: number; quantity: number; refunded: number }[];
}

interface World {
  merchantId: string;
  shopAccountId: string;
  itemId: string;
  shopViewer: Viewer;
  customers: { accountId: string; personId: string; passbookNumber: string }[];
}

/** Marks `hold` expired in the model and gives back what it reserved. */
function lapse(model: Model, hold: ModelHold): void {
  hold.status = 'expired';
  model.held[hold.customer]! -= hold.points;
  model.stock += hold.quantity;
}

const lapsed = (model: Model, hold: ModelHold): boolean => hold.status === 'held' && model.now >= hold.heldUntil;

/** What the bank should answer to a redemption or hold, applied to the model; the refusal code, or null when it goes through. */
function modelRedeem(model: Model, who: number, count: number, mode: 'redeem' | 'hold'): string | null {
  const total = count * PRICE;
  // Stock is checked before points, with lapsed holds' stock still reserved (only points trigger their release).
  if (model.stock < count) return 'OUT_OF_STOCK';
  if (model.balance[who]! - model.held[who]! < total) {
    const mine = model.holds.filter((hold) => hold.customer === who && lapsed(model, hold));
    if (mine.length === 0) return 'INSUFFICIENT_POINTS';
    for (const hold of mine) lapse(model, hold);
    if (model.stock < count) return 'OUT_OF_STOCK';
    if (model.balance[who]! - model.held[who]! < total) return 'INSUFFICIENT_POINTS';
  }
  model.stock -= count;
  if (mode === 'redeem') {
    model.balance[who]! -= total;
    model.shop += total;
  } else {
    model.held[who]! += total;
  }
  return null;
}

/** What refunding `quantity` units (null: all left) of a captured redemption should do to the model; the refusal code, or null. */
function modelRefund(model: Model, redemption: Model['captured'][number], quantity: number | null): string | null {
  const left = redemption.quantity - redemption.refunded;
  const units = quantity ?? left;
  if (units === 0 || units > left) return 'REFUND_EXCEEDS';
  const points = units * PRICE;
  if (model.shop < points) return 'INSUFFICIENT_POINTS';
  redemption.refunded += units;
  model.balance[redemption.customer]! += points;
  model.shop -= points;
  // The item is returnable (the default): the units go back in stock.
  model.stock += units;
  return null;
}

/** What capturing or voiding `hold` should do to the model; the refusal code, or null. */
function modelResolve(model: Model, hold: ModelHold, action: 'capture' | 'void'): string | null {
  if (hold.status === 'held' && lapsed(model, hold)) {
    lapse(model, hold);
    return 'HOLD_EXPIRED';
  }
  switch (hold.status) {
    case 'held':
      model.held[hold.customer]! -= hold.points;
      if (action === 'capture') {
        hold.status = 'captured';
        model.balance[hold.customer]! -= hold.points;
        model.shop += hold.points;
      } else {
        hold.status = 'voided';
        model.stock += hold.quantity;
      }
      return null;
    case 'captured':
      return action === 'capture' ? null : 'INVALID_STATE';
    case 'voided':
      return action === 'void' ? null : 'INVALID_STATE';
    case 'expired':
      return 'HOLD_EXPIRED';
  }
}

let runNumber = 0;

async function newWorld(): Promise<World> {
  const created = await run<{ merchantCreate: { merchant: { id: string; account: { id: string } } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id account { id } } userErrors { field code message } } }`,
    viewers.admin,
    { input: { bank: DEMO_BANK.head.id, organization: newId(), name: `model shop ${newId()}`, alwaysOpen: true } },
  );
  const merchant = created.merchantCreate.merchant!;
  // The model names customers by passbook number: the shop's bank lets its till take them.
  await acceptPassbookNumbers(bed, merchant.id);
  const item = await run<{ catalogItemCreate: { catalogItem: { id: string } } }>(
    bed,
    `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } } }`,
    viewers.admin,
    { input: { merchant: merchant.id, name: '挂面', pricePoints: PRICE, stock: STOCK } },
  );
  const customers = [];
  for (let index = 0; index < CUSTOMERS; index += 1) customers.push(await customerWith(bed, OPENING));
  return {
    merchantId: merchant.id,
    shopAccountId: merchant.account.id,
    itemId: item.catalogItemCreate.catalogItem.id,
    shopViewer: viewerOf({ roles: ['merchant'], merchantId: merchant.id }),
    customers,
  };
}

const codes = (errors: readonly UserErrorShape[]): string | null => (errors.length === 0 ? null : errors.map((error) => error.code).join(','));

/** A donation through the graph against the model: refused when open holds (lapsed ones too, until released) leave too few points. */
async function donateStep(world: World, model: Model, op: Extract<Op, { kind: 'donate' }>): Promise<void> {
  const recipient = op.to === 2 ? null : (op.customer + 1 + op.to) % CUSTOMERS;
  const donor = world.customers[op.customer]!;
  const to = recipient === null ? { fund: DEMO_FUND.id } : { passbookNumber: world.customers[recipient]!.passbookNumber };
  const data = await run<{ pointsDonate: { userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: PointsDonateInput!) { pointsDonate(input: $input) { donation { id } userErrors { field code message } } }`,
    viewerOf({ roles: ['volunteer'], personId: donor.personId }),
    { input: { to, points: op.points, idempotencyKey: `model-${newId()}` } },
  );
  const expected = model.balance[op.customer]! - model.held[op.customer]! < op.points ? 'INSUFFICIENT_POINTS' : null;
  expect(codes(data.pointsDonate.userErrors)).toBe(expected);
  if (expected !== null) return;
  model.balance[op.customer]! -= op.points;
  if (recipient !== null) model.balance[recipient]! += op.points;
}

async function step(world: World, model: Model, op: Op): Promise<void> {
  switch (op.kind) {
    case 'deposit': {
      const data = await run<{ pointsDeposit: { deposit: { transfer: { id: string } } | null; userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { deposit { transfer { id } } userErrors { field code message } } }`,
        viewers.clerk,
        { input: { serviceRecord: await knownRecord(bed, world.customers[op.customer]!.personId, op.points * 3, 'home_repair') } },
      );
      expect(codes(data.pointsDeposit.userErrors)).toBeNull();
      model.balance[op.customer]! += op.points;
      model.deposits.push({ transferId: data.pointsDeposit.deposit!.transfer.id, customer: op.customer, points: op.points, reversed: false });
      return;
    }
    case 'redeem':
    case 'hold': {
      const expected = modelRedeem(model, op.customer, op.quantity, op.kind);
      const result = await redemption(
        bed,
        op.kind === 'redeem' ? 'redemptionCreate' : 'redemptionHold',
        {
          passbookNumber: world.customers[op.customer]!.passbookNumber,
          merchant: world.merchantId,
          items: [{ item: world.itemId, quantity: op.quantity }],
          idempotencyKey: `model-${newId()}`,
        },
        world.shopViewer,
      );
      expect(codes(result.userErrors)).toBe(expected);
      if (op.kind === 'redeem' && result.redemption) model.captured.push({ id: result.redemption.id, customer: op.customer, quantity: op.quantity, refunded: 0 });
      if (op.kind === 'hold' && result.redemption) {
        model.holds.push({
          id: result.redemption.id,
          customer: op.customer,
          quantity: op.quantity,
          points: op.quantity * PRICE,
          heldUntil: model.now + HOLD_TTL_SECONDS * 1000,
          status: 'held',
        });
      }
      return;
    }
    case 'capture':
    case 'void': {
      const hold = model.holds[op.hold % Math.max(model.holds.length, 1)];
      if (!hold) return;
      const wasHeld = hold.status === 'held';
      const expected = modelResolve(model, hold, op.kind);
      const result = await redemption(bed, op.kind === 'capture' ? 'redemptionCapture' : 'redemptionVoid', { redemption: hold.id }, world.shopViewer);
      expect(codes(result.userErrors)).toBe(expected);
      if (wasHeld && hold.status === 'captured') model.captured.push({ id: hold.id, customer: hold.customer, quantity: hold.quantity, refunded: 0 });
      return;
    }
    case 'refund': {
      const captured = model.captured[op.redemption % Math.max(model.captured.length, 1)];
      if (!captured) return;
      const expected = modelRefund(model, captured, op.quantity);
      const data = await run<{ redemptionRefund: { userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: RedemptionRefundInput!) { redemptionRefund(input: $input) { refund { id } userErrors { field code message } } }`,
        world.shopViewer,
        {
          input: {
            redemption: captured.id,
            lines: op.quantity === null ? null : [{ item: world.itemId, quantity: op.quantity }],
            idempotencyKey: `model-${newId()}`,
          },
        },
      );
      expect(codes(data.redemptionRefund.userErrors)).toBe(expected);
      return;
    }
    case 'lapse':
      model.now += (HOLD_TTL_SECONDS + 1) * 1000;
      bed.clock.set(new Date(model.now));
      return;
    case 'sweep': {
      // The sweep runs over the whole bank: only this world's holds are in the model.
      await run(bed, `mutation { redemptionHoldsExpire { expiredHolds } }`, viewers.admin);
      for (const hold of model.holds) if (lapsed(model, hold)) lapse(model, hold);
      return;
    }
    case 'reverse': {
      const deposit = model.deposits[op.deposit % Math.max(model.deposits.length, 1)];
      if (!deposit) return;
      const available = model.balance[deposit.customer]! - model.held[deposit.customer]!;
      const expected = deposit.reversed ? 'ALREADY_EXISTS' : available < deposit.points ? 'INSUFFICIENT_POINTS' : null;
      const data = await run<{ transferReverse: { userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: TransferReverseInput!) { transferReverse(input: $input) { reversal { id } userErrors { field code message } } }`,
        viewers.admin,
        { input: { transfer: deposit.transferId, reason: 'model test correction' } },
      );
      expect(codes(data.transferReverse.userErrors)).toBe(expected);
      if (expected === null) {
        deposit.reversed = true;
        model.balance[deposit.customer]! -= deposit.points;
      }
      return;
    }
    case 'donate':
      return donateStep(world, model, op);
  }
}

async function expectWorldMatches(world: World, model: Model): Promise<void> {
  for (const [index, who] of world.customers.entries()) {
    const seen = await pointsOf(bed, who.accountId);
    expect({ customer: index, balance: seen.balance, held: seen.heldPoints }).toEqual({ customer: index, balance: model.balance[index], held: model.held[index] });
  }
  expect((await pointsOf(bed, world.shopAccountId)).balance).toBe(model.shop);
  expect(await stockOf(bed, world.itemId)).toBe(model.stock);
  for (const hold of model.holds) {
    const data = await run<{ redemption: { status: string } }>(bed, `query ($id: ID!) { redemption(id: $id) { status } }`, viewers.admin, { id: hold.id });
    const expected = lapsed(model, hold) ? 'EXPIRED' : hold.status.toUpperCase();
    expect({ hold: hold.id, status: data.redemption.status }).toEqual({ hold: hold.id, status: expected });
  }
  expect(await auditLedger(bed.points.database.db)).toEqual([]);
}

describe('the bank against its model', () => {
  it('agrees after every step of random deposits, redemptions, holds, lapses, sweeps, refunds, reversals and donations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 4, maxLength: 22 }), async (ops) => {
        runNumber += 1;
        // Each run starts on a later day, so the clock only moves forward across runs.
        const start = Date.UTC(2027, 0, 1) + runNumber * 7 * 86_400_000;
        bed.clock.set(new Date(start));
        const world = await newWorld();
        const model: Model = { now: start, balance: [OPENING, OPENING, OPENING], held: [0, 0, 0], shop: 0, stock: STOCK, holds: [], deposits: [], captured: [] };
        for (const op of ops) {
          await step(world, model, op);
          await expectWorldMatches(world, model);
        }
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
