/** What points resolvers pass between each other: database rows, connections of them, and entity references. */
import type { Connection, Edge } from '@lianxin/shared';
import type {
  AccountRow,
  AdjustmentRow,
  BankUnitRow,
  CatalogItemRow,
  DepositRow,
  DepositRuleRow,
  FundEntryRow,
  FundRow,
  MerchantRow,
  RedemptionLineRow,
  RedemptionRow,
  TransferRow,
} from './db/schema.js';
import type { PassbookLineRow } from './ledger/store.js';

export type AccountModel = AccountRow;
export type AccountConnectionModel = Connection<AccountRow>;
export type AccountEdgeModel = Edge<AccountRow>;
export type PassbookLineModel = PassbookLineRow;
export type PassbookLineConnectionModel = Connection<PassbookLineRow>;
export type PassbookLineEdgeModel = Edge<PassbookLineRow>;
export type TransferModel = TransferRow;
export type BankUnitModel = BankUnitRow;
export type BankUnitConnectionModel = Connection<BankUnitRow>;
export type BankUnitEdgeModel = Edge<BankUnitRow>;
export type DepositRuleModel = DepositRuleRow;
export type MerchantModel = MerchantRow;
export type MerchantConnectionModel = Connection<MerchantRow>;
export type MerchantEdgeModel = Edge<MerchantRow>;
export type CatalogItemModel = CatalogItemRow;
export type CatalogItemConnectionModel = Connection<CatalogItemRow>;
export type CatalogItemEdgeModel = Edge<CatalogItemRow>;
export type RedemptionModel = RedemptionRow;
export type RedemptionLineModel = RedemptionLineRow;
export type RedemptionConnectionModel = Connection<RedemptionRow>;
export type RedemptionEdgeModel = Edge<RedemptionRow>;
export type DepositModel = DepositRow;
export type AdjustmentModel = AdjustmentRow;
export type AdjustmentConnectionModel = Connection<AdjustmentRow>;
export type AdjustmentEdgeModel = Edge<AdjustmentRow>;
export type FundModel = FundRow;
export type FundConnectionModel = Connection<FundRow>;
export type FundEdgeModel = Edge<FundRow>;
export type FundEntryModel = FundEntryRow;
export type FundEntryConnectionModel = Connection<FundEntryRow>;
export type FundEntryEdgeModel = Edge<FundEntryRow>;

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

/** A people Person as this subgraph knows it: only the id; the people subgraph owns the rest. */
export interface PersonModel {
  id: string;
}

/** A requests ServiceRecord as this subgraph knows it: only the id. */
export interface ServiceRecordModel {
  id: string;
}

/** An entity another subgraph owns and resolves (Region, Station, Organization, ServiceRequest): its id. */
export interface ReferenceModel {
  id: string;
}
