import { describe, expect, it } from '@jest/globals';
import { BadInputError, decodeCursor, encodeCursor, readPage, toConnection } from '../src/index.js';

describe('keyset connections', () => {
  it('round-trips a cursor and refuses one it did not make', () => {
    const id = '00000000-0000-7000-8002-000000000001';
    const cursor = encodeCursor(['2022-12-05T01:00:00.000Z', id]);
    expect(decodeCursor(cursor, ['timestamp', 'uuid'])).toEqual(['2022-12-05T01:00:00.000Z', id]);
    expect(() => decodeCursor(cursor, ['timestamp'])).toThrow(BadInputError);
    expect(() => decodeCursor('%%%', ['text'])).toThrow(BadInputError);
    expect(() => decodeCursor(encodeCursor(['a']).slice(1), ['text'])).toThrow(BadInputError);
  });

  it('refuses a forged cursor whose parts would fail a SQL cast', () => {
    expect(() => decodeCursor(encodeCursor(['yesterday', '00000000-0000-7000-8002-000000000001']), ['timestamp', 'uuid'])).toThrow(BadInputError);
    expect(() => decodeCursor(encodeCursor(['2022-12-05T01:00:00.000Z', "x' or 1=1"]), ['timestamp', 'uuid'])).toThrow(BadInputError);
    expect(() => decodeCursor(encodeCursor(['2022-13-45T01:00:00.000Z', '00000000-0000-7000-8002-000000000001']), ['timestamp', 'uuid'])).toThrow(BadInputError);
  });

  it('caps the page size and refuses negatives', () => {
    expect(readPage({}, ['text']).limit).toBe(20);
    expect(readPage({ first: 100 }, ['text']).limit).toBe(100);
    expect(() => readPage({ first: 101 }, ['text'])).toThrow(/between 0 and 100/);
    expect(() => readPage({ first: -1 }, ['text'])).toThrow(BadInputError);
  });

  it('uses the extra row only to tell that a next page exists', () => {
    const page = readPage({ first: 2 }, ['text']);
    const connection = toConnection([{ id: 'a' }, { id: 'b' }, { id: 'c' }], page, (row) => [row.id]);
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(['a', 'b']);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: encodeCursor(['a']), endCursor: encodeCursor(['b']) });
    const last = toConnection([{ id: 'c' }], readPage({ first: 2, after: encodeCursor(['b']) }, ['text']), (row) => [row.id]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const empty = toConnection([], page, (row: { id: string }) => [row.id]);
    expect(empty.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });
});
