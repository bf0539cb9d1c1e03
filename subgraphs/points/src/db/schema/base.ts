/** The Postgres schema every table of the points subgraph lives in. */
import { pgSchema } from 'drizzle-orm/pg-core';

export const points = pgSchema('points');
