/** The access log of personal data read unmasked (docs/people.md). */
import { sql } from 'drizzle-orm';
import { check, index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { persons } from './persons.js';
import { households } from './households.js';

/**
 * One row per request and subject whose personal data someone else read
 * unmasked. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export const personalDataAccesses = people.table(
  'personal_data_accesses',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    viewerSubject: text('viewer_subject').notNull(),
    viewerPersonId: uuid('viewer_person_id'),
    subjectPersonId: uuid('subject_person_id').references(() => persons.id),
    subjectHouseholdId: uuid('subject_household_id').references(() => households.id),
    fields: text('fields').array().notNull(),
    traceId: text('trace_id').notNull(),
  },
  (table) => [
    index('personal_data_accesses_at_idx').on(table.at, table.id),
    index('personal_data_accesses_subject_idx').on(table.subjectPersonId, table.at),
    index('personal_data_accesses_household_idx').on(table.subjectHouseholdId, table.at),
    index('personal_data_accesses_viewer_idx').on(table.viewerPersonId, table.at),
    index('personal_data_accesses_viewer_subject_idx').on(table.viewerSubject, table.at),
    check('personal_data_accesses_one_subject', sql`(${table.subjectPersonId} is null) <> (${table.subjectHouseholdId} is null)`),
    check('personal_data_accesses_fields_given', sql`cardinality(${table.fields}) > 0`),
  ],
);

export type PersonalDataAccessRow = typeof personalDataAccesses.$inferSelect;
