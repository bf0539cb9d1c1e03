/**
 * bench/RESULTS.md from one run's figures: the machine, each topology's
 * table per operation, Hive Gateway against ours, the direct call against
 * the gateway, pgbench, the operations at demo size against scale, and the
 * goals of the performance work with where each stands.
 */
import { BACKENDS, type CpuUse } from './cpu.js';
import type { Measurement } from './load.js';
import type { PgbenchFigures } from './pgbench.js';
import type { StartFigures } from './start.js';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  postgres: string;
  node: string;
  date: string;
  loadAverage: string;
}

/** One measurement of one operation, with where it was sent. */
export interface Row {
  key: string;
  title: string;
  target: string;
  measurement: Measurement;
}

export interface Figures {
  machine: Machine;
  settings: { seconds: number; connections: number; merchants: number; accounts: number; rounds: number; minutes: number };
  /** The one-process topology (PGlite) rows. */
  oneProcess: Row[];
  /** The processes topology: ours (de-duplication on, its default, and off), Hive with de-duplication off and on, rounds alternating. */
  processes: Row[];
  /** The region tree through our gateway and straight to the people subgraph, alternating. */
  direct: Row[];
  pgbench: PgbenchFigures;
  /** One process on PostgreSQL with statements counted: the demo data, and a copy of the seeded database or why there is none. */
  counted: { demo: Row[]; scale: Row[] | string };
}

const fixed = (value: number, digits = 1) => (value === Infinity ? '∞' : Number.isFinite(value) ? value.toFixed(digits) : '–');
const ms = (seconds: number, operations: number) => (seconds * 1000) / operations;
const total = (cpu: CpuUse) => [...cpu.values()].reduce((sum, seconds) => sum + seconds, 0);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const range = (values: number[], digits = 0) => {
  if (values.length === 0) return '–';
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? fixed(low, digits) : `${fixed(low, digits)}–${fixed(high, digits)}`;
};

/** CPU ms per operation of process `name` in a measurement (NaN when it was not metered). */
export function cpuMs(measurement: Measurement, name: string): number {
  const seconds = measurement.cpu.get(name);
  return seconds === undefined ? NaN : ms(seconds, measurement.operations);
}

/** All processes' CPU ms per operation. */
export const totalCpuMs = (measurement: Measurement) => ms(total(measurement.cpu), measurement.operations);

/** Subgraphs' CPU ms per operation (every process named `… subgraph`). */
export const subgraphCpuMs = (measurement: Measurement) =>
  ms(
    [...measurement.cpu].filter(([name]) => name.endsWith(' subgraph')).reduce((sum, [, seconds]) => sum + seconds, 0),
    measurement.operations,
  );

/** The rows of `rows` for one operation and target. */
export const rowsOf = (rows: Row[], key: string, target: string) => rows.filter((row) => row.key === key && row.target === target).map((row) => row.measurement);

/** The operations' keys and titles, in order of first appearance. */
function operationsIn(rows: Row[]): { key: string; title: string }[] {
  const seen = new Map<string, string>();
  for (const row of rows) if (!seen.has(row.key)) seen.set(row.key, row.title);
  return [...seen].map(([key, title]) => ({ key, title }));
}

