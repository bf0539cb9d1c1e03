/**
 * Prometheus metrics, scraped over HTTP as Prometheus would: the whole
 * graph's in one process (every series labelled with its service), and a
 * subgraph run alone on its own METRICS_PORT. Requests are counted per
 * operation and outcome at the gateway and in the subgraphs, with the
 * gateway's fetches and rate-limit refusals; the event backlog, lag and dead
 * letters follow the inboxes; pool use follows the work holding connections;
 * scheduled runs are counted per job; and nothing is served on a service's
 * own port.
 */
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import type { Database } from '@lianxin/shared';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';
import { waitFor } from '@lianxin/shared/testing';
import { startTestGraph, type TestGraph } from './support/graph.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads the Prometheus text format into samples. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

class Scrape {
  constructor(readonly samples: Sample[]) {}

  /** The sum of the samples named `name` whose labels include `labels`; 0 when there are none. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, sample) => sum + sample.value, 0);
  }

  has(name: string, labels: Record<string, string> = {}): boolean {
    return this.matching(name, labels).length > 0;
  }

  private matching(name: string, labels: Record<string, string>): Sample[] {
    return this.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  }
}

async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Scrape(parseExposition(await response.text()));
}

const REQUESTS = 'lianxin_graphql_request_duration_seconds_count';
const FETCHES = 'lianxin_gateway_subgraph_fetch_duration_seconds_count';

let graph: TestGraph;
let metricsUrl: string;

beforeAll(async () => {
  // One request a minute for anonymous callers, so a second one is refused.
  graph = await startTestGraph({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1' }, { metricsListener: { port: 0, explicit: true } });
  metricsUrl = graph.graph.metricsUrl ?? '';
});
afterAll(async () => {
  await graph?.stop();
});

describe('metrics', () => {
  it('count requests per operation and outcome at the gateway and in the subgraphs, the fetches between them and rate-limit refusals', async () => {
    const volunteer = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    // Verified once (charging the address's anonymous allowance), then known: the requests below are the volunteer's own.
    await graph.query('query Warmup { __typename }', { token: volunteer });
    const before = await scrape(metricsUrl);

    const me = await graph.query('query MetricsMe { me { person { name account { balance } } } }', { token: volunteer });
    expect(me.errors).toBeUndefined();
    const jobs = await graph.query('query MetricsJobs { pointsScheduledJobs { name } }', { token: volunteer });
    expect(jobs.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const invalid = await graph.query('query MetricsInvalid { noSuchField }', { token: volunteer });
    expect(invalid.status).toBe(400);
    // The address's one anonymous request a minute went on the volunteer's token: these are refused, however quick or slow.
    let refused = 0;
    for (let attempt = 0; attempt < 3; attempt += 1) if ((await graph.query('query MetricsAnonymous { __typename }')).status === 429) refused += 1;
    expect(refused).toBeGreaterThan(0);

    const after = await scrape(metricsUrl);
    const delta = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(delta(REQUESTS, { service: 'gateway', operation: 'MetricsMe', outcome: 'ok' })).toBe(1);
    expect(delta(REQUESTS, { service: 'gateway', operation: 'MetricsJobs', outcome: 'FORBIDDEN' })).toBe(1);
    // A document that does not validate never names an operation.
    expect(delta(REQUESTS, { service: 'gateway', operation: '(unknown)', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(delta(REQUESTS, { service: 'gateway', operation: '(unknown)', outcome: 'RATE_LIMITED' })).toBe(refused);
    expect(delta(REQUESTS, { service: 'gateway', operation: 'MetricsAnonymous' })).toBe(3 - refused);
    expect(delta('lianxin_gateway_rate_limit_refusals_total', { class: 'anonymous' })).toBe(refused);
    expect(delta('lianxin_gateway_rate_limit_refusals_total', { class: 'signedIn' })).toBe(0);

    // The subgraphs label the gateway's fetches with the client's operation name, not the planner's `MetricsMe__people__0`.
    expect(delta(REQUESTS, { service: 'people', operation: 'MetricsMe', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(delta(REQUESTS, { service: 'points', operation: 'MetricsMe', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(delta(REQUESTS, { service: 'points', operation: 'MetricsJobs', outcome: 'FORBIDDEN' })).toBe(1);
    expect(delta(REQUESTS, { service: 'requests' })).toBe(0);
    expect(after.samples.some((sample) => sample.name === REQUESTS && sample.labels['operation']?.includes('__'))).toBe(false);

    expect(delta(FETCHES, { subgraph: 'people', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(delta(FETCHES, { subgraph: 'points', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(delta(FETCHES, { subgraph: 'points', outcome: 'errors' })).toBe(1);
    expect(delta(FETCHES, { subgraph: 'requests' })).toBe(0);

    // Histograms: every request falls in the +Inf bucket, and each has a sum of seconds.
    expect(after.value('lianxin_graphql_request_duration_seconds_bucket', { service: 'gateway', operation: 'MetricsMe', outcome: 'ok', le: '+Inf' })).toBe(
      after.value(REQUESTS, { service: 'gateway', operation: 'MetricsMe', outcome: 'ok' }),
    );
    expect(after.has('lianxin_graphql_request_duration_seconds_sum', { service: 'gateway', operation: 'MetricsMe' })).toBe(true);
  });

  it('follow each consumer’s inbox: backlog and lag per source, dead letters until they are replayed', async () => {
    const points = graph.graph.subgraphs.points;
    // Nothing applies what the test puts in the inbox.
    await points.events?.stop();
    const db = points.database.db;
    const labels = { consumer: 'points', source: 'requests' };
    const before = await scrape(metricsUrl);
    // A series per consumer and source, including those with nothing waiting.
    for (const [consumer, source] of [
      ['people', 'requests'],
      ['requests', 'people'],
      ['points', 'people'],
      ['recognition', 'points'],
    ] as const) {
      expect(before.has('lianxin_event_backlog', { consumer, source })).toBe(true);
      expect(before.has('lianxin_event_dead_letters', { consumer, source })).toBe(true);
    }

    const pending = await receive(db, { status: 'pending', occurredSecondsAgo: 3_600 });
    const dead = await receive(db, { status: 'dead', occurredSecondsAgo: 60 });
    const letter = randomUUID();
    await db.execute(sql`insert into points.dead_letters (id, event_id, error, attempts) values (${letter}, ${dead}, 'Error: test', 8)`);

    const during = await scrape(metricsUrl);
    expect(during.value('lianxin_event_backlog', labels)).toBe(before.value('lianxin_event_backlog', labels) + 1);
    // The oldest pending event was written an hour ago.
    expect(during.value('lianxin_event_lag_seconds', labels)).toBeGreaterThanOrEqual(3_600);
    expect(during.value('lianxin_event_dead_letters', labels)).toBe(before.value('lianxin_event_dead_letters', labels) + 1);
    expect(during.value('lianxin_event_backlog', { consumer: 'recognition', source: 'requests' })).toBe(
      before.value('lianxin_event_backlog', { consumer: 'recognition', source: 'requests' }),
    );

    await db.execute(sql`update points.inbox set status = 'applied', applied_at = now() where event_id = ${pending}`);
    await db.execute(sql`update points.dead_letters set replayed_at = now(), replayed_by = 'metrics-test' where id = ${letter}`);
    const afterwards = await scrape(metricsUrl);
    expect(afterwards.value('lianxin_event_backlog', labels)).toBe(before.value('lianxin_event_backlog', labels));
    expect(afterwards.value('lianxin_event_dead_letters', labels)).toBe(before.value('lianxin_event_dead_letters', labels));
  });

  it('show each pool’s size and the work holding its connections', async () => {
    const people = graph.graph.subgraphs.people.database;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened = 0;
    // Three transactions each holding a connection until released.
    const transactions = [1, 2, 3].map(() =>
      people.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        opened += 1;
        await held;
      }),
    );
    await waitFor('the transactions are open', async () => opened === 3);
    const during = await scrape(metricsUrl);
    release();
    await Promise.all(transactions);
    const after = await scrape(metricsUrl);

    const main = { service: 'people', pool: 'main' };
    expect(during.value('lianxin_db_pool_size', main)).toBe(10);
    expect(during.value('lianxin_db_pool_size', { service: 'people', pool: 'analytics' })).toBe(2);
    expect(during.value('lianxin_db_pool_in_flight', main)).toBeGreaterThanOrEqual(3);
    expect(after.value('lianxin_db_pool_in_flight', main)).toBeLessThan(during.value('lianxin_db_pool_in_flight', main));
    for (const service of ['people', 'requests', 'points', 'recognition']) expect(after.has('lianxin_db_pool_in_flight', { service, pool: 'main' })).toBe(true);
  });

  it('count scheduled runs per job and outcome', async () => {
    const points = graph.graph.subgraphs.points;
    const job = { service: 'points', job: 'payment-code-purge', outcome: 'succeeded' };
    const before = await scrape(metricsUrl);
    // The job's next tick is made due now, and the scheduler started again so that it looks at once.
    await points.jobs.stop();
    await points.database.db.execute(sql`update points.scheduled_jobs set next_run_at = now() - interval '1 second' where name = 'payment-code-purge'`);
    points.jobs.start();
    await waitFor('the job runs', async () => (await scrape(metricsUrl)).value('lianxin_scheduler_runs_total', job) > before.value('lianxin_scheduler_runs_total', job), {
      intervalMs: 200,
    });
    const after = await scrape(metricsUrl);
    expect(after.value('lianxin_scheduler_run_duration_seconds_count', { service: 'points', job: 'payment-code-purge' })).toBe(
      after.value('lianxin_scheduler_runs_total', { service: 'points', job: 'payment-code-purge' }),
    );
  });

  it('include the process’s own figures, and are not served on the gateway’s public port', async () => {
    const metrics = await scrape(metricsUrl);
    expect(metrics.has('process_cpu_user_seconds_total')).toBe(true);
    expect(metrics.has('nodejs_heap_size_used_bytes')).toBe(true);
    expect(metrics.has('nodejs_eventloop_lag_seconds')).toBe(true);
    const response = await fetch(new URL('/metrics', graph.url));
    expect(response.status).toBe(404);
    expect((await fetch(new URL('/graphql', metricsUrl))).status).toBe(404);
  });

  it('are served by a subgraph run alone on its METRICS_PORT, not on its own port', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/people/src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        DATABASE_URL: graph.databaseUrl,
        HOST: '127.0.0.1',
        PEOPLE_PORT: '0',
        METRICS_PORT: '0',
        DEMO_DATA: 'false',
        EVENT_RUNNERS: 'false',
        SCHEDULER: 'false',
        LOG_LEVEL: 'info',
      },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const urls = await new Promise<{ metrics: string; graphql: string }>((resolve, reject) => {
        const found: { metrics?: string; graphql?: string } = {};
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            if (!line.startsWith('{')) continue;
            const entry = JSON.parse(line) as { msg?: string; url?: string };
            if (entry.msg === 'metrics served') found.metrics = entry.url;
            if (entry.msg === 'people subgraph ready') found.graphql = entry.url;
          }
          if (found.metrics && found.graphql) resolve({ metrics: found.metrics, graphql: found.graphql });
        });
        child.on('exit', (code) => reject(new Error(`the people subgraph exited with ${code}`)));
      });
      const metrics = await scrape(urls.metrics);
      expect(metrics.value('lianxin_db_pool_size', { service: 'people', pool: 'main' })).toBe(10);
      expect(metrics.has('lianxin_event_backlog', { consumer: 'people', source: 'requests' })).toBe(true);
      expect(metrics.has('lianxin_db_pool_size', { service: 'points' })).toBe(false);
      expect((await fetch(new URL('/metrics', urls.graphql))).status).toBe(404);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

/** Puts an event from requests into the points inbox, as the runner would have received it. */
async function receive(db: Database, { status, occurredSecondsAgo }: { status: 'pending' | 'dead'; occurredSecondsAgo: number }): Promise<string> {
  const id = randomUUID();
  await db.execute(sql`
    insert into points.inbox (event_id, source, type, aggregate_type, aggregate_id, sequence, payload, occurred_at, status, last_error)
    values (${id}, 'requests', 'metrics_test.happened', 'metrics_test', ${id}, 1, '{}'::jsonb, now() - make_interval(secs => ${occurredSecondsAgo}),
            ${status}, ${status === 'dead' ? 'Error: test' : null})`);
  return id;
}
