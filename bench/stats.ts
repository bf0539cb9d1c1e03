/**
 * `npm run bench:stats`: the analysts' eight questions (docs/analysts.md, "The
 * questions") at scale. Starts the graph on the database `npm run bench:seed`
 * filled (BENCH_SCALE_DATABASE, `lianxin_scale`; without demo data, so the
 * statistics count exactly the seeded rows; the graph applies any migration
 * the database lacks, such as new indexes), mints an analyst token and asks
 * each question through the gateway: once to warm up, then BENCH_ROUNDS (5)
 * times, as asked and narrowed to one street and one month (where indexes
 * matter). Each statement a question ran on the statistics' handles is then
 * run again under `EXPLAIN (ANALYZE, BUFFERS)` with its parameters.
 *
 * Writes bench/STATS.md (BENCH_STATS_OUT): the machine, the row counts, per
 * question p50/p90 and the plans. BENCH_STATS_JSON writes the timings as JSON
 * too, and BENCH_STATS_BEFORE names such a file from an earlier run (say,
 * before a migration added indexes), whose p50s are shown beside these.
 * Bounded: each statement may run up to ANALYTICS_STATEMENT_TIMEOUT_MS
 * (120 s here). Loopback only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { mintDevToken } from '@lianxin/gateway';
import { startGraph } from '../scripts/graph.js';
import { SCALE_DATABASE, databaseUrl, rowCounts, scaleDatabaseExists } from './scale.js';

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const out = process.env['BENCH_STATS_OUT'] ?? new URL('./STATS.md', import.meta.url).pathname;
const jsonOut = process.env['BENCH_STATS_JSON'];
const beforePath = process.env['BENCH_STATS_BEFORE'];
if (!(rounds >= 1)) throw new Error('BENCH_ROUNDS must be at least 1');
if (!(await scaleDatabaseExists())) throw new Error(`database ${SCALE_DATABASE} does not exist: run npm run bench:seed first`);

interface Timing {
  question: string;
  variant: string;
  p50: number;
  p90: number;
}
const before: Timing[] = beforePath ? (JSON.parse(readFileSync(beforePath, 'utf8')) as Timing[]) : [];

const url = databaseUrl(SCALE_DATABASE);
const client = postgres(url, { max: 1, onnotice: () => undefined });

// Days in Beijing time, as the statistics count them.
const today = new Date(Date.now() + 8 * 3_600_000);
const day = (date: Date): string => date.toISOString().slice(0, 10);
const year = today.getUTCFullYear();
const month = today.getUTCMonth();
const lastMonth = { from: day(new Date(Date.UTC(year, month - 1, 1))), to: day(new Date(Date.UTC(year, month, 0))) };
const thisYear = { from: `${year}-01-01`, to: `${year}-12-31` };
const quarter = Math.floor(month / 3);
const thisQuarter = { from: day(new Date(Date.UTC(year, quarter * 3, 1))), to: day(new Date(Date.UTC(year, quarter * 3 + 3, 0))) };
const lastThirteenWeeks = { from: day(new Date(today.getTime() - 91 * 86_400_000)), to: day(today) };

// One street, its branch and one merchant: the narrowing the filtered variants use.
const [street] = await client<{ id: string; name: string }[]>`select id, name from people.regions where kind = 'street' order by name limit 1`;
if (!street) throw new Error(`${SCALE_DATABASE} has no street: seed it with npm run bench:seed`);
const [branch] = await client<{ id: string }[]>`select id from points.bank_units where kind = 'branch' and region_id = ${street.id}`;
const [merchant] = await client<{ id: string }[]>`select id from points.merchants where kind = 'alliance' order by name limit 1`;

interface Question {
  key: string;
  title: string;
  query: string;
  variables: Record<string, unknown>;
  filtered: Record<string, unknown>;
  /** How the filtered variant narrows the question. */
  narrowed: string;
}

