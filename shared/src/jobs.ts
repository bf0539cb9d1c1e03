/**
 * Periodic jobs: work a service does on a timer, not in answer to a request
 * (a sweep that closes what users forgot to close). A subgraph lists its jobs
 * in `defineSubgraph({ jobs })`; the process that runs the subgraph starts
 * them once the subgraph is ready and stops them before its database closes.
 * A job is a name, an interval and a function, so that whoever runs them (each
 * service alone today, one scheduler for the whole deployment later) needs
 * nothing else to know.
 */
import type { Logger } from './logger.js';

export interface PeriodicJob {
  /** Names the job in logs. */
  name: string;
  /** The pause between the end of one run and the start of the next. */
  intervalMs: number;
  /**
   * One run. It must be safe to run at any time and again (several instances
   * of a service may run it at once); what it resolves to is logged at debug.
   */
  run: () => Promise<unknown>;
}

export interface RunningJobs {
  /** Cancels the next runs and resolves once the runs in flight have finished: no timer is left behind. */
  stop(): Promise<void>;
}

/** The timer functions the jobs wait with; tests pass their own to run jobs without waiting. */
export interface JobTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: JobTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs each job at once, then again `intervalMs` after each run ends, until
 * `stop()`. Runs of one job never overlap. A failed run is logged and the
 * job goes on at its interval: the next run may well succeed (a database
 * that was briefly away).
 */
export function startPeriodicJobs(jobs: readonly PeriodicJob[], options: { logger: Logger; timers?: JobTimers }): RunningJobs {
  const { logger, timers = realTimers } = options;
  const running = jobs.map((job) => {
    let stopping = false;
    let timer: unknown;
    let inFlight: Promise<void> = Promise.resolve();
    const schedule = (ms: number) => {
      timer = timers.setTimeout(() => {
        timer = undefined;
        inFlight = runOnce(job, logger).then(() => {
          if (!stopping) schedule(job.intervalMs);
        });
      }, ms);
    };
    schedule(0);
    return {
      async stop() {
        stopping = true;
        if (timer !== undefined) timers.clearTimeout(timer);
        timer = undefined;
        await inFlight;
      },
    };
  });
  return {
    async stop() {
      await Promise.all(running.map((job) => job.stop()));
    },
  };
}

async function runOnce(job: PeriodicJob, logger: Logger): Promise<void> {
  try {
    const result = await job.run();
    logger.debug({ job: job.name, result }, 'periodic job ran');
  } catch (error) {
    logger.error({ err: error, job: job.name }, 'periodic job failed');
  }
}
