/** SQL fragments the stores share: "inside this subtree" predicates on the region path. */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { uuidArray } from '@lianxin/shared';
import { regions } from './db/schema.js';

/** `column` names a region inside the subtree of `rootId` (the root included): one GIN-indexed test. */
export function inSubtree(column: AnyPgColumn | SQL, rootId: string): SQL {
  return sql`${column} in (select "id" from ${regions} where "id" = ${rootId}::uuid or "path" @> array[${rootId}::uuid])`;
}

/** `column` names a region inside any of the subtrees rooted at `rootIds`. */
export function inAnySubtree(column: AnyPgColumn | SQL, rootIds: readonly string[]): SQL {
  const roots = uuidArray(rootIds);
  return sql`${column} in (select "id" from ${regions} where "id" = any(${roots}) or "path" && ${roots})`;
}
