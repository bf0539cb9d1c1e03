import { describe, expect, it } from '@jest/globals';
import {
  DataLoader,
  byIdLoader,
  byKey,
  createWaveScheduler,
  defineLoaders,
  groupByKey,
  loaderFamily,
  manyOfLoader,
  onlyUuids,
  oneOfLoader,
  plainLoader,
  waveLoader,
  type LoaderFactories,
  type LoaderFactory,
} from '../src/index.js';

const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';
const C = '00000000-0000-7000-8000-00000000000c';

interface Row {
  id: string;
  parentId: string | null;
}

/**
 * A store query over rows held in memory, answering in its own order (not the
 * keys'), and recording the ids each call was given: what reaches SQL. Rows
 * whose key is null come back whatever is asked, as a default does (the
 * default price rule, say).
 */
function store(rows: readonly Row[], keyOf: (row: Row) => string | null) {
  const calls: string[][] = [];
  const find = async (db: { name: string }, ids: string[]): Promise<Row[]> => {
    expect(db.name).toBe('db');
    calls.push(ids);
    return [...rows].reverse().filter((row) => keyOf(row) === null || ids.includes(keyOf(row) ?? ''));
  };
  return { find, calls };
}

const db = { name: 'db' };

describe('loader helpers', () => {
  it('keep keys that cannot be ids away from SQL', () => {
    expect(onlyUuids([A, 'xincheng', '', `${B}'; drop table x`, B.toUpperCase()])).toEqual([A, B.toUpperCase()]);
  });

  it('put rows in key order, null or [] for a key without any', () => {
    const rows = [
      { id: A, parentId: B },
      { id: B, parentId: B },
    ];
    expect(byKey([B, C, A], rows, (row) => row.id)).toEqual([rows[1], null, rows[0]]);
    expect(groupByKey([C, B], rows, (row) => row.parentId)).toEqual([[], rows]);
  });

  it('load rows by id in one call, in key order, null for unknown and malformed ids', async () => {
    const rows: Row[] = [
      { id: A, parentId: null },
      { id: B, parentId: A },
    ];
    const { find, calls } = store(rows, (row) => row.id);
    const loader = byIdLoader(find, db);
    expect(await loader.loadMany([B, 'not-an-id', C, A])).toEqual([rows[1], null, null, rows[0]]);
    expect(calls).toEqual([[B, C, A]]);
  });

  it("load each parent's one row, null for a parent with none; a row without a parent answers no key", async () => {
    const rows: Row[] = [
      { id: A, parentId: B },
      { id: C, parentId: null },
    ];
    const { find, calls } = store(rows, (row) => row.parentId);
    const loader = oneOfLoader(find, 'parentId', db);
    expect(await loader.loadMany([B, A, '', 'null'])).toEqual([rows[0], null, null, null]);
    expect(calls).toEqual([[B, A]]);
  });

  it("load each parent's rows in the store's order, [] for a parent with none", async () => {
    const rows: Row[] = [
      { id: A, parentId: C },
      { id: B, parentId: C },
    ];
    const { find, calls } = store(rows, (row) => row.parentId);
    const loader = manyOfLoader(find, 'parentId', db);
    expect(await loader.loadMany([A, C, 'c'])).toEqual([[], [rows[1], rows[0]], []]);
    expect(calls).toEqual([[A, C]]);
  });

  it('pass no malformed key on, even when none is an id, and give each its empty answer', async () => {
    const { find, calls } = store([], (row) => row.id);
    expect(await byIdLoader(find, db).loadMany(['', 'x'])).toEqual([null, null]);
    expect(await manyOfLoader(find, 'parentId', db).load('x')).toEqual([]);
    expect(calls).toEqual([[], []]);
  });

  it('build their DataLoaders with the factory given: in waves, a load waits for the work in flight', async () => {
    const waves = createWaveScheduler();
    const made: string[] = [];
    const counting: LoaderFactory = (batch) => {
      made.push('loader');
      return waveLoader(waves)(batch);
    };
    const { find, calls } = store([{ id: A, parentId: null }], (row) => row.id);
    const loader = byIdLoader(find, db, counting);
    let release!: () => void;
    const inFlight = waves.track(new Promise<void>((resolve) => (release = resolve)));
    const loading = loader.load(A);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(calls).toEqual([]);
    release();
    await inFlight;
    expect(await loading).toEqual({ id: A, parentId: null });
    expect(made).toEqual(['loader']);
  });
});

