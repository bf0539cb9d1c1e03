/**
 * A priced offer end to end through the gateway: a resident orders 乐修匠's
 * repairs from the demo menu for a time inside its windows (one outside is
 * refused), the station's approval dispatches it, and the quote the order
 * was filed with is read at the household's own tier, as the people
 * subgraph reports it, and agreed: the price is the offer's tier price.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, demoId } from '@lianxin/shared/demo';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let resident: string;
let station: string;

beforeAll(async () => {
  graph = await startTestGraph({ EVENT_RUNNERS: 'false' });
  resident = await graph.token({ roles: ['resident'], personId: DEMO_RESIDENTS[0]!.id });
  station = await graph.token({ roles: ['station_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [DEMO_REGIONS.xingle.id] });
});
afterAll(async () => {
  await graph?.stop();
});

async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response: GraphQLResponse<T> = await graph.query<T>(query, { variables, token });
  if (response.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

const REPAIRS = demoId(12, 41);
const PLACE = DEMO_REGIONS.eastBuilding1.id;
const DAY = 86_400_000;

/** The next Tuesday, `hour`:`minute` Beijing time, at least two days ahead. */
function nextTuesday(hour: number, minute = 0): Date {
  for (let days = 2; ; days += 1) {
    const beijing = new Date(Date.now() + days * DAY + 8 * 3600_000);
    if (beijing.getUTCDay() === 2) return new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate(), hour - 8, minute));
  }
}

type OrderPayload = { serviceRequestFromOffer: { serviceRequest: { id: string } | null; userErrors: { field: string[]; code: string }[] } };
const ORDER = `mutation ($input: ServiceRequestFromOfferInput!) { serviceRequestFromOffer(input: $input) { serviceRequest { id } userErrors { field code } } }`;

describe('ordering from a priced offer', () => {
  it('refuses a time outside the offer’s windows, and quotes an order inside them at the household’s tier of the offer’s price', async () => {
    const outside = await ok<OrderPayload>(ORDER, resident, { input: { offer: REPAIRS, description: '厨房水龙头漏水。', place: PLACE, wishedAt: nextTuesday(13) } });
    expect(outside.serviceRequestFromOffer).toEqual({ serviceRequest: null, userErrors: [{ field: ['input', 'wishedAt'], code: 'INVALID_STATE' }] });

    const filed = await ok<OrderPayload>(ORDER, resident, { input: { offer: REPAIRS, description: '厨房水龙头漏水。', place: PLACE, wishedAt: nextTuesday(10) } });
    expect(filed.serviceRequestFromOffer.userErrors).toEqual([]);
    const request = filed.serviceRequestFromOffer.serviceRequest!.id;
    const approved = await ok<{ serviceRequestApprove: { serviceRequest: { status: string } | null } }>(
      `mutation ($input: ServiceRequestApproveInput!) { serviceRequestApprove(input: $input) { serviceRequest { status } } }`,
      station,
      { input: { request } },
    );
    expect(approved.serviceRequestApprove.serviceRequest?.status).toBe('DISPATCHED');

    type Read = {
      serviceRequest: {
        cost: { labour: number; materials: number } | null;
        quote: { tier: string; householdKnown: boolean; residentPays: number; charityFundPays: number; token: string } | null;
      };
    };
    const read = await ok<Read>(
      `query ($id: ID!) { serviceRequest(id: $id) { cost { labour materials } quote { tier householdKnown residentPays charityFundPays token } } }`,
      resident,
      { id: request },
    );
    expect(read.serviceRequest.cost).toEqual({ labour: 6000, materials: 2000 });
    const quote = read.serviceRequest.quote!;
    // 刘桂芳's household is special hardship (特困): the charity fund pays the whole of the offer's ¥60 and ¥20.
    expect(quote).toMatchObject({ tier: 'SPECIAL_HARDSHIP', householdKnown: true, residentPays: 0, charityFundPays: 8000 });
    const tiers = await ok<{ serviceOffers: { edges: { node: { id: string; tierPrices: { tier: string; residentPays: number; charityFundPays: number }[] | null } }[] } }>(
      `query ($place: ID!) { serviceOffers(first: 100) { edges { node { id tierPrices(place: $place) { tier residentPays charityFundPays } } } } }`,
      resident,
      { place: PLACE },
    );
    const offered = tiers.serviceOffers.edges.find((edge) => edge.node.id === REPAIRS)?.node.tierPrices;
    expect(offered?.find((row) => row.tier === quote.tier)).toEqual({ tier: quote.tier, residentPays: quote.residentPays, charityFundPays: quote.charityFundPays });

    const agreed = await ok<{
      serviceRequestQuoteAgree: { serviceRequest: { agreedPrice: { residentPays: number; charityFundPays: number } | null } | null; userErrors: unknown[] };
    }>(
      `mutation ($input: ServiceRequestQuoteAgreeInput!) { serviceRequestQuoteAgree(input: $input) { serviceRequest { agreedPrice { residentPays charityFundPays } } userErrors { field code } } }`,
      resident,
      { input: { request, quoteToken: quote.token } },
    );
    expect(agreed.serviceRequestQuoteAgree).toEqual({
      serviceRequest: { agreedPrice: { residentPays: quote.residentPays, charityFundPays: quote.charityFundPays } },
      userErrors: [],
    });
  });
});
