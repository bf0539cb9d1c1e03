/** Urban–rural pairing (城乡结对): a city savings office paired with a rural one of the same bank. */
import { sql } from 'drizzle-orm';
import { check, foreignKey, index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { points } from './base.js';
import { bankUnitKind, bankUnits } from './bank.js';

/**
 * One pairing, from its start until it ends. Rows are never deleted and only
 * `ended_at`/`ended_by` are ever set, once (a trigger): the history of who was
 * paired with whom stays readable.
 */
export const officePairings = points.table(
  'office_pairings',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** The head bank of both offices: with the foreign keys below, a pairing never straddles two banks. */
    bankId: uuid('bank_id').notNull(),
    /** The city office, whose clerks redeem the rural office's products for its customers. */
    cityOfficeId: uuid('city_office_id').notNull(),
    /** Always 'savings_office': with the foreign key below, the city side is an office. */
    cityOfficeKind: bankUnitKind('city_office_kind')
      .notNull()
      .generatedAlwaysAs(sql`'savings_office'::points.bank_unit_kind`),
    /** The rural office, whose recruited merchants' products the city office lists. */
    ruralOfficeId: uuid('rural_office_id').notNull(),
    ruralOfficeKind: bankUnitKind('rural_office_kind')
      .notNull()
      .generatedAlwaysAs(sql`'savings_office'::points.bank_unit_kind`),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, precision: 3 }),
    endedBy: text('ended_by'),
  },
  (table) => [
    foreignKey({
      name: 'office_pairings_city_fk',
      columns: [table.cityOfficeId, table.cityOfficeKind, table.bankId],
      foreignColumns: [bankUnits.id, bankUnits.kind, bankUnits.bankId],
    }),
    foreignKey({
      name: 'office_pairings_rural_fk',
      columns: [table.ruralOfficeId, table.ruralOfficeKind, table.bankId],
      foreignColumns: [bankUnits.id, bankUnits.kind, bankUnits.bankId],
    }),
    // One active pairing of two offices, whichever side each is on (the reverse pair would say the same thing twice).
    uniqueIndex('office_pairings_one_active')
      .on(sql`least(${table.cityOfficeId}, ${table.ruralOfficeId})`, sql`greatest(${table.cityOfficeId}, ${table.ruralOfficeId})`)
      .where(sql`ended_at is null`),
    index('office_pairings_city_idx').on(table.cityOfficeId, table.createdAt, table.id),
    index('office_pairings_rural_idx').on(table.ruralOfficeId, table.createdAt, table.id),
    check('office_pairings_not_self', sql`${table.cityOfficeId} <> ${table.ruralOfficeId}`),
    check('office_pairings_ended_by_iff_ended', sql`(${table.endedAt} is null) = (${table.endedBy} is null)`),
  ],
);

export type OfficePairingRow = typeof officePairings.$inferSelect;
