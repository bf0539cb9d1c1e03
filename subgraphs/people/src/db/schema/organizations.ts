/** Organisations: social organisations, schools, companies, supermarkets of the love alliance. */
import { sql } from 'drizzle-orm';
import { check, index, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { people } from './base.js';
import { regions } from './regions.js';

export const organizationKind = people.enum('organization_kind', [
  'social_organization',
  'school',
  'resident_unit',
  'company',
  'supermarket',
  'government_department',
  'trade_union',
]);

export const organizations = people.table(
  'organizations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    name: text('name').notNull(),
    kind: organizationKind('kind').notNull(),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    unique('organizations_region_name_unique').on(table.regionId, table.name),
    index('organizations_name_idx').on(table.name, table.id),
    check('organizations_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('organizations_contact_phone_mobile', sql`${table.contactPhone} ~ '^1[3-9][0-9]{9}$'`),
  ],
);

export type OrganizationRow = typeof organizations.$inferSelect;
