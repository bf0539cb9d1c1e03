/**
 * The scheduler against real databases (PostgreSQL, and the embedded PGlite):
 * jobs run at their cron ticks in Beijing time, each tick on exactly one of
 * several instances, a run that outlasts its interval is not started again
 * while it holds its lease, a dead instance's job is taken over when the
 * lease ends, missed ticks run once, failures are recorded, and stopping
 * waits for the runs in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import {
  createLogger,
  memoryLog,
  openDatabase,
  rowsOf,
  scheduledJobStates,
  startScheduler,
  type Database,
  type DatabaseHandle,
  type ScheduledJob,
  type SchedulerOptions,
} from '../src/index.js';
import { createSchedulerTable, createTestDatabase, manualTimers, testClock, waitFor, type ManualTimers, type TestClock, type TestDatabase } from '../src/testing/index.js';

let testDatabase: TestDatabase;
let postgresHandle: DatabaseHandle;
let schemas = 0;

beforeAll(async () => {
  testDatabase = await createTestDatabase('scheduler');
  postgresHandle = await openDatabase({ url: testDatabase.url, poolSize: 6 });
});
afterAll(async () => {
  await postgresHandle?.close();
  await testDatabase?.drop();
});

/** A fresh schema holding the scheduler's table, as a subgraph's migration makes it. */
async function freshSchema(db: Database): Promise<string> {
  schemas += 1;
  const schema = `scheduling_${schemas}`;
  await createSchedulerTable(db, schema);
  return schema;
}

/** A job whose runs the test counts, and whose current run the test finishes or fails when it likes (or at once). */
function controlledJob(name: string, schedule: string, options: { finishAtOnce?: boolean } = {}) {
  const runs: string[] = [];
  const pending: ((outcome: Error | null) => void)[] = [];
  const job: ScheduledJob = {
    name,
    schedule,
    description: `The test's ${name}.`,
    run: () => {
      runs.push(name);
      if (options.finishAtOnce) return Promise.resolve(runs.length);
      return new Promise<number>((resolve, reject) => {
        pending.push((outcome) => (outcome ? reject(outcome) : resolve(runs.length)));
      });
    },
  };
  return {
    job,
    runs: () => runs.length,
    inFlight: () => pending.length,
    finish: (outcome: Error | null = null) => pending.shift()?.(outcome),
  };
}

/** Waits until `condition` holds (the scheduler works through several statements per wake-up). */
const until = (condition: () => boolean | Promise<boolean>, what: string): Promise<void> => waitFor(what, async () => condition(), { timeoutMs: 10_000, intervalMs: 5 });

/** An instance of a subgraph's scheduler, on its own timers. */
function instance(db: Database, schema: string, jobs: ScheduledJob[], clock: TestClock, name: string, options: Pick<SchedulerOptions, 'leaseMs' | 'onRun'> = {}) {
  const timers = manualTimers();
  const running = startScheduler(db, jobs, { schema, logger: createLogger('scheduler', 'silent'), now: clock.now, timers, instance: name, ...options });
  return { timers, running };
}

/** Fires the instance's wake-up and waits until it has gone back to sleep. */
async function wake(timers: ManualTimers): Promise<void> {
  await until(() => timers.pending().length > 0, 'the scheduler sleeps');
  timers.fire();
  await until(() => timers.pending().length > 0, 'the scheduler sleeps again');
}

const stateOf = async (db: Database, schema: string, name: string) => (await scheduledJobStates(db, schema, new Date(0))).find((job) => job.name === name);