/** A table of one topology's measurements: throughput, latency, statements, CPU by process. */
function topologyTable(rows: Row[], target: string): string[] {
  const ofTarget = rows.filter((row) => row.target === target);
  const names = [...new Set(ofTarget.flatMap((row) => [...row.measurement.cpu.keys()]))].sort((a, b) => order(a) - order(b));
  // Statements are counted in one process only; elsewhere the column would be empty.
  const counted = ofTarget.some((row) => row.measurement.statements !== null);
  const columns = ['operation', 'ops/s', 'p50 ms', 'p99 ms', 'errors', ...(counted ? ['statements/op'] : []), ...names.map((name) => `${name} CPU ms/op`), 'total CPU ms/op'];
  const lines = [`| ${columns.join(' | ')} |`, `|---|${'---:|'.repeat(columns.length - 1)}`];
  for (const { key } of operationsIn(rows)) {
    const measured = rowsOf(rows, key, target);
    if (measured.length === 0) continue;
    const statements = measured.map((m) => m.statements).filter((value): value is number => value !== null);
    const cells = [
      key,
      range(measured.map((m) => m.perSecond)),
      range(measured.map((m) => m.p50)),
      range(measured.map((m) => m.p99)),
      String(measured.reduce((sum, m) => sum + m.errors, 0)),
      ...(counted ? [statements.length ? range(statements, 1) : '–'] : []),
      ...names.map((name) =>
        range(
          measured.map((m) => cpuMs(m, name)),
          2,
        ),
      ),
      range(measured.map(totalCpuMs), 2),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

/** Gateway first, then subgraphs, PostgreSQL, and the load generator last. */
function order(name: string): number {
  if (name.includes('gateway') || name.startsWith('graph')) return 0;
  if (name.endsWith('subgraph')) return 1;
  if (name === BACKENDS) return 2;
  return 3;
}

/** The ratio of the medians of `ours` and `theirs` throughput, and its range over rounds paired in order. */
function ratio(ours: Measurement[], theirs: Measurement[]): { median: number; text: string } {
  const pairs = ours.slice(0, theirs.length).map((m, index) => m.perSecond / theirs[index]!.perSecond);
  const value = median(ours.map((m) => m.perSecond)) / median(theirs.map((m) => m.perSecond));
  return { median: value, text: `${fixed(value, 2)} (rounds: ${pairs.map((p) => fixed(p, 2)).join(', ')})` };
}

export const OURS = 'ours';
export const OURS_OFF = 'ours, de-duplication off';
export const HIVE_OFF = 'Hive, de-duplication off';
export const HIVE_ON = 'Hive, de-duplication on';
export const DIRECT = 'people subgraph directly';

/**
 * Statements per operation that differ by less than this are the same: the
 * count is an average over a load, less an idle rate measured apart, so it
 * carries a fraction of noise where the code sends whole statements.
 */
const STATEMENT_TOLERANCE = 0.5;

/** An operation's p50, or that none was answered within the measurement (its p50 is then longer than the measurement). */
const p50Of = (measurement: Measurement) => (measurement.perSecond > 0 ? String(measurement.p50) : 'none answered');

/** p50 at scale over p50 at demo size; infinite when nothing was answered at scale. */
const p50Ratio = (demo: Measurement, scale: Measurement) => (scale.perSecond > 0 ? scale.p50 / Math.max(demo.p50, 1) : Infinity);

/**
 * A figure of our gateway's for a goal: with every request making its own
 * subgraph fetches (de-duplication off), which is what a load of distinct
 * viewers meets, and with the default (on), where the load's identical
 * concurrent requests share fetches.
 */
function oursBoth(figures: Figures, key: string, of: (measurement: Measurement) => number): { off: number; on: number } | null {
  const off = rowsOf(figures.processes, key, OURS_OFF);
  const on = rowsOf(figures.processes, key, OURS);
  if (!off.length || !on.length) return null;
  return { off: median(off.map(of)), on: median(on.map(of)) };
}

/** The goals of the performance work and where this run puts each. */
function goals(figures: Figures): string[] {
  const lines = ['| goal | when the work began (issue 22) | this run | met |', '|---|---|---|---|'];
  const yes = (met: boolean) => (met ? 'yes' : 'no');
  const pgbenchMs = figures.pgbench.clientMs + figures.pgbench.backendsMs;
  const redemption = oursBoth(figures, 'redeem by passbook', totalCpuMs);
  if (redemption) {
    const perRedemption = redemption.off;
    lines.push(
      `| CPU per redemption, all processes, ≤ 4× a pgbench transaction's | 12.9 ms vs 1.5 ms ≈ 8.6× (pgbench's figure then: two cores' time over its throughput, an upper bound) | ${fixed(perRedemption)} ms vs ${fixed(pgbenchMs, 2)} ms (pgbench's client and backends, measured) = ${fixed(perRedemption / pgbenchMs)}×; against the upper bound, ${fixed(figures.pgbench.boundMs, 2)} ms: ${fixed(perRedemption / figures.pgbench.boundMs)}× | ${yes(perRedemption <= 4 * pgbenchMs)} |`,
    );
  }
  const read = oursBoth(figures, 'one-row read', totalCpuMs);
  if (read) {
    lines.push(`| CPU per one-row read through the gateway ≤ 1.2 ms | 2.4 ms | ${fixed(read.off, 2)} ms (${fixed(read.on, 2)} ms with de-duplication) | ${yes(read.off <= 1.2)} |`);
  }
  for (const [ours, hive, label, before] of [
    [OURS_OFF, HIVE_OFF, 'both without de-duplication', 'dashboard 1.37–1.50, team 1.22–1.57, region tree 0.97–1.21, redemption 0.99–1.07'],
    [OURS, HIVE_ON, 'both with de-duplication (the defaults)', '0.36–0.59'],
  ] as const) {
    const ratios = operationsIn(figures.processes)
      .map(({ key }) => ({ key, ratio: ratio(rowsOf(figures.processes, key, ours), rowsOf(figures.processes, key, hive)).median }))
      .filter((entry) => Number.isFinite(entry.ratio));
    if (ratios.length === 0) continue;
    const lowest = ratios.reduce((low, entry) => (entry.ratio < low.ratio ? entry : low));
    lines.push(
      `| our gateway ≥ 1.0× Hive Gateway's throughput on every operation, ${label} | ${before} | lowest ${fixed(lowest.ratio, 2)}× (${lowest.key}); ${ratios
        .map((entry) => `${entry.key} ${fixed(entry.ratio, 2)}`)
        .join(', ')} | ${yes(lowest.ratio >= 1)} |`,
    );
  }
  const through = rowsOf(figures.direct, 'region tree', OURS_OFF);
  const direct = rowsOf(figures.direct, 'region tree', DIRECT);
  if (through.length && direct.length) {
    const value = ratio(through, direct).median;
    const shared = ratio(rowsOf(figures.direct, 'region tree', OURS), direct).median;
    lines.push(
      `| a single-subgraph operation through the gateway ≥ 0.8× sent to the subgraph directly | 0.62–0.67× | ${fixed(value, 2)}× (region tree, every request fetched; ${fixed(shared, 2)}× with de-duplication) | ${yes(value >= 0.8)} |`,
    );
  }
  const dashboard = oursBoth(figures, 'dashboard', subgraphCpuMs);
  if (dashboard) {
    lines.push(
      `| subgraph CPU for the volunteer dashboard ≤ 4 ms per request | 7.3–8.2 ms | ${fixed(dashboard.off, 2)} ms (${fixed(dashboard.on, 2)} ms with de-duplication) | ${yes(dashboard.off <= 4)} |`,
    );
  }
  const { demo, scale } = figures.counted;
  if (typeof scale === 'string') {
    lines.push(`| each operation's p50 at scale ≤ 1.5× at demo size, statements unchanged | not measured | not measured: ${scale} | – |`);
  } else {
    const compared = operationsIn(demo)
      .map(({ key }) => {
        const [atDemo] = rowsOf(demo, key, OURS);
        const [atScale] = rowsOf(scale, key, OURS);
        return atDemo && atScale ? { key, ratio: p50Ratio(atDemo, atScale), same: Math.abs((atDemo.statements ?? NaN) - (atScale.statements ?? NaN)) < STATEMENT_TOLERANCE } : null;
      })
      .filter((entry) => entry !== null);
    if (compared.length) {
      const highest = compared.reduce((high, entry) => (entry.ratio > high.ratio ? entry : high));
      const changed = compared.filter((entry) => !entry.same).map((entry) => entry.key);
      lines.push(
        `| each operation's p50 at scale ≤ 1.5× at demo size, statements per operation unchanged | not measured | highest ${fixed(highest.ratio, 2)}× (${highest.key}); statements ${
          changed.length ? `changed: ${changed.join(', ')}` : 'unchanged'
        } | ${yes(highest.ratio <= 1.5 && changed.length === 0)} |`,
      );
    }
  }
  return lines;
}

/** The start goals' rows, from `measureStart()`; without them (BENCH_START=false), where to get them. */
function startGoals(start: StartFigures | null): string[] {
  if (!start) return ['Not measured by this run (BENCH_START=false): `npm run bench:start` (bench/start.ts) gives these figures.'];
  return [
    '| goal | when the work began (issue 22) | this run | met |',
    '|---|---|---|---|',
    `| \`npm start\` on a fresh clone: first answer ≤ 10 s | 48 s | ${fixed(start.firstAnswerSeconds)} s | ${start.firstAnswerSeconds <= 10 ? 'yes' : 'no'} |`,
    `| … resident memory ≤ 400 MB | 581 MB | ${fixed(start.firstRssMb, 0)} MB | ${start.firstRssMb <= 400 ? 'yes' : 'no'} |`,
    `| warm start ≤ 5 s | 12 s | ${fixed(start.warmAnswerSeconds)} s (${fixed(start.warmRssMb, 0)} MB) | ${start.warmAnswerSeconds <= 5 ? 'yes' : 'no'} |`,
    '',
    `CPU until the first answer: ${fixed(start.firstCpuSeconds)} s first, ${fixed(start.warmCpuSeconds)} s warm (all processes of the tree). The install's \`prepare\``,
    `script, which makes the embedded demo database once, took ${fixed(start.prepareSeconds)} s before the first start: it is part of \`npm ci\`.`,
  ];
}

/** The whole report. */
export function resultsMarkdown(figures: Figures, start: StartFigures | null): string {
  const { machine, settings } = figures;
  const lines: string[] = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/graph.ts); docs/performance.md says how to read it.',
    '',
    '## Machine',
    '',
    `- ${machine.cores} cores: ${machine.cpuModel}`,
    `- memory: ${fixed(machine.memoryGb)} GB; load average at the start: ${machine.loadAverage}`,
    `- ${machine.postgres}; Node ${machine.node}`,
    `- ${machine.date}; the whole run took ${fixed(settings.minutes)} minutes`,
    `- ${settings.seconds} s per measurement, ${settings.connections} connections, loopback only; redemptions at ${settings.merchants} merchants from ${settings.accounts} funded accounts`,
    '',
    "CPU is each process's user and system time from /proc during the load, divided by the operations it made (for redemptions, the",
    'redemptions written). The load generator is autocannon in a worker thread of the benchmark process. SQL statements per operation',
    "are counted with each database handle's `onStatement`, as the tests count them, where the benchmark can ask the graph's handles",
    '(one process) and nothing but the operations sends any (see the last section); they are a property of the code, the same in',
    'either topology.',
    '',
    '## Goals',
    '',
    ...goals(figures),
    '',
    '### Start (bench/start.ts)',
    '',
    ...startGoals(start),
    '',
    '## One process on embedded PGlite (as `npm start` runs it)',
    '',
    ...topologyTable(figures.oneProcess, OURS),
    '',
    '## Processes on PostgreSQL (gateway and each subgraph its own process, built entries)',
    '',
    `Our gateway with its defaults, ${settings.rounds} rounds per operation alternating with the others below (ranges are over the rounds). Every`,
    'connection sends the same operation with the same token, so with de-duplication (on by default) identical requests in flight at',
    'once share their subgraph fetches:',
    '',
    ...topologyTable(figures.processes, OURS),
    '',
    '### Our gateway, de-duplication off (`SUBGRAPH_FETCH_DEDUPE=false`): every request makes its own subgraph fetches',
    '',
    ...topologyTable(figures.processes, OURS_OFF),
    '',
    '### Hive Gateway on the same subgraphs, de-duplication of identical in-flight subgraph fetches off',
    '',
    ...topologyTable(figures.processes, HIVE_OFF),
    '',
    '### Hive Gateway, de-duplication on (its default)',
    '',
    ...topologyTable(figures.processes, HIVE_ON),
    '',
    '### Ours ÷ Hive, throughput (median of rounds; each round paired with the Hive round of the same setting that followed it)',
    '',
    '| operation | both without de-duplication | both with de-duplication (the defaults) |',
    '|---|---:|---:|',
    ...operationsIn(figures.processes).map(
      ({ key }) =>
        `| ${key} | ${ratio(rowsOf(figures.processes, key, OURS_OFF), rowsOf(figures.processes, key, HIVE_OFF)).text} | ${
          ratio(rowsOf(figures.processes, key, OURS), rowsOf(figures.processes, key, HIVE_ON)).text
        } |`,
    ),
    '',
    '### One subgraph: the region tree through the gateway and sent to the people subgraph directly',
    '',
    'Directly with a viewer token the subgraph accepts (an anonymous viewer, signed as the gateway signs it); alternating rounds.',
    '',
    '| target | ops/s | p50 ms | p99 ms | total CPU ms/op |',
    '|---|---:|---:|---:|---:|',
    ...[OURS_OFF, OURS, DIRECT].map((target) => {
      const measured = rowsOf(figures.direct, 'region tree', target);
      return `| ${target === DIRECT ? target : `through ${target}`} | ${range(measured.map((m) => m.perSecond))} | ${range(measured.map((m) => m.p50))} | ${range(measured.map((m) => m.p99))} | ${range(measured.map(totalCpuMs), 2)} |`;
    }),
    '',
    `Through the gateway ÷ directly: ${ratio(rowsOf(figures.direct, 'region tree', OURS_OFF), rowsOf(figures.direct, 'region tree', DIRECT)).text} without de-duplication, ${
      ratio(rowsOf(figures.direct, 'region tree', OURS), rowsOf(figures.direct, 'region tree', DIRECT)).text
    } with it.`,
    '',
    '## pgbench, same run, same server',
    '',
    `tpcb-like, ${settings.connections} clients, scale ${settings.merchants}, ${settings.seconds} s: ${fixed(figures.pgbench.transactionsPerSecond, 0)} transactions/s, latency average ${fixed(
      figures.pgbench.latencyMs,
      2,
    )} ms; CPU per transaction ${fixed(figures.pgbench.clientMs, 2)} ms in the pgbench client and ${fixed(figures.pgbench.backendsMs, 2)} ms in its backends, ${fixed(
      figures.pgbench.clientMs + figures.pgbench.backendsMs,
      2,
    )} ms in all.`,
    '',
    '## Statements, and demo size against scale',
    '',
    "One process on PostgreSQL with the event runners and the scheduler off, so that every statement counted is an operation's own",
    "(the events they publish wait in the outboxes), and the gateway's de-duplication off, so that every request makes its own",
    'fetches: the demo data (the database of the processes run), then a copy of the database `npm run bench:seed` fills, dropped after.',
    '',
  ];
  const { demo, scale } = figures.counted;
  const atScale = typeof scale === 'string' ? [] : scale;
  lines.push(
    '| operation | statements/op, demo | statements/op, scale | p50 ms, demo | p50 ms, scale | scale ÷ demo | ops/s, demo | ops/s, scale |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const { key } of operationsIn(demo)) {
    const [small] = rowsOf(demo, key, OURS);
    const [large] = rowsOf(atScale, key, OURS);
    if (!small) continue;
    const cells = [
      key,
      fixed(small.statements ?? NaN),
      large ? fixed(large.statements ?? NaN) : '–',
      p50Of(small),
      large ? p50Of(large) : '–',
      large ? fixed(p50Ratio(small, large), 2) : '–',
      fixed(small.perSecond, 0),
      large ? fixed(large.perSecond, 0) : '–',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (typeof scale === 'string') lines.push('', scale);
  lines.push('', '## The operations', '', ...operationsIn([...figures.oneProcess, ...figures.processes]).map(({ key, title }) => `- **${key}**: ${title}`), '');
  return lines.join('\n');
}
