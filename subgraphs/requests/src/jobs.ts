/**
 * The requests subgraph's scheduled jobs (`defineSubgraph({ jobs })`), run by
 * the scheduler (shared/src/scheduler.ts): each tick on one instance of the
 * subgraph. Closing check-ins still open a day after their activity ended
 * (docs/requests.md, "Hours") and raising an alert for every device silent
 * longer than it allows (docs/requests.md, "Alerts"). Both also happen on
 * read, as a safety net; the jobs are what makes them happen when nobody
 * reads. Care plans' occurrences are generated ahead to each plan's horizon
 * (docs/requests.md, "Care plans (recurring services)"). Service records are folded
 * into the service-hour rollups every ten seconds (docs/analysts.md, "Service-hour rollups").
 * `SCHEDULER=false` keeps an instance from running them.
 */
import type { ScheduledJob, SubgraphServices } from '@lianxin/shared';
import { sweepForgottenCheckOuts } from './activities/service.js';
import { raiseInactivityAlerts } from './alerts/service.js';
import { sweepNoShows } from './duty/service.js';
import { generateAllOccurrences } from './plans/generate.js';
import { foldQueuedServiceHours } from './stats/service.js';
import type { RequestsSettings } from './settings.js';

export function requestsJobs({ db, settings, logger }: SubgraphServices<RequestsSettings>): ScheduledJob[] {
  return [
    {
      name: 'forgotten-check-outs',
      schedule: '*/5 * * * *',
      description: 'Closes, and flags, check-ins still open a day after their activity ended.',
      run: async () => {
        const closed = await sweepForgottenCheckOuts(db, settings);
        if (closed > 0) logger.info({ closed }, 'closed check-ins still open a day after their activity');
        return closed;
      },
    },
    {
      name: 'duty-no-shows',
      schedule: '*/5 * * * *',
      description: 'Marks volunteers who never checked in to a duty shift that has ended as no-shows.',
      run: async () => {
        const marked = await sweepNoShows(db, settings);
        if (marked > 0) logger.info({ marked }, 'marked duty no-shows');
        return marked;
      },
    },
    {
      name: 'inactivity-alerts',
      schedule: '* * * * *',
      description: 'Raises an inactivity alert for every device silent longer than its hours allow.',
      run: async () => {
        const raised = await raiseInactivityAlerts(db, settings.now());
        if (raised > 0) logger.info({ raised }, 'raised inactivity alerts');
        return raised;
      },
    },
    {
      name: 'care-plan-occurrences',
      schedule: '10 * * * *',
      description: 'Generates every active care plan’s occurrences up to its horizon, each an accepted request.',
      run: async () => {
        const made = await generateAllOccurrences(db, settings.now());
        if (made > 0) logger.info({ made }, 'generated care plan occurrences');
        return made;
      },
    },
    {
      name: 'service-hour-rollups',
      schedule: '*/10 * * * * *',
      description: 'Folds the service records written since its last run into the rollups that answer service-hour statistics by region and month.',
      run: async () => {
        const folded = await foldQueuedServiceHours(db);
        if (folded > 0) logger.debug({ folded }, 'folded service records into the service-hour rollups');
        return folded;
      },
    },
  ];
}
