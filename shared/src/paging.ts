/**
 * Relay connections over keyset pagination. Cursors are opaque to clients:
 * base64url of the row's sort key, so a page never skips or repeats rows
 * when others are inserted meanwhile (unlike OFFSET).
 */
import { BadInputError } from './errors.js';
import { isUuid } from './ids.js';

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

/** A validated page request: how many rows, and the sort key to start after. */
export interface PageRequest {
  limit: number;
  after: string[] | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * What each part of a list's sort key is. A cursor is base64 a client can
 * forge, so every part is checked before it reaches a uuid or timestamptz
 * cast in SQL (where a bad value would be a database error, not a 400).
 */
export type CursorPart = 'text' | 'uuid' | 'timestamp';

/** The form `Date.toISOString()` writes: all a timestamp cursor part ever holds. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const partIsValid: Record<CursorPart, (part: string) => boolean> = {
  text: () => true,
  uuid: (part) => isUuid(part),
  timestamp: (part) => ISO_INSTANT.test(part) && !Number.isNaN(Date.parse(part)),
};

export function decodeCursor(cursor: string, shape: readonly CursorPart[]): string[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === shape.length && key.every((part, index) => typeof part === 'string' && partIsValid[shape[index]!](part))) {
      return key as string[];
    }
  } catch {
    // fall through: any undecodable cursor is the client's mistake
  }
  throw new BadInputError('The cursor is not one this list handed out.', 'after');
}

/** Validates `first`/`after` for a list whose cursor holds a sort key of `shape`. */
export function readPage(args: ConnectionArgs, shape: readonly CursorPart[], maxSize = MAX_PAGE_SIZE): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > maxSize) {
    throw new BadInputError(`first must be between 0 and ${maxSize}.`, 'first');
  }
  return { limit: first, after: args.after ? decodeCursor(args.after, shape) : null };
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Resolved only when a client asks for it (graphql-js calls function-valued fields). */
  totalCount?: () => Promise<number>;
}

/**
 * Builds a connection from rows fetched with `limit + 1`: the extra row only
 * tells whether there is a next page.
 */
export function toConnection<T>(rows: readonly T[], page: PageRequest, keyOf: (row: T) => readonly string[], totalCount?: () => Promise<number>): Connection<T> {
  const visible = rows.slice(0, page.limit);
  const edges = visible.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      hasPreviousPage: page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    ...(totalCount ? { totalCount } : {}),
  };
}
