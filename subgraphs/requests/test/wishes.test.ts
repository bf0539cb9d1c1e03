/** Micro-wishes (微心愿): posted, published, claimed one at a time, fulfilled with evidence, thanked. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, type Viewer } from '@lianxin/shared';
import { DEMO_ORGANIZATIONS, demoId } from '@lianxin/shared/demo';
import { EAST_BUILDING_1, XINGLE, codeOf, run, startRequests, viewers, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

type WishMutation = 'microWishPost' | 'microWishPublish' | 'microWishClaim' | 'microWishRelease' | 'microWishFulfil' | 'microWishThank' | 'microWishWithdraw';
interface WishShape {
  id: string;
  status: string;
  claimant: { id: string } | null;
  claimantOrganization: { id: string } | null;
}

async function wish(mutation: WishMutation, input: Record<string, unknown>, viewer: Viewer): Promise<{ microWish: WishShape | null; userErrors: UserErrorShape[] }> {
  const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const data = await run<Record<string, { microWish: WishShape | null; userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { microWish { id status claimant { id } claimantOrganization { id } } userErrors { field code message } } }`,
    viewer,
    { input },
  );
  return data[mutation]!;
}

async function posted(): Promise<string> {
  const result = await wish('microWishPost', { title: '一个新书包', story: '孩子的书包背了三年，拉链坏了。', place: EAST_BUILDING_1 }, viewers.zheng);
  return result.microWish!.id;
}

describe('a micro-wish', () => {
  it('goes from posted to thanked, each step by whom it belongs to, with its history', async () => {
    const id = await posted();
    const refusedCode = async (mutation: WishMutation, viewer: Viewer) =>
      codeOf(
        await bed.requests.execute(`mutation ($input: ${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { userErrors { code } } }`, {
          variables: { input: { wish: id } },
          viewer,
        }),
      );
    // Unpublished, it is out of sight of volunteers, and of admins elsewhere as of everyone else: FORBIDDEN, as a made-up wish.
    expect(await refusedCode('microWishClaim', viewers.wang)).toBe('FORBIDDEN');
    expect(await refusedCode('microWishPublish', viewers.zimingStation)).toBe('FORBIDDEN');
    expect((await wish('microWishPublish', { wish: id }, viewers.station)).microWish).toMatchObject({ status: 'PUBLISHED' });
    expect((await wish('microWishClaim', { wish: id }, viewers.wang)).microWish).toMatchObject({ status: 'CLAIMED', claimant: { id: viewers.wang.personId } });
    // One claim at a time.
    expect((await wish('microWishClaim', { wish: id }, viewers.zhang)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    expect(
      (await wish('microWishFulfil', { wish: id, note: '送去了。', evidenceUrls: ['https://example.org/bag.jpg'] }, viewers.zhang)).userErrors.map((error) => error.code),
    ).toEqual(['NOT_ALLOWED']);
    expect((await wish('microWishFulfil', { wish: id, note: '送去了。', evidenceUrls: [] }, viewers.wang)).userErrors.map((error) => error.field)).toEqual([
      ['input', 'evidenceUrls'],
    ]);
    expect((await wish('microWishFulfil', { wish: id, note: '送去了新书包。', evidenceUrls: ['https://example.org/bag.jpg'] }, viewers.wang)).microWish).toMatchObject({
      status: 'FULFILLED',
    });
    expect((await wish('microWishThank', { wish: id, message: '谢谢！' }, viewers.wang)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect((await wish('microWishThank', { wish: id, message: '谢谢王爷爷！' }, viewers.zheng)).microWish).toMatchObject({ status: 'THANKED' });

    const data = await run<{
      microWish: { thanks: string; fulfilment: { note: string; evidenceUrls: string[] }; history: { from: string | null; to: string; actor: { id: string } }[] };
    }>(bed, `query ($id: ID!) { microWish(id: $id) { thanks fulfilment { note evidenceUrls } history { from to actor { id } } } }`, viewers.stranger, { id });
    expect(data.microWish).toEqual({
      thanks: '谢谢王爷爷！',
      fulfilment: { note: '送去了新书包。', evidenceUrls: ['https://example.org/bag.jpg'] },
      history: [
        { from: null, to: 'POSTED', actor: { id: viewers.zheng.personId } },
        { from: 'POSTED', to: 'PUBLISHED', actor: { id: viewers.station.personId } },
        { from: 'PUBLISHED', to: 'CLAIMED', actor: { id: viewers.wang.personId } },
        { from: 'CLAIMED', to: 'FULFILLED', actor: { id: viewers.wang.personId } },
        { from: 'FULFILLED', to: 'THANKED', actor: { id: viewers.zheng.personId } },
      ],
    });
  });

  it('lets exactly one of two volunteers claiming at once have it, and the claim be given back', async () => {
    const id = await posted();
    await wish('microWishPublish', { wish: id }, viewers.station);
    const results = await Promise.all([wish('microWishClaim', { wish: id }, viewers.wang), wish('microWishClaim', { wish: id }, viewers.zhang)]);
    expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(1);
    const claimant = results.find((result) => result.userErrors.length === 0)!.microWish!.claimant!.id;
    // The one refused sees the wish as the other's claim left it.
    expect(results.map((result) => result.microWish)).toEqual([0, 1].map(() => ({ id, status: 'CLAIMED', claimant: { id: claimant }, claimantOrganization: null })));
    const holder = claimant === viewers.wang.personId ? viewers.wang : viewers.zhang;
    expect((await wish('microWishRelease', { wish: id, reason: '临时出差。' }, holder)).microWish).toMatchObject({ status: 'PUBLISHED', claimant: null });
  });

  it('may be claimed for an organisation by staff, and withdrawn only before a claim', async () => {
    const supermarket = DEMO_ORGANIZATIONS.find((organization) => organization.kind === 'supermarket')!;
    const id = await posted();
    await wish('microWishPublish', { wish: id }, viewers.station);
    expect(
      codeOf(
        await bed.requests.execute(`mutation { microWishClaim(input: { wish: "${id}", organization: "${supermarket.id}" }) { userErrors { code } } }`, { viewer: viewers.wang }),
      ),
    ).toBe('FORBIDDEN');
    expect((await wish('microWishClaim', { wish: id, organization: supermarket.id }, viewers.lin)).microWish).toMatchObject({ claimantOrganization: { id: supermarket.id } });
    expect((await wish('microWishWithdraw', { wish: id, reason: '不要了。' }, viewers.zheng)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
  });

  it('is hidden from others until published, and listed by region and status', async () => {
    const id = await posted();
    expect(await run(bed, `query ($id: ID!) { microWish(id: $id) { id } }`, viewers.stranger, { id })).toEqual({ microWish: null });
    const list = await run<{ microWishes: { edges: { node: { id: string } }[] } }>(
      bed,
      `query ($f: MicroWishFilter) { microWishes(filter: $f) { edges { node { id } } } }`,
      viewers.stranger,
      { f: { region: XINGLE, status: ['PUBLISHED', 'THANKED'] } },
    );
    const ids = list.microWishes.edges.map((edge) => edge.node.id);
    expect(ids).toEqual(expect.arrayContaining([demoId(14, 1), demoId(14, 2)]));
    expect(ids).not.toContain(id);
    const staff = await run<{ microWishes: { edges: { node: { id: string } }[] } }>(
      bed,
      `{ microWishes(filter: { status: [POSTED] }) { edges { node { id } } } }`,
      viewers.station,
    );
    expect(staff.microWishes.edges.map((edge) => edge.node.id)).toContain(id);
  });

  it('refuses an unknown place and a blank title, writing nothing', async () => {
    expect((await wish('microWishPost', { title: ' ', story: '想要。', place: newId() }, viewers.zheng)).userErrors.map((error) => [error.field, error.code])).toEqual([
      [['input', 'title'], 'REQUIRED'],
    ]);
    expect((await wish('microWishPost', { title: '书', story: '想要。', place: newId() }, viewers.zheng)).userErrors.map((error) => [error.field, error.code])).toEqual([
      [['input', 'place'], 'NOT_FOUND'],
    ]);
  });
});
