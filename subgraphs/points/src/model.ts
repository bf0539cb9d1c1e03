/**
 * What points resolvers receive where it is not a database row (codegen.ts
 * maps every other type to its row, and others' entities to a bare
 * `EntityReference`).
 */
import type { DepositDecisionStatus, DepositRow, MerchantRow, SettlementStatementRecord, SettlementStepRow, StatementStatus } from './db/schema.js';

/** A payment code as issued: the code itself is shown once, to its holder, and never stored. */
export interface PaymentCodeModel {
  code: string;
  expiresAt: Date;
  accountId: string;
}

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
  /** Refunds made in the period, whenever their redemptions were captured. */
  refundCount: number;
  refundedPoints: number;
}

/** A settlement statement with its steps: its status is the last of them. */
export interface StatementModel extends SettlementStatementRecord {
  status: StatementStatus;
  steps: SettlementStepRow[];
}

/**
 * A requests ServiceRecord as points resolves it: its id, and, when the
 * gateway fetched it for `depositOutcome` (`@requires`), the volunteer the
 * requests subgraph shows for it (null when it shows none).
 */
export interface ServiceRecordReference {
  id: string;
  reportedVolunteerId?: string | null;
}

/** Where a service record stands at the bank (`DepositOutcome`), with the enum's internal values. */
export interface DepositOutcomeModel {
  status: 'pending' | 'deposited' | DepositDecisionStatus;
  reason: string | null;
  deposit: DepositRow | null;
  decidedAt: Date | null;
}
