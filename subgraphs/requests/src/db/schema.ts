/** Tables of the requests subgraph, all in the Postgres schema `requests`. */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';

export const requests = pgSchema('requests');

/** Reference data every install needs: the rows are inserted by the migration itself. */
export const categories = requests.table(
  'categories',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    priced: boolean('priced').notNull().default(false),
    position: integer('position').notNull(),
  },
  (table) => [
    check('categories_code_format', sql`${table.code} ~ '^[a-z][a-z0-9_]*$'`),
    check('categories_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

export const requestChannel = requests.enum('request_channel', ['app', 'mini_program', 'phone', 'walk_in', 'grid_worker', 'device']);

export const requestStatus = requests.enum('request_status', [
  'submitted',
  'approved',
  'rejected',
  'dispatched',
  'accepted',
  'in_service',
  'completed',
  'rated',
  'cancelled',
]);

export const serviceRequests = requests.table(
  'service_requests',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    // A people Person; that table lives in another subgraph's schema, so no foreign key.
    requesterId: uuid('requester_id').notNull(),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    description: text('description').notNull(),
    channel: requestChannel('channel').notNull(),
    status: requestStatus('status').notNull().default('submitted'),
    filedById: uuid('filed_by'),
    // Millisecond precision, so a page cursor (a JavaScript Date) names the row's time exactly.
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    index('service_requests_requester_created_idx').on(table.requesterId, table.createdAt, table.id),
    check('service_requests_description_length', sql`char_length(trim(${table.description})) between 1 and 2000`),
    // Filing for yourself is not filing on someone's behalf.
    check('service_requests_filed_by_other', sql`${table.filedById} is distinct from ${table.requesterId}`),
    check('service_requests_grid_worker_files', sql`${table.channel} <> 'grid_worker' or ${table.filedById} is not null`),
  ],
);

export type CategoryRow = typeof categories.$inferSelect;
export type ServiceRequestRow = typeof serviceRequests.$inferSelect;
export type NewServiceRequestRow = typeof serviceRequests.$inferInsert;
