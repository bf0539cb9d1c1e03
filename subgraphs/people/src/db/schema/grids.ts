/** Grids (网格): a community's parts, each with its grid worker. */
import { sql } from 'drizzle-orm';
import { check, index, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { regions } from './regions.js';
import { persons } from './persons.js';

export const grids = people.table(
  'grids',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    communityId: uuid('community_id')
      .notNull()
      .references(() => regions.id),
    name: text('name').notNull(),
    workerId: uuid('worker_id').references(() => persons.id),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('grids_community_name_unique').on(table.communityId, table.name),
    index('grids_worker_idx').on(table.workerId),
    check('grids_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

/** Which grid a compound or building belongs to: one grid at most per region. */
export const gridRegions = people.table(
  'grid_regions',
  {
    regionId: uuid('region_id')
      .primaryKey()
      .references(() => regions.id),
    gridId: uuid('grid_id')
      .notNull()
      .references(() => grids.id),
  },
  (table) => [index('grid_regions_grid_idx').on(table.gridId)],
);

export type GridRow = typeof grids.$inferSelect;
