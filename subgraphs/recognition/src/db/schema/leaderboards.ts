/**
 * What leaderboards need beyond the read model by period: who opted out of
 * public leaderboards, as people announces it (`person.leaderboard_opt_out_set`).
 */
import { boolean, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recognition } from './base.js';

/**
 * A person's choice about public leaderboards, the latest people announced.
 * A person with no row never chose, and appears by name.
 */
export const leaderboardOptOuts = recognition.table('leaderboard_opt_outs', {
  /** A people Person id. */
  personId: uuid('person_id').primaryKey(),
  optedOut: boolean('opted_out').notNull(),
  /** When the person made the choice (people's instant). */
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
});
