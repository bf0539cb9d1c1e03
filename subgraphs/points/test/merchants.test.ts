/** Merchants and their catalogues: public lists, admission by platform admins, catalogues kept by merchants themselves. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_MERCHANTS, DEMO_ORGANIZATIONS } from '../src/db/demo.js';
import {
  WINDOW_CLOSED,
  WINDOW_OPEN,
  codeOf,
  customerWith,
  expectBooksToBalance,
  redemption,
  run,
  startPoints,
  viewers,
  yonghuiItem,
  type PointsTestBed,
  type UserErrorShape,
} from './support.js';

let bed: PointsTestBed;

beforeAll(async () => {
  bed = await startPoints();
});
afterEach(async () => {
  bed.clock.reset();
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

const yonghui = DEMO_MERCHANTS.yonghui;

async function createMerchant(input: Record<string, unknown>, viewer = viewers.admin) {
  return (
    await run<{
      merchantCreate: { merchant: { id: string; kind: string; account: { kind: string; balance: number; passbookNumber: string } } | null; userErrors: UserErrorShape[] };
    }>(
      bed,
      `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id kind account { kind balance passbookNumber } } userErrors { field code message } } }`,
      viewer,
      { input },
    )
  ).merchantCreate;
}

describe('merchants and catalogues', () => {
  it('are public: the bank’s alliance by name, each with its catalogue and whether it is open now', async () => {
    bed.clock.set(WINDOW_CLOSED);
    const data = await run<{
      merchants: {
        edges: {
          node: {
            name: string;
            kind: string;
            alwaysOpen: boolean;
            openNow: boolean;
            organization: { id: string } | null;
            catalog: { edges: { node: { name: string; pricePoints: number; stock: number } }[] };
          };
        }[];
      };
    }>(
      bed,
      `query ($bank: ID!) { merchants(filter: { bank: $bank }) { edges { node { name kind alwaysOpen openNow organization { id } catalog(first: 10) { edges { node { name pricePoints stock } } } } } } }`,
      viewerOf({ roles: [] }),
      { bank: DEMO_BANK.head.id },
    );
    const byName = new Map(data.merchants.edges.map((edge) => [edge.node.name, edge.node]));
    expect(byName.get(yonghui.name)).toMatchObject({ kind: 'ALLIANCE', alwaysOpen: true, openNow: true, organization: { id: DEMO_ORGANIZATIONS.yonghui } });
    expect(byName.get(yonghui.name)!.catalog.edges.map((edge) => edge.node.name)).toEqual([...yonghui.items.map((item) => item.name)].sort());
    expect(byName.get(DEMO_MERCHANTS.charitySupermarket.name)).toMatchObject({ openNow: false });
    expect(byName.get(DEMO_MERCHANTS.exchange.name)).toMatchObject({ kind: 'CENTRAL_EXCHANGE', organization: null });
    bed.clock.set(WINDOW_OPEN);
    const open = await run<{ merchant: { openNow: boolean } }>(bed, `query ($id: ID!) { merchant(id: $id) { openNow } }`, viewers.zhang, {
      id: DEMO_MERCHANTS.charitySupermarket.id,
    });
    expect(open.merchant.openNow).toBe(true);
  });

  it('lists a catalogue in one statement per page however many merchants are listed', async () => {
    const query = `{ merchants(first: 50) { edges { node { name bank { name } catalog(first: 3) { edges { node { name merchant { name } } } } } } } }`;
    const few = await countStatements(bed.points.database, () => bed.points.execute(query, { viewer: viewers.zhang }));
    for (let index = 0; index < 5; index += 1) {
      const made = await createMerchant({ bank: DEMO_BANK.head.id, organization: newId(), name: `批量商户 ${index} ${newId()}` });
      await run(bed, `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } } }`, viewers.admin, {
        input: { merchant: made.merchant!.id, name: '毛巾', pricePoints: 10, stock: 5 },
      });
    }
    const many = await countStatements(bed.points.database, () => bed.points.execute(query, { viewer: viewers.zhang }));
    expect(many.result.errors).toBeUndefined();
    expect((many.result.data as { merchants: { edges: unknown[] } }).merchants.edges.length).toBeGreaterThan(
      (few.result.data as { merchants: { edges: unknown[] } }).merchants.edges.length,
    );
    expect(many.count).toBe(few.count);
  });
});

describe('merchantCreate', () => {
  it('admits an organisation with its own points account at zero', async () => {
    const made = await createMerchant({ bank: DEMO_BANK.head.id, organization: newId(), name: '幸福超市二店', alwaysOpen: true });
    expect(made.userErrors).toEqual([]);
    expect(made.merchant).toMatchObject({ kind: 'ALLIANCE', account: { kind: 'MERCHANT', balance: 0 } });
    expect(made.merchant!.account.passbookNumber).toMatch(/^\d{12}$/);
  });

  it('refuses a second central exchange, an organisation admitted twice, a non-head bank and a missing organisation', async () => {
    const cases: [Record<string, unknown>, { field: string[]; code: string }][] = [
      [
        { kind: 'CENTRAL_EXCHANGE', name: '第二兑换点' },
        { field: ['input', 'kind'], code: 'ALREADY_EXISTS' },
      ],
      [
        { organization: DEMO_ORGANIZATIONS.yonghui, name: '永辉又一次' },
        { field: ['input', 'organization'], code: 'ALREADY_EXISTS' },
      ],
      [
        { bank: DEMO_BANK.xiyiluBranch.id, organization: newId(), name: '分行商户' },
        { field: ['input', 'bank'], code: 'INVALID' },
      ],
      [{ name: '无名机构' }, { field: ['input', 'organization'], code: 'REQUIRED' }],
      [
        { kind: 'CENTRAL_EXCHANGE', organization: newId(), name: 'x' },
        { field: ['input', 'organization'], code: 'INVALID' },
      ],
      [
        { organization: newId(), name: 'x', minimumBalance: -1 },
        { field: ['input', 'minimumBalance'], code: 'INVALID' },
      ],
    ];
    for (const [override, expected] of cases) {
      const made = await createMerchant({ bank: DEMO_BANK.head.id, ...override });
      expect(made.merchant).toBeNull();
      expect(made.userErrors.map(({ field, code }) => ({ field, code }))).toEqual([expected]);
    }
  });

  it('is for platform admins only', async () => {
    const mutation = `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id } } }`;
    const input = { bank: DEMO_BANK.head.id, organization: newId(), name: 'x' };
    for (const viewer of [viewers.clerk, viewers.yonghui, viewers.wang]) {
      expect(codeOf(await bed.points.execute(mutation, { variables: { input }, viewer }))).toBe('FORBIDDEN');
    }
  });
});

describe('a catalogue’s totalCount', () => {
  it('counts the whole list with the page’s filter, only when asked, in one statement for every merchant listed', async () => {
    const made = await createMerchant({ bank: DEMO_BANK.head.id, organization: newId(), name: `计数商户 ${newId()}` });
    const merchant = made.merchant!.id;
    const items: string[] = [];
    for (const name of ['毛巾', '香皂', '牙刷']) {
      const created = await run<{ catalogItemCreate: { catalogItem: { id: string } } }>(
        bed,
        `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } } }`,
        viewers.admin,
        { input: { merchant, name, pricePoints: 10, stock: 5 } },
      );
      items.push(created.catalogItemCreate.catalogItem.id);
    }
    await run(bed, `mutation ($input: CatalogItemUpdateInput!) { catalogItemUpdate(input: $input) { catalogItem { id } } }`, viewers.admin, {
      input: { item: items[0], active: false },
    });
    const counted = await run<{ merchant: { catalog: { totalCount: number; edges: unknown[] }; all: { totalCount: number } } }>(
      bed,
      `query ($id: ID!) { merchant(id: $id) { catalog(first: 1) { totalCount edges { cursor } } all: catalog(first: 1, includeInactive: true) { totalCount } } }`,
      viewers.zhang,
      { id: merchant },
    );
    expect(counted.merchant).toEqual({ catalog: { totalCount: 2, edges: [{ cursor: expect.any(String) }] }, all: { totalCount: 3 } });

    // Not asked for, not counted; asked for a whole list of merchants, one more statement.
    const page = `{ merchants(first: 50) { edges { node { catalog(first: 2) { edges { node { name } } } } } } }`;
    const withCount = `{ merchants(first: 50) { edges { node { catalog(first: 2) { totalCount edges { node { name } } } } } } }`;
    const plain = await countStatements(bed.points.database, () => bed.points.execute(page, { viewer: viewers.zhang }));
    const counting = await countStatements(bed.points.database, () => bed.points.execute(withCount, { viewer: viewers.zhang }));
    expect(counting.result.errors).toBeUndefined();
    expect(counting.count).toBe(plain.count + 1);
  });
});

describe('a catalogue', () => {
  const UPDATE = `mutation ($input: CatalogItemUpdateInput!) { catalogItemUpdate(input: $input) { catalogItem { name pricePoints stock active } userErrors { field code message } } }`;

  it('is kept by its merchant: items added, repriced, restocked and withdrawn', async () => {
    const item = await yonghuiItem(bed, 30, 4);
    const changed = await run<{ catalogItemUpdate: { catalogItem: { name: string; pricePoints: number; stock: number; active: boolean } } }>(bed, UPDATE, viewers.yonghui, {
      input: { item, name: '特价挂面', pricePoints: 25, addStock: 6, active: false },
    });
    expect(changed.catalogItemUpdate.catalogItem).toEqual({ name: '特价挂面', pricePoints: 25, stock: 10, active: false });
    const listed = await run<{ merchant: { catalog: { edges: { node: { id: string } }[] }; all: { edges: { node: { id: string } }[] } } }>(
      bed,
      `query ($id: ID!) { merchant(id: $id) { catalog(first: 100) { edges { node { id } } } all: catalog(first: 100, includeInactive: true) { edges { node { id } } } } }`,
      viewers.zhang,
      { id: yonghui.id },
    );
    expect(listed.merchant.catalog.edges.map((edge) => edge.node.id)).not.toContain(item);
    expect(listed.merchant.all.edges.map((edge) => edge.node.id)).toContain(item);
  });

  it('keeps the price a redemption was made at when the item is repriced', async () => {
    const item = await yonghuiItem(bed, 30, 4);
    const customer = await customerWith(bed, 100);
    const made = await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 2 }], idempotencyKey: `price-${newId()}` },
      viewers.yonghui,
    );
    await run(bed, UPDATE, viewers.yonghui, { input: { item, pricePoints: 45 } });
    const seen = await run<{ redemption: { lines: { unitPoints: number; points: number; item: { pricePoints: number } }[] } }>(
      bed,
      `query ($id: ID!) { redemption(id: $id) { lines { unitPoints points item { pricePoints } } } }`,
      viewers.yonghui,
      { id: made.redemption!.id },
    );
    expect(seen.redemption.lines).toEqual([{ unitPoints: 30, points: 60, item: { pricePoints: 45 } }]);
  });

  it('refuses another merchant, a taken name and malformed changes', async () => {
    const item = await yonghuiItem(bed, 30, 4);
    // Another merchant's item is public, and not the till's to change: NOT_ALLOWED, and likewise to a clerk who does not run the shop.
    for (const viewer of [viewers.charity, viewers.clerk]) {
      const notAllowed = await run<{ catalogItemUpdate: { userErrors: UserErrorShape[] } }>(bed, UPDATE, viewer, { input: { item, pricePoints: 1 } });
      expect(notAllowed.catalogItemUpdate.userErrors).toEqual([{ field: ['input', 'item'], code: 'NOT_ALLOWED', message: 'Only the merchant itself keeps its catalogue.' }]);
    }
    const create = `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } userErrors { field code } } }`;
    // A till naming another merchant is refused by its token alone, before anything is read; a clerk is refused once the merchant is read.
    expect(codeOf(await bed.points.execute(create, { variables: { input: { merchant: yonghui.id, name: 'x', pricePoints: 1, stock: 1 } }, viewer: viewers.charity }))).toBe(
      'FORBIDDEN',
    );
    const asClerk = await run<{ catalogItemCreate: { userErrors: UserErrorShape[] } }>(bed, create, viewers.clerk, {
      input: { merchant: yonghui.id, name: 'x', pricePoints: 1, stock: 1 },
    });
    expect(asClerk.catalogItemCreate.userErrors).toEqual([{ field: ['input', 'merchant'], code: 'NOT_ALLOWED' }]);
    const taken = await run<{ catalogItemCreate: { userErrors: UserErrorShape[] } }>(bed, create, viewers.yonghui, {
      input: { merchant: yonghui.id, name: yonghui.items[0].name, pricePoints: 1, stock: 1 },
    });
    expect(taken.catalogItemCreate.userErrors).toEqual([{ field: ['input', 'name'], code: 'ALREADY_EXISTS' }]);
    for (const [input, field] of [
      [{ item, pricePoints: 0 }, 'pricePoints'],
      [{ item, addStock: -3 }, 'addStock'],
      [{ item: 'rice' }, 'item'],
    ] as const) {
      const refused = await run<{ catalogItemUpdate: { userErrors: UserErrorShape[] } }>(bed, UPDATE, viewers.yonghui, { input });
      expect(refused.catalogItemUpdate.userErrors.map((error) => error.field)).toEqual([['input', field]]);
    }
  });
});

describe('a merchant’s books', () => {
  it('show the merchant its account and redemptions, newest first, filtered by status', async () => {
    const item = await yonghuiItem(bed, 5, 50);
    const customer = await customerWith(bed, 100);
    const made = [];
    for (const mode of ['redemptionCreate', 'redemptionHold', 'redemptionCreate'] as const) {
      made.push(
        (
          await redemption(
            bed,
            mode,
            { passbookNumber: customer.passbookNumber, merchant: yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: `books-${newId()}` },
            viewers.yonghui,
          )
        ).redemption!,
      );
    }
    const data = await run<{ merchant: { account: { balance: number }; held: { edges: { node: { id: string } }[] }; recent: { edges: { node: { id: string } }[] } } }>(
      bed,
      `query ($id: ID!) { merchant(id: $id) { account { balance } held: redemptions(status: HELD, first: 100) { edges { node { id } } } recent: redemptions(first: 3) { edges { node { id } } } } }`,
      viewers.yonghui,
      { id: yonghui.id },
    );
    expect(data.merchant.recent.edges.map((edge) => edge.node.id)).toEqual([made[2]!.id, made[1]!.id, made[0]!.id]);
    expect(data.merchant.held.edges.map((edge) => edge.node.id)).toContain(made[1]!.id);
    expect(data.merchant.held.edges.map((edge) => edge.node.id)).not.toContain(made[0]!.id);
    expect(data.merchant.account.balance).toBeGreaterThanOrEqual(10);
    for (const viewer of [viewers.charity, viewers.zhang, viewers.analyst]) {
      const refused = await bed.points.execute(`query ($id: ID!) { merchant(id: $id) { account { balance } } }`, { variables: { id: yonghui.id }, viewer });
      expect(codeOf(refused)).toBe('FORBIDDEN');
    }
    await redemption(bed, 'redemptionVoid', { redemption: made[1]!.id }, viewers.yonghui);
  });
});
