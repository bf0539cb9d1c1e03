/**
 * Urban–rural pairing (城乡结对) on real Postgres: the database holds the
 * pairing's rules (offices of one bank, not itself, one active pairing of
 * two offices, history never rewritten), the head bank pairs and unpairs,
 * and a paired city office's clerks redeem the rural office's products for
 * the city office's customers only, at the counter or by payment code.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { newId, type Viewer } from '@lianxin/shared';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { DEMO_YANJIANG_BANK } from '@lianxin/shared/demo';
import { DEMO_BANK, DEMO_MERCHANTS, DEMO_PAIRING, DEMO_ACCOUNTS } from '../src/db/demo.js';
import { clerkAssistedRedemptions, officePairings } from '../src/db/schema.js';
import {
  WINDOW_OPEN,
  codeOf,
  customerWith,
  expectBooksToBalance,
  knownPerson,
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

/** The rural office, its merchant, the merchant's account and its two products, made in `beforeAll`. */
const rural = { officeId: '', merchantId: '', accountId: '', sweetPotatoes: '', paperCuts: '' };
let headClerk: Viewer;
let yanjiangClerk: Viewer;
let till: Viewer;

const key = () => `pairing-${newId()}`;

const PAIR = `mutation ($input: OfficePairingCreateInput!) {
  officePairingCreate(input: $input) { pairing { id since endedAt cityOffice { id } ruralOffice { id } } userErrors { field code message } }
}`;
const END = `mutation ($input: OfficePairingEndInput!) {
  officePairingEnd(input: $input) { pairing { id endedAt } userErrors { field code message } }
}`;

interface PairingShape {
  id: string;
  since: string;
  endedAt: string | null;
  cityOffice: { id: string };
  ruralOffice: { id: string };
}
type Paired = { officePairingCreate: { pairing: PairingShape | null; userErrors: UserErrorShape[] } };
type Ended = { officePairingEnd: { pairing: { id: string; endedAt: string | null } | null; userErrors: UserErrorShape[] } };

const pair = (viewer: Viewer, cityOffice: string, ruralOffice: string) => bed.points.execute(PAIR, { variables: { input: { cityOffice, ruralOffice } }, viewer });

async function paired(cityOffice: string, ruralOffice: string): Promise<PairingShape> {
  const data = await run<Paired>(bed, PAIR, headClerk, { input: { cityOffice, ruralOffice } });
  expect(data.officePairingCreate.userErrors).toEqual([]);
  return data.officePairingCreate.pairing!;
}

async function ended(pairing: string): Promise<void> {
  const data = await run<Ended>(bed, END, headClerk, { input: { pairing } });
  expect(data.officePairingEnd.userErrors).toEqual([]);
}

