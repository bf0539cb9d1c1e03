/** The points subgraph: the public welfare bank (docs/domain.md#the-public-welfare-bank) — structure, accounts, ledger, deposits, adjustments, merchants, redemptions, charity funds, mutual aid donations, charity granaries, the yearly central exchange recommendations, merchants' webhooks. */
import { defineSubgraph, mergeResolvers } from '@lianxin/shared';
import { EVENTS_ACTOR, pointsConsumer } from './events/consume.js';
import { enumResolvers } from './__generated__/enums.js';
import { type Resolvers } from './__generated__/resolvers-types.js';
import { accountResolvers } from './accounts/resolvers.js';
import { adjustmentResolvers } from './adjustments/resolvers.js';
import { bankResolvers } from './bank/resolvers.js';
import { createPointsContext, type PointsContext } from './context.js';
import { seedPointsDemo } from './db/demo.js';
import { debtResolvers } from './debts/resolvers.js';
import { depositResolvers } from './deposits/resolvers.js';
import { donationResolvers } from './donations/resolvers.js';
import { fundResolvers } from './fund/resolvers.js';
import { granaryResolvers } from './granaries/resolvers.js';
import { ledgerResolvers } from './ledger/resolvers.js';
import { merchantResolvers } from './merchants/resolvers.js';
import { viewerResolvers } from './viewer/resolvers.js';
import { pairingResolvers } from './pairings/resolvers.js';
import { paymentCodeResolvers } from './payment-codes/resolvers.js';
import { recommendationResolvers } from './recommendations/resolvers.js';
import { redemptionResolvers } from './redemptions/resolvers.js';
import { sandboxResolvers } from './sandbox/resolvers.js';
import { refundResolvers } from './refunds/resolvers.js';
import { statementResolvers } from './statements/resolvers.js';
import { statsResolvers } from './stats/resolvers.js';
import { webhookResolvers } from './webhooks/resolvers.js';
import { readPointsSettings, type PointsSettings } from './settings.js';
import { pointsJobs } from './jobs.js';

export const pointsSubgraph = defineSubgraph<PointsContext, PointsSettings>({
  name: 'points',
  root: new URL('..', import.meta.url),
  resolvers: mergeResolvers<Resolvers>(
    enumResolvers,
    accountResolvers,
    bankResolvers,
    ledgerResolvers,
    depositResolvers,
    debtResolvers,
    merchantResolvers,
    viewerResolvers,
    redemptionResolvers,
    refundResolvers,
    paymentCodeResolvers,
    statementResolvers,
    pairingResolvers,
    fundResolvers,
    adjustmentResolvers,
    statsResolvers,
    recommendationResolvers,
    sandboxResolvers,
    webhookResolvers,
    donationResolvers,
    granaryResolvers,
  ),
  settings: readPointsSettings,
  createContext: createPointsContext,
  seedDemo: seedPointsDemo,
  consumer: pointsConsumer,
  jobs: pointsJobs,
});

export { EVENTS_ACTOR, pointsConsumer };
export { auditLedger } from './ledger/audit.js';
export { insertKnownPersons } from './directory/store.js';
export { insertServiceRecords } from './deposits/store.js';
export { expireHolds } from './redemptions/service.js';
export { announceExpiringHolds, deliverDueWebhooks, signWebhook, WEBHOOK_EVENTS } from './webhooks/delivery.js';
export { purgeIdempotencyKeys } from './redemptions/store.js';
export type { PointsSettings };
