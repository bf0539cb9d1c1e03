/**
 * Per-request DataLoaders of the points subgraph: one statement per batch,
 * results in key order. Defined once; a request's set builds a loader when a
 * resolver first reads it (`defineLoaders`).
 */
import {
  DataLoader,
  byIdLoader,
  defineLoaders,
  groupByKey,
  loaderFamily,
  manyOfLoader,
  onlyUuids,
  oneOfLoader,
  type Database,
  type LoaderFactories,
  type PageRequest,
} from '@lianxin/shared';
import type { ClerkScope } from './access.js';
import { findAdjustmentsByIds, findAdjustmentsByTransfers, findOfficeAdjustmentPages } from './adjustments/store.js';
import { findAccountsByIds, findAccountsOfMerchants, findCustomerAccountsOfHolders, findOfficeAccountPages } from './accounts/store.js';
import { findBankUnitsByIds, findChildPages, findClerkScopes, findDepositRulesOfBanks } from './bank/store.js';
import { findDebtsOfAccounts, findOutstandingDebtOfAccounts } from './debts/store.js';
import type { AdjustmentStatus, FundEntryRow, OfficePairingRow, RedemptionStatus, WebhookDeliveryStatus } from './db/schema.js';
import { findDonationsByTransfers } from './donations/store.js';
import { findGoodsByIds, findGoodsOfGranaries, findGranariesByIds, findGranariesOfOffices, findMovementPages, type MovementFilter } from './granaries/store.js';
import { findDepositDecisionsOfServiceRecords, findDepositsOfServiceRecords, findServiceRecordsByIds } from './deposits/store.js';
import { findFundsByIds, findStatementPages } from './fund/store.js';
import { findPassbookPages, findReversalsOf, findTransfersByIds } from './ledger/store.js';
import { countCatalogItemsOfMerchants, findCatalogPages, findItemsByIds, findMerchantsByIds } from './merchants/store.js';
import type { LinePage } from './paging.js';
import { findLinesOfRefunds, findRefundLinesOfRedemptions, findRefundsByIds, findRefundsOfRedemptions } from './refunds/store.js';
import { findActivePairingsOfOffices, findPairingMerchantsOfOffices, findPairingsByIds } from './pairings/store.js';
import { findClerkAssistances } from './payment-codes/store.js';
import { countDeliveriesOfEndpoints, findAttemptsOfDeliveries, findDeliveriesByIds, findDeliveryPages, findWebhooksByIds, findWebhooksOfMerchants } from './webhooks/store.js';
import {
  countStatementsOfMerchants,
  findAllLinesOfStatements,
  findDisputesByIds,
  findDisputesOfLines,
  findDisputesOfStatements,
  findLinePages,
  findLinesByIds,
  findSettlementStatementPages,
  findStatementModels,
  findStepsOfStatements,
} from './statements/store.js';
import { findAccountRedemptionPages, findLinesOfRedemptions, findMerchantRedemptionPages, findRedemptionsByIds, findRedemptionsByTransfers } from './redemptions/store.js';

/** Merchants' webhook endpoints, their deliveries and attempts. */
const webhookLoaders = {
  webhookById: (db) => byIdLoader(findWebhooksByIds, db),
  webhooksOfMerchant: (db) => manyOfLoader(findWebhooksOfMerchants, 'merchantId', db),
  webhookDeliveryById: (db) => byIdLoader(findDeliveriesByIds, db),
  webhookDeliveryPage: (db) =>
    loaderFamily(({ page, status }: { page: PageRequest; status: WebhookDeliveryStatus | null }) =>
      manyOfLoader((executor: Database, ids) => findDeliveryPages(executor, ids, status, page), 'endpointId', db),
    ),
  webhookDeliveryCount: (db) =>
    loaderFamily(
      (status: WebhookDeliveryStatus | null) =>
        new DataLoader<string, number>(async (ids) => {
          const counts = new Map((await countDeliveriesOfEndpoints(db, onlyUuids(ids), status)).map((row) => [row.endpointId, row.n]));
          return ids.map((id) => counts.get(id) ?? 0);
        }),
    ),
  attemptsOfDelivery: (db) => manyOfLoader(findAttemptsOfDeliveries, 'deliveryId', db),
} satisfies LoaderFactories<Database>;

