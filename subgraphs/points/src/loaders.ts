/** Per-request DataLoaders of the points subgraph: one statement per batch, results in key order. */
import { DataLoader, byKey, groupByKey, isUuid, loaderFamily, type Database, type PageRequest } from '@lianxin/shared';
import type { ClerkScope } from './access.js';
import { findAdjustmentsByIds, findAdjustmentsByTransfers, findOfficeAdjustmentPages } from './adjustments/store.js';
import { findAccountsByIds, findAccountsOfMerchants, findCustomerAccountsOfHolders, findOfficeAccountPages } from './accounts/store.js';
import { findBankUnitsByIds, findChildPages, findClerkScopes, findDepositRulesOfBanks } from './bank/store.js';
import type {
  AccountRow,
  AdjustmentRow,
  AdjustmentStatus,
  BankUnitRow,
  CatalogItemRow,
  DepositRow,
  DepositRuleRow,
  FundEntryRow,
  FundRow,
  RedemptionLineRow,
  RedemptionRow,
  RedemptionStatus,
  TransferRow,
} from './db/schema.js';
import { findDepositsOfServiceRecords } from './deposits/store.js';
import { findFundsByIds, findStatementPages } from './fund/store.js';
import { findPassbookPages, findReversalsOf, findTransfersByIds, type PassbookLineRow } from './ledger/store.js';
import { findCatalogPages, findItemsByIds, findMerchantsByIds } from './merchants/store.js';
import type { LinePage } from './paging.js';
import { findAccountRedemptionPages, findLinesOfRedemptions, findMerchantRedemptionPages, findRedemptionsByIds, findRedemptionsByTransfers } from './redemptions/store.js';

/** Keys that cannot be ids never reach SQL: they resolve to null (or nothing). */
const onlyUuids = (keys: readonly string[]): string[] => keys.filter((key) => isUuid(key));

/** Loads rows by id, null for unknown or malformed ids. */
function byIdLoader<V extends { id: string }>(find: (db: Database, ids: string[]) => Promise<V[]>, db: Database) {
  return new DataLoader<string, V | null>(async (ids) => byKey(ids, await find(db, onlyUuids(ids)), (row) => row.id));
}

