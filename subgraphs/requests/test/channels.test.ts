/** The channels needs come in through (民情收集): group chats, courtyard meetings (院坝会) and home visits (大走访), for requests and for micro-wishes. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { viewerOf } from '@lianxin/shared/testing';
import type { Viewer } from '@lianxin/shared';
import { DEMO_REGIONS } from '@lianxin/shared/demo';
import { EAST_BUILDING_1, run, startRequests, viewers, zhengXiaohong, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

const analyst = viewerOf({ roles: ['analyst'] });

interface Filed {
  channel: string | null;
  errors: UserErrorShape[];
}

async function fileRequest(viewer: Viewer, input: Record<string, unknown>): Promise<Filed> {
  const data = await run<{ serviceRequestCreate: { serviceRequest: { channel: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: ServiceRequestCreateInput!) { serviceRequestCreate(input: $input) { serviceRequest { channel } userErrors { field code message } } }`,
    viewer,
    { input: { category: 'cleaning', description: '院坝会上提的：楼道灯坏了。', place: DEMO_REGIONS.eastBuilding2.id, ...input } },
  );
  return { channel: data.serviceRequestCreate.serviceRequest?.channel ?? null, errors: data.serviceRequestCreate.userErrors };
}

async function postWish(viewer: Viewer, input: Record<string, unknown>): Promise<Filed> {
  const data = await run<{ microWishPost: { microWish: { channel: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: MicroWishPostInput!) { microWishPost(input: $input) { microWish { channel } userErrors { field code message } } }`,
    viewer,
    { input: { title: '一副老花镜', story: '大走访时老人说看不清报纸。', place: EAST_BUILDING_1, ...input } },
  );
  return { channel: data.microWishPost.microWish?.channel ?? null, errors: data.microWishPost.userErrors };
}

const codes = (filed: Filed): [unknown, string][] => filed.errors.map((error) => [error.field, error.code]);

describe('a request', () => {
  it.each(['WECHAT_GROUP', 'QQ_GROUP', 'COURTYARD_MEETING', 'HOME_VISIT'])('is recorded through %s by a grid worker or staff filing for the resident', async (channel) => {
    expect(await fileRequest(viewers.gridWorker, { requester: zhengXiaohong.id, channel })).toEqual({ channel, errors: [] });
    expect(await fileRequest(viewers.station, { requester: zhengXiaohong.id, channel })).toEqual({ channel, errors: [] });
  });

  it('filed by the resident themselves through a collected channel is refused, and nothing is written', async () => {
    const before = await run<{ serviceRequestStats: { total: { requests: number } } }>(bed, `{ serviceRequestStats { total { requests } } }`, analyst);
    for (const channel of ['COURTYARD_MEETING', 'HOME_VISIT', 'WECHAT_GROUP', 'QQ_GROUP']) {
      expect(codes(await fileRequest(viewers.zheng, { channel }))).toEqual([[['input', 'channel'], 'INVALID']]);
    }
    const after = await run<{ serviceRequestStats: { total: { requests: number } } }>(bed, `{ serviceRequestStats { total { requests } } }`, analyst);
    expect(after).toEqual(before);
    // A channel that is no channel is a GraphQL validation error, never a 500.
    const bad = await bed.requests.execute(`mutation { serviceRequestCreate(input: { category: "cleaning", description: "x", channel: WECHAT }) { userErrors { code } } }`, {
      viewer: viewers.gridWorker,
    });
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('is counted by channel for analysts', async () => {
    await fileRequest(viewers.gridWorker, { requester: zhengXiaohong.id, channel: 'COURTYARD_MEETING' });
    const data = await run<{ serviceRequestStats: { buckets: { channel: string; figures: { requests: number } }[] } }>(
      bed,
      `query ($f: ServiceRequestStatsFilter) { serviceRequestStats(filter: $f, groupBy: { channel: true }) { buckets { channel figures { requests } } } }`,
      analyst,
      { f: { channels: ['COURTYARD_MEETING'] } },
    );
    expect(data.serviceRequestStats.buckets).toHaveLength(1);
    expect(data.serviceRequestStats.buckets[0]!.channel).toBe('COURTYARD_MEETING');
    expect(data.serviceRequestStats.buckets[0]!.figures.requests).toBeGreaterThanOrEqual(3);
  });
});

describe('a micro-wish', () => {
  it('posted by the wisher comes through the app unless the mini program is named', async () => {
    expect(await postWish(viewers.zheng, {})).toEqual({ channel: 'APP', errors: [] });
    expect(await postWish(viewers.zheng, { channel: 'MINI_PROGRAM' })).toEqual({ channel: 'MINI_PROGRAM', errors: [] });
    for (const channel of ['HOME_VISIT', 'GRID_WORKER', 'DEVICE', 'BUILDING_CAPTAIN']) {
      expect(codes(await postWish(viewers.zheng, { channel }))).toEqual([[['input', 'channel'], 'INVALID']]);
    }
  });

  it('posted by staff for the wisher names how it was collected, and is counted and listed by it', async () => {
    expect(await postWish(viewers.gridWorker, { wisher: zhengXiaohong.id })).toEqual({ channel: 'GRID_WORKER', errors: [] });
    expect(await postWish(viewers.gridWorker, { wisher: zhengXiaohong.id, channel: 'HOME_VISIT' })).toEqual({ channel: 'HOME_VISIT', errors: [] });
    expect(codes(await postWish(viewers.gridWorker, { wisher: zhengXiaohong.id, channel: 'APP' }))).toEqual([[['input', 'channel'], 'INVALID']]);
    expect(codes(await postWish(viewers.gridWorker, { wisher: zhengXiaohong.id, channel: 'DEVICE' }))).toEqual([[['input', 'channel'], 'INVALID']]);

    const stats = await run<{ microWishStats: { buckets: { channel: string; figures: { posted: number } }[] } }>(
      bed,
      `{ microWishStats(filter: { channels: [HOME_VISIT, GRID_WORKER] }, groupBy: { channel: true }) { buckets { channel figures { posted } } } }`,
      analyst,
    );
    expect(stats.microWishStats.buckets).toEqual([
      { channel: 'GRID_WORKER', figures: { posted: 1 } },
      { channel: 'HOME_VISIT', figures: { posted: 1 } },
    ]);
    const list = await run<{ microWishes: { edges: { node: { channel: string } }[] } }>(
      bed,
      `{ microWishes(filter: { channels: [HOME_VISIT] }) { edges { node { channel } } } }`,
      viewers.station,
    );
    expect(list.microWishes.edges).toEqual([{ node: { channel: 'HOME_VISIT' } }]);
  });
});
