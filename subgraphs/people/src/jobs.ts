/**
 * The people subgraph's scheduled jobs (`defineSubgraph({ jobs })`), run by
 * the scheduler (shared/src/scheduler.ts): each tick on one instance of the
 * subgraph. Minors who turn 18 are announced as adults, so that requests
 * stops refusing them what only minors are refused (docs/people.md,
 * "Minors"). `SCHEDULER=false` keeps an instance from running them.
 */
import type { ScheduledJob, SubgraphServices } from '@lianxin/shared';
import { announceComingOfAge } from './guardians/service.js';
import type { PeopleSettings } from './settings.js';

export function peopleJobs({ db, logger }: SubgraphServices<PeopleSettings>): ScheduledJob[] {
  return [
    {
      name: 'coming-of-age',
      schedule: '5 0 * * *',
      description: 'Announces everyone who registered as a minor and has turned 18, so that minors’ rules no longer apply to them.',
      run: async () => {
        const announced = await announceComingOfAge(db, new Date());
        if (announced > 0) logger.info({ announced }, 'announced minors who turned 18');
        return announced;
      },
    },
  ];
}
