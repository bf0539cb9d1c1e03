/** Practice centres, institutes and stations (新时代文明实践中心/所/站): one per region. */
import { sql } from 'drizzle-orm';
import { check, index, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { regions } from './regions.js';

export const stationKind = people.enum('station_kind', ['practice_centre', 'institute', 'station']);

export const stations = people.table(
  'stations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    kind: stationKind('kind').notNull(),
    name: text('name').notNull(),
    regionId: uuid('region_id')
      .notNull()
      .unique('stations_one_per_region')
      .references(() => regions.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => stations.id),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index('stations_parent_idx').on(table.parentId), check('stations_only_centres_are_roots', sql`(${table.kind} = 'practice_centre') = (${table.parentId} is null)`)],
);

export type StationRow = typeof stations.$inferSelect;
