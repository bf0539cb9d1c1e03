/** The Postgres schema every table of the requests subgraph lives in, and the column shapes several modules share. */
import { sql } from 'drizzle-orm';
import { pgSchema, timestamp, uuid } from 'drizzle-orm/pg-core';

export const requests = pgSchema('requests');

/** A timestamp with milliseconds, as page cursors carry them. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
/** Places and everything above them: the region itself last, so "inside this subtree" is one GIN-indexed overlap. */
export const regionPath = () =>
  uuid('region_path')
    .array()
    .notNull()
    .default(sql`'{}'::uuid[]`);
