/**
 * The scheduler: periodic work (sweeps that close what users forgot to close,
 * purges, and later review closes and recurring occurrences) on cron
 * schedules in Beijing time, run by exactly one instance per tick however
 * many instances of a subgraph run.
 *
 * Each subgraph keeps its jobs' state in its own schema (`scheduled_jobs`,
 * created by its migration with `scheduledJobsTableSql`), so the scheduler
 * needs nothing beyond the database the subgraph already has, on Postgres and
 * on the embedded PGlite alike. An instance runs a tick only after claiming
 * it: one UPDATE moves the job's `next_run_at` from the tick it saw due to
 * the following one, and only one instance's UPDATE can match the old value.
 * The claim also takes a lease (`running_until`), so a run that outlasts its
 * interval is not started again elsewhere while it runs, and a run whose
 * instance died is taken over once the lease ends. A tick missed while no
 * instance ran is run once, not once per missed tick. Platform admins read
 * the state (last run, next run, last error) as `<subgraph>ScheduledJobs`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import { sql, type SQL } from 'drizzle-orm';
import { isPlatformAdmin, requireSignedIn } from './access.js';
import type { BaseContext } from './context.js';
import type { Database, Executor } from './db.js';
import { ForbiddenError } from './errors.js';
import { checkSchemaName, isoTime, table } from './events/tables.js';
import type { Logger } from './logger.js';
import { mergeResolvers } from './resolvers.js';
import { rowsOf } from './sql.js';

/** The time zone every schedule is read in: the calendar of the people served. */
export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';

/** Job names: kebab-case, the key of the job's state row. */
const JOB_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface ScheduledJob {
  /** Names the job in its subgraph (kebab-case): in logs, in its state row and to admins. */
  name: string;
  /** When it runs: a cron expression in Beijing time (five fields, or six with seconds first), e.g. `0 4 * * *`. */
  schedule: string;
  /** What it does, in a sentence, for admins reading its state. */
  description: string;
  /**
   * One run. It must be safe to run at any time (the lazy sweeps on read may
   * do the same work meanwhile); what it resolves to is logged and kept as
   * the run's result.
   */
  run: () => Promise<unknown>;
}

/** The timer functions the scheduler waits with; tests pass their own to run jobs without waiting. */
export interface JobTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: JobTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RunningJobs {
  /** Cancels the next wake-up and resolves once the runs in flight have finished (and recorded): no timer is left behind. */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  /** The subgraph's Postgres schema, which holds `scheduled_jobs`. */
  schema: string;
  logger: Logger;
  /** The clock ticks are claimed by; the real time unless a test moves it. */
  now?: () => Date;
  timers?: JobTimers;
  /** Names this instance in the state rows (`last_runner`); host, process and a random part by default. */
  instance?: string;
  /** How long a claimed run holds its job before another instance may take the job over (a run whose instance died). */
  leaseMs?: number;
  /** The longest the scheduler sleeps before looking at the state again (another instance may have changed it). */
  maxSleepMs?: number;
  /** Told of each run this instance made, once it has ended (the metrics count them). */
  onRun?: (run: { job: string; outcome: 'succeeded' | 'failed'; durationMs: number }) => void;
}

/** Ten minutes: longer than any sweep takes, short enough that a crashed instance's job is soon taken over. */
const DEFAULT_LEASE_MS = 10 * 60_000;
const DEFAULT_MAX_SLEEP_MS = 60_000;
/** What is kept of a failed run's error message. */
const ERROR_TEXT_LIMIT = 500;

