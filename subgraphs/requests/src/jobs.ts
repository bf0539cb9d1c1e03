/**
 * The requests subgraph's periodic jobs (`defineSubgraph({ jobs })`), run by
 * the process that runs the subgraph for as long as it runs. Today one sweep:
 * check-ins still open a day after their activity ended are closed and
 * flagged (docs/requests.md, "Hours"). `REQUESTS_SWEEPS=false` turns them off,
 * for tests that run a sweep by hand with their own clock;
 * `REQUESTS_SWEEP_INTERVAL_MS` sets the pause between runs.
 */
import type { PeriodicJob, SubgraphServices } from '@lianxin/shared';
import { sweepForgottenCheckOuts } from './activities/service.js';
import type { RequestsSettings } from './settings.js';

export function requestsJobs({ db, settings, logger }: SubgraphServices<RequestsSettings>): PeriodicJob[] {
  if (!settings.sweeps) return [];
  return [
    {
      name: 'forgotten-check-outs',
      intervalMs: settings.sweepIntervalMs,
      run: async () => {
        const closed = await sweepForgottenCheckOuts(db, settings);
        if (closed > 0) logger.info({ closed }, 'closed check-ins still open a day after their activity');
        return closed;
      },
    },
  ];
}