describe('defineLoaders', () => {
  /**
   * A set of three loaders over an in-memory store, recording each loader
   * built (by name) and the ids each batch asked for.
   */
  function defineCounted() {
    const built: string[] = [];
    const { find, calls } = store(
      [
        { id: A, parentId: B },
        { id: B, parentId: null },
      ],
      (row) => row.id,
    );
    const create = defineLoaders({
      rowById: (source) => {
        built.push('rowById');
        return byIdLoader(find, source.db, source.load);
      },
      childrenOf: (source) => {
        built.push('childrenOf');
        return manyOfLoader(find, 'parentId', source.db, source.load);
      },
      pageOf: (source) => {
        built.push('pageOf');
        return loaderFamily((limit: number) => new DataLoader<string, number>(async (ids) => ids.map(() => limit + source.db.name.length)));
      },
    } satisfies LoaderFactories<{ db: { name: string }; load: LoaderFactory }>);
    return { create, built, calls };
  }

  const source = { db, load: plainLoader };

  it('build no loader until one is read, then only that one', async () => {
    const { create, built, calls } = defineCounted();
    const loaders = create(source);
    expect(built).toEqual([]);
    expect(await loaders.rowById.load(A)).toEqual({ id: A, parentId: B });
    expect(built).toEqual(['rowById']);
    expect(calls).toEqual([[A]]);
  });

  it('build each loader once per set: every read finds the same loader, its cache and its batches', async () => {
    const { create, built, calls } = defineCounted();
    const loaders = create(source);
    const first = loaders.rowById;
    expect(loaders.rowById).toBe(first);
    // Two reads in one tick join one batch, and a key asked again comes from the cache.
    expect(await Promise.all([loaders.rowById.load(A), loaders.rowById.load(B)])).toEqual([
      { id: A, parentId: B },
      { id: B, parentId: null },
    ]);
    await loaders.rowById.load(A);
    expect(calls).toEqual([[A, B]]);
    // A family is built once too: its loaders per argument set are kept with it.
    expect(loaders.pageOf(5)).toBe(loaders.pageOf(5));
    expect(await loaders.pageOf(5).load(A)).toBe(7);
    expect(built).toEqual(['rowById', 'pageOf']);
  });

  it('make a fresh set that rebuilds, caching nothing the old set read', async () => {
    const { create, built, calls } = defineCounted();
    const loaders = create(source);
    await loaders.rowById.load(A);
    const fresh = create(source);
    expect(fresh.rowById).not.toBe(loaders.rowById);
    await fresh.rowById.load(A);
    expect(calls).toEqual([[A], [A]]);
    expect(built).toEqual(['rowById', 'rowById']);
    // The old set keeps its own loader.
    expect(loaders.rowById).not.toBe(fresh.rowById);
  });

  it('never share a loader between two sets, even when one set built it first', () => {
    const { create } = defineCounted();
    const one = create(source);
    const other = create(source);
    const loader = one.childrenOf;
    expect(other.childrenOf).not.toBe(loader);
    expect(one.childrenOf).toBe(loader);
    expect(Object.keys(other)).toEqual(['childrenOf']);
  });

  it('show only the loaders built so far to Object.keys, a spread and JSON: enumerating builds nothing', () => {
    const { create, built } = defineCounted();
    const loaders = create(source);
    expect(Object.keys(loaders)).toEqual([]);
    expect({ ...loaders }).toEqual({});
    expect(JSON.stringify(loaders)).toBe('{}');
    expect(Object.getOwnPropertySymbols(loaders)).toEqual([]);
    for (const name in loaders) expect(name).toBe('never');
    expect(built).toEqual([]);
    // Every name is there, though: `in` sees the set's definition.
    expect(['rowById', 'childrenOf', 'pageOf'].every((name) => name in loaders)).toBe(true);
    expect(built).toEqual([]);
    const pageOf = loaders.pageOf;
    void loaders.rowById;
    expect(Object.keys(loaders)).toEqual(['pageOf', 'rowById']);
    expect({ ...loaders }).toEqual({ pageOf, rowById: loaders.rowById });
    expect(built).toEqual(['pageOf', 'rowById']);
  });

  it("keep a set's loaders: a built loader cannot be swapped", () => {
    const { create } = defineCounted();
    const loaders = create(source);
    const loader = loaders.rowById;
    expect(() => Object.assign(loaders, { rowById: byIdLoader(async () => [], db) })).toThrow(TypeError);
    expect(() => Object.assign(loaders, { childrenOf: null })).toThrow(TypeError);
    expect(loaders.rowById).toBe(loader);
  });

  it("build each loader from its set's source: loaders of a set made with waves batch in them", async () => {
    const built: string[] = [];
    const { find, calls } = store([{ id: A, parentId: null }], (row) => row.id);
    const create = defineLoaders({
      rowById: ({ load }) => {
        built.push('rowById');
        return byIdLoader(find, db, load);
      },
    } satisfies LoaderFactories<{ load: LoaderFactory }>);
    const waves = createWaveScheduler();
    const loaders = create({ load: waveLoader(waves) });
    let release!: () => void;
    const inFlight = waves.track(new Promise<void>((resolve) => (release = resolve)));
    const loading = loaders.rowById.load(A);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(calls).toEqual([]);
    release();
    await inFlight;
    expect(await loading).toEqual({ id: A, parentId: null });
    expect(built).toEqual(['rowById']);
  });
});
