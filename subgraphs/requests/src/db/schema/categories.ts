/** The categories of service that requests, activities and service records are filed under. */
import { sql } from 'drizzle-orm';
import { boolean, check, integer, text } from 'drizzle-orm/pg-core';
import { requests } from './base.js';

/** Reference data every install needs: the rows are inserted by the migrations themselves. */
export const categories = requests.table(
  'categories',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    priced: boolean('priced').notNull().default(false),
    position: integer('position').notNull(),
  },
  (table) => [check('categories_code_format', sql`${table.code} ~ '^[a-z][a-z0-9_]*$'`), check('categories_name_not_blank', sql`length(trim(${table.name})) > 0`)],
);

export type CategoryRow = typeof categories.$inferSelect;
