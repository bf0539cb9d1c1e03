/**
 * The points subgraph's scheduled jobs (`defineSubgraph({ jobs })`), run by
 * the scheduler (shared/src/scheduler.ts): each tick on one instance of the
 * subgraph. Releasing holds past their expiry, so held points and stock come
 * back without anyone reading the account (a redemption that falls short
 * still releases its customer's lapsed holds first, as a safety net), and
 * forgetting merchants' idempotency keys past their retention
 * (`POINTS_IDEMPOTENCY_RETENTION_HOURS`, docs/merchants.md), deleting
 * payment codes a day after they expired (a code past its expiry pays for
 * nothing; the rows only show, meanwhile, which redemption used one),
 * announcing holds about to lapse and posting merchants' webhook deliveries
 * (every 15 seconds, so a notification is seldom late by more), and closing
 * every merchant's settlement statement for the month before, on the 2nd of
 * the month (a day's grace for late captures of the month's last hours to
 * commit); idempotent, so a missed or repeated tick closes nothing twice.
 */
import type { ScheduledJob, SubgraphServices } from '@lianxin/shared';
import { purgeExpiredPaymentCodes } from './payment-codes/service.js';
import { expireHolds } from './redemptions/service.js';
import { purgeIdempotencyKeys } from './redemptions/store.js';
import { announceExpiringHolds, deliverDueWebhooks } from './webhooks/delivery.js';
import { closeLastMonth } from './statements/service.js';
import { findAllMerchants } from './statements/store.js';
import type { PointsSettings } from './settings.js';

export function pointsJobs({ db, settings, logger }: SubgraphServices<PointsSettings>): ScheduledJob[] {
  return [
    {
      name: 'hold-expiry',
      schedule: '* * * * *',
      description: 'Releases the points and stock of holds that lapsed uncaptured.',
      run: async () => {
        const expired = await expireHolds(db, { now: settings.now() });
        if (expired > 0) logger.info({ expired }, 'released lapsed holds');
        return expired;
      },
    },
    {
      name: 'hold-expiring-notice',
      schedule: '* * * * *',
      description: 'Announces holds about to lapse (POINTS_WEBHOOK_HOLD_EXPIRING_SECONDS), once each, for merchants’ webhooks.',
      run: () => announceExpiringHolds(db, { now: settings.now(), noticeSeconds: settings.webhookHoldExpiringSeconds }),
    },
    {
      name: 'webhook-delivery',
      schedule: '*/15 * * * * *',
      description: 'Posts the webhook deliveries that are due to merchants’ endpoints, retrying failures with backoff.',
      run: () => deliverDueWebhooks(db, { now: settings.now, allowLoopback: settings.webhookAllowInsecure }),
    },
    {
      name: 'idempotency-key-purge',
      schedule: '30 3 * * *',
      description: 'Forgets merchants’ idempotency keys older than their retention (POINTS_IDEMPOTENCY_RETENTION_HOURS).',
      run: async () => {
        const purged = await purgeIdempotencyKeys(db, new Date(settings.now().getTime() - settings.idempotencyRetentionHours * 3_600_000));
        if (purged > 0) logger.info({ purged }, 'forgot idempotency keys past their retention');
        return purged;
      },
    },
    {
      name: 'payment-code-purge',
      schedule: '15 * * * *',
      description: 'Deletes payment codes that expired more than a day ago.',
      run: async () => {
        const purged = await purgeExpiredPaymentCodes(db, settings.now());
        if (purged > 0) logger.info({ purged }, 'deleted expired payment codes');
        return purged;
      },
    },
    {
      name: 'settlement-close',
      schedule: '0 2 2 * *',
      description: 'Closes every merchant’s settlement statement for last month (Beijing time) that is not closed yet.',
      run: async () => {
        const closed = await closeLastMonth(db, await findAllMerchants(db), settings.now());
        if (closed > 0) logger.info({ closed }, 'closed last month’s settlement statements');
        return closed;
      },
    },
  ];
}
