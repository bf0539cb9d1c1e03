/** Pages over numbered lines (passbooks, fund statements): the cursor is the line number, newest line first. */
import { BadInputError, readPage, toConnection, type Connection, type ConnectionArgs } from '@lianxin/shared';

export interface LinePage {
  limit: number;
  /** Lines below this number; null for the newest page. */
  beforeLine: number | null;
}

const LINE_NUMBER = /^[1-9][0-9]{0,14}$/;

/** Validates `first`/`after` for a list paged by line number; a forged cursor is a bad request. */
export function readLinePage(args: ConnectionArgs): LinePage {
  const page = readPage(args, ['text']);
  const after = page.after?.[0];
  if (after !== undefined && !LINE_NUMBER.test(after)) throw new BadInputError('The cursor is not one this list handed out.', 'after');
  return { limit: page.limit, beforeLine: after === undefined ? null : Number(after) };
}

/** A connection of numbered lines fetched with `limit + 1`. */
export function toLineConnection<T>(rows: readonly T[], page: LinePage, lineOf: (row: T) => number, totalCount?: () => Promise<number>): Connection<T> {
  return toConnection(rows, { limit: page.limit, after: page.beforeLine === null ? null : [String(page.beforeLine)] }, (row) => [String(lineOf(row))], totalCount);
}
