/** The Postgres schema every table of the recognition subgraph lives in. */
import { pgSchema } from 'drizzle-orm/pg-core';

export const recognition = pgSchema('recognition');
