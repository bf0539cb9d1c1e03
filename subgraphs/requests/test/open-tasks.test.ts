/** A volunteer's open tasks (Person.openTasks): what still needs them, oldest first, for them and staff in scope, batched over many persons. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_MORE_VOLUNTEERS, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { codeOf, fileRequest, knowPersons, must, requestAt, run, startRequests, viewers, wangJianguo, zhangXiuying, type RequestsTestBed } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

type Page = { totalCount: number; edges: { node: { id: string; status: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
const OPEN_TASKS = `query ($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on Person {
  openTasks(first: $first, after: $after) { totalCount edges { node { id status } } pageInfo { hasNextPage endCursor } } } } }`;

async function openTasksOf(personId: string, viewer = viewers.wang, first = 100, after: string | null = null): Promise<Page> {
  const data = await run<{ _entities: { openTasks: Page }[] }>(bed, OPEN_TASKS, viewer, { r: [{ __typename: 'Person', id: personId }], first, after });
  return data._entities[0]!.openTasks;
}
const ids = (page: Page) => page.edges.map((edge) => edge.node.id);

/** A request approved and dispatched to `personId` by name. */
async function dispatchedTo(personId: string): Promise<string> {
  const request = await requestAt(bed, 'approved');
  await must(bed, 'serviceRequestDispatch', { request, person: personId }, viewers.station);
  return request;
}

describe('Person.openTasks', () => {
  it('holds what still needs the volunteer, oldest first: dispatched to them by name, accepted, in service', async () => {
    const before = ids(await openTasksOf(wangJianguo.id));
    const named = await dispatchedTo(wangJianguo.id);
    const accepted = await requestAt(bed, 'accepted');
    const serving = await requestAt(bed, 'in_service');
    // Not theirs, or no longer needing them: a team's unaccepted request, finished and cancelled ones, one named for someone else.
    await requestAt(bed, 'dispatched');
    await requestAt(bed, 'completed');
    await requestAt(bed, 'rated');
    await dispatchedTo(zhangXiuying.id);

    const page = await openTasksOf(wangJianguo.id);
    expect(ids(page)).toEqual([...before, named, accepted, serving]);
    expect(page.edges.slice(-3).map((edge) => edge.node.status)).toEqual(['DISPATCHED', 'ACCEPTED', 'IN_SERVICE']);
    expect(page.totalCount).toBe(before.length + 3);
    expect(page.edges.every((edge) => ['DISPATCHED', 'ACCEPTED', 'IN_SERVICE'].includes(edge.node.status))).toBe(true);

    // Once accepted, the named request stays open as the volunteer's own; a finished one leaves the list.
    await must(bed, 'serviceRequestAccept', { request: named }, viewers.wang);
    await must(bed, 'serviceRequestComplete', { request: serving, note: '做完了。' }, viewers.wang);
    const after = await openTasksOf(wangJianguo.id);
    expect(ids(after)).toEqual([...before, named, accepted]);
    expect(after.totalCount).toBe(before.length + 2);
  });

  it('pages with a cursor in the same order', async () => {
    const all = ids(await openTasksOf(wangJianguo.id));
    expect(all.length).toBeGreaterThan(2);
    const first = await openTasksOf(wangJianguo.id, viewers.wang, 2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await openTasksOf(wangJianguo.id, viewers.wang, 100, first.pageInfo.endCursor);
    expect([...ids(first), ...ids(rest)]).toEqual(all);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('is the person’s own and staff’s in scope; other volunteers are refused and staff elsewhere see none', async () => {
    const own = await openTasksOf(wangJianguo.id, viewers.wang);
    expect((await openTasksOf(wangJianguo.id, viewers.station)).totalCount).toBe(own.totalCount);
    expect((await openTasksOf(wangJianguo.id, viewers.platform)).totalCount).toBe(own.totalCount);
    expect(await openTasksOf(wangJianguo.id, viewers.zimingStation)).toMatchObject({ totalCount: 0, edges: [] });
    const variables = { r: [{ __typename: 'Person', id: wangJianguo.id }] };
    expect(codeOf(await bed.requests.execute(OPEN_TASKS, { variables, viewer: viewers.zhang }))).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(OPEN_TASKS, { variables, viewer: viewers.he }))).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(OPEN_TASKS, { variables }))).toBe('UNAUTHENTICATED');
    const till = viewerOf({ roles: ['merchant'], merchantId: '00000000-0000-7000-8999-000000000001' });
    expect(codeOf(await bed.requests.execute(OPEN_TASKS, { variables, viewer: till }))).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(OPEN_TASKS, { variables: { ...variables, after: 'not-a-cursor' }, viewer: viewers.wang }))).toBe('BAD_USER_INPUT');
  });

  it('costs the same statements for a list of persons as for one', async () => {
    const volunteers = [...DEMO_VOLUNTEERS.slice(0, 6).map((volunteer) => volunteer.id), ...DEMO_MORE_VOLUNTEERS.slice(0, 14).map((volunteer) => volunteer.id)];
    await knowPersons(bed, volunteers);
    for (const volunteer of volunteers.slice(1, 5)) await dispatchedTo(volunteer);
    await fileRequest(bed);
    const list = (personIds: string[]) =>
      countStatements(bed.requests.database, () =>
        run<{ _entities: { openTasks: Page }[] }>(bed, OPEN_TASKS, viewers.platform, { r: personIds.map((id) => ({ __typename: 'Person', id })), first: 10 }),
      );
    const one = await list(volunteers.slice(0, 1));
    const twenty = await list(volunteers);
    expect(twenty.result._entities).toHaveLength(20);
    expect(twenty.result._entities.slice(1, 5).every((person) => person.openTasks.edges.length >= 1)).toBe(true);
    expect(twenty.count).toBe(one.count);
    // The dispatched page, the accepted page, the count.
    expect(twenty.count).toBe(3);
  });
});
