/** SQL fragments the stores share: "inside these subtrees" predicates on stored region paths. */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { uuidArray } from '@lianxin/shared';

/** `path` (a place and every region above it) lies inside one of the subtrees rooted at `roots`: one GIN-indexed overlap. */
export function withinAny(path: AnyPgColumn, roots: readonly string[]): SQL {
  return sql`${path} && ${uuidArray(roots)}`;
}
