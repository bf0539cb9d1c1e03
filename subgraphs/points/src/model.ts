/**
 * What points resolvers receive where it is not a database row (codegen.ts
 * maps every other type to its row, and others' entities to a bare
 * `EntityReference`).
 */
import type { MerchantRow } from './db/schema.js';

/** A merchant's settlement for a period: its totals, and the period's bounds for the reconciliation list. */
export interface SettlementModel {
  merchant: MerchantRow;
  /** First and last calendar day, Beijing time, as `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** The instants the days span: [start, end). */
  start: Date;
  end: Date;
  redemptionCount: number;
  itemCount: number;
  points: number;
}