/** Donations by their transfer, and charity granaries with their goods and movements. */
const granaryLoaders = {
  donationOfTransfer: (db) => oneOfLoader(findDonationsByTransfers, 'transferId', db),
  granaryById: (db) => byIdLoader(findGranariesByIds, db),
  granariesOfOffice: (db) => manyOfLoader(findGranariesOfOffices, 'officeId', db),
  goodsById: (db) => byIdLoader(findGoodsByIds, db),
  goodsOfGranary: (db) => manyOfLoader(findGoodsOfGranaries, 'granaryId', db),
  granaryMovementPage: (db) =>
    loaderFamily(({ page, filter }: { page: PageRequest; filter: MovementFilter }) =>
      manyOfLoader((executor: Database, ids) => findMovementPages(executor, ids, filter, page), 'granaryId', db),
    ),
} satisfies LoaderFactories<Database>;

/** Merchants' settlement statements, their steps, lines and disputes. */
const statementLoaders = {
  statementById: (db) => byIdLoader(findStatementModels, db),
  /** A page of each merchant's statements (their rows; the steps come from `stepsOfStatement`). */
  settlementStatementPage: (db) =>
    loaderFamily((page: PageRequest) => manyOfLoader((executor: Database, ids) => findSettlementStatementPages(executor, ids, page), 'merchantId', db)),
  stepsOfStatement: (db) => manyOfLoader(findStepsOfStatements, 'statementId', db),
  statementCount: (db) => oneOfLoader(countStatementsOfMerchants, 'merchantId', db),
  linePage: (db) => loaderFamily((page: PageRequest) => manyOfLoader((executor: Database, ids) => findLinePages(executor, ids, page), 'statementId', db)),
  settlementLineById: (db) => byIdLoader(findLinesByIds, db),
  disputeById: (db) => byIdLoader(findDisputesByIds, db),
  disputesOfLine: (db) => manyOfLoader(findDisputesOfLines, 'lineId', db),
  disputesOfStatement: (db) => manyOfLoader(findDisputesOfStatements, 'statementId', db),
  /** Every line of a statement, for its CSV. */
  allLinesOfStatement: (db) => manyOfLoader(findAllLinesOfStatements, 'statementId', db),
} satisfies LoaderFactories<Database>;

/** Urban–rural pairings of savings offices and the rural merchants they open to city customers. */
const pairingLoaders = {
  pairingById: (db) => byIdLoader(findPairingsByIds, db),
  /** An office's active pairings, on either side: one statement for a list of offices. */
  activePairingsOfOffice: (db) =>
    new DataLoader<string, OfficePairingRow[]>(async (officeIds) => {
      const rows = await findActivePairingsOfOffices(db, onlyUuids(officeIds));
      return officeIds.map((id) => rows.filter((row) => row.cityOfficeId === id || row.ruralOfficeId === id));
    }),
  /** The active merchants a (rural) office recruited, by name. */
  pairingMerchantsOfOffice: (db) => manyOfLoader(findPairingMerchantsOfOffices, 'officeId', db),
} satisfies LoaderFactories<Database>;

