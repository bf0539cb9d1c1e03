/**
 * The service menu (服务清单): offers teams publish for residents to order
 * from, and need lists stations publish for teams to claim. Capacity per
 * week and claiming once are held by the database (triggers and a unique
 * key hand-written in the migration), so two callers at once cannot pass them.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { categories } from './categories.js';
import { serviceRequests } from './requests.js';

/** A weekly window when a team serves: ISO weekday (1 Monday … 7 Sunday) and Beijing times `HH:MM`. */
export interface ScheduleWindow {
  weekday: number;
  start: string;
  end: string;
}

export const serviceOffers = requests.table(
  'service_offers',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** A people Team, kept in the directory. */
    teamId: uuid('team_id').notNull(),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    description: text('description').notNull(),
    /** The regions served: an order from a place inside any of them is accepted. */
    areaRegionIds: uuid('area_region_ids').array().notNull(),
    windows: jsonb('windows').$type<ScheduleWindow[]>().notNull(),
    capacityPerWeek: integer('capacity_per_week').notNull(),
    /** A priced offer's market cost per order, in fen: what the tiered price divides between the household and the charity fund. Null for a free offer. */
    labourFen: integer('labour_fen'),
    materialsFen: integer('materials_fen'),
    publishedById: uuid('published_by').notNull(),
    publishedAt: instant('published_at').notNull(),
    withdrawnAt: instant('withdrawn_at'),
  },
  (table) => [
    check('service_offers_capacity_range', sql`${table.capacityPerWeek} between 1 and 1000`),
    check('service_offers_description_length', sql`char_length(${table.description}) between 1 and 1000`),
    check('service_offers_area_not_empty', sql`cardinality(${table.areaRegionIds}) between 1 and 50`),
    check('service_offers_price_whole', sql`(${table.labourFen} is null) = (${table.materialsFen} is null)`),
    check('service_offers_price_range', sql`${table.labourFen} between 0 and 10000000 and ${table.materialsFen} between 0 and 10000000`),
    check('service_offers_windows_array', sql`jsonb_typeof(${table.windows}) = 'array' and jsonb_array_length(${table.windows}) between 1 and 28`),
    index('service_offers_published_idx').on(table.publishedAt, table.id),
  ],
);

export type ServiceOfferRow = typeof serviceOffers.$inferSelect;

/** A station's list of needs (需求清单) for a team to claim and serve. */
export const serviceNeeds = requests.table(
  'service_needs',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    categoryCode: text('category_code')
      .notNull()
      .references(() => categories.code),
    title: text('title').notNull(),
    description: text('description').notNull(),
    regionId: uuid('region_id').notNull(),
    regionPath: regionPath(),
    publishedById: uuid('published_by').notNull(),
    publishedAt: instant('published_at').notNull(),
    claimedByTeamId: uuid('claimed_by_team'),
    claimedById: uuid('claimed_by'),
    claimedAt: instant('claimed_at'),
    /** The request the claim filed, dispatched to the claiming team; null only for needs claimed before claims filed requests. */
    requestId: uuid('request_id')
      .unique('service_needs_one_request')
      .references((): AnyPgColumn => serviceRequests.id),
  },
  (table) => [
    check('service_needs_title_length', sql`char_length(${table.title}) between 1 and 100`),
    check('service_needs_request_claimed', sql`${table.requestId} is null or ${table.claimedAt} is not null`),
    check('service_needs_description_length', sql`char_length(${table.description}) <= 2000`),
    check('service_needs_claim_whole', sql`(${table.claimedByTeamId} is null) = (${table.claimedAt} is null) and (${table.claimedById} is null) = (${table.claimedAt} is null)`),
    uniqueIndex('service_needs_published_idx').on(table.publishedAt, table.id),
  ],
);

export type ServiceNeedRow = typeof serviceNeeds.$inferSelect;
