import { describe, expect, it } from '@jest/globals';
import { createLogger, memoryLog, startPeriodicJobs } from '../src/index.js';
import { manualTimers } from '../src/testing/index.js';

/** A job whose runs the test counts, and whose current run the test finishes or fails when it likes. */
function controlledJob(intervalMs: number) {
  let runs = 0;
  let finish: (outcome: Error | null) => void = () => undefined;
  return {
    job: {
      name: 'test-sweep',
      intervalMs,
      run: () => {
        runs += 1;
        return new Promise<number>((resolve, reject) => {
          finish = (outcome) => (outcome ? reject(outcome) : resolve(runs));
        });
      },
    },
    runs: () => runs,
    finish: (outcome: Error | null = null) => finish(outcome),
  };
}

/** Lets the promise callbacks queued so far run (a finished run reschedules its job in one). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('periodic jobs', () => {
  it('run at once, then an interval after each run ends, never two runs of a job at once', async () => {
    const timers = manualTimers();
    const sweep = controlledJob(60_000);
    const jobs = startPeriodicJobs([sweep.job], { logger: createLogger('jobs', 'silent'), timers });
    expect(timers.pending()).toEqual([0]);
    timers.fire();
    expect(sweep.runs()).toBe(1);
    // While the run is in flight nothing else is scheduled.
    await settle();
    expect(timers.pending()).toEqual([]);
    sweep.finish();
    await settle();
    expect(timers.pending()).toEqual([60_000]);
    timers.fire();
    expect(sweep.runs()).toBe(2);
    sweep.finish();
    await settle();
    expect(timers.pending()).toEqual([60_000]);
    await jobs.stop();
    expect(timers.pending()).toEqual([]);
    expect(sweep.runs()).toBe(2);
  });

  it('log a failed run and go on at their interval', async () => {
    const timers = manualTimers();
    const log = memoryLog();
    const sweep = controlledJob(1_000);
    const jobs = startPeriodicJobs([sweep.job], { logger: createLogger('jobs', 'debug', log.stream), timers });
    timers.fire();
    sweep.finish(new Error('database away'));
    await settle();
    expect(log.lines.filter((line) => line['msg'] === 'periodic job failed')).toEqual([expect.objectContaining({ level: 50, job: 'test-sweep' })]);
    expect(timers.pending()).toEqual([1_000]);
    timers.fire();
    sweep.finish();
    await settle();
    expect(log.lines.filter((line) => line['msg'] === 'periodic job ran')).toEqual([expect.objectContaining({ job: 'test-sweep', result: 2 })]);
    await jobs.stop();
    expect(timers.pending()).toEqual([]);
  });

  it('stop by waiting for the run in flight, and schedule nothing after it', async () => {
    const timers = manualTimers();
    const sweep = controlledJob(1_000);
    const other = controlledJob(5_000);
    const jobs = startPeriodicJobs([sweep.job, other.job], { logger: createLogger('jobs', 'silent'), timers });
    expect(timers.pending()).toEqual([0, 0]);
    timers.fire();
    other.finish();
    await settle();
    expect(timers.pending()).toEqual([5_000]);
    let stopped = false;
    const stopping = jobs.stop().then(() => (stopped = true));
    await settle();
    // The sweep is still running: stop waits for it.
    expect(stopped).toBe(false);
    expect(timers.pending()).toEqual([]);
    sweep.finish();
    await stopping;
    expect(timers.pending()).toEqual([]);
    expect([sweep.runs(), other.runs()]).toEqual([1, 1]);
  });

  it('run on real timers until stopped, leaving no timer behind', async () => {
    let runs = 0;
    const before = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const jobs = startPeriodicJobs([{ name: 'real', intervalMs: 3_600_000, run: async () => (runs += 1) }], { logger: createLogger('jobs', 'silent') });
    await new Promise<void>((resolve) => {
      const check = () => (runs > 0 ? resolve() : setImmediate(check));
      check();
    });
    await settle();
    // The first run is done and the next one waits an hour on a timer of its own.
    expect(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length).toBe(before + 1);
    await jobs.stop();
    expect(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length).toBe(before);
    expect(runs).toBe(1);
  });
});
