/**
 * `me` through the gateway, for every role a token may carry: who the caller
 * is, their roles and scope as the people subgraph reads them, and what the
 * other subgraphs add for them (the person's account, open tasks, hours and
 * badges; a till's merchant), in one operation.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES, type Role } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_STAFF, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { DEMO_MERCHANTS } from '../subgraphs/points/src/db/demo.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

const ME = `{ me {
  id roles regionScope { id name }
  person { id displayName account { passbookNumber } openTasks(first: 5) { totalCount } serviceHours { minutes } badges { code } serviceTally { services } }
  merchant { id name }
} }`;

interface Me {
  id: string;
  roles: string[];
  regionScope: { id: string; name: string }[];
  person: {
    id: string;
    displayName: string;
    account: { passbookNumber: string } | null;
    openTasks: { totalCount: number } | null;
    serviceHours: { minutes: number } | null;
    badges: { code: string }[] | null;
    serviceTally: { services: number } | null;
  } | null;
  merchant: { id: string; name: string } | null;
}

const wangJianguo = DEMO_VOLUNTEERS[0]!;
const staff = DEMO_STAFF[0]!;
const XINGLE = DEMO_REGIONS.xingle;
const yonghui = DEMO_MERCHANTS.yonghui;

/** Roles held by a person at their desk: a staff token names its region scope. */
const SCOPED: readonly Role[] = ['grid_worker', 'station_admin', 'community_admin', 'bank_clerk'];

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.stop();
});

async function me(token: string | undefined): Promise<Me | null> {
  const response = await graph.query<{ me: Me | null }>(ME, { token });
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.data!.me;
}

describe('me through the gateway', () => {
  it('is null for an anonymous caller', async () => {
    expect(await me(undefined)).toBeNull();
  });

  it('answers for every role', async () => {
    for (const role of ROLES) {
      if (role === 'merchant') continue; // a till's credential names a merchant, not a person: below
      const personId = role === 'resident' || role === 'volunteer' || role === 'team_captain' ? wangJianguo.id : staff.id;
      const regionIds = SCOPED.includes(role) ? [XINGLE.id] : [];
      const token = await graph.token({ roles: [role], personId, regionIds });
      const answer = await me(token);
      expect(answer).toMatchObject({ id: personId, roles: [role.toUpperCase()], regionScope: regionIds.map((id) => ({ id, name: XINGLE.name })), merchant: null });
      expect(answer!.person).toMatchObject({ id: personId, displayName: expect.any(String) });
    }
  });

  it('gives a volunteer their account, open tasks, hours and tally in one operation', async () => {
    const token = await graph.token({ roles: ['volunteer', 'team_captain'], personId: wangJianguo.id });
    const answer = await me(token);
    expect(answer).toMatchObject({ id: wangJianguo.id, roles: ['VOLUNTEER', 'TEAM_CAPTAIN'], regionScope: [], merchant: null });
    expect(answer!.person).toMatchObject({
      id: wangJianguo.id,
      account: { passbookNumber: expect.stringMatching(/^\d{12}$/) },
      openTasks: { totalCount: expect.any(Number) },
      serviceHours: { minutes: expect.any(Number) },
      badges: expect.any(Array),
      serviceTally: { services: expect.any(Number) },
    });
    expect(answer!.person!.serviceHours!.minutes).toBeGreaterThan(0);
  });

  it('tells a merchant’s till which merchant it speaks for, with no person', async () => {
    const token = await graph.token({ roles: ['merchant'], merchantId: yonghui.id });
    expect(await me(token)).toEqual({ id: yonghui.id, roles: ['MERCHANT'], regionScope: [], person: null, merchant: { id: yonghui.id, name: yonghui.name } });
  });

  it('shows no merchant to a person holding the merchant role without a till credential', async () => {
    const token = await graph.token({ roles: ['merchant'], personId: wangJianguo.id, merchantId: yonghui.id });
    const answer = await me(token);
    expect(answer).toMatchObject({ id: wangJianguo.id, merchant: null, person: { id: wangJianguo.id } });
  });
});
