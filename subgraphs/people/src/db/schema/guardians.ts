/** Guardians' consent (监护人同意) for a minor to volunteer: recorded, and revoked rather than deleted. */
import { sql } from 'drizzle-orm';
import { check, index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { persons } from './persons.js';

export const guardianConsents = people.table(
  'guardian_consents',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    minorId: uuid('minor_id')
      .notNull()
      .references(() => persons.id),
    /** The guardian when registered; otherwise their name. */
    guardianId: uuid('guardian_id').references(() => persons.id),
    guardianName: text('guardian_name'),
    relationship: text('relationship').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    revokedBy: text('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    index('guardian_consents_minor_idx').on(table.minorId, table.recordedAt),
    uniqueIndex('guardian_consents_one_in_force')
      .on(table.minorId)
      .where(sql`${table.revokedAt} is null`),
    check('guardian_consents_guardian_named', sql`(${table.guardianId} is null) <> (${table.guardianName} is null)`),
    check('guardian_consents_not_own_guardian', sql`${table.guardianId} is distinct from ${table.minorId}`),
    check('guardian_consents_name_length', sql`${table.guardianName} is null or char_length(trim(${table.guardianName})) between 1 and 50`),
    check('guardian_consents_relationship_length', sql`char_length(trim(${table.relationship})) between 1 and 20`),
    check(
      'guardian_consents_revoked',
      sql`(${table.revokedAt} is null) = (${table.revokedBy} is null) and (${table.revokedAt} is null or ${table.revokedAt} >= ${table.recordedAt})`,
    ),
  ],
);

export type GuardianConsentRow = typeof guardianConsents.$inferSelect;
