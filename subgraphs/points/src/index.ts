/** The points subgraph: the public welfare bank (docs/domain.md#the-public-welfare-bank) — structure, accounts, ledger, deposits, adjustments, merchants, redemptions, charity funds. */
import { defineSubgraph } from '@lianxin/shared';
import { EVENTS_ACTOR, pointsConsumer } from './events/consume.js';
import { accountResolvers } from './accounts/resolvers.js';
import { adjustmentResolvers } from './adjustments/resolvers.js';
import { bankResolvers } from './bank/resolvers.js';
import { createPointsContext, type PointsContext } from './context.js';
import { seedPointsDemo } from './db/demo.js';
import { depositResolvers } from './deposits/resolvers.js';
import { fundResolvers } from './fund/resolvers.js';
import { ledgerResolvers } from './ledger/resolvers.js';
import { merchantResolvers } from './merchants/resolvers.js';
import { redemptionResolvers } from './redemptions/resolvers.js';
import { readPointsSettings, type PointsSettings } from './settings.js';

const resolvers = {
  Query: {
    ...accountResolvers.Query,
    ...bankResolvers.Query,
    ...ledgerResolvers.Query,
    ...merchantResolvers.Query,
    ...redemptionResolvers.Query,
    ...fundResolvers.Query,
    ...adjustmentResolvers.Query,
  },
  Mutation: {
    ...accountResolvers.Mutation,
    ...bankResolvers.Mutation,
    ...ledgerResolvers.Mutation,
    ...depositResolvers.Mutation,
    ...merchantResolvers.Mutation,
    ...redemptionResolvers.Mutation,
    ...fundResolvers.Mutation,
    ...adjustmentResolvers.Mutation,
  },
  Account: accountResolvers.Account,
  PassbookLine: accountResolvers.PassbookLine,
  Person: accountResolvers.Person,
  BankUnit: bankResolvers.BankUnit,
  DepositRule: bankResolvers.DepositRule,
  Transfer: ledgerResolvers.Transfer,
  Deposit: depositResolvers.Deposit,
  Adjustment: adjustmentResolvers.Adjustment,
  ServiceRecord: depositResolvers.ServiceRecord,
  Merchant: merchantResolvers.Merchant,
  CatalogItem: merchantResolvers.CatalogItem,
  Settlement: merchantResolvers.Settlement,
  Redemption: redemptionResolvers.Redemption,
  RedemptionLine: redemptionResolvers.RedemptionLine,
  Fund: fundResolvers.Fund,
  FundEntry: fundResolvers.FundEntry,
};

export const pointsSubgraph = defineSubgraph<PointsContext, PointsSettings>({
  name: 'points',
  root: new URL('..', import.meta.url),
  resolvers,
  settings: readPointsSettings,
  createContext: createPointsContext,
  seedDemo: seedPointsDemo,
  consumer: pointsConsumer,
});

export { EVENTS_ACTOR, pointsConsumer };
export { auditLedger } from './ledger/audit.js';
export { insertKnownPersons } from './directory/store.js';
export { insertServiceRecords } from './deposits/store.js';
export { expireHolds } from './redemptions/service.js';
export { purgeIdempotencyKeys } from './redemptions/store.js';
export type { PointsSettings };
