/** What points has learnt from other subgraphs' events. */
import { timestamp, uuid } from 'drizzle-orm/pg-core';
import { points } from './base.js';

/**
 * Persons the people subgraph has registered (`person.registered`), the
 * only persons points opens accounts for, deposits to or names as clerks:
 * a person id nobody registered is refused. Fed by the event consumer; the
 * demo data writes the demo cast here as it writes no events.
 */
export const directoryPersons = points.table('directory_persons', {
  /** A people Person id. */
  personId: uuid('person_id').primaryKey(),
  /** When people registered them, as the event says. */
  registeredAt: timestamp('registered_at', { withTimezone: true, precision: 3 }).notNull(),
  /** When points learnt of them. */
  learnedAt: timestamp('learned_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export type DirectoryPersonRow = typeof directoryPersons.$inferSelect;
