/**
 * The recognition subgraph's scheduled jobs (`defineSubgraph({ jobs })`), run
 * by the scheduler (shared/src/scheduler.ts): each tick on one instance of
 * the subgraph. The badge backfill applies new badge rules to the tallies
 * that already exist, a batch of persons at a time, its progress recorded
 * on each rule (docs/recognition.md, "Badges").
 */
import type { ScheduledJob, SubgraphServices } from '@lianxin/shared';
import { runBadgeBackfill } from './badges/service.js';

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
  ];
}
