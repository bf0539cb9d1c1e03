/** SQL fragments the stores share: "inside these subtrees" predicates on stored region paths, and subquery columns. */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { uuidArray } from '@lianxin/shared';

/** `path` (a place and every region above it) lies inside one of the subtrees rooted at `roots`: one GIN-indexed overlap. */
export function withinAny(path: AnyPgColumn, roots: readonly string[]): SQL {
  return sql`${path} && ${uuidArray(roots)}`;
}

/** The columns of a table (`getTableColumns`) as selected from a subquery over it: for window-function pages. */
export function pick<T extends Record<string, unknown>, S extends Record<keyof T, unknown>>(subquery: S, table: T): { [K in keyof T]: S[K] } {
  return Object.fromEntries(Object.keys(table).map((key) => [key, subquery[key as keyof T]])) as { [K in keyof T]: S[K] };
}
