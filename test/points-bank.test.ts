/**
 * The public welfare bank end to end, through the gateway on real Postgres:
 * a volunteer's passbook across people and points, a partner merchant's till
 * with its client-credential token redeeming the customer's payment code,
 * and the concurrency promises over HTTP.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { auditLedger } from '@lianxin/points';
import { newId } from '@lianxin/shared';
import { DEMO_SAMPLE_PERSON_ID, DEMO_STAFF } from '@lianxin/shared/demo';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import { knownToPoints, paymentCodeFor, recordKnownToPoints } from './support/points.js';

let graph: TestGraph;

/** The demo's fixed ids, as the points demo data writes them (see subgraphs/points/src/db/demo/). */
const YONGHUI = '00000000-0000-7000-8017-000000000001';
const HAPPY_SUPERMARKET = '00000000-0000-7000-8017-000000000003';
const XINGLE_OFFICE = '00000000-0000-7000-8016-000000000003';

beforeAll(async () => {
  // The concurrency tests send hundreds of requests for one merchant in a second: lift the gateway's per-merchant rate limit.
  // 200 redemptions of one account queue on its row lock: on a loaded machine the last waits longer than the gateway's
  // default 10 s for a subgraph, and this suite is about which of them succeed, not how fast.
  graph = await startTestGraph({ RATE_LIMIT_MERCHANT_PER_MINUTE: '0', RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0', SUBGRAPH_TIMEOUT_MS: '60000' });
});
afterEach(async () => {
  if (graph) expect(await auditLedger(graph.graph.subgraphs.points.database.db)).toEqual([]);
});
afterAll(async () => {
  await graph?.stop();
});

function data<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data as T;
}

const clerkToken = () => graph.token({ roles: ['community_admin', 'bank_clerk'], personId: DEMO_STAFF[0]!.id });
const merchantToken = (merchantId = YONGHUI) => graph.token({ roles: ['merchant'], merchantId });

/** A new customer the bank knows, at the Xingle office, holding `points` (a home-repair record at 20 points an hour), opened and funded by its clerk. */
async function customerWith(points: number): Promise<{ personId: string; passbookNumber: string; accountId: string }> {
  const token = await clerkToken();
  const personId = newId();
  await knownToPoints(graph, personId);
  const opened = data(
    await graph.query<{ accountOpen: { account: { id: string; passbookNumber: string } } }>(
      `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id passbookNumber } userErrors { code } } }`,
      { variables: { input: { holder: personId, office: XINGLE_OFFICE } }, token },
    ),
  );
  const deposited = data(
    await graph.query<{ pointsDeposit: { deposit: { points: number } | null } }>(
      `mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { deposit { points } userErrors { code } } }`,
      { variables: { input: { serviceRecord: await recordKnownToPoints(graph, { volunteerId: personId, categoryCode: 'home_repair', minutes: points * 3 }) } }, token },
    ),
  );
  expect(deposited.pointsDeposit.deposit?.points).toBe(points);
  return { personId, accountId: opened.accountOpen.account.id, passbookNumber: opened.accountOpen.account.passbookNumber };
}

/** A Yonghui catalogue item at `price` points with `stock` units, listed by Yonghui's own till. */
async function itemAtYonghui(price: number, stock: number): Promise<string> {
  const made = data(
    await graph.query<{ catalogItemCreate: { catalogItem: { id: string } } }>(
      `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } userErrors { code } } }`,
      { variables: { input: { merchant: YONGHUI, name: `端到端商品 ${newId()}`, pricePoints: price, stock } }, token: await merchantToken() },
    ),
  );
  return made.catalogItemCreate.catalogItem.id;
}

/** Lets Yonghui's till take passbook numbers, as its head bank may (`merchantPassbookAcceptanceSet`), or stops it. */
async function yonghuiTakesPassbooks(accepts: boolean): Promise<void> {
  const set = data(
    await graph.query<{ merchantPassbookAcceptanceSet: { userErrors: unknown[] } }>(
      `mutation ($input: MerchantPassbookAcceptanceSetInput!) { merchantPassbookAcceptanceSet(input: $input) { userErrors { code } } }`,
      { variables: { input: { merchant: YONGHUI, accepts } }, token: await graph.token({ roles: ['platform_admin'] }) },
    ),
  );
  expect(set.merchantPassbookAcceptanceSet.userErrors).toEqual([]);
}

const REDEEM = `mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) {
  redemption { id status totalPoints memberId merchant { name } } userErrors { field code message } } }`;

type Redeemed = {
  redemptionCreate: { redemption: { id: string; status: string; totalPoints: number; memberId: string; merchant: { name: string } } | null; userErrors: { code: string }[] };
};

describe('a volunteer’s passbook', () => {
  it('crosses people and points: the person, their account, its office, station and region, and the lines in it', async () => {
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const result = data(
      await graph.query<{
        person: {
          name: string;
          account: {
            passbookNumber: string;
            balance: number;
            availablePoints: number;
            office: { name: string; region: { name: string }; station: { name: string } | null; bank: { name: string } };
            transfers: { totalCount: number; edges: { node: { cause: string; amount: number; balanceAfter: number } }[] };
          };
        };
      }>(
        `query ($id: ID!) { person(id: $id) { name account { passbookNumber balance availablePoints
          office { name region { name } station { name } bank { name } }
          transfers(first: 5) { totalCount edges { node { cause amount balanceAfter } } } } } }`,
        { variables: { id: DEMO_SAMPLE_PERSON_ID }, token },
      ),
    );
    expect(result.person.name).toBe('王建国');
    // The 360 points he opened with, then a deposit for each of his three service records in the demo.
    const lines = result.person.account.transfers.edges.map((edge) => edge.node);
    expect(lines.map((line) => line.cause)).toEqual(['SERVICE_RECORD', 'SERVICE_RECORD', 'SERVICE_RECORD', 'OPENING']);
    expect(result.person.account.transfers.totalCount).toBe(4);
    const balance = lines.reduce((sum, line) => sum + line.amount, 0);
    expect(balance).toBeGreaterThan(360);
    expect(result.person.account).toMatchObject({ balance, availablePoints: balance });
    expect(lines[0]!.balanceAfter).toBe(balance);
    expect(result.person.account.office).toEqual({
      name: '兴乐社区储蓄所',
      region: { name: '兴乐社区' },
      station: { name: '兴乐社区新时代文明实践站' },
      bank: { name: '新城区公益银行' },
    });
    expect(lines[3]).toEqual({ cause: 'OPENING', amount: 360, balanceAfter: 360 });
  });

  it('is closed to another volunteer and to a merchant', async () => {
    for (const token of [await graph.token({ roles: ['volunteer'], personId: newId() }), await merchantToken()]) {
      const response = await graph.query(`query ($id: ID!) { person(id: $id) { account { balance } } }`, { variables: { id: DEMO_SAMPLE_PERSON_ID }, token });
      expect(response.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
  });
});

describe('a partner merchant’s till', () => {
  it('redeems the payment code the customer shows with its client-credential token, and a retry with the same key returns the first redemption', async () => {
    const customer = await customerWith(120);
    const item = await itemAtYonghui(40, 10);
    const token = await merchantToken();
    const input = { paymentCode: await paymentCodeFor(graph, customer.personId), merchant: YONGHUI, items: [{ item, quantity: 2 }], idempotencyKey: newId() };
    const first = data(await graph.query<Redeemed>(REDEEM, { variables: { input }, token }));
    expect(first.redemptionCreate.redemption).toMatchObject({ status: 'CAPTURED', totalPoints: 80, merchant: { name: '永辉超市新城店' } });
    const retry = data(await graph.query<Redeemed>(REDEEM, { variables: { input }, token }));
    expect(retry).toEqual(first);
    const conflict = data(await graph.query<Redeemed>(REDEEM, { variables: { input: { ...input, items: [{ item, quantity: 1 }] } }, token }));
    expect(conflict.redemptionCreate.userErrors.map((error) => error.code)).toEqual(['IDEMPOTENCY_CONFLICT']);
    // The code paid once: a new request with it is refused, and the passbook number alone is not taken at this till.
    const again = data(await graph.query<Redeemed>(REDEEM, { variables: { input: { ...input, idempotencyKey: newId() } }, token }));
    expect(again.redemptionCreate.userErrors.map((error) => error.code)).toEqual(['PAYMENT_CODE_INVALID']);
    const byPassbook = { passbookNumber: customer.passbookNumber, merchant: YONGHUI, items: [{ item, quantity: 1 }], idempotencyKey: newId() };
    const refused = data(await graph.query<Redeemed>(REDEEM, { variables: { input: byPassbook }, token }));
    expect(refused.redemptionCreate.userErrors.map((error) => error.code)).toEqual(['PAYMENT_CODE_REQUIRED']);

    const books = data(
      await graph.query<{ merchant: { redemptions: { edges: { node: { id: string; memberId: string } }[] } } }>(
        `query ($id: ID!) { merchant(id: $id) { redemptions(first: 1) { edges { node { id memberId } } } } }`,
        { variables: { id: YONGHUI }, token },
      ),
    );
    expect(books.merchant.redemptions.edges[0]!.node).toEqual({ id: first.redemptionCreate.redemption!.id, memberId: first.redemptionCreate.redemption!.memberId });
    // The member id is all the shop learns about its customer.
    const nosy = await graph.query(`query ($id: ID!) { redemption(id: $id) { account { passbookNumber holder { id } } } }`, {
      variables: { id: first.redemptionCreate.redemption!.id },
      token,
    });
    expect(nosy.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('may not redeem at another merchant', async () => {
    const customer = await customerWith(10);
    const item = await itemAtYonghui(1, 10);
    const response = await graph.query(REDEEM, {
      variables: { input: { paymentCode: await paymentCodeFor(graph, customer.personId), merchant: YONGHUI, items: [{ item, quantity: 1 }], idempotencyKey: newId() } },
      token: await merchantToken(HAPPY_SUPERMARKET),
    });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('shows the organisation behind a merchant from the people subgraph', async () => {
    const merchant = data(
      await graph.query<{ merchant: { name: string; organization: { name: string; kind: string } } }>(
        `query ($id: ID!) { merchant(id: $id) { name organization { name kind } } }`,
        {
          variables: { id: HAPPY_SUPERMARKET },
        },
      ),
    );
    expect(merchant.merchant).toEqual({ name: '兴乐幸福超市', organization: { name: '兴乐幸福超市', kind: 'SUPERMARKET' } });
  });
});

describe('over HTTP, under concurrency', () => {
  it('lets exactly 100 of 200 parallel one-point redemptions through an account holding 100 points', async () => {
    const customer = await customerWith(100);
    const item = await itemAtYonghui(1, 1000);
    const token = await merchantToken();
    // 200 redemptions of one account need 200 codes or a till that takes the passbook number: the account's lock is the subject here.
    await yonghuiTakesPassbooks(true);
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        graph.query<Redeemed>(REDEEM, {
          variables: { input: { passbookNumber: customer.passbookNumber, merchant: YONGHUI, items: [{ item, quantity: 1 }], idempotencyKey: newId() } },
          token,
        }),
      ),
    ).finally(() => yonghuiTakesPassbooks(false));
    const payloads = results.map((result) => data(result).redemptionCreate);
    expect(payloads.filter((payload) => payload.redemption !== null)).toHaveLength(100);
    expect(payloads.flatMap((payload) => payload.userErrors.map((error) => error.code))).toEqual(Array.from({ length: 100 }, () => 'INSUFFICIENT_POINTS'));
    const after = data(
      await graph.query<{ account: { balance: number; heldPoints: number } }>(`query ($id: ID!) { account(id: $id) { balance heldPoints } }`, {
        variables: { id: customer.accountId },
        token: await clerkToken(),
      }),
    );
    expect(after.account).toEqual({ balance: 0, heldPoints: 0 });
  });

  it('makes 50 parallel replays of one request into one redemption', async () => {
    const customer = await customerWith(50);
    const item = await itemAtYonghui(5, 100);
    const token = await merchantToken();
    const input = { paymentCode: await paymentCodeFor(graph, customer.personId), merchant: YONGHUI, items: [{ item, quantity: 3 }], idempotencyKey: newId() };
    const results = await Promise.all(Array.from({ length: 50 }, () => graph.query<Redeemed>(REDEEM, { variables: { input }, token })));
    const ids = new Set(results.map((result) => data(result).redemptionCreate.redemption?.id));
    expect(ids.size).toBe(1);
    const after = data(
      await graph.query<{ account: { balance: number; transfers: { totalCount: number } } }>(`query ($id: ID!) { account(id: $id) { balance transfers { totalCount } } }`, {
        variables: { id: customer.accountId },
        token: await clerkToken(),
      }),
    );
    expect(after.account).toEqual({ balance: 35, transfers: { totalCount: 2 } });
  });
});