export function createLoaders(db: Database) {
  return {
    accountById: byIdLoader(findAccountsByIds, db),
    /** A person's customer account, keyed by the people Person id. */
    accountByHolder: new DataLoader<string, AccountRow | null>(async (holderIds) =>
      byKey(holderIds, await findCustomerAccountsOfHolders(db, onlyUuids(holderIds)), (row) => row.holderId ?? ''),
    ),
    accountOfMerchant: new DataLoader<string, AccountRow | null>(async (merchantIds) =>
      byKey(merchantIds, await findAccountsOfMerchants(db, onlyUuids(merchantIds)), (row) => row.merchantId ?? ''),
    ),
    officeAccountPage: loaderFamily(
      (page: PageRequest) =>
        new DataLoader<string, AccountRow[]>(async (officeIds) => groupByKey(officeIds, await findOfficeAccountPages(db, onlyUuids(officeIds), page), (row) => row.officeId ?? '')),
    ),
    passbookPage: loaderFamily(
      (page: LinePage) =>
        new DataLoader<string, PassbookLineRow[]>(async (accountIds) => groupByKey(accountIds, await findPassbookPages(db, onlyUuids(accountIds), page), (row) => row.accountId)),
    ),
    transferById: byIdLoader(findTransfersByIds, db),
    reversalOf: new DataLoader<string, TransferRow | null>(async (ids) => byKey(ids, await findReversalsOf(db, onlyUuids(ids)), (row) => row.reversesId ?? '')),
    bankUnitById: byIdLoader(findBankUnitsByIds, db),
    bankChildrenPage: loaderFamily(
      (page: PageRequest) =>
        new DataLoader<string, BankUnitRow[]>(async (parentIds) => groupByKey(parentIds, await findChildPages(db, onlyUuids(parentIds), page), (row) => row.parentId ?? '')),
    ),
    depositRulesOfBank: new DataLoader<string, DepositRuleRow[]>(async (bankIds) =>
      groupByKey(bankIds, await findDepositRulesOfBanks(db, onlyUuids(bankIds)), (row) => row.bankId),
    ),
    /** What a clerk (by person id) serves: one statement for the request. */
    clerkScope: new DataLoader<string, ClerkScope>(async (personIds) => {
      const rows = await findClerkScopes(db, onlyUuids(personIds));
      return groupByKey(personIds, rows, (row) => row.personId).map((mine) => ({
        unitIds: new Set(mine.map((row) => row.unitId)),
        officeIds: new Set(mine.flatMap((row) => (row.officeId ? [row.officeId] : []))),
        bankIds: new Set(mine.map((row) => row.bankId)),
      }));
    }),
    merchantById: byIdLoader(findMerchantsByIds, db),
    itemById: byIdLoader(findItemsByIds, db),
    catalogPage: loaderFamily(
      ({ page, includeInactive }: { page: PageRequest; includeInactive: boolean }) =>
        new DataLoader<string, CatalogItemRow[]>(async (merchantIds) =>
          groupByKey(merchantIds, await findCatalogPages(db, onlyUuids(merchantIds), includeInactive, page), (row) => row.merchantId),
        ),
    ),
    redemptionById: byIdLoader(findRedemptionsByIds, db),
    redemptionOfTransfer: new DataLoader<string, RedemptionRow | null>(async (transferIds) =>
      byKey(transferIds, await findRedemptionsByTransfers(db, onlyUuids(transferIds)), (row) => row.transferId ?? ''),
    ),
    linesOfRedemption: new DataLoader<string, RedemptionLineRow[]>(async (ids) => groupByKey(ids, await findLinesOfRedemptions(db, onlyUuids(ids)), (row) => row.redemptionId)),
    merchantRedemptionPage: loaderFamily(
      ({ page, status }: { page: PageRequest; status: RedemptionStatus | null }) =>
        new DataLoader<string, RedemptionRow[]>(async (merchantIds) =>
          groupByKey(merchantIds, await findMerchantRedemptionPages(db, onlyUuids(merchantIds), status, page), (row) => row.merchantId),
        ),
    ),
    accountRedemptionPage: loaderFamily(
      (page: PageRequest) =>
        new DataLoader<string, RedemptionRow[]>(async (accountIds) =>
          groupByKey(accountIds, await findAccountRedemptionPages(db, onlyUuids(accountIds), page), (row) => row.accountId),
        ),
    ),
    depositOfServiceRecord: new DataLoader<string, DepositRow | null>(async (ids) =>
      byKey(ids, await findDepositsOfServiceRecords(db, onlyUuids(ids)), (row) => row.serviceRecordId),
    ),
    adjustmentById: byIdLoader(findAdjustmentsByIds, db),
    adjustmentOfTransfer: new DataLoader<string, AdjustmentRow | null>(async (transferIds) =>
      byKey(transferIds, await findAdjustmentsByTransfers(db, onlyUuids(transferIds)), (row) => row.transferId ?? ''),
    ),
    officeAdjustmentPage: loaderFamily(
      ({ page, status }: { page: PageRequest; status: AdjustmentStatus | null }) =>
        new DataLoader<string, AdjustmentRow[]>(async (officeIds) =>
          groupByKey(officeIds, await findOfficeAdjustmentPages(db, onlyUuids(officeIds), status, page), (row) => row.officeId),
        ),
    ),
    fundById: byIdLoader<FundRow>(findFundsByIds, db),
    statementPage: loaderFamily(
      ({ page, kind }: { page: LinePage; kind: FundEntryRow['kind'] | null }) =>
        new DataLoader<string, FundEntryRow[]>(async (fundIds) => groupByKey(fundIds, await findStatementPages(db, onlyUuids(fundIds), kind, page), (row) => row.fundId)),
    ),
  };
}

export type PointsLoaders = ReturnType<typeof createLoaders>;
