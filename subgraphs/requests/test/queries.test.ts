/** Lists of requests: by region subtree, status, category and date; the viewer's own; a team's queue, batched. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { DEMO_REGIONS, demoBeijing, demoId } from '@lianxin/shared/demo';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { insertDirectoryTeams } from '../src/directory/store.js';
import { LEXIUJIANG, XINGLE, codeOf, must, requestAt, run, startRequests, viewers, wangJianguo, type RequestsTestBed } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

type Page = { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
const ids = (page: Page) => page.edges.map((edge) => edge.node.id);

/** The start of the demo's today in Beijing: the demo's requests were filed before it, the tests' own after it. */
const DEMO_TODAY = demoBeijing(12, 3, 0);

describe('serviceRequests', () => {
  const query = `query ($f: ServiceRequestFilter, $first: Int, $after: String) { serviceRequests(filter: $f, first: $first, after: $after) {
    totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
  const list = async (filter: Record<string, unknown>, viewer = viewers.station, first = 20) =>
    (await run<{ serviceRequests: Page }>(bed, query, viewer, { f: filter, first })).serviceRequests;

  it('narrows by region subtree, status, category and filing time, newest first', async () => {
    const repairs = await list({
      region: DEMO_REGIONS.xingleCompoundEast.id,
      category: 'home_repair',
      filedFrom: demoBeijing(1, 1, 8),
      filedBefore: DEMO_TODAY,
    });
    // 刘桂芳's window and tap (east building 1), 郑小红's ceiling light (east building 2).
    expect(ids(repairs)).toEqual([demoId(10, 10), demoId(10, 9), demoId(10, 1)]);
    expect(repairs.totalCount).toBe(3);
    expect(ids(await list({ status: ['RATED'], filedBefore: DEMO_TODAY }))).toEqual([demoId(10, 11), demoId(10, 2), demoId(10, 1)]);
    expect(ids(await list({ region: DEMO_REGIONS.westBuilding1.id, status: ['IN_SERVICE'] }))).toEqual([demoId(10, 8)]);
  });

  it('pages with a cursor and cuts the list to the viewer’s scope', async () => {
    const first = await list({ filedBefore: DEMO_TODAY }, viewers.station, 5);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (await run<{ serviceRequests: Page }>(bed, query, viewers.station, { f: { filedBefore: DEMO_TODAY }, first: 20, after: first.pageInfo.endCursor }))
      .serviceRequests;
    expect(ids(first).concat(ids(next))).toHaveLength(12);
    expect(new Set(ids(first).concat(ids(next))).size).toBe(12);
    expect(await list({}, viewers.zimingStation)).toMatchObject({ totalCount: 0, edges: [] });
    expect(codeOf(await bed.requests.execute(query, { viewer: viewers.wang }))).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(query, { variables: { f: { region: 'east' } }, viewer: viewers.station }))).toBe('BAD_USER_INPUT');
  });
});

describe('myServiceRequests', () => {
  it('lists what the viewer asked for, filed, or serves', async () => {
    const query = `query ($rel: MyRequestRelation, $status: [ServiceRequestStatus!]) { myServiceRequests(relation: $rel, status: $status, first: 50) { edges { node { id } } } }`;
    const mine = async (viewer: typeof viewers.wang, rel: string, status?: string[]) =>
      ids((await run<{ myServiceRequests: Page }>(bed, query, viewer, { rel, status })).myServiceRequests);
    expect(await mine(viewers.wang, 'REQUESTED')).toEqual([demoId(10, 7), demoId(10, 6), demoId(10, 5)]);
    expect(await mine(viewers.lin, 'FILED')).toEqual([demoId(10, 10), demoId(10, 3), demoId(10, 11)]);
    expect(await mine(viewers.wang, 'SERVING', ['COMPLETED', 'RATED', 'ACCEPTED'])).toEqual([demoId(10, 10), demoId(10, 9), demoId(10, 1)]);
  });
});

describe('teamQueue', () => {
  const query = `query ($team: ID!, $first: Int) { teamQueue(team: $team, first: $first) { totalCount
    edges { node { id status urgency category { name } requester { id } assignee { id } place { id } history { to actor { id } } cost { total } } } } }`;

  it('shows a team’s open work oldest first to its members and its community’s admins only', async () => {
    const request = await requestAt(bed, 'dispatched');
    const queue = (await run<{ teamQueue: Page }>(bed, query, viewers.zhang, { team: LEXIUJIANG, first: 100 })).teamQueue;
    expect(ids(queue).slice(0, 2)).toEqual([demoId(10, 8), demoId(10, 10)]);
    expect(ids(queue)).toContain(request);
    expect((await run<{ teamQueue: Page }>(bed, query, viewers.lin, { team: LEXIUJIANG })).teamQueue.totalCount).toBe(queue.totalCount);
    expect(codeOf(await bed.requests.execute(query, { variables: { team: LEXIUJIANG }, viewer: viewers.outsider }))).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(query, { variables: { team: LEXIUJIANG }, viewer: viewers.zimingStation }))).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(query, { variables: { team: 'x' }, viewer: viewers.zhang }))).toBe('BAD_USER_INPUT');
  });

  it('costs the same few statements for 5 requests as for 50', async () => {
    const team = newId();
    // A team the directory learns of (as people's events tell it), with 王建国 in it.
    await insertDirectoryTeams(bed.requests.database.db, [{ id: team, communityId: XINGLE, members: [{ personId: wangJianguo.id, role: 'captain' }] }]);
    const dispatchMore = async (count: number) => {
      for (let index = 0; index < count; index += 1) {
        const request = await requestAt(bed, 'approved', index % 2 === 0 ? 'home_repair' : 'cleaning');
        await must(bed, 'serviceRequestDispatch', { request, team }, viewers.station);
      }
    };
    const member = viewerOf({ roles: ['volunteer'], personId: wangJianguo.id });
    await dispatchMore(5);
    const five = await countStatements(bed.requests.database, () => run<{ teamQueue: Page }>(bed, query, member, { team, first: 100 }));
    await dispatchMore(45);
    const fifty = await countStatements(bed.requests.database, () => run<{ teamQueue: Page }>(bed, query, member, { team, first: 100 }));
    expect(five.result.teamQueue.edges).toHaveLength(5);
    expect(fifty.result.teamQueue.edges).toHaveLength(50);
    expect(fifty.count).toBe(five.count);
    // Membership, the page, the count, categories, histories and costs.
    expect(fifty.count).toBe(6);
  });
});
