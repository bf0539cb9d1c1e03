/**
 * A request's loaders are built when a resolver first reads them: a context
 * builds none, a query builds the ones its resolvers read, and a fresh set
 * (after a write) starts empty again, in the request's waves.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { peopleSubgraph } from '../src/index.js';

let people: SubgraphHarness<PeopleContext>;
/** Every context the harness made, in order, with the loaders it held when made. */
const contexts: { ctx: PeopleContext; builtAtStart: string[] }[] = [];
const admin = viewerOf({ roles: ['platform_admin'] });

beforeAll(async () => {
  people = await startSubgraphHarness({
    ...peopleSubgraph,
    createContext: (base, db, settings) => {
      const ctx = peopleSubgraph.createContext(base, db, settings);
      contexts.push({ ctx, builtAtStart: Object.keys(ctx.loaders) });
      return ctx;
    },
  });
});
afterAll(async () => {
  await people?.stop();
});

/** Runs `query` as an admin and returns its context's record. */
async function run(query: string, variables: Record<string, unknown> = {}) {
  const before = contexts.length;
  const { errors } = await people.execute(query, { variables, viewer: admin });
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
    const { ctx, builtAtStart } = await run('query ($id: ID!) { person(id: $id) { id } }', { id: newId() });
    expect(builtAtStart).toEqual([]);
    expect(Object.keys(ctx.loaders)).toEqual(['personById']);
  });

  it("start empty again after a write, and batch in the request's waves as the first set did", async () => {
    const { ctx } = await run('query ($id: ID!) { person(id: $id) { id } }', { id: newId() });
    const fresh = ctx.freshLoaders();
    expect(Object.keys(fresh)).toEqual([]);
    expect(fresh.personById).not.toBe(ctx.loaders.personById);
    // A batch waits while the request's waves have work in flight (the access log's, say).
    let release!: () => void;
    const inFlight = ctx.waves.track(new Promise<void>((resolve) => (release = resolve)));
    let answered = false;
    const loading = fresh.personById.load(newId()).then((row) => {
      answered = true;
      return row;
    });
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    release();
    await inFlight;
    expect(await loading).toBeNull();
    expect(Object.keys(fresh)).toEqual(['personById']);
  });
});
