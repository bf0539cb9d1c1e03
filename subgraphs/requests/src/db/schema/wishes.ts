/** Micro-wishes (微心愿). */
import { sql } from 'drizzle-orm';
import { check, index, text, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { requestChannel } from './requests.js';

export const wishStatus = requests.enum('wish_status', ['posted', 'published', 'claimed', 'fulfilled', 'thanked', 'withdrawn']);

export const microWishes = requests.table(
  'micro_wishes',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    wisherId: uuid('wisher_id').notNull(),
    postedById: uuid('posted_by').notNull(),
    title: text('title').notNull(),
    story: text('story').notNull(),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    /** How the wish reached the station: the resident's own app, or collected for them (a courtyard meeting, a home visit, a group chat). */
    channel: requestChannel('channel').notNull().default('app'),
    status: wishStatus('status').notNull().default('posted'),
    /** The volunteer who claimed it, or who claimed it for an organisation. */
    claimantId: uuid('claimant_id'),
    claimantOrganizationId: uuid('claimant_organization_id'),
    claimedAt: instant('claimed_at'),
    fulfilmentNote: text('fulfilment_note'),
    evidenceUrls: text('evidence_urls')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    fulfilledAt: instant('fulfilled_at'),
    thanks: text('thanks'),
    thankedAt: instant('thanked_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('micro_wishes_region_path_idx').using('gin', table.regionPath),
    index('micro_wishes_created_idx').on(table.createdAt, table.id),
    check('micro_wishes_title_length', sql`char_length(trim(${table.title})) between 1 and 100`),
    check('micro_wishes_story_length', sql`char_length(trim(${table.story})) between 1 and 2000`),
    check(
      'micro_wishes_claim_matches_status',
      sql`(${table.status} in ('claimed', 'fulfilled', 'thanked')) = (${table.claimantId} is not null and ${table.claimedAt} is not null)`,
    ),
    check('micro_wishes_organization_needs_claimant', sql`${table.claimantOrganizationId} is null or ${table.claimantId} is not null`),
    check('micro_wishes_fulfilled', sql`${table.status} not in ('fulfilled', 'thanked') or ${table.fulfilledAt} is not null`),
    check('micro_wishes_thanked', sql`(${table.status} = 'thanked') = (${table.thankedAt} is not null)`),
  ],
);

/** Every status change of a wish. Append-only. */
export const wishTransitions = requests.table(
  'wish_transitions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    wishId: uuid('wish_id')
      .notNull()
      .references(() => microWishes.id),
    fromStatus: wishStatus('from_status'),
    toStatus: wishStatus('to_status').notNull(),
    actorId: uuid('actor_id').notNull(),
    reason: text('reason'),
    at: instant('at').notNull().defaultNow(),
  },
  (table) => [index('wish_transitions_wish_idx').on(table.wishId, table.at, table.id)],
);

export type MicroWishRow = typeof microWishes.$inferSelect;
export type WishStatus = (typeof wishStatus.enumValues)[number];
export type WishTransitionRow = typeof wishTransitions.$inferSelect;