/** A job's schedule, parsed: refuses an invalid expression when the scheduler starts, not at the first tick. */
function cronOf(job: ScheduledJob): Cron {
  if (!JOB_NAME.test(job.name)) throw new Error(`scheduler: "${job.name}" is not a kebab-case job name`);
  try {
    return new Cron(job.schedule, { timezone: SCHEDULE_TIME_ZONE, paused: true });
  } catch (error) {
    throw new Error(`scheduler: job ${job.name} has an invalid schedule "${job.schedule}": ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** The first tick of `cron` strictly after `after`. */
function nextTick(cron: Cron, after: Date): Date {
  const next = cron.nextRun(after);
  // Every schedule here repeats for ever; a pattern with no future tick (a date long past) is a programming error.
  if (!next) throw new Error(`scheduler: the schedule "${cron.getPattern() ?? ''}" has no tick after ${after.toISOString()}`);
  return next;
}

/**
 * Adds the jobs to the state table (a new job's first tick is the next one
 * after now; a job whose schedule changed is rescheduled from now) and
 * returns nothing: what runs when is read from the table at each wake-up.
 */
async function registerJobs(db: Executor, schema: string, jobs: readonly { job: ScheduledJob; cron: Cron }[], now: Date): Promise<void> {
  const t = table(schema, 'scheduled_jobs');
  for (const { job, cron } of jobs) {
    await db.execute(sql`
      insert into ${t} (name, schedule, description, next_run_at)
      values (${job.name}, ${job.schedule}, ${job.description}, ${nextTick(cron, now).toISOString()})
      on conflict (name) do update
        set description = excluded.description,
            schedule = excluded.schedule,
            next_run_at = case when ${t}.schedule = excluded.schedule then ${t}.next_run_at else excluded.next_run_at end`);
  }
}

interface DueJob {
  name: string;
  nextRunAt: string;
}

/** The jobs among `names` whose tick has come and that no live lease holds. */
async function dueJobs(db: Executor, schema: string, names: readonly string[], now: Date): Promise<DueJob[]> {
  const t = table(schema, 'scheduled_jobs');
  return rowsOf<DueJob>(
    db,
    sql`select name, ${isoTime(sql`next_run_at`)} as "nextRunAt" from ${t}
         where name in (${sql.join(
           names.map((name) => sql`${name}`),
           sql`, `,
         )})
           and next_run_at <= ${now.toISOString()} and (running_until is null or running_until <= ${now.toISOString()})`,
  );
}

/**
 * Claims the tick `due` saw for this instance: true when this UPDATE moved
 * the job on, false when another instance claimed it first (its
 * `next_run_at` or lease no longer match).
 */
async function claimTick(db: Executor, schema: string, due: DueJob, claim: { now: Date; next: Date; leaseMs: number; instance: string }): Promise<boolean> {
  const t = table(schema, 'scheduled_jobs');
  const claimed = await rowsOf<{ name: string }>(
    db,
    sql`update ${t}
           set next_run_at = ${claim.next.toISOString()}, running_until = ${new Date(claim.now.getTime() + claim.leaseMs).toISOString()},
               last_started_at = ${claim.now.toISOString()}, last_runner = ${claim.instance}
         where name = ${due.name} and next_run_at = ${due.nextRunAt}
           and (running_until is null or running_until <= ${claim.now.toISOString()})
     returning name`,
  );
  return claimed.length === 1;
}

/** Records how a claimed run ended and releases its lease (only this instance's: a lease taken over is left alone). */
async function recordRun(db: Executor, schema: string, name: string, run: { instance: string; finishedAt: Date; durationMs: number; error: string | null }): Promise<void> {
  const t = table(schema, 'scheduled_jobs');
  await db.execute(sql`
    update ${t}
       set running_until = case when last_runner = ${run.instance} then null else running_until end,
           last_finished_at = ${run.finishedAt.toISOString()}, last_duration_ms = ${run.durationMs},
           last_outcome = ${run.error === null ? 'succeeded' : 'failed'}, last_error = ${run.error},
           runs = runs + 1, failures = failures + ${run.error === null ? 0 : 1}
     where name = ${name}`);
}

/**
 * The earliest moment one of `names` may next be due: its next tick while
 * that is still ahead, even when another instance's lease holds it (the
 * holder releases the lease when its run ends, so the tick may be free by
 * then: an instance stopped after its run is taken over at the next tick,
 * not at the next look a minute later); the end of the lease for a tick
 * already passed that the lease still holds.
 */
async function nextWake(db: Executor, schema: string, names: readonly string[], now: Date): Promise<Date | null> {
  const t = table(schema, 'scheduled_jobs');
  const at = now.toISOString();
  const [row] = await rowsOf<{ at: string | null }>(
    db,
    sql`select ${isoTime(sql`min(case when next_run_at > ${at} then next_run_at else greatest(next_run_at, coalesce(running_until, next_run_at)) end)`)} as at from ${t}
         where name in (${sql.join(
           names.map((name) => sql`${name}`),
           sql`, `,
         )})`,
  );
  return row?.at ? new Date(row.at) : null;
}

/**
 * Starts the scheduler of one subgraph instance: registers `jobs` in the
 * schema's state table, then wakes at the earliest due tick (or after
 * `maxSleepMs` at the latest, since another instance may move the ticks),
 * claims the due ticks it can and runs them. A failed run is logged and
 * recorded; the job goes on at its next tick. A wake-up that cannot reach the
 * database is logged and retried at the next wake-up.
 */
export function startScheduler(db: Database, jobs: readonly ScheduledJob[], options: SchedulerOptions): RunningJobs {
  const schema = checkSchemaName(options.schema);
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const timers = options.timers ?? realTimers;
  const instance = options.instance ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxSleepMs = options.maxSleepMs ?? DEFAULT_MAX_SLEEP_MS;
  const parsed = jobs.map((job) => ({ job, cron: cronOf(job) }));
  const byName = new Map(parsed.map((entry) => [entry.job.name, entry]));
  if (byName.size !== parsed.length) throw new Error('scheduler: two jobs share a name');
  const names = [...byName.keys()];

  let stopping = false;
  let timer: unknown;
  let registered = false;
  const inFlight = new Set<Promise<void>>();

  const runClaimed = async (entry: { job: ScheduledJob }): Promise<void> => {
    const began = Date.now();
    let error: string | null = null;
    try {
      const result = await entry.job.run();
      logger.debug({ job: entry.job.name, result }, 'scheduled job ran');
    } catch (failure) {
      error = (failure instanceof Error ? failure.message : String(failure)).slice(0, ERROR_TEXT_LIMIT);
      logger.error({ err: failure, job: entry.job.name }, 'scheduled job failed');
    }
    const durationMs = Date.now() - began;
    options.onRun?.({ job: entry.job.name, outcome: error === null ? 'succeeded' : 'failed', durationMs });
    try {
      await recordRun(db, schema, entry.job.name, { instance, finishedAt: now(), durationMs, error });
    } catch (failure) {
      logger.error({ err: failure, job: entry.job.name }, 'scheduled job run could not be recorded');
    }
  };

  const wake = async (): Promise<void> => {
    let sleepMs = maxSleepMs;
    try {
      const at = now();
      if (!registered) {
        await registerJobs(db, schema, parsed, at);
        registered = true;
      }
      for (const due of await dueJobs(db, schema, names, at)) {
        const entry = byName.get(due.name);
        if (!entry || stopping) continue;
        if (!(await claimTick(db, schema, due, { now: at, next: nextTick(entry.cron, at), leaseMs, instance }))) continue;
        const running = runClaimed(entry).finally(() => {
          inFlight.delete(running);
          // A run that ends may free a tick that came due while it ran.
          if (!stopping) schedule(0);
        });
        inFlight.add(running);
      }
      const next = await nextWake(db, schema, names, now());
      if (next) sleepMs = Math.min(maxSleepMs, Math.max(0, next.getTime() - now().getTime()));
    } catch (failure) {
      logger.error({ err: failure }, 'scheduler could not read its jobs');
    }
    if (!stopping) schedule(sleepMs);
  };

  let waking: Promise<void> = Promise.resolve();
  const schedule = (ms: number) => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = undefined;
      // Wake-ups never overlap: one that is asked for while another reads waits for it.
      waking = waking.then(wake);
    }, ms);
  };

  if (names.length > 0) schedule(0);
  return {
    async stop() {
      stopping = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      await waking;
      await Promise.all([...inFlight]);
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}

// The state table
// ---------------------------------------------------------------------------

/** The scheduler's state table of `schema`, for the subgraph's migration (drizzle-kit breakpoints between statements). */
export function scheduledJobsTableSql(schema: string): string {
  const s = `"${checkSchemaName(schema)}"`;
  return `-- The scheduler's state: one row per periodic job, claimed tick by tick by one instance (shared/src/scheduler.ts).
CREATE TABLE ${s}."scheduled_jobs" (
	"name" text PRIMARY KEY NOT NULL,
	"schedule" text NOT NULL,
	"description" text NOT NULL,
	"next_run_at" timestamp (3) with time zone NOT NULL,
	"running_until" timestamp (3) with time zone,
	"last_started_at" timestamp (3) with time zone,
	"last_finished_at" timestamp (3) with time zone,
	"last_duration_ms" integer,
	"last_outcome" text,
	"last_error" text,
	"last_runner" text,
	"runs" bigint DEFAULT 0 NOT NULL,
	"failures" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "scheduled_jobs_name_format" CHECK ("name" ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
	CONSTRAINT "scheduled_jobs_outcome" CHECK ("last_outcome" IN ('succeeded', 'failed')),
	CONSTRAINT "scheduled_jobs_counts" CHECK ("runs" >= 0 AND "failures" >= 0 AND "failures" <= "runs"),
	CONSTRAINT "scheduled_jobs_duration" CHECK ("last_duration_ms" >= 0)
);
--> statement-breakpoint
`;
}

// For platform admins
// ---------------------------------------------------------------------------

/** A job's state as `ScheduledJob` (schema/common.graphql) shows it. */
export interface ScheduledJobState {
  name: string;
  schedule: string;
  description: string;
  nextRunAt: string;
  running: boolean;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastDurationMs: number | null;
  lastOutcome: 'SUCCEEDED' | 'FAILED' | null;
  lastError: string | null;
  lastRunner: string | null;
  runs: number;
  failures: number;
}

/** The state of `schema`'s jobs, by name. */
export async function scheduledJobStates(db: Executor, schema: string, now: Date): Promise<ScheduledJobState[]> {
  const t = table(schema, 'scheduled_jobs');
  const at = (column: string): SQL => isoTime(sql`${sql.identifier(column)}`);
  return rowsOf<ScheduledJobState>(
    db,
    sql`select name, schedule, description, ${at('next_run_at')} as "nextRunAt",
               coalesce(running_until > ${now.toISOString()}, false) as running,
               ${at('last_started_at')} as "lastStartedAt", ${at('last_finished_at')} as "lastFinishedAt",
               last_duration_ms as "lastDurationMs", upper(last_outcome) as "lastOutcome", last_error as "lastError",
               last_runner as "lastRunner", runs::int as runs, failures::int as failures
          from ${t} order by name`,
  );
}

/**
 * Adds `Query.<schema>ScheduledJobs` (platform admins only: job state names
 * hosts and errors) to a subgraph's resolvers. The subgraph's schema.graphql
 * declares the field with the common `ScheduledJob` type; a subgraph without
 * it would hide its jobs from everyone, so it refuses to start.
 */
export function withScheduledJobResolvers(schema: string, resolvers: Record<string, unknown>, sdl: string): Record<string, unknown> {
  const field = `${schema}ScheduledJobs`;
  if (!new RegExp(`\\b${field}\\s*:`).test(sdl)) throw new Error(`the ${schema} subgraph has a scheduler, so its schema must declare ${field}`);
  return mergeResolvers<Record<string, unknown>>(resolvers, {
    Query: {
      [field]: (_parent: unknown, _args: unknown, ctx: BaseContext & { db: Executor }) => {
        requireSignedIn(ctx.viewer);
        if (!isPlatformAdmin(ctx.viewer)) throw new ForbiddenError('Only platform admins see the scheduled jobs.');
        return scheduledJobStates(ctx.db, schema, new Date());
      },
    },
  });
}