/** Makes a request's loader set from the database; its loaders are built when first read. */
export const createLoaders = defineLoaders({
  accountById: (db) => byIdLoader(findAccountsByIds, db),
  /** A person's customer account, keyed by the people Person id. */
  accountByHolder: (db) => oneOfLoader(findCustomerAccountsOfHolders, 'holderId', db),
  accountOfMerchant: (db) => oneOfLoader(findAccountsOfMerchants, 'merchantId', db),
  officeAccountPage: (db) => loaderFamily((page: PageRequest) => manyOfLoader((executor: Database, ids) => findOfficeAccountPages(executor, ids, page), 'officeId', db)),
  passbookPage: (db) => loaderFamily((page: LinePage) => manyOfLoader((executor: Database, ids) => findPassbookPages(executor, ids, page), 'accountId', db)),
  transferById: (db) => byIdLoader(findTransfersByIds, db),
  /** Points an account owes (0 for none), one statement for a list of accounts. */
  outstandingDebtOfAccount: (db) =>
    new DataLoader<string, number>(async (accountIds) => {
      const rows = await findOutstandingDebtOfAccounts(db, onlyUuids(accountIds));
      const owed = new Map(rows.map((row) => [row.accountId, row.outstanding]));
      return accountIds.map((id) => owed.get(id) ?? 0);
    }),
  /** An account's debts, newest first. */
  debtsOfAccount: (db) => manyOfLoader(findDebtsOfAccounts, 'accountId', db),
  reversalOf: (db) => oneOfLoader(findReversalsOf, 'reversesId', db),
  bankUnitById: (db) => byIdLoader(findBankUnitsByIds, db),
  bankChildrenPage: (db) => loaderFamily((page: PageRequest) => manyOfLoader((executor: Database, ids) => findChildPages(executor, ids, page), 'parentId', db)),
  depositRulesOfBank: (db) => manyOfLoader(findDepositRulesOfBanks, 'bankId', db),
  /** What a clerk (by person id) serves: one statement for the request. */
  clerkScope: (db) =>
    new DataLoader<string, ClerkScope>(async (personIds) => {
      const rows = await findClerkScopes(db, onlyUuids(personIds));
      return groupByKey(personIds, rows, (row) => row.personId).map((mine) => ({
        unitIds: new Set(mine.map((row) => row.unitId)),
        officeIds: new Set(mine.flatMap((row) => (row.officeId ? [row.officeId] : []))),
        bankIds: new Set(mine.map((row) => row.bankId)),
        // A head bank is its own bank: an assignment to it is one whose unit is the bank.
        headBankIds: new Set(mine.flatMap((row) => (row.unitId === row.bankId ? [row.bankId] : []))),
      }));
    }),
  merchantById: (db) => byIdLoader(findMerchantsByIds, db),
  ...pairingLoaders,
  itemById: (db) => byIdLoader(findItemsByIds, db),
  catalogPage: (db) =>
    loaderFamily(({ page, includeInactive }: { page: PageRequest; includeInactive: boolean }) =>
      manyOfLoader((executor: Database, ids) => findCatalogPages(executor, ids, includeInactive, page), 'merchantId', db),
    ),
  /** How many items a merchant's catalogue lists, for `totalCount`: one grouped statement for a list of merchants. */
  catalogCount: (db) =>
    loaderFamily(
      ({ includeInactive }: { includeInactive: boolean }) =>
        new DataLoader<string, number>(async (merchantIds) => {
          const rows = await countCatalogItemsOfMerchants(db, onlyUuids(merchantIds), includeInactive);
          const counts = new Map(rows.map((row) => [row.merchantId, row.count]));
          return merchantIds.map((id) => counts.get(id) ?? 0);
        }),
    ),
  redemptionById: (db) => byIdLoader(findRedemptionsByIds, db),
  redemptionOfTransfer: (db) => oneOfLoader(findRedemptionsByTransfers, 'transferId', db),
  linesOfRedemption: (db) => manyOfLoader(findLinesOfRedemptions, 'redemptionId', db),
  clerkAssistanceOfRedemption: (db) => oneOfLoader(findClerkAssistances, 'redemptionId', db),
  ...webhookLoaders,
  merchantRedemptionPage: (db) =>
    loaderFamily(({ page, status }: { page: PageRequest; status: RedemptionStatus | null }) =>
      manyOfLoader((executor: Database, ids) => findMerchantRedemptionPages(executor, ids, status, page), 'merchantId', db),
    ),
  accountRedemptionPage: (db) => loaderFamily((page: PageRequest) => manyOfLoader((executor: Database, ids) => findAccountRedemptionPages(executor, ids, page), 'accountId', db)),
  refundById: (db) => byIdLoader(findRefundsByIds, db),
  refundsOfRedemption: (db) => manyOfLoader(findRefundsOfRedemptions, 'redemptionId', db),
  linesOfRefund: (db) => manyOfLoader(findLinesOfRefunds, 'refundId', db),
  /** Every refund line of a redemption, for its lines' refunded quantities. */
  refundLinesOfRedemption: (db) => manyOfLoader(findRefundLinesOfRedemptions, 'redemptionId', db),
  ...statementLoaders,
  depositOfServiceRecord: (db) => oneOfLoader(findDepositsOfServiceRecords, 'serviceRecordId', db),
  /** A service record as points keeps it (requests announced it); null for one points has not heard of. */
  serviceRecordById: (db) => byIdLoader(findServiceRecordsByIds, db),
  /** A record's decisions not to deposit it, oldest first. */
  depositDecisionsOfServiceRecord: (db) => manyOfLoader(findDepositDecisionsOfServiceRecords, 'serviceRecordId', db),
  adjustmentById: (db) => byIdLoader(findAdjustmentsByIds, db),
  adjustmentOfTransfer: (db) => oneOfLoader(findAdjustmentsByTransfers, 'transferId', db),
  officeAdjustmentPage: (db) =>
    loaderFamily(({ page, status }: { page: PageRequest; status: AdjustmentStatus | null }) =>
      manyOfLoader((executor: Database, ids) => findOfficeAdjustmentPages(executor, ids, status, page), 'officeId', db),
    ),
  ...granaryLoaders,
  fundById: (db) => byIdLoader(findFundsByIds, db),
  statementPage: (db) =>
    loaderFamily(({ page, kind }: { page: LinePage; kind: FundEntryRow['kind'] | null }) =>
      manyOfLoader((executor: Database, ids) => findStatementPages(executor, ids, kind, page), 'fundId', db),
    ),
} satisfies LoaderFactories<Database>);

export type PointsLoaders = ReturnType<typeof createLoaders>;
