/**
 * The recognition subgraph's scheduled jobs (`defineSubgraph({ jobs })`), run
 * by the scheduler (shared/src/scheduler.ts): each tick on one instance of
 * the subgraph. The badge backfill applies new badge rules to the tallies
 * that already exist, a batch of persons at a time, its progress recorded
 * on each rule (docs/recognition.md, "Badges"). The review close closes each
 * head bank's month, quarter and year at the start of the next, Beijing time
 * (docs/recognition.md, "Reviews").
 */
import type { ScheduledJob, SubgraphServices } from '@lianxin/shared';
import { runBadgeBackfill } from './badges/service.js';
import { closeEndedReviews } from './reviews/service.js';

export function recognitionJobs({ db, logger }: SubgraphServices<unknown>): ScheduledJob[] {
  return [
    {
      name: 'badge-backfill',
      schedule: '* * * * *',
      description: 'Applies badge rules created since the last run to the tallies that exist, in batches of persons.',
      run: async () => {
        const report = await runBadgeBackfill(db, { now: new Date() });
        if (report.awards > 0) logger.info(report, 'badge rules backfilled');
        return report.awards;
      },
    },
    {
      name: 'review-close',
      // 00:05 every night, Beijing time: the first run after a period ends closes it; the other nights find it closed.
      schedule: '5 0 * * *',
      description: "Closes each head bank's latest ended month, quarter and year that is not closed yet, freezing its rankings and office ratings.",
      run: async () => {
        const made = await closeEndedReviews(db, new Date());
        if (made > 0) logger.info({ reviews: made }, 'reviews closed');
        return made;
      },
    },
  ];
}
