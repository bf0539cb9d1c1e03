/** SQL for the tiered price: price rules, quotes, agreed prices and charity-fund charges. */
import { eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { required, type Executor } from '@lianxin/shared';
import {
  fundCharges,
  priceRules,
  requestQuotes,
  requestSettlements,
  type FundChargeRow,
  type PriceRuleRow,
  type RequestQuoteRow,
  type RequestSettlementRow,
} from '../db/schema.js';

/** The rules set for any of `regionIds`, and the default rule. */
export function findPriceRulesFor(db: Executor, regionIds: readonly string[]): Promise<PriceRuleRow[]> {
  return db
    .select()
    .from(priceRules)
    .where(or(isNull(priceRules.regionId), regionIds.length ? inArray(priceRules.regionId, [...regionIds]) : undefined));
}

/** Sets the rule of a region, replacing its earlier one (an agreed price keeps the percent it was agreed at). */
export async function upsertPriceRule(db: Executor, values: { regionId: string; ordinaryLabourPercent: number; setById: string; setAt: Date }): Promise<PriceRuleRow> {
  const [row] = await db
    .insert(priceRules)
    .values(values)
    .onConflictDoUpdate({
      target: priceRules.regionId,
      set: { ordinaryLabourPercent: values.ordinaryLabourPercent, setById: values.setById, setAt: values.setAt },
    })
    .returning();
  return required(row, 'row upserted into price_rules');
}

export function findQuotesOfRequests(db: Executor, requestIds: readonly string[]): Promise<RequestQuoteRow[]> {
  return db
    .select()
    .from(requestQuotes)
    .where(inArray(requestQuotes.requestId, [...requestIds]));
}

/** Sets the quote of a request; a new quote replaces the old one and bumps its version, which voids tokens issued for it. */
export async function upsertQuote(
  db: Executor,
  values: { requestId: string; labourFen: number; materialsFen: number; quotedById: string; quotedAt: Date },
): Promise<RequestQuoteRow> {
  const [row] = await db
    .insert(requestQuotes)
    .values(values)
    .onConflictDoUpdate({
      target: requestQuotes.requestId,
      set: {
        labourFen: values.labourFen,
        materialsFen: values.materialsFen,
        quotedById: values.quotedById,
        quotedAt: values.quotedAt,
        version: sql`${requestQuotes.version} + 1`,
      },
    })
    .returning();
  return required(row, 'row upserted into request_quotes');
}

export function findSettlementsOfRequests(db: Executor, requestIds: readonly string[]): Promise<RequestSettlementRow[]> {
  return db
    .select()
    .from(requestSettlements)
    .where(inArray(requestSettlements.requestId, [...requestIds]));
}

export async function findSettlement(db: Executor, requestId: string): Promise<RequestSettlementRow | null> {
  const [row] = await db.select().from(requestSettlements).where(eq(requestSettlements.requestId, requestId));
  return row ?? null;
}

export async function insertSettlement(db: Executor, values: typeof requestSettlements.$inferInsert): Promise<RequestSettlementRow> {
  const [row] = await db.insert(requestSettlements).values(values).returning();
  return required(row, 'row inserted into request_settlements');
}

export async function insertFundCharge(db: Executor, values: typeof fundCharges.$inferInsert): Promise<FundChargeRow> {
  const [row] = await db.insert(fundCharges).values(values).returning();
  return required(row, 'row inserted into fund_charges');
}

export function findFundChargesOfRequests(db: Executor, requestIds: readonly string[]): Promise<FundChargeRow[]> {
  return db
    .select()
    .from(fundCharges)
    .where(inArray(fundCharges.requestId, [...requestIds]));
}
