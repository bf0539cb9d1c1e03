/**
 * A request's loaders are built when a resolver first reads them: a context
 * builds none, a query builds the ones its resolvers read, and a fresh set
 * (after a write) starts empty again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { RecognitionContext } from '../src/context.js';
import { recognitionSubgraph } from '../src/index.js';

let harness: SubgraphHarness<RecognitionContext>;
/** Every context the harness made, in order, with the loaders it held when made. */
const contexts: { ctx: RecognitionContext; builtAtStart: string[] }[] = [];
const admin = viewerOf({ roles: ['platform_admin'] });

beforeAll(async () => {
  harness = await startSubgraphHarness({
    ...recognitionSubgraph,
    createContext: (base, db, settings) => {
      const ctx = recognitionSubgraph.createContext(base, db, settings);
      contexts.push({ ctx, builtAtStart: Object.keys(ctx.loaders) });
      return ctx;
    },
  });
});
afterAll(async () => {
  await harness?.stop();
});

/** Runs `query` as an admin and returns its context's record. */
async function run(query: string, variables: Record<string, unknown> = {}) {
  const before = contexts.length;
  const { errors } = await harness.execute(query, { variables, viewer: admin });
  expect(errors).toBeUndefined();
  expect(contexts).toHaveLength(before + 1);
  return contexts[before]!;
}

describe("a request's loaders", () => {
  it('are not built with the context, nor by a query that reads none', async () => {
    const { ctx, builtAtStart } = await run('{ __typename }');
    expect(builtAtStart).toEqual([]);
    expect(Object.keys(ctx.loaders)).toEqual([]);
  });

  it('are built when a resolver first reads them, only those', async () => {
    const { ctx, builtAtStart } = await run('query ($id: ID!) { badge(id: $id) { id } }', { id: newId() });
    expect(builtAtStart).toEqual([]);
    expect(Object.keys(ctx.loaders)).toEqual(['badgeById']);
  });

  it('start empty again after a write, sharing nothing with the set before', async () => {
    const { ctx } = await run('query ($id: ID!) { badge(id: $id) { id } }', { id: newId() });
    const fresh = ctx.freshLoaders();
    expect(Object.keys(fresh)).toEqual([]);
    expect(fresh.badgeById).not.toBe(ctx.loaders.badgeById);
    expect(await fresh.badgeById.load(newId())).toBeNull();
    expect(Object.keys(fresh)).toEqual(['badgeById']);
  });
});
