/**
 * Writes for persons nobody registered, end to end through the gateway with
 * the event runners of `npm start`: a token naming a person people never
 * registered cannot post a micro-wish, nothing dangling is written, and the
 * admins' list still answers; a person registered through people may post
 * once people's `person.registered` has reached requests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { DEMO_REGIONS } from '@lianxin/shared/demo';
import { waitFor } from '@lianxin/shared/testing';
import { demoIdNumber } from '../subgraphs/people/src/db/demo.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({ EVENT_POLL_INTERVAL_MS: '50' });
});
afterAll(async () => {
  await graph?.stop();
});

const { ok, must } = operationsOn(() => graph);

type Posted = { microWishPost: { microWish: { id: string } | null; userErrors: { field: string[] | null; code: string; message: string }[] } };
const post = `mutation ($input: MicroWishPostInput!) { microWishPost(input: $input) { microWish { id } userErrors { field code message } } }`;
const wish = (title: string) => ({ input: { title, story: '冬天手冷。', place: DEMO_REGIONS.eastBuilding2.id } });
const list = `{ microWishes(first: 100) { edges { node { id title status } } } }`;
type Listed = { microWishes: { edges: { node: { id: string; title: string; status: string } }[] } };

describe('a token whose person people never registered', () => {
  it('cannot post a micro-wish, and the admins’ list of wishes still answers without it', async () => {
    const admin = await graph.token({ roles: ['platform_admin'], personId: newId() });
    const unknown = await graph.token({ roles: ['resident', 'volunteer'], personId: newId() });

    const refused = await ok<Posted>(post, unknown, wish('一副无主手套'));
    expect(refused.microWishPost).toEqual({ microWish: null, userErrors: [{ field: null, code: 'NOT_FOUND', message: expect.stringContaining('not (yet) known') }] });

    const response = await graph.query<Listed>(list, { token: admin });
    expect(response.errors).toBeUndefined();
    expect(response.data!.microWishes.edges.length).toBeGreaterThan(0);
    expect(response.data!.microWishes.edges.map((edge) => edge.node.title)).not.toContain('一副无主手套');
  });
});

describe('a person registered through people', () => {
  it('may post once the registration has reached requests', async () => {
    const admin = await graph.token({ roles: ['platform_admin'], personId: newId() });
    const registered = await must<{ person: { id: string } }>(
      'personRegister',
      'person { id }',
      { name: '新登记居民', idNumber: demoIdNumber(977, { gender: 'female', born: '1950-02-02' }), homeRegion: DEMO_REGIONS.eastBuilding2.id },
      admin,
    );
    const resident = await graph.token({ roles: ['resident'], personId: registered.person.id });

    // Until people's person.registered is applied, requests refuses as it would anyone unknown; then the post goes through.
    let posted: Posted['microWishPost'] | undefined;
    await waitFor(
      'the registration to reach requests',
      async () => {
        posted = (await ok<Posted>(post, resident, wish('一副棉手套'))).microWishPost;
        if (posted.microWish === null) expect(posted.userErrors.map((error) => [error.field, error.code])).toEqual([[null, 'NOT_FOUND']]);
        return posted.microWish !== null;
      },
      { intervalMs: 50 },
    );
    const listed = await ok<Listed>(list, admin);
    expect(listed.microWishes.edges.filter((edge) => edge.node.title === '一副棉手套').map((edge) => edge.node.id)).toEqual([posted!.microWish!.id]);
  });
});
