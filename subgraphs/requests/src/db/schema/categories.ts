/** The categories of service that requests, activities and service records are filed under. */
import { sql } from 'drizzle-orm';
import { boolean, check, integer, text, timestamp } from 'drizzle-orm/pg-core';
import { requests } from './base.js';

/** Reference data every install needs: the rows are inserted by the migrations themselves. */
export const categories = requests.table(
  'categories',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    priced: boolean('priced').notNull().default(false),
    position: integer('position').notNull(),
    /** What the service covers, for those choosing a category; empty for the original categories. */
    description: text('description').notNull().default(''),
    /** When admins retired it: it stays on old requests and records, but nothing new is filed under it. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    /** Minors with a guardian's consent may serve in it (e.g. clearing flyers as 小小文明引导员); admins mark it. */
    suitableForMinors: boolean('suitable_for_minors').notNull().default(false),
  },
  (table) => [
    check('categories_code_format', sql`${table.code} ~ '^[a-z][a-z0-9_]*$'`),
    check('categories_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('categories_description_length', sql`char_length(${table.description}) <= 500`),
  ],
);

export type CategoryRow = typeof categories.$inferSelect;
