/** The Postgres schema every table of the people subgraph lives in. */
import { pgSchema } from 'drizzle-orm/pg-core';

export const people = pgSchema('people');
