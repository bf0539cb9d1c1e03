/**
 * The service menu end to end through the gateway: 乐修匠's demo menu browsed
 * with team names from the people subgraph, an order from it approved by the
 * station and so dispatched to the team, accepted by a member; and a new
 * category reaching a team's offer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_TEAM, DEMO_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let tokens: Record<'zheng' | 'wang' | 'zhang' | 'station', string>;

beforeAll(async () => {
  graph = await startTestGraph({ EVENT_RUNNERS: 'false' });
  const XINGLE = DEMO_REGIONS.xingle.id;
  tokens = {
    zheng: await graph.token({ roles: ['resident'], personId: DEMO_RESIDENTS[2]!.id }),
    wang: await graph.token({ roles: ['volunteer', 'team_captain'], personId: DEMO_VOLUNTEERS[0]!.id }),
    zhang: await graph.token({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[1]!.id }),
    station: await graph.token({ roles: ['station_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] }),
  };
});
afterAll(async () => {
  await graph?.stop();
});

async function ok<T>(query: string, token: string | undefined, variables: Record<string, unknown> = {}): Promise<T> {
  const response: GraphQLResponse<T> = await graph.query<T>(query, { variables, ...(token ? { token } : {}) });
  if (response.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

describe('the service menu through the gateway', () => {
  it('shows 乐修匠’s menu to anyone, with the team’s name, and takes an order to the team', async () => {
    const menu = await ok<{ serviceOffers: { edges: { node: { id: string; team: { name: string }; category: { code: string }; windows: { weekday: number }[] } }[] } }>(
      `query ($region: ID!) { serviceOffers(filter: { region: $region }) { edges { node { id team { name } category { code } windows { weekday } } } } }`,
      undefined,
      { region: DEMO_REGIONS.eastBuilding2.id },
    );
    const offers = menu.serviceOffers.edges.map((edge) => edge.node);
    expect(offers.map((offer) => offer.id)).toEqual(expect.arrayContaining([demoId(12, 41), demoId(12, 42), demoId(12, 43)]));
    expect(offers.find((offer) => offer.id === demoId(12, 43))).toMatchObject({ team: { name: DEMO_TEAM.name }, category: { code: 'cleaning' }, windows: [{ weekday: 3 }] });

    const ordered = await ok<{ serviceRequestFromOffer: { serviceRequest: { id: string; status: string } | null; userErrors: unknown[] } }>(
      `mutation ($input: ServiceRequestFromOfferInput!) { serviceRequestFromOffer(input: $input) { serviceRequest { id status } userErrors { field code message } } }`,
      tokens.zheng,
      { input: { offer: demoId(12, 43), description: '家里想做一次大扫除。', place: DEMO_REGIONS.eastBuilding2.id } },
    );
    expect(ordered.serviceRequestFromOffer).toMatchObject({ serviceRequest: { status: 'SUBMITTED' }, userErrors: [] });
    const request = ordered.serviceRequestFromOffer.serviceRequest!.id;

    const approved = await ok<{ serviceRequestApprove: { serviceRequest: { status: string; dispatchedTeam: { name: string } | null } | null; userErrors: unknown[] } }>(
      `mutation ($request: ID!) { serviceRequestApprove(input: { request: $request }) { serviceRequest { status dispatchedTeam { name } } userErrors { code } } }`,
      tokens.station,
      { request },
    );
    expect(approved.serviceRequestApprove).toEqual({ serviceRequest: { status: 'DISPATCHED', dispatchedTeam: { name: DEMO_TEAM.name } }, userErrors: [] });

    const queue = await ok<{ teamQueue: { edges: { node: { id: string } }[] } | null }>(
      `query ($team: ID!) { teamQueue(team: $team, first: 100) { edges { node { id } } } }`,
      tokens.zhang,
      { team: DEMO_TEAM.id },
    );
    expect(queue.teamQueue?.edges.map((edge) => edge.node.id)).toContain(request);
  });

  it('lets a team claim the station’s open need once', async () => {
    const claim = `mutation ($input: ServiceNeedClaimInput!) { serviceNeedClaim(input: $input) { need { claimedBy { name } } userErrors { field code } } }`;
    const input = { need: demoId(12, 52), team: DEMO_TEAM.id };
    const first = await ok<{ serviceNeedClaim: unknown }>(claim, tokens.wang, { input });
    expect(first.serviceNeedClaim).toEqual({ need: { claimedBy: { name: DEMO_TEAM.name } }, userErrors: [] });
    const again = await ok<{ serviceNeedClaim: unknown }>(claim, tokens.wang, { input });
    expect(again.serviceNeedClaim).toEqual({ need: { claimedBy: { name: DEMO_TEAM.name } }, userErrors: [{ field: ['input', 'need'], code: 'ALREADY_EXISTS' }] });
  });
});