async function created<T>(mutation: string, inputType: string, field: string, input: Record<string, unknown>): Promise<T> {
  const data = await run<Record<string, Record<string, unknown>>>(
    bed,
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${field} { id } userErrors { field code message } } }`,
    viewers.admin,
    { input },
  );
  expect(data[mutation]!['userErrors']).toEqual([]);
  return data[mutation]![field] as T;
}

beforeAll(async () => {
  // The bank as it leaves tills: payment codes only.
  bed = await startPoints({}, { passbookTills: false });
  const office = await created<{ id: string }>('bankUnitCreate', 'BankUnitCreateInput', 'bankUnit', {
    kind: 'SAVINGS_OFFICE',
    name: '东峰村储蓄所',
    parent: DEMO_BANK.ziqiangBranch.id,
    region: newId(),
    station: newId(),
  });
  rural.officeId = office.id;
  const merchant = await created<{ id: string }>('merchantCreate', 'MerchantCreateInput', 'merchant', {
    bank: DEMO_BANK.head.id,
    organization: newId(),
    office: office.id,
    name: '东峰村农产品合作社',
    alwaysOpen: true,
  });
  rural.merchantId = merchant.id;
  const item = (name: string, pricePoints: number, stock: number) =>
    created<{ id: string }>('catalogItemCreate', 'CatalogItemCreateInput', 'catalogItem', { merchant: merchant.id, name, pricePoints, stock });
  rural.sweetPotatoes = (await item('宝台红薯 5kg', 30, 100)).id;
  rural.paperCuts = (await item('东峰剪纸', 50, 20)).id;
  const account = await run<{ merchant: { account: { id: string } } }>(bed, `query ($id: ID!) { merchant(id: $id) { account { id } } }`, viewers.admin, { id: merchant.id });
  rural.accountId = account.merchant.account.id;
  // A clerk of the head bank itself, who pairs its offices, and one of Yanjiang's head bank, who does not.
  headClerk = viewerOf({ roles: ['bank_clerk'], personId: await knownPerson(bed) });
  yanjiangClerk = viewerOf({ roles: ['bank_clerk'], personId: await knownPerson(bed) });
  for (const [viewer, unit] of [
    [headClerk, DEMO_BANK.head.id],
    [yanjiangClerk, DEMO_YANJIANG_BANK.head.id],
  ] as const) {
    await created('bankClerkAssign', 'BankClerkAssignInput', 'bankUnit', { unit, person: viewer.personId });
  }
  till = viewerOf({ roles: ['merchant'], merchantId: merchant.id });
});
beforeEach(() => {
  bed.clock.set(WINDOW_OPEN);
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

const XINGLE = DEMO_BANK.xingleOffice.id;

describe('the demo', () => {
  it('pairs Xingle’s office with Baotai’s, whose cooperative’s sweet potatoes and paper-cuts Xingle’s clerk redeems for a Xingle customer', async () => {
    const listed = await run<{
      bankUnit: { pairings: { id: string; ruralOffice: { name: string }; ruralMerchants: { id: string; catalog: { edges: { node: { id: string; name: string } }[] } }[] }[] };
    }>(bed, `query ($id: ID!) { bankUnit(id: $id) { pairings { id ruralOffice { name } ruralMerchants { id catalog { edges { node { id name } } } } } } }`, viewers.zhang, {
      id: XINGLE,
    });
    const cooperative = DEMO_MERCHANTS.baotaiCooperative;
    expect(listed.bankUnit.pairings).toEqual([
      {
        id: DEMO_PAIRING.id,
        ruralOffice: { name: '宝台村储蓄所' },
        ruralMerchants: [{ id: cooperative.id, catalog: { edges: cooperative.items.map((item) => ({ node: { id: item.id, name: item.name } })).reverse() } }],
      },
    ]);
    const customer = DEMO_ACCOUNTS[0]!;
    const before = await pointsOf(bed, customer.id);
    const made = await redemption(
      bed,
      'redemptionCreate',
      {
        passbookNumber: customer.passbookNumber,
        clerkConfirmation: { identityChecked: true },
        merchant: cooperative.id,
        items: [{ item: cooperative.items[0].id, quantity: 1 }],
        idempotencyKey: key(),
      },
      viewers.clerk,
    );
    expect(made.userErrors).toEqual([]);
    expect((await pointsOf(bed, customer.id)).balance).toBe(before.balance - cooperative.items[0].pricePoints);
    // The rest of this file pairs offices of its own.
    await ended(DEMO_PAIRING.id);
  });
});

describe('the office_pairings table', () => {
  const insert = (values: { cityOfficeId: string; ruralOfficeId: string; bankId?: string }) =>
    bed.points.database.db.insert(officePairings).values({ id: newId(), bankId: DEMO_BANK.head.id, createdBy: 'test', ...values });

  it('refuses an office paired with itself, a unit that is not an office, and offices of two banks', async () => {
    await expect(insert({ cityOfficeId: XINGLE, ruralOfficeId: XINGLE })).rejects.toThrow();
    await expect(insert({ cityOfficeId: DEMO_BANK.xiyiluBranch.id, ruralOfficeId: rural.officeId })).rejects.toThrow();
    await expect(insert({ cityOfficeId: DEMO_YANJIANG_BANK.offices[0]!.id, ruralOfficeId: rural.officeId })).rejects.toThrow();
    await expect(insert({ cityOfficeId: DEMO_YANJIANG_BANK.offices[0]!.id, ruralOfficeId: rural.officeId, bankId: DEMO_YANJIANG_BANK.head.id })).rejects.toThrow();
  });

  it('holds one active pairing of two offices, either way round, and keeps ended ones as history that is never rewritten', async () => {
    const city = DEMO_BANK.xiangyangOffice.id;
    await insert({ cityOfficeId: city, ruralOfficeId: rural.officeId });
    await expect(insert({ cityOfficeId: city, ruralOfficeId: rural.officeId })).rejects.toThrow();
    await expect(insert({ cityOfficeId: rural.officeId, ruralOfficeId: city })).rejects.toThrow();
    const db = bed.points.database.db;
    const active = sql`${officePairings.cityOfficeId} = ${city} and ${officePairings.endedAt} is null`;
    // Ending sets both end columns; nothing else of the row changes, and it ends once.
    await expect(db.update(officePairings).set({ endedAt: new Date() }).where(active)).rejects.toThrow();
    await expect(db.update(officePairings).set({ cityOfficeId: XINGLE }).where(active)).rejects.toThrow();
    await db.update(officePairings).set({ endedAt: new Date(), endedBy: 'test' }).where(active);
    await expect(db.update(officePairings).set({ endedBy: 'someone else' }).where(eq(officePairings.cityOfficeId, city))).rejects.toThrow();
    await expect(db.delete(officePairings).where(eq(officePairings.cityOfficeId, city))).rejects.toThrow();
    // Once ended, the two offices may be paired again.
    await insert({ cityOfficeId: city, ruralOfficeId: rural.officeId });
    await db.update(officePairings).set({ endedAt: new Date(), endedBy: 'test' }).where(active);
  });
});

describe('officePairingCreate and officePairingEnd', () => {
  it('are the head bank’s: anyone else is refused before anything is read, another bank’s clerk is NOT_ALLOWED', async () => {
    for (const viewer of [viewers.resident(), viewers.clerk, till]) {
      const refused = await countStatements(bed.points.database, () => pair(viewer, XINGLE, rural.officeId));
      expect(codeOf(refused.result)).toBe('FORBIDDEN');
      // A branch or office clerk's scope is read (one statement); no office, no pairing.
      expect(refused.statements.join('\n')).not.toContain('office_pairings');
    }
    const other = (await pair(yanjiangClerk, XINGLE, rural.officeId)).data as Paired;
    expect(other.officePairingCreate).toEqual({ pairing: null, userErrors: [{ field: ['input', 'cityOffice'], code: 'NOT_ALLOWED', message: expect.any(String) }] });
    const end = await bed.points.execute(END, { variables: { input: { pairing: newId() } }, viewer: viewers.clerk });
    expect(codeOf(end)).toBe('FORBIDDEN');
  });

  it('pair two offices of the bank once, and refuse what is not such a pair', async () => {
    const refusal = async (cityOffice: string, ruralOffice: string) => ((await pair(headClerk, cityOffice, ruralOffice)).data as Paired).officePairingCreate.userErrors;
    expect(await refusal(XINGLE, XINGLE)).toEqual([{ field: ['input', 'ruralOffice'], code: 'INVALID', message: 'An office is not paired with itself.' }]);
    expect(await refusal(DEMO_BANK.xiyiluBranch.id, rural.officeId)).toEqual([{ field: ['input', 'cityOffice'], code: 'INVALID', message: 'Only savings offices are paired.' }]);
    expect(await refusal(newId(), rural.officeId)).toEqual([{ field: ['input', 'cityOffice'], code: 'NOT_FOUND', message: 'There is no such bank unit.' }]);
    expect(await refusal(DEMO_YANJIANG_BANK.offices[0]!.id, rural.officeId)).toEqual([
      { field: ['input', 'ruralOffice'], code: 'INVALID', message: 'Paired offices belong to the same bank.' },
    ]);
    const pairing = await paired(DEMO_BANK.zimingOffice.id, rural.officeId);
    expect(new Date(pairing.since).toISOString()).toBe(WINDOW_OPEN.toISOString());
    expect(pairing).toEqual({
      id: expect.any(String),
      since: expect.anything(),
      endedAt: null,
      cityOffice: { id: DEMO_BANK.zimingOffice.id },
      ruralOffice: { id: rural.officeId },
    });
    expect(await refusal(DEMO_BANK.zimingOffice.id, rural.officeId)).toEqual([
      { field: ['input', 'ruralOffice'], code: 'ALREADY_EXISTS', message: 'These two offices are already paired.' },
    ]);
    expect(await refusal(rural.officeId, DEMO_BANK.zimingOffice.id)).toEqual([
      { field: ['input', 'ruralOffice'], code: 'ALREADY_EXISTS', message: 'These two offices are already paired.' },
    ]);
    bed.clock.set(new Date(WINDOW_OPEN.getTime() + 3600_000));
    await ended(pairing.id);
    const again = await run<Ended>(bed, END, headClerk, { input: { pairing: pairing.id } });
    expect(again.officePairingEnd).toEqual({ pairing: null, userErrors: [{ field: ['input', 'pairing'], code: 'INVALID_STATE', message: 'This pairing has already ended.' }] });
    const [row] = await bed.points.database.db.select().from(officePairings).where(eq(officePairings.id, pairing.id));
    expect(row?.endedAt?.toISOString()).toBe('2026-12-05T05:00:00.000Z');
  });
});

describe('BankUnit.pairings', () => {
  const PAIRINGS = `query { bankUnits(filter: { kind: SAVINGS_OFFICE }, first: 100) { edges { node { id pairings {
    id cityOffice { id name } ruralOffice { id name } ruralMerchants { id name catalog { edges { node { name pricePoints stock } } } }
  } } } } }`;
  type Listed = {
    bankUnits: {
      edges: { node: { id: string; pairings: { cityOffice: { id: string }; ruralMerchants: { name: string; catalog: { edges: { node: { name: string } }[] } }[] }[] } }[];
    };
  };

  it('shows the city office its rural partner’s merchants and their products, to anyone signed in, in a fixed number of statements', async () => {
    const first = await paired(XINGLE, rural.officeId);
    const list = () => countStatements(bed.points.database, () => bed.points.execute(PAIRINGS, { viewer: viewers.zhang }));
    const one = await list();
    const data = one.result.data as Listed;
    const xingle = data.bankUnits.edges.find((edge) => edge.node.id === XINGLE)!.node;
    expect(xingle.pairings).toHaveLength(1);
    expect(xingle.pairings[0]!.ruralMerchants.map((merchant) => [merchant.name, merchant.catalog.edges.map((edge) => edge.node.name)])).toEqual([
      ['东峰村农产品合作社', ['东峰剪纸', '宝台红薯 5kg']],
    ]);
    // The rural office sees the same pairing from its side.
    expect(data.bankUnits.edges.find((edge) => edge.node.id === rural.officeId)!.node.pairings.map((pairing) => pairing.cityOffice.id)).toEqual([XINGLE]);
    // A second pairing adds offices and merchants to the answer, not statements.
    const second = await paired(DEMO_BANK.xiangrongOffice.id, rural.officeId);
    const two = await list();
    expect(two.count).toBe(one.count);
    await ended(second.id);
    await ended(first.id);
    const after = (await list()).result.data as Listed;
    expect(after.bankUnits.edges.every((edge) => edge.node.pairings.length === 0)).toBe(true);
  });
});

describe('redeeming a rural product at the paired city office', () => {
  const redeemRural = (
    customer: Record<string, unknown>,
    viewer: Viewer,
    items = [{ item: rural.sweetPotatoes, quantity: 2 }],
    mutation: 'redemptionCreate' | 'redemptionHold' = 'redemptionCreate',
  ) => redemption(bed, mutation, { ...customer, merchant: rural.merchantId, items, idempotencyKey: key() }, viewer);
  const atCounter = (passbookNumber: string) => ({ passbookNumber, clerkConfirmation: { identityChecked: true } });
  const ISSUE = `mutation { paymentCodeIssue(input: {}) { paymentCode { code } userErrors { code } } }`;
  const codeFor = async (personId: string) =>
    (await run<{ paymentCodeIssue: { paymentCode: { code: string } } }>(bed, ISSUE, viewerOf({ roles: ['resident'], personId }))).paymentCodeIssue.paymentCode.code;

  it('is the city office clerk’s only while the pairing is active', async () => {
    const customer = await customerWith(bed, 200);
    expect((await redeemRural(atCounter(customer.passbookNumber), viewers.clerk)).userErrors).toEqual([
      { field: ['input', 'merchant'], code: 'NOT_ALLOWED', message: 'Only the merchant itself redeems at its till.' },
    ]);
    const pairing = await paired(XINGLE, rural.officeId);
    const made = await redeemRural(atCounter(customer.passbookNumber), viewers.clerk);
    expect(made.userErrors).toEqual([]);
    await ended(pairing.id);
    expect((await redeemRural(atCounter(customer.passbookNumber), viewers.clerk)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
  });

  describe('while Xingle is paired', () => {
    let pairing: string;
    beforeAll(async () => {
      pairing = (await paired(XINGLE, rural.officeId)).id;
    });
    afterAll(async () => {
      await ended(pairing);
    });

    it('takes the city customer’s points to the rural merchant, by passbook at the counter and by payment code, logged as the clerk’s', async () => {
      const customer = await customerWith(bed, 200);
      const shopBefore = await pointsOf(bed, rural.accountId);
      const stockBefore = await stockOf(bed, rural.sweetPotatoes);
      const counter = await redeemRural(atCounter(customer.passbookNumber), viewers.clerk);
      expect(counter.userErrors).toEqual([]);
      expect(counter.redemption).toMatchObject({ status: 'CAPTURED', totalPoints: 60, itemCount: 2 });
      const code = await redeemRural({ paymentCode: await codeFor(customer.personId) }, viewers.clerk, [{ item: rural.paperCuts, quantity: 1 }]);
      expect(code.userErrors).toEqual([]);
      expect(code.redemption).toMatchObject({ status: 'CAPTURED', totalPoints: 50 });
      expect((await pointsOf(bed, customer.accountId)).balance).toBe(90);
      expect((await pointsOf(bed, rural.accountId)).balance).toBe(shopBefore.balance + 110);
      expect(await stockOf(bed, rural.sweetPotatoes)).toBe(stockBefore - 2);
      const logged = await bed.points.database.db.select().from(clerkAssistedRedemptions).where(eq(clerkAssistedRedemptions.accountId, customer.accountId));
      expect(logged.map((row) => [row.merchantId, row.identityChecked, row.byPaymentCode]).sort()).toEqual([
        [rural.merchantId, false, true],
        [rural.merchantId, true, false],
      ]);
    });

    it('refuses a customer of an unpaired office with the NOT_FOUND any unknown passbook gets', async () => {
      const ziming = await run<{ accountOpen: { account: { passbookNumber: string } } }>(
        bed,
        `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { passbookNumber } } }`,
        viewers.admin,
        { input: { holder: await knownPerson(bed), office: DEMO_BANK.zimingOffice.id } },
      );
      const unpaired = await redeemRural(atCounter(ziming.accountOpen.account.passbookNumber), viewers.clerk);
      const unknown = await redeemRural(atCounter('000099999997'), viewers.clerk);
      expect(unpaired.userErrors).toEqual([{ field: ['input', 'passbookNumber'], code: 'NOT_FOUND', message: 'No customer of this bank has this passbook number.' }]);
      expect(unknown.userErrors).toEqual(unpaired.userErrors);
    });

    it('still needs the clerk’s confirmation, redeems in one step only, and leaves the catalogue to the merchant', async () => {
      const customer = await customerWith(bed, 100);
      expect((await redeemRural({ passbookNumber: customer.passbookNumber }, viewers.clerk)).userErrors.map((error) => [error.field, error.code])).toEqual([
        [['input', 'clerkConfirmation'], 'REQUIRED'],
      ]);
      expect((await redeemRural(atCounter(customer.passbookNumber), viewers.clerk, undefined, 'redemptionHold')).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
      const edit = await run<{ catalogItemUpdate: { userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: CatalogItemUpdateInput!) { catalogItemUpdate(input: $input) { userErrors { field code message } } }`,
        viewers.clerk,
        { input: { item: rural.sweetPotatoes, addStock: 1 } },
      );
      expect(edit.catalogItemUpdate.userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
      expect((await pointsOf(bed, customer.accountId)).balance).toBe(100);
    });

    it('gives the rural merchant’s own till no bare passbook of a city customer', async () => {
      const customer = await customerWith(bed, 100);
      const bare = await redeemRural({ passbookNumber: customer.passbookNumber }, till);
      expect(bare.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'passbookNumber'], 'PAYMENT_CODE_REQUIRED']]);
      expect((await pointsOf(bed, customer.accountId)).balance).toBe(100);
    });
  });
});
