/** Micro-wishes (微心愿). */
import { sql } from 'drizzle-orm';
import { check, index, integer, text, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { requestChannel } from './requests.js';

export const wishStatus = requests.enum('wish_status', ['posted', 'published', 'claimed', 'fulfilled', 'thanked', 'withdrawn']);

/** Where the hours a fulfiller states for a wish stand: waiting for a station's decision, confirmed (a service record is written), rejected. */
export const wishHoursStatus = requests.enum('wish_hours_status', ['claimed', 'confirmed', 'rejected']);

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
    /** Minutes the fulfiller states the wish took, for a service record once a station confirms them. */
    hoursMinutes: integer('hours_minutes'),
    hoursStatus: wishHoursStatus('hours_status'),
    hoursClaimedAt: instant('hours_claimed_at'),
    /** The station staff member who confirmed or rejected the hours, and when. */
    hoursDecidedById: uuid('hours_decided_by'),
    hoursDecidedAt: instant('hours_decided_at'),
    hoursRejectionReason: text('hours_rejection_reason'),
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
    check(
      'micro_wishes_hours_claim',
      sql`(${table.hoursStatus} is null) = (${table.hoursMinutes} is null) and (${table.hoursStatus} is null) = (${table.hoursClaimedAt} is null) and (${table.hoursStatus} is null or ${table.status} in ('fulfilled', 'thanked'))`,
    ),
    check('micro_wishes_hours_minutes', sql`${table.hoursMinutes} between 1 and 1440`),
    check(
      'micro_wishes_hours_decision',
      sql`(${table.hoursStatus} in ('confirmed', 'rejected')) = (${table.hoursDecidedById} is not null and ${table.hoursDecidedAt} is not null) and (${table.hoursStatus} = 'rejected') = (${table.hoursRejectionReason} is not null)`,
    ),
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
export type WishHoursStatus = (typeof wishHoursStatus.enumValues)[number];
export type WishTransitionRow = typeof wishTransitions.$inferSelect;
