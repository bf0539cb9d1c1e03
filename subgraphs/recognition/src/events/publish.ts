/**
 * The events recognition publishes (docs/events.md): appended to
 * `recognition.outbox` in the transaction of the change, so an event exists
 * exactly when its change does. People's inbox tells the holder.
 */
import { outboxPublisher, required, type Transaction } from '@lianxin/shared';
import { findBadgeKinds } from '../badges/store.js';
import type { AwardLevel, BadgeAwardRow, CampaignCategoryRow, CampaignRow, CampaignSubjectKind, CampaignWinnerRow, CompetitionRow, ReviewCycleRow } from '../db/schema.js';

/** Each event type recognition publishes, with its aggregate type and payload. */
export type RecognitionEvents = {
  'badge.awarded': { aggregate: 'badge'; payload: { badgeId: string; badgeCode: string; badgeName: string; holderId: string; awardedAt: string } };
  'review.closed': {
    aggregate: 'review';
    payload: { reviewId: string; bankId: string; bucket: ReviewCycleRow['bucket']; periodStart: string; periodEnd: string; endsAt: string; closedAt: string };
  };
  'campaign.published': {
    aggregate: 'campaign';
    payload: {
      campaignId: string;
      regionId: string;
      year: number;
      title: string;
      publishedAt: string;
      winners: { subjectKind: CampaignSubjectKind; subjectId: string; categoryId: string; categoryName: string; slot: number; displayName: string }[];
    };
  };
  'competition.awarded': {
    aggregate: 'competition';
    payload: {
      competitionId: string;
      title: string;
      regionId: string;
      awardedAt: string;
      awards: { projectId: string; projectName: string; level: AwardLevel; position: number }[];
    };
  };
};

/** Appends one of recognition's events in the caller's transaction. */
const publish = outboxPublisher<RecognitionEvents>('recognition');

/** A badge was awarded; its kind's name (public) travels so the holder's notification can say which without calling back. */
export async function badgeAwarded(tx: Transaction, award: BadgeAwardRow): Promise<void> {
  const kind = required(
    (await findBadgeKinds(tx)).find((candidate) => candidate.code === award.badgeCode),
    `badge kind ${award.badgeCode}`,
  );
  await publish(tx, 'badge.awarded', 'badge', award.id, {
    badgeId: award.id,
    badgeCode: award.badgeCode,
    badgeName: kind.name,
    holderId: award.holderId,
    awardedAt: award.awardedAt.toISOString(),
  });
}

/**
 * A head bank's review of a period was closed: what it froze is final. The
 * instant the period ended travels too, so points can read each customer's
 * balance as it stood then (the year's central-exchange recommendations).
 */
export async function reviewClosed(tx: Transaction, review: ReviewCycleRow, endsAt: Date): Promise<void> {
  await publish(tx, 'review.closed', 'review', review.id, {
    reviewId: review.id,
    bankId: review.bankId,
    bucket: review.bucket,
    periodStart: review.periodStart,
    periodEnd: review.periodEnd,
    endsAt: endsAt.toISOString(),
    closedAt: review.closedAt.toISOString(),
  });
}

/**
 * A campaign was published: its winners, each with the display name that
 * publication has just made public (the one personal datum this event
 * carries, by design: it is what the honour roll shows), its category and
 * slot. Consumers (notifications, certificates) need nothing else.
 */
export async function campaignPublished(tx: Transaction, campaign: CampaignRow, winners: readonly CampaignWinnerRow[], categories: readonly CampaignCategoryRow[]): Promise<void> {
  const names = new Map(categories.map((category) => [category.id, category.name]));
  await publish(tx, 'campaign.published', 'campaign', campaign.id, {
    campaignId: campaign.id,
    regionId: campaign.regionId,
    year: campaign.year,
    title: campaign.title,
    publishedAt: (winners[0]?.publishedAt ?? new Date()).toISOString(),
    winners: winners.map((winner) => ({
      subjectKind: winner.subjectKind,
      subjectId: winner.subjectId,
      categoryId: winner.categoryId,
      categoryName: required(names.get(winner.categoryId), `category ${winner.categoryId}`),
      slot: winner.slot,
      displayName: winner.displayName,
    })),
  });
}

/**
 * A competition's final closed and its awards were given: the awarded
 * projects with their level and position, and each project's public name
 * (projects are public; no person travels).
 */
export async function competitionAwarded(
  tx: Transaction,
  competition: CompetitionRow,
  awardedAt: Date,
  awards: readonly { projectId: string; projectName: string; level: AwardLevel; position: number }[],
): Promise<void> {
  await publish(tx, 'competition.awarded', 'competition', competition.id, {
    competitionId: competition.id,
    title: competition.title,
    regionId: competition.regionId,
    awardedAt: awardedAt.toISOString(),
    awards: [...awards],
  });
}