describe.each([
  ['PostgreSQL', async () => postgresHandle],
  ['the embedded PGlite', () => openDatabase({ dataDir: 'memory://scheduler' })],
])('the scheduler on %s', (_label, open) => {
  let handle: DatabaseHandle;
  let db: Database;
  beforeAll(async () => {
    handle = await open();
    db = handle.db;
  });
  afterAll(async () => {
    if (handle !== postgresHandle) await handle?.close();
  });

  it('runs a job at each tick of its cron schedule in Beijing time, and records each run', async () => {
    const schema = await freshSchema(db);
    const clock = testClock();
    // 03:29:30 in Beijing: the daily 03:30 tick is 30 s away.
    clock.set('2026-12-06T19:29:30Z');
    const purge = controlledJob('nightly-purge', '30 3 * * *', { finishAtOnce: true });
    const { timers, running } = instance(db, schema, [purge.job], clock, 'one');
    try {
      await wake(timers);
      expect(purge.runs()).toBe(0);
      expect(await stateOf(db, schema, 'nightly-purge')).toMatchObject({ schedule: '30 3 * * *', nextRunAt: '2026-12-06T19:30:00.000Z', runs: 0, lastOutcome: null });
      expect(timers.pending()).toEqual([30_000]);

      clock.set('2026-12-06T19:30:00.500Z');
      await wake(timers);
      await until(async () => (await stateOf(db, schema, 'nightly-purge'))?.runs === 1, 'the run is recorded');
      expect(purge.runs()).toBe(1);
      expect(await stateOf(db, schema, 'nightly-purge')).toMatchObject({
        nextRunAt: '2026-12-07T19:30:00.000Z',
        lastStartedAt: '2026-12-06T19:30:00.500Z',
        lastOutcome: 'SUCCEEDED',
        lastError: null,
        lastRunner: 'one',
        running: false,
        runs: 1,
        failures: 0,
      });
      // Asleep until the next day's tick, looking again at least every minute.
      await wake(timers);
      expect(timers.pending()).toEqual([60_000]);
      expect(purge.runs()).toBe(1);
    } finally {
      await running.stop();
    }
  });

  it('records a failed run with its error and runs again at the next tick, telling each outcome', async () => {
    const schema = await freshSchema(db);
    const clock = testClock();
    clock.set('2026-12-06T10:00:00Z');
    const sweep = controlledJob('failing-sweep', '* * * * *');
    const told: string[] = [];
    const { timers, running } = instance(db, schema, [sweep.job], clock, 'one', { onRun: ({ job, outcome }) => told.push(`${job} ${outcome}`) });
    try {
      await wake(timers);
      clock.set('2026-12-06T10:01:00Z');
      timers.fire();
      await until(() => sweep.inFlight() === 1, 'the run starts');
      sweep.finish(new Error('database away'));
      await until(async () => (await stateOf(db, schema, 'failing-sweep'))?.runs === 1, 'the failure is recorded');
      expect(await stateOf(db, schema, 'failing-sweep')).toMatchObject({ lastOutcome: 'FAILED', lastError: 'database away', failures: 1, running: false });

      clock.set('2026-12-06T10:02:00Z');
      await wake(timers);
      await until(() => sweep.inFlight() === 1, 'the next run starts');
      sweep.finish();
      await until(async () => (await stateOf(db, schema, 'failing-sweep'))?.runs === 2, 'the success is recorded');
      expect(await stateOf(db, schema, 'failing-sweep')).toMatchObject({ lastOutcome: 'SUCCEEDED', lastError: null, runs: 2, failures: 1 });
      expect(told).toEqual(['failing-sweep failed', 'failing-sweep succeeded']);
    } finally {
      await running.stop();
    }
  });

  it('refuses an invalid schedule or job name when it starts', () => {
    const logger = createLogger('scheduler', 'silent');
    expect(() => startScheduler(db, [{ name: 'bad', schedule: 'every minute', description: 'x', run: async () => 0 }], { schema: 'x', logger })).toThrow(/invalid schedule/);
    expect(() => startScheduler(db, [{ name: 'Bad Name', schedule: '* * * * *', description: 'x', run: async () => 0 }], { schema: 'x', logger })).toThrow(/kebab-case/);
    const job = { name: 'twice', schedule: '* * * * *', description: 'x', run: async () => 0 };
    expect(() => startScheduler(db, [job, job], { schema: 'x', logger })).toThrow(/share a name/);
  });
});

