/**
 * The tiered price: quotes priced by the hardship level the gateway hands
 * over through `@requires` (simulated here with `_entities` representations,
 * as the gateway sends them), signed, agreed, and charged to the charity fund
 * on completion.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import type { Viewer } from '@lianxin/shared';
import { demoId } from '@lianxin/shared/demo';
import { fundCharges, requestSettlements } from '../src/db/schema.js';
import { EAST_BUILDING_1, act, codeOf, must, requestAt, run, startRequests, viewers, wangJianguo, type RequestsTestBed } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

type Hardship = 'ORDINARY' | 'LOW_INCOME' | 'SPECIAL_HARDSHIP';

interface QuoteShape {
  tier: string;
  householdKnown: boolean;
  labour: number;
  materials: number;
  total: number;
  ordinaryLabourPercent: number;
  residentPays: number;
  charityFundPays: number;
  token: string;
  tokenExpiresAt: Date;
}

/** Reads a request's quote the way the gateway resolves it: a representation carrying the requester's household. */
async function quoteOf(request: string, viewer: Viewer, hardship: Hardship | null): Promise<QuoteShape | null> {
  const representation = { __typename: 'ServiceRequest', id: request, requester: { household: hardship ? { id: demoId(45, 99), hardshipLevel: hardship } : null } };
  const data = await run<{ _entities: { quote: QuoteShape | null }[] }>(
    bed,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRequest {
      quote { tier householdKnown labour materials total ordinaryLabourPercent residentPays charityFundPays token tokenExpiresAt }
    } } }`,
    viewer,
    { r: [representation] },
  );
  return data._entities[0]!.quote;
}

async function quoted(labour: number, materials: number): Promise<string> {
  const request = await requestAt(bed, 'accepted', 'home_repair');
  await must(bed, 'serviceRequestQuote', { request, labour, materials }, viewers.wang);
  return request;
}

describe('a quote', () => {
  it('prices the demo’s waiting repair at each tier from the hardship level the graph reports', async () => {
    // 刘桂芳's window: ¥40 labour and ¥15 materials, quoted by 王建国; Xingle's ordinary households pay 80% of labour.
    const request = demoId(10, 10);
    const tiers = await Promise.all((['SPECIAL_HARDSHIP', 'LOW_INCOME', 'ORDINARY', null] as const).map((hardship) => quoteOf(request, viewers.lin, hardship)));
    expect(tiers.map((quote) => quote && [quote.tier, quote.householdKnown, quote.residentPays, quote.charityFundPays])).toEqual([
      ['SPECIAL_HARDSHIP', true, 0, 5500],
      ['LOW_INCOME', true, 1500, 4000],
      ['ORDINARY', true, 3200 + 1500, 0],
      // No household reported (none, or hidden from the viewer): never a subsidy.
      ['ORDINARY', false, 3200 + 1500, 0],
    ]);
    expect(tiers[0]).toMatchObject({ labour: 4000, materials: 1500, total: 5500, ordinaryLabourPercent: 80 });
  });

  it('is shown only to those who may agree to it: not to the volunteer, who sees the cost alone', async () => {
    const request = demoId(10, 10);
    expect(await quoteOf(request, viewers.wang, 'SPECIAL_HARDSHIP')).toBeNull();
    const cost = await run<{ serviceRequest: { cost: unknown; agreedPrice: unknown } }>(
      bed,
      `query ($id: ID!) { serviceRequest(id: $id) { cost { labour materials total quotedBy { id } } agreedPrice { tier } } }`,
      viewers.wang,
      { id: request },
    );
    expect(cost.serviceRequest).toEqual({ cost: { labour: 4000, materials: 1500, total: 5500, quotedBy: { id: wangJianguo.id } }, agreedPrice: null });
  });

  it('is null for free kinds of help and before anything is quoted', async () => {
    expect(await quoteOf(await requestAt(bed, 'accepted', 'cleaning'), viewers.zheng, 'ORDINARY')).toBeNull();
    expect(await quoteOf(await requestAt(bed, 'accepted', 'home_repair'), viewers.zheng, 'ORDINARY')).toBeNull();
  });

  it('follows the price rule nearest the request’s place', async () => {
    const request = await quoted(10_000, 0);
    expect((await quoteOf(request, viewers.zheng, 'ORDINARY'))?.residentPays).toBe(8000);
    const set = await run<{ priceRuleSet: { priceRule: { ordinaryLabourPercent: number; region: { id: string } } | null; userErrors: unknown[] } }>(
      bed,
      `mutation ($input: PriceRuleSetInput!) { priceRuleSet(input: $input) { priceRule { ordinaryLabourPercent region { id } } userErrors { code } } }`,
      viewers.lin,
      { input: { region: demoId(1, 6), ordinaryLabourPercent: 75 } },
    );
    expect(set.priceRuleSet.priceRule).toEqual({ ordinaryLabourPercent: 75, region: { id: demoId(1, 6) } });
    // 郑小红 lives in the east compound's building 2: the compound's rule now applies, not the community's.
    expect((await quoteOf(request, viewers.zheng, 'ORDINARY'))?.residentPays).toBe(7500);
    const rule = await run<{ priceRule: { ordinaryLabourPercent: number } }>(bed, `query ($p: ID!) { priceRule(place: $p) { ordinaryLabourPercent } }`, viewers.zheng, {
      p: EAST_BUILDING_1,
    });
    expect(rule.priceRule.ordinaryLabourPercent).toBe(75);
    const refused = await run<{ priceRuleSet: { userErrors: { code: string }[] } }>(
      bed,
      `mutation { priceRuleSet(input: { region: "${demoId(40, 3)}", ordinaryLabourPercent: 50 }) { userErrors { code } } }`,
      viewers.lin,
    );
    expect(refused.priceRuleSet.userErrors).toEqual([{ code: 'NOT_ALLOWED' }]);
    await run(bed, `mutation { priceRuleSet(input: { region: "${demoId(1, 6)}", ordinaryLabourPercent: 80 }) { userErrors { code } } }`, viewers.lin);
  });

  it('refuses quoting by anyone but the assignee or an admin, a free kind of help, and negative amounts', async () => {
    const request = await requestAt(bed, 'accepted', 'home_repair');
    expect((await act(bed, 'serviceRequestQuote', { request, labour: 100, materials: 0 }, viewers.zhang)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect((await act(bed, 'serviceRequestQuote', { request, labour: -1, materials: 0 }, viewers.wang)).userErrors.map((error) => error.field)).toEqual([['input', 'labour']]);
    const free = await requestAt(bed, 'accepted', 'cleaning');
    expect((await act(bed, 'serviceRequestQuote', { request: free, labour: 100, materials: 0 }, viewers.wang)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
  });
});

describe('agreeing to a quote', () => {
  it('fixes the price, lets service start, and charges the fund on completion', async () => {
    const request = await quoted(6000, 2500);
    expect((await act(bed, 'serviceRequestStart', { request }, viewers.wang)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    const quote = (await quoteOf(request, viewers.zheng, 'SPECIAL_HARDSHIP'))!;
    await must(bed, 'serviceRequestQuoteAgree', { request, quoteToken: quote.token }, viewers.zheng);
    // Agreed once: the quote is no longer offered, and it cannot be re-quoted.
    expect(await quoteOf(request, viewers.zheng, 'ORDINARY')).toBeNull();
    expect((await act(bed, 'serviceRequestQuote', { request, labour: 1, materials: 1 }, viewers.wang)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    expect((await act(bed, 'serviceRequestQuoteAgree', { request, quoteToken: quote.token }, viewers.zheng)).userErrors.map((error) => error.code)).toEqual(['ALREADY_EXISTS']);

    await must(bed, 'serviceRequestStart', { request }, viewers.wang);
    await must(bed, 'serviceRequestComplete', { request, note: '修好了。' }, viewers.wang);
    const agreed = await run<{ serviceRequest: { agreedPrice: unknown } }>(
      bed,
      `query ($id: ID!) { serviceRequest(id: $id) { agreedPrice { tier householdKnown labour materials ordinaryLabourPercent residentPays charityFundPays agreedBy { id } } } }`,
      viewers.zheng,
      { id: request },
    );
    expect(agreed.serviceRequest.agreedPrice).toEqual({
      tier: 'SPECIAL_HARDSHIP',
      householdKnown: true,
      labour: 6000,
      materials: 2500,
      ordinaryLabourPercent: 80,
      residentPays: 0,
      charityFundPays: 8500,
      agreedBy: { id: viewers.zheng.personId },
    });
    const charges = await bed.requests.database.db.select().from(fundCharges).where(eq(fundCharges.requestId, request));
    expect(charges.map((charge) => charge.amountFen)).toEqual([8500]);
  });

  it('charges nothing to the fund for an ordinary household', async () => {
    const request = await quoted(5000, 1000);
    await must(bed, 'serviceRequestQuoteAgree', { request, quoteToken: (await quoteOf(request, viewers.zheng, 'ORDINARY'))!.token }, viewers.zheng);
    await must(bed, 'serviceRequestStart', { request }, viewers.wang);
    await must(bed, 'serviceRequestComplete', { request, note: '修好了。' }, viewers.wang);
    expect(await bed.requests.database.db.select().from(fundCharges).where(eq(fundCharges.requestId, request))).toEqual([]);
  });

  it('refuses a tampered token, one signed with another key, an expired one and one for another request', async () => {
    const request = await quoted(6000, 2500);
    const other = await quoted(6000, 2500);
    const quote = (await quoteOf(request, viewers.zheng, 'ORDINARY'))!;
    const [body, seal] = quote.token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...claims, t: 'special_hardship', rp: 0, fp: 8500 })).toString('base64url')}.${seal}`;
    const agree = (token: string, id = request) => act(bed, 'serviceRequestQuoteAgree', { request: id, quoteToken: token }, viewers.zheng);
    expect((await agree(forged)).userErrors).toEqual([{ field: ['input', 'quoteToken'], code: 'INVALID', message: expect.any(String) }]);
    expect((await agree(`${body}.${Buffer.alloc(32).toString('base64url')}`)).userErrors.map((error) => error.code)).toEqual(['INVALID']);
    expect((await agree('not a token')).userErrors.map((error) => error.code)).toEqual(['INVALID']);
    expect((await agree(quote.token, other)).userErrors.map((error) => error.code)).toEqual(['INVALID']);

    const elsewhere = await startRequests({ REQUESTS_SIGNING_KEY: 'another-key-that-is-long-enough-for-the-check' });
    try {
      // A token of another installation's key is refused here: mint one there and bring it over.
      const foreign = await elsewhere.requests.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRequest { quote { token } } } }`, {
        variables: { r: [{ __typename: 'ServiceRequest', id: demoId(10, 10), requester: { household: { id: demoId(45, 1), hardshipLevel: 'SPECIAL_HARDSHIP' } } }] },
        viewer: viewers.lin,
      });
      const token = (foreign.data as { _entities: { quote: { token: string } }[] })._entities[0]!.quote.token;
      expect((await act(bed, 'serviceRequestQuoteAgree', { request: demoId(10, 10), quoteToken: token }, viewers.lin)).userErrors.map((error) => error.code)).toEqual(['INVALID']);
    } finally {
      await elsewhere.stop();
    }

    bed.clock.set(new Date(Date.now() + 25 * 3600_000));
    try {
      expect((await agree(quote.token)).userErrors).toEqual([{ field: ['input', 'quoteToken'], code: 'EXPIRED', message: expect.any(String) }]);
    } finally {
      bed.clock.reset();
    }
    expect(await bed.requests.database.db.select().from(requestSettlements).where(eq(requestSettlements.requestId, request))).toEqual([]);
  });

  it('refuses a token issued before the quote changed', async () => {
    const request = await quoted(6000, 2500);
    const stale = (await quoteOf(request, viewers.zheng, 'ORDINARY'))!.token;
    await must(bed, 'serviceRequestQuote', { request, labour: 7000, materials: 2500 }, viewers.wang);
    expect((await act(bed, 'serviceRequestQuoteAgree', { request, quoteToken: stale }, viewers.zheng)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    const fresh = (await quoteOf(request, viewers.zheng, 'ORDINARY'))!;
    expect(fresh.residentPays).toBe(5600 + 2500);
    expect(await must(bed, 'serviceRequestQuoteAgree', { request, quoteToken: fresh.token }, viewers.zheng)).toMatchObject({ status: 'ACCEPTED' });
  });

  it('lets only the requester’s side and admins agree', async () => {
    const request = await quoted(6000, 2500);
    const token = (await quoteOf(request, viewers.zheng, 'ORDINARY'))!.token;
    expect((await act(bed, 'serviceRequestQuoteAgree', { request, quoteToken: token }, viewers.wang)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect(codeOf(await bed.requests.execute(`mutation { serviceRequestQuoteAgree(input: { request: "${request}", quoteToken: "x" }) { userErrors { code } } }`))).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('the database', () => {
  it('refuses an agreed price that breaks the tiered rule, however it is written', async () => {
    const request = await quoted(6000, 2500);
    const write = (tier: 'ordinary' | 'low_income' | 'special_hardship', residentPays: number, fundPays: number) =>
      bed.requests.database.db.execute(
        sql`insert into requests.request_settlements (request_id, tier, labour_fen, materials_fen, ordinary_labour_percent, resident_pays_fen, fund_pays_fen, household_known, agreed_by)
            values (${request}, ${tier}, 6000, 2500, 80, ${residentPays}, ${fundPays}, true, ${wangJianguo.id})`,
      );
    await expect(write('special_hardship', 100, 8400)).rejects.toThrow();
    await expect(write('low_income', 0, 8500)).rejects.toThrow();
    await expect(write('ordinary', 7300, 1200)).rejects.toThrow();
    await write('ordinary', 7300, 0);
    await expect(bed.requests.database.db.execute(sql`update requests.request_settlements set resident_pays_fen = 0 where request_id = ${request}`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/keeps history/) },
    });
  });
});
