/**
 * What BI tools read of households (docs/analysts.md, "SQL for BI tools"):
 * households per community and hardship level with the small cells and their
 * complements already withheld, exactly as the GraphQL `householdStats`
 * answers that question. A view could only count raw households, and a
 * count is what suppression withholds, so the people subgraph computes the
 * cells with the same code (`suppressSmallCells`) and rewrites this table in
 * the transaction of every write that changes the count of a cell
 * (`rewriteHouseholdCells` in stats/service.ts).
 */
import { sql } from 'drizzle-orm';
import { boolean, check, integer, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { people } from './base.js';
import { hardshipLevel } from './households.js';

export const analyticsHouseholdCells = people.table(
  'analytics_household_cells',
  {
    /** The row over every household (the answer's total); the cells have false. */
    total: boolean('total').notNull(),
    /** The community holding the households' addresses; null for the total, and for households placed above any community. */
    communityId: uuid('community_id'),
    /** Null for the total only. */
    hardshipLevel: hardshipLevel('hardship_level'),
    /** The count, or null when it is withheld. */
    households: integer('households'),
    suppressed: boolean('suppressed').notNull(),
    /** The ANALYTICS_MIN_CELL the cells were computed with. */
    minCell: integer('min_cell').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    // One row per cell, and one total: nulls are keys here (the total, the households above any community).
    unique('analytics_household_cells_key').on(table.total, table.communityId, table.hardshipLevel).nullsNotDistinct(),
    check('analytics_household_cells_withheld', sql`(${table.households} is null) = ${table.suppressed}`),
    check('analytics_household_cells_total_has_no_key', sql`not ${table.total} or (${table.communityId} is null and ${table.hardshipLevel} is null)`),
    check('analytics_household_cells_cell_has_level', sql`${table.total} or ${table.hardshipLevel} is not null`),
  ],
);

export type AnalyticsHouseholdCellRow = typeof analyticsHouseholdCells.$inferSelect;
