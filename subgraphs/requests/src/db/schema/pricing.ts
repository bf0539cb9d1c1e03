/** Tiered price: the rule per community, quotes, the price agreed, and what the charity fund owes. */
import { sql } from 'drizzle-orm';
import { boolean, check, integer, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { instant, regionPath, requests } from './base.js';
import { serviceRequests } from './requests.js';

/** What an ordinary household pays of the market labour price, per community; the row without a region is the default. */
export const priceRules = requests.table(
  'price_rules',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    regionId: uuid('region_id'),
    ordinaryLabourPercent: integer('ordinary_labour_percent').notNull(),
    setById: uuid('set_by'),
    setAt: instant('set_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('price_rules_region_unique').on(table.regionId),
    uniqueIndex('price_rules_one_default')
      .on(sql`(${table.regionId} is null)`)
      .where(sql`${table.regionId} is null`),
    check('price_rules_percent_range', sql`${table.ordinaryLabourPercent} between 0 and 100`),
  ],
);

/** The market cost of a priced request, as quoted by its volunteer or the station; re-quoting bumps the version. */
export const requestQuotes = requests.table(
  'request_quotes',
  {
    requestId: uuid('request_id')
      .primaryKey()
      .references(() => serviceRequests.id),
    labourFen: integer('labour_fen').notNull(),
    materialsFen: integer('materials_fen').notNull(),
    version: integer('version').notNull().default(1),
    quotedById: uuid('quoted_by').notNull(),
    quotedAt: instant('quoted_at').notNull().defaultNow(),
  },
  (table) => [
    check('request_quotes_labour_range', sql`${table.labourFen} between 0 and 10000000`),
    check('request_quotes_materials_range', sql`${table.materialsFen} between 0 and 10000000`),
  ],
);

export const priceTier = requests.enum('price_tier', ['ordinary', 'low_income', 'special_hardship']);

/**
 * The price agreed for a request, fixed once and never changed: the tier
 * (the household's hardship when the quote was agreed), the shares of the
 * resident and the charity fund. The tiered-price rule itself is a CHECK.
 */
export const requestSettlements = requests.table(
  'request_settlements',
  {
    requestId: uuid('request_id')
      .primaryKey()
      .references(() => serviceRequests.id),
    tier: priceTier('tier').notNull(),
    labourFen: integer('labour_fen').notNull(),
    materialsFen: integer('materials_fen').notNull(),
    ordinaryLabourPercent: integer('ordinary_labour_percent').notNull(),
    residentPaysFen: integer('resident_pays_fen').notNull(),
    fundPaysFen: integer('fund_pays_fen').notNull(),
    /** Whether the tier came from a household the graph reported; false means none was, and the ordinary price applies. */
    householdKnown: boolean('household_known').notNull(),
    agreedById: uuid('agreed_by').notNull(),
    agreedAt: instant('agreed_at').notNull().defaultNow(),
  },
  (table) => [
    check('request_settlements_amounts', sql`${table.labourFen} between 0 and 10000000 and ${table.materialsFen} between 0 and 10000000`),
    check('request_settlements_percent_range', sql`${table.ordinaryLabourPercent} between 0 and 100`),
    check(
      'request_settlements_tiered_price',
      sql`case ${table.tier}
        when 'ordinary' then ${table.residentPaysFen} = (${table.labourFen} * ${table.ordinaryLabourPercent} + 50) / 100 + ${table.materialsFen} and ${table.fundPaysFen} = 0
        when 'low_income' then ${table.residentPaysFen} = ${table.materialsFen} and ${table.fundPaysFen} = ${table.labourFen}
        when 'special_hardship' then ${table.residentPaysFen} = 0 and ${table.fundPaysFen} = ${table.labourFen} + ${table.materialsFen}
      end`,
    ),
    check('request_settlements_unknown_is_ordinary', sql`${table.householdKnown} or ${table.tier} = 'ordinary'`),
  ],
);

/**
 * What the community charity fund owes for a completed, subsidised service:
 * written with the completion, append-only; its `fund_charge.created` event
 * (src/events/publish.ts) carries each row to the points subgraph's fund.
 */
export const fundCharges = requests.table(
  'fund_charges',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    requestId: uuid('request_id')
      .notNull()
      .unique('fund_charges_one_per_request')
      .references(() => serviceRequests.id),
    amountFen: integer('amount_fen').notNull(),
    regionId: uuid('region_id'),
    regionPath: regionPath(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [check('fund_charges_amount_positive', sql`${table.amountFen} > 0`)],
);

export type PriceRuleRow = typeof priceRules.$inferSelect;
export type RequestQuoteRow = typeof requestQuotes.$inferSelect;
export type RequestSettlementRow = typeof requestSettlements.$inferSelect;
export type PriceTier = (typeof priceTier.enumValues)[number];
export type FundChargeRow = typeof fundCharges.$inferSelect;
