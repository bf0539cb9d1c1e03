/**
 * Relay connections over keyset pagination. Cursors are opaque to clients:
 * base64url of the row's sort key, so a page never skips or repeats rows
 * when others are inserted meanwhile (unlike OFFSET).
 */
import { BadInputError } from './errors.js';

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

export function decodeCursor(cursor: string, arity: number): string[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity && key.every((part) => typeof part === 'string')) {
      return key as string[];
    }
  } catch {
    // fall through: any undecodable cursor is the client's mistake
  }
  throw new BadInputError('The cursor is not one this list handed out.', 'after');
}

/** Validates `first`/`after`; `arity` is how many sort-key parts the list's cursor holds. */
export function readPage(args: ConnectionArgs, arity = 1, maxSize = MAX_PAGE_SIZE): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > maxSize) {
    throw new BadInputError(`first must be between 0 and ${maxSize}.`, 'first');
  }
  return { limit: first, after: args.after ? decodeCursor(args.after, arity) : null };
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
export function toConnection<T>(
  rows: readonly T[],
  page: PageRequest,
  keyOf: (row: T) => readonly string[],
  totalCount?: () => Promise<number>,
): Connection<T> {
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
