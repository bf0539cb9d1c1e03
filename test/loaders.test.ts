/**
 * Each subgraph builds a request's loaders when a resolver first reads them
 * (`defineLoaders`): a context builds none, a query builds the ones its
 * resolvers read, and a fresh set (after a write) starts empty again, sharing
 * nothing with the set before. People's fresh set still batches in the
 * request's waves.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { newId, type BaseContext, type DataLoader, type SubgraphModule } from '@lianxin/shared';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';

/** A subgraph's context as far as these tests read it: its loader sets, by name. */
type LoadersContext = BaseContext & { loaders: object; freshLoaders: () => object };

/** The loader named `name` in `set`. */
const loaderIn = (set: object, name: string) => (set as Record<string, DataLoader<string, unknown>>)[name]!;

const admin = viewerOf({ roles: ['platform_admin'] });

/**
 * Starts `module` with every context it makes recorded, with the loaders it
 * held when made; `run` executes a query as an admin and returns its record.
 */
function recordingContexts<TContext extends LoadersContext, TSettings>(module: SubgraphModule<TContext, TSettings>) {
  const contexts: { ctx: TContext; builtAtStart: string[] }[] = [];
  let harness: SubgraphHarness<TContext>;
  beforeAll(async () => {
    harness = await startSubgraphHarness({
      ...module,
      createContext: (base, db, settings) => {
        const ctx = module.createContext(base, db, settings);
        contexts.push({ ctx, builtAtStart: Object.keys(ctx.loaders) });
        return ctx;
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  return async (query: string, variables: Record<string, unknown> = {}) => {
    const before = contexts.length;
    const { errors } = await harness.execute(query, { variables, viewer: admin });
    expect(errors).toBeUndefined();
    expect(contexts).toHaveLength(before + 1);
    return contexts[before]!;
  };
}

/** The same three checks for every subgraph: `query` (given a new id) reads exactly the loader `loader`. */
function describeLoaders<TContext extends LoadersContext, TSettings>(module: SubgraphModule<TContext, TSettings>, query: string, loader: string) {
  describe(`${module.name}: a request's loaders`, () => {
    const run = recordingContexts(module);

    it('are not built with the context, nor by a query that reads none', async () => {
      const { ctx, builtAtStart } = await run('{ __typename }');
      expect(builtAtStart).toEqual([]);
      expect(Object.keys(ctx.loaders)).toEqual([]);
    });

    it('are built when a resolver first reads them, only those', async () => {
      const { ctx, builtAtStart } = await run(query, { id: newId() });
      expect(builtAtStart).toEqual([]);
      expect(Object.keys(ctx.loaders)).toEqual([loader]);
    });

    it('start empty again after a write, sharing nothing with the set before', async () => {
      const { ctx } = await run(query, { id: newId() });
      const fresh = ctx.freshLoaders();
      expect(Object.keys(fresh)).toEqual([]);
      expect(loaderIn(fresh, loader)).not.toBe(loaderIn(ctx.loaders, loader));
      expect(await loaderIn(fresh, loader).load(newId())).toBeNull();
      expect(Object.keys(fresh)).toEqual([loader]);
    });
  });
}

describeLoaders(peopleSubgraph, 'query ($id: ID!) { person(id: $id) { id } }', 'personById');
describeLoaders(pointsSubgraph, 'query ($id: ID!) { account(id: $id) { id } }', 'accountById');
describeLoaders(recognitionSubgraph, 'query ($id: ID!) { badge(id: $id) { id } }', 'badgeById');
describeLoaders(requestsSubgraph, 'query ($id: ID!) { serviceRequest(id: $id) { id } }', 'serviceRequestById');

describe('people: a fresh set of loaders after a write', () => {
  const run = recordingContexts(peopleSubgraph);

  it("batches in the request's waves, as the first set did", async () => {
    const { ctx } = await run('query ($id: ID!) { person(id: $id) { id } }', { id: newId() });
    const fresh = ctx.freshLoaders();
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
  });
});