const questions: Question[] = [
  {
    key: 'i',
    title: 'Total service hours per community last month',
    query: `query ($region: ID, $from: Date!, $to: Date!) {
      serviceHourStats(filter: { region: $region, from: $from, to: $to }, groupBy: { region: COMMUNITY }) {
        total { hours volunteers } buckets { region { name } figures { hours records volunteers } } } }`,
    variables: lastMonth,
    filtered: { ...lastMonth, region: street.id },
    narrowed: 'one street, last month',
  },
  {
    key: 'ii',
    title: 'Requests per category and status per street this year, with the median time to acceptance',
    query: `query ($region: ID, $from: Date!, $to: Date!) {
      serviceRequestStats(filter: { region: $region, from: $from, to: $to }, groupBy: { region: STREET, category: true, status: true }) {
        total { requests toAccept { median p90 } } buckets { region { name } category { name } status figures { requests accepted toAccept { median } } } } }`,
    variables: thisYear,
    filtered: { ...lastMonth, region: street.id },
    narrowed: 'one street, last month',
  },
  {
    key: 'iii',
    title: 'Points deposited vs redeemed per savings office per month',
    query: `query ($unit: ID, $from: Date, $to: Date) {
      pointsFlowStats(filter: { unit: $unit, from: $from, to: $to }, groupBy: { unit: SAVINGS_OFFICE, period: MONTH }) {
        total { deposited redeemed } buckets { unit { name } period { start end } figures { deposited deposits redeemed redemptions reversed } } } }`,
    variables: {},
    filtered: { ...lastMonth, unit: branch?.id },
    narrowed: 'the offices of one branch, last month',
  },
  {
    key: 'iv',
    title: 'Households per hardship level per community',
    query: `query ($region: ID) {
      householdStats(filter: { region: $region }, groupBy: { region: COMMUNITY, hardship: true }) {
        total { households suppressed } buckets { region { name } hardship figures { households suppressed } } } }`,
    variables: {},
    filtered: { region: street.id },
    narrowed: 'one street',
  },
  {
    key: 'v',
    title: 'Top 10 volunteers by hours this quarter in one street',
    query: `query ($street: ID!, $from: Date!, $to: Date!) {
      volunteerLeaderboard(filter: { region: $street, from: $from, to: $to }, first: 10) { rank hours services volunteer { displayName badges { name } } }
      serviceTallyStats(filter: { region: $street, from: $from, to: $to }, groupBy: { region: STREET, period: QUARTER }) {
        buckets { region { name } period { start end } figures { hours services volunteers ratings averageRating } } } }`,
    variables: { ...thisQuarter, street: street.id },
    filtered: { ...lastMonth, street: street.id },
    narrowed: 'last month (the question names one street already)',
  },
  {
    key: 'vi',
    title: 'Redemptions per merchant per week (the last 13 weeks: 100 merchants over two years is 10,500 weeks, past the 5,000-bucket limit)',
    query: `query ($merchant: ID, $from: Date, $to: Date) {
      redemptionStats(filter: { merchant: $merchant, from: $from, to: $to }, groupBy: { merchant: true, period: WEEK }) {
        total { redemptions points items } buckets { merchant { name } period { start end } figures { redemptions points items } } } }`,
    variables: lastThirteenWeeks,
    filtered: { ...lastMonth, merchant: merchant?.id },
    narrowed: 'one merchant, last month',
  },
  {
    key: 'vii',
    title: 'Micro-wish fulfilment rate per community',
    query: `query ($region: ID, $from: Date, $to: Date) {
      microWishStats(filter: { region: $region, from: $from, to: $to }, groupBy: { region: COMMUNITY }) { buckets { region { name } figures { posted fulfilled fulfilmentRate } } } }`,
    variables: {},
    filtered: { ...lastMonth, region: street.id },
    narrowed: 'one street, last month',
  },
  {
    key: 'viii',
    title: 'Fund contributions by source per quarter',
    query: `query ($from: Date, $to: Date) {
      fundStats(filter: { from: $from, to: $to }, groupBy: { source: true, period: QUARTER }) {
        total { contributed disbursed } buckets { source period { start end } figures { contributed contributions disbursed disbursements } } } }`,
    variables: {},
    filtered: lastMonth,
    narrowed: 'last month',
  },
];

const graph = await startGraph({
  ...process.env,
  DATABASE_URL: url,
  DEMO_DATA: 'false',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  ANALYTICS_STATEMENT_TIMEOUT_MS: process.env['ANALYTICS_STATEMENT_TIMEOUT_MS'] ?? '120000',
  RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0',
});

interface Plan {
  statement: string;
  plan: string[];
}
interface Result {
  question: Question;
  variant: 'as asked' | 'narrowed';
  samples: number[];
  plans: Plan[];
}
const results: Result[] = [];

