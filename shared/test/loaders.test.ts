import { describe, expect, it } from '@jest/globals';
import { byIdLoader, byKey, createWaveScheduler, groupByKey, manyOfLoader, onlyUuids, oneOfLoader, waveLoader, type LoaderFactory } from '../src/index.js';

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
