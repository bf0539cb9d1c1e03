/** Activity series (活动系列): a named campaign grouping activities, such as "1+10+N". */
import { sql } from 'drizzle-orm';
import { check, index, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';

export const activitySeries = requests.table(
  'activity_series',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    organiserId: uuid('organiser_id').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('activity_series_region_path_idx').using('gin', table.regionPath),
    // A region names each of its campaigns once.
    uniqueIndex('activity_series_name_per_region').on(table.regionId, table.name),
    check('activity_series_name_length', sql`char_length(trim(${table.name})) between 1 and 100`),
    check('activity_series_description_length', sql`char_length(${table.description}) <= 2000`),
  ],
);

export type ActivitySeriesRow = typeof activitySeries.$inferSelect;
