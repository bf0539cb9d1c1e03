/** Badges: the kinds there are, and who holds which. */
import { sql } from 'drizzle-orm';
import { check, index, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { recognition } from './base.js';

/** The badges there are. Reference data: the migration inserts the kinds every install needs. */
export const badgeKinds = recognition.table(
  'badge_kinds',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull(),
  },
  (table) => [
    check('badge_kinds_code_not_blank', sql`length(trim(${table.code})) > 0`),
    check('badge_kinds_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('badge_kinds_description_not_blank', sql`length(trim(${table.description})) > 0`),
  ],
);

/**
 * Badges held. `holder_id` is a people-subgraph Person id: no foreign key,
 * since that table lives in another subgraph's schema (and maybe database).
 */
export const badgeAwards = recognition.table(
  'badge_awards',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    badgeCode: text('badge_code')
      .notNull()
      .references(() => badgeKinds.code),
    holderId: uuid('holder_id').notNull(),
    awardedAt: timestamp('awarded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // A person holds each badge once; the constraint also serves as the lookup by badge.
    unique('badge_awards_badge_holder_unique').on(table.badgeCode, table.holderId),
    index('badge_awards_holder_awarded_idx').on(table.holderId, table.awardedAt, table.id),
  ],
);

export type BadgeKindRow = typeof badgeKinds.$inferSelect;
export type BadgeAwardRow = typeof badgeAwards.$inferSelect;
/** An award joined with its kind's name and description: what a Badge shows. */
export type BadgeRow = BadgeAwardRow & Pick<BadgeKindRow, 'name' | 'description'>;
