/**
 * Each subgraph's scheduled jobs, as platform admins read them through the
 * gateway (`<subgraph>ScheduledJobs`): registered by the scheduler when the
 * graph starts, with their cron schedule in Beijing time and next tick; and
 * refused to everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@lianxin/shared/testing';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let admin: string;

beforeAll(async () => {
  graph = await startTestGraph();
  admin = await graph.token({ roles: ['platform_admin'] });
});
afterAll(async () => {
  await graph?.stop();
});

const JOBS = `{
  peopleScheduledJobs { name }
  requestsScheduledJobs { name schedule description nextRunAt running lastOutcome runs failures }
  pointsScheduledJobs { name schedule description nextRunAt running lastOutcome runs failures }
  recognitionScheduledJobs { name }
}`;

interface Job {
  name: string;
  schedule: string;
  description: string;
  nextRunAt: string;
  running: boolean;
  lastOutcome: string | null;
  runs: number;
  failures: number;
}
interface Jobs {
  peopleScheduledJobs: { name: string }[];
  requestsScheduledJobs: Job[];
  pointsScheduledJobs: Job[];
  recognitionScheduledJobs: { name: string }[];
}

describe('scheduled jobs', () => {
  it('are listed for platform admins by subgraph, each with its schedule and next tick', async () => {
    let jobs: Jobs | null = null;
    // The schedulers register their jobs at their first wake-up, just after the graph starts.
    await waitFor('the jobs are registered', async () => {
      const { data, errors } = await graph.query<Jobs>(JOBS, { token: admin });
      expect(errors).toBeUndefined();
      jobs = data ?? null;
      return (
        (jobs?.peopleScheduledJobs.length ?? 0) === 1 &&
        (jobs?.requestsScheduledJobs.length ?? 0) === 5 &&
        (jobs?.pointsScheduledJobs.length ?? 0) === 6 &&
        (jobs?.recognitionScheduledJobs.length ?? 0) === 2
      );
    });
    const { peopleScheduledJobs, requestsScheduledJobs, pointsScheduledJobs, recognitionScheduledJobs } = jobs as unknown as Jobs;
    expect(peopleScheduledJobs).toEqual([{ name: 'coming-of-age' }]);
    expect(recognitionScheduledJobs).toEqual([{ name: 'badge-backfill' }, { name: 'review-close' }]);
    expect(requestsScheduledJobs.map(({ name, schedule }) => [name, schedule])).toEqual([
      ['care-plan-occurrences', '10 * * * *'],
      ['duty-no-shows', '*/5 * * * *'],
      ['forgotten-check-outs', '*/5 * * * *'],
      ['inactivity-alerts', '* * * * *'],
      ['service-hour-rollups', '*/10 * * * * *'],
    ]);
    expect(pointsScheduledJobs.map(({ name, schedule }) => [name, schedule])).toEqual([
      ['hold-expiring-notice', '* * * * *'],
      ['hold-expiry', '* * * * *'],
      ['idempotency-key-purge', '30 3 * * *'],
      ['payment-code-purge', '15 * * * *'],
      ['settlement-close', '0 2 2 * *'],
      ['webhook-delivery', '*/15 * * * * *'],
    ]);
    const now = Date.now();
    for (const job of [...requestsScheduledJobs, ...pointsScheduledJobs]) {
      expect(job.description.length).toBeGreaterThan(10);
      expect(Date.parse(job.nextRunAt)).toBeGreaterThan(now - 60_000);
      expect(job.failures).toBe(0);
    }
    // The nightly purge's next tick is 03:30 in Beijing (19:30 UTC), within a day.
    const purge = pointsScheduledJobs.find((job) => job.name === 'idempotency-key-purge')!;
    expect(purge.nextRunAt).toMatch(/T19:30:00\.000Z$/);
    expect(Date.parse(purge.nextRunAt) - now).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it('are refused to everyone but platform admins', async () => {
    const volunteer = await graph.token({ roles: ['volunteer'] });
    const station = await graph.token({ roles: ['station_admin'] });
    for (const field of ['peopleScheduledJobs', 'requestsScheduledJobs', 'pointsScheduledJobs', 'recognitionScheduledJobs']) {
      for (const token of [volunteer, station]) {
        const { data, errors } = await graph.query<Record<string, unknown>>(`{ ${field} { name } }`, { token });
        expect({ field, data, codes: errors?.map((error) => error.extensions?.['code']) }).toEqual({ field, data: { [field]: null }, codes: ['FORBIDDEN'] });
      }
      const anonymous = await graph.query<Record<string, unknown>>(`{ ${field} { name } }`);
      expect({ field, codes: anonymous.errors?.map((error) => error.extensions?.['code']) }).toEqual({ field, codes: ['UNAUTHENTICATED'] });
    }
  });
});