try {
  const { auth } = graph.gatewayConfig;
  if (auth.kind !== 'dev-secret') throw new Error('the benchmark runs with the dev secret');
  const analyst = await mintDevToken({ roles: ['analyst'] }, auth);
  const ask = async (question: Question, variables: Record<string, unknown>): Promise<number> => {
    const began = performance.now();
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ query: question.query, variables }),
    });
    const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    const elapsed = performance.now() - began;
    if (body.errors?.length) throw new Error(`question (${question.key}) failed: ${body.errors.map((error) => `${error.extensions?.code ?? ''} ${error.message}`).join('; ')}`);
    return elapsed;
  };

  for (const question of questions) {
    for (const [variant, variables] of [
      ['as asked', question.variables],
      ['narrowed', question.filtered],
    ] as const) {
      process.stdout.write(`(${question.key}) ${variant}: `);
      await ask(question, variables);
      const samples: number[] = [];
      for (let round = 0; round < rounds; round += 1) samples.push(await ask(question, variables));
      // The statements of one more asking, with their parameters, to explain.
      const statements: { statement: string; params: readonly unknown[] }[] = [];
      const stops = Object.values(graph.subgraphs).map((subgraph) => subgraph.analytics.onStatement((statement, params) => statements.push({ statement, params })));
      try {
        await ask(question, variables);
      } finally {
        for (const stop of stops) stop();
      }
      const plans: Plan[] = [];
      for (const { statement, params } of statements) {
        const rows = await client.unsafe<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${statement}`, params as postgres.ParameterOrJSON<never>[]);
        plans.push({ statement, plan: rows.map((row) => row['QUERY PLAN']) });
      }
      results.push({ question, variant, samples, plans });
      process.stdout.write(`p50 ${percentile(samples, 0.5).toFixed(0)} ms, p90 ${percentile(samples, 0.9).toFixed(0)} ms, ${plans.length} statement(s)\n`);
    }
  }
} finally {
  await graph.close();
}

const timings: Timing[] = results.map((result) => ({
  question: result.question.key,
  variant: result.variant,
  p50: percentile(result.samples, 0.5),
  p90: percentile(result.samples, 0.9),
}));
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(timings, null, 2)}\n`);
writeFileSync(out, await report());
await client.end();
process.stdout.write(`Wrote ${out}\n`);

/** The nearest-rank percentile of `samples` (milliseconds). */
function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0;
}

async function report(): Promise<string> {
  const [server] = await client<{ server_version: string }[]>`show server_version`;
  const counts = await rowCounts(client);
  const earlier = (key: string, variant: string): string => {
    const found = before.find((entry) => entry.question === key && entry.variant === variant);
    return found ? `${found.p50.toFixed(0)}` : '';
  };
  const lines = [
    '# Statistics at scale',
    '',
    'Written by `npm run bench:stats` (bench/stats.ts) on the database `npm run bench:seed` filled; see docs/analysts.md,',
    '"At scale", for how to read it.',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
    `- PostgreSQL ${server?.server_version ?? '?'}, Node ${process.version}`,
    `- ${rounds} rounds per question after one to warm up, through the gateway with an analyst token; milliseconds per request`,
    '',
    '## Rows',
    '',
    '| table | rows |',
    '|---|---:|',
    ...counts.map((entry) => `| ${entry.table} | ${entry.rows.toLocaleString('en')} |`),
    '',
    '## Timings',
    '',
    `| question | variant | p50 ms | p90 ms |${before.length > 0 ? ' p50 ms before |' : ''}`,
    `|---|---|---:|---:|${before.length > 0 ? '---:|' : ''}`,
    ...results.map(
      (result, index) =>
        `| (${result.question.key}) | ${result.variant === 'narrowed' ? result.question.narrowed : result.variant} | ${timings[index]?.p50.toFixed(0)} | ${timings[index]?.p90.toFixed(0)} |${before.length > 0 ? ` ${earlier(result.question.key, result.variant)} |` : ''}`,
    ),
    '',
    '## Plans',
    '',
    'Each statement the question ran on the statistics handles, under `EXPLAIN (ANALYZE, BUFFERS)` (plans of more than 60 lines cut).',
    '',
  ];
  for (const result of results) {
    lines.push(`### (${result.question.key}) ${result.question.title}: ${result.variant === 'narrowed' ? result.question.narrowed : result.variant}`, '');
    for (const plan of result.plans) {
      const shown = plan.plan.length > 60 ? [...plan.plan.slice(0, 58), '…', ...plan.plan.slice(-2)] : plan.plan;
      lines.push('```', ...shown, '```', '');
    }
  }
  return `${lines.join('\n')}\n`;
}