describe('several instances of a subgraph', () => {
  it('run each tick of a job exactly once among them', async () => {
    const db = postgresHandle.db;
    const schema = await freshSchema(db);
    const clock = testClock();
    clock.set('2026-12-06T08:00:10Z');
    const sweep = controlledJob('shared-sweep', '* * * * *', { finishAtOnce: true });
    const instances = ['a', 'b', 'c'].map((name) => instance(db, schema, [sweep.job], clock, name));
    try {
      await Promise.all(instances.map(({ timers }) => wake(timers)));
      const runners = new Set<string>();
      for (let tick = 1; tick <= 12; tick += 1) {
        clock.set(new Date(Date.parse('2026-12-06T08:00:00Z') + tick * 60_000 + 100));
        // Every instance wakes at the tick at once: their claims race.
        await Promise.all(instances.map(({ timers }) => wake(timers)));
        await until(async () => (await stateOf(db, schema, 'shared-sweep'))?.runs === tick, `tick ${tick} is recorded`);
        expect(sweep.runs()).toBe(tick);
        runners.add((await stateOf(db, schema, 'shared-sweep'))?.lastRunner ?? '');
      }
      expect(sweep.runs()).toBe(12);
      expect([...runners].every((runner) => ['a', 'b', 'c'].includes(runner))).toBe(true);
    } finally {
      await Promise.all(instances.map(({ running }) => running.stop()));
    }
  });

  it('do not start a run again while one outlasts its interval, and take a dead instance’s job over when its lease ends', async () => {
    const db = postgresHandle.db;
    const schema = await freshSchema(db);
    const clock = testClock();
    clock.set('2026-12-06T08:00:10Z');
    const slow = controlledJob('slow-sweep', '* * * * *');
    const first = instance(db, schema, [slow.job], clock, 'first', { leaseMs: 5 * 60_000 });
    const second = instance(db, schema, [slow.job], clock, 'second', { leaseMs: 5 * 60_000 });
    try {
      await Promise.all([wake(first.timers), wake(second.timers)]);
      clock.set('2026-12-06T08:01:00Z');
      await Promise.all([wake(first.timers), wake(second.timers)]);
      await until(() => slow.inFlight() === 1, 'one run starts');
      expect(await stateOf(db, schema, 'slow-sweep')).toMatchObject({ running: true, nextRunAt: '2026-12-06T08:02:00.000Z' });
      const holder = (await stateOf(db, schema, 'slow-sweep'))?.lastRunner;

      // Two ticks pass while it runs: neither instance starts another run.
      for (const at of ['2026-12-06T08:02:00Z', '2026-12-06T08:03:00Z']) {
        clock.set(at);
        await Promise.all([wake(first.timers), wake(second.timers)]);
      }
      expect(slow.runs()).toBe(1);

      // Its instance dies (its run never ends); once the lease has ended, the other instance takes the job over, once.
      const alive = holder === 'first' ? second : first;
      clock.set('2026-12-06T08:06:00.100Z');
      await wake(alive.timers);
      await until(() => slow.runs() === 2, 'the job is taken over');
      expect(await stateOf(db, schema, 'slow-sweep')).toMatchObject({ lastRunner: holder === 'first' ? 'second' : 'first', running: true, nextRunAt: '2026-12-06T08:07:00.000Z' });
      // The first run ends late: its record leaves alone the lease the other instance now holds.
      slow.finish();
      await until(async () => (await stateOf(db, schema, 'slow-sweep'))?.runs === 1, 'the late run is recorded');
      expect(await stateOf(db, schema, 'slow-sweep')).toMatchObject({ running: true });
      slow.finish();
      await until(async () => (await stateOf(db, schema, 'slow-sweep'))?.running === false, 'the lease is released');
      expect(await stateOf(db, schema, 'slow-sweep')).toMatchObject({ runs: 2 });
    } finally {
      await Promise.all([first.running.stop(), second.running.stop()]);
    }
  });

  it('take the next tick of a job another instance held when that instance stops after its run, not a minute later', async () => {
    const db = postgresHandle.db;
    const schema = await freshSchema(db);
    const clock = testClock();
    clock.set('2026-12-06T08:00:10Z');
    const sweep = controlledJob('quick-sweep', '*/15 * * * * *');
    const first = instance(db, schema, [sweep.job], clock, 'first');
    const second = instance(db, schema, [sweep.job], clock, 'second');
    try {
      await Promise.all([wake(first.timers), wake(second.timers)]);
      clock.set('2026-12-06T08:00:15Z');
      await Promise.all([wake(first.timers), wake(second.timers)]);
      await until(() => sweep.inFlight() === 1, 'one run starts');
      const holder = (await stateOf(db, schema, 'quick-sweep'))?.lastRunner;
      const [held, other] = holder === 'first' ? [first, second] : [second, first];
      // The other instance saw the lease: it looks again at the job's next tick, not when the lease would end.
      expect(other.timers.pending()).toEqual([15_000]);
      sweep.finish();
      await held.running.stop();
      clock.set('2026-12-06T08:00:30Z');
      await wake(other.timers);
      await until(() => sweep.inFlight() === 1, 'the other instance runs the next tick');
      expect(await stateOf(db, schema, 'quick-sweep')).toMatchObject({ lastRunner: holder === 'first' ? 'second' : 'first', nextRunAt: '2026-12-06T08:00:45.000Z' });
      sweep.finish();
    } finally {
      // A run left waiting by a failed expectation would keep its instance from stopping.
      while (sweep.inFlight() > 0) sweep.finish();
      await Promise.all([first.running.stop(), second.running.stop()]);
    }
  });

  it('run ticks missed while no instance ran once, and reschedule a job whose schedule changed', async () => {
    const db = postgresHandle.db;
    const schema = await freshSchema(db);
    const clock = testClock();
    clock.set('2026-12-06T08:00:10Z');
    const sweep = controlledJob('missed-sweep', '* * * * *', { finishAtOnce: true });
    const before = instance(db, schema, [sweep.job], clock, 'before');
    await wake(before.timers);
    await before.running.stop();

    // Nobody ran for an hour: sixty ticks were missed.
    clock.set('2026-12-06T09:00:30Z');
    const after = instance(db, schema, [sweep.job], clock, 'after');
    try {
      await wake(after.timers);
      await until(async () => (await stateOf(db, schema, 'missed-sweep'))?.runs === 1, 'the missed tick runs');
      await wake(after.timers);
      expect(sweep.runs()).toBe(1);
      expect(await stateOf(db, schema, 'missed-sweep')).toMatchObject({ nextRunAt: '2026-12-06T09:01:00.000Z' });
    } finally {
      await after.running.stop();
    }

    const hourly = { ...sweep.job, schedule: '0 * * * *' };
    const changed = instance(db, schema, [hourly], clock, 'changed');
    try {
      await wake(changed.timers);
      expect(await stateOf(db, schema, 'missed-sweep')).toMatchObject({ schedule: '0 * * * *', nextRunAt: '2026-12-06T10:00:00.000Z' });
    } finally {
      await changed.running.stop();
    }
  });

  it('stop by waiting for the runs in flight, leaving no timer behind', async () => {
    const db = postgresHandle.db;
    const schema = await freshSchema(db);
    const clock = testClock();
    clock.set('2026-12-06T08:00:10Z');
    const sweep = controlledJob('stopping-sweep', '* * * * *');
    const { timers, running } = instance(db, schema, [sweep.job], clock, 'one');
    await wake(timers);
    clock.set('2026-12-06T08:01:00Z');
    timers.fire();
    await until(() => sweep.inFlight() === 1, 'the run starts');
    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    sweep.finish();
    await stopping;
    expect(timers.pending()).toEqual([]);
    expect(await stateOf(db, schema, 'stopping-sweep')).toMatchObject({ runs: 1, running: false });
  });

  it('log a wake-up that cannot read its jobs and try again at the next one', async () => {
    const log = memoryLog();
    const clock = testClock();
    const timers = manualTimers();
    // A schema without the table: every read fails.
    const running = startScheduler(postgresHandle.db, [controlledJob('orphan', '* * * * *').job], {
      schema: 'no_such_schema',
      logger: createLogger('scheduler', 'error', log.stream),
      now: clock.now,
      timers,
    });
    try {
      await wake(timers);
      expect(log.lines.filter((line) => line['msg'] === 'scheduler could not read its jobs')).toHaveLength(1);
      expect(timers.pending()).toEqual([60_000]);
    } finally {
      await running.stop();
    }
    expect(await rowsOf(postgresHandle.db, sql`select 1 from pg_namespace where nspname = 'no_such_schema'`)).toEqual([]);
  });
});
