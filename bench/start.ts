/**
 * `npm run bench:start`: how long `npm start` takes to its first answer, and
 * how much memory its processes hold, the first time on a fresh checkout and
 * again warm.
 *
 * The checkout (BENCH_START_CHECKOUT, this one by default) is copied to a
 * temporary folder as a fresh clone after `npm ci` would have it: its tracked
 * and unignored files, its installed packages hard-linked, and what an
 * install prepares (the root `prepare` script, when there is one) run there
 * first, timed apart (it is part of `npm ci`: the embedded demo snapshot,
 * and the sources `npm start` runs transpiled into `dist/`). Nothing generated
 * or cached is kept: no `.data/`, no `dist/`, no built explorer, no
 * `node_modules/.cache`, and temporary files go to a folder of the copy's own
 * (TMPDIR). Then `npm start` runs twice in the copy:
 * "first" on that fresh state, "warm" with the data folder and caches the
 * first left. Each time counts from spawning `npm start` to the first
 * successful answer to the sample query its banner prints, and takes the
 * peak resident memory of its whole process tree (npm, node, and esbuild
 * while anything is transpiled) from /proc until a moment after that
 * answer. Linux only; loopback only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds } from './cpu.js';

export interface StartFigures {
  firstAnswerSeconds: number;
  firstRssMb: number;
  warmAnswerSeconds: number;
  warmRssMb: number;
  /** What the install's `prepare` script took in the copy before the first start (0 without one): part of `npm ci`. */
  prepareSeconds: number;
  /** CPU seconds the tree spent until the first answer: on a machine shared with other work, steadier than the time. */
  firstCpuSeconds: number;
  warmCpuSeconds: number;
}

/** One `npm start`: seconds to the first answer, the CPU spent until then, and the tree's peak memory. */
interface StartRun {
  answerSeconds: number;
  cpuSeconds: number;
  rssMb: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** A start that has not answered by then has failed: the issue measured 48 s on a fresh clone. */
const START_TIMEOUT_MS = Number(process.env['BENCH_START_TIMEOUT_MS'] ?? 180_000);
/** How long memory keeps being sampled after the first answer: the event runners and jobs start around it. */
const SETTLE_MS = 2_000;
const SAMPLE_MS = 50;

/** The ids of `root` and every process descended from it, read from /proc. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after its last ')' are fixed.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // The process ended while the folder was read.
    }
  }
  const tree = [root];
  for (let index = 0; index < tree.length; index += 1) tree.push(...(children.get(tree[index]!) ?? []));
  return tree;
}

/** Resident memory of the processes, in kB (VmRSS). */
function residentKb(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += Number(match?.[1] ?? 0);
    } catch {
      // Gone already.
    }
  }
  return total;
}

/**
 * Copies `checkout` as a fresh clone after `npm ci` would have it: tracked
 * and unignored files, node_modules folders hard-linked (npm links the
 * workspaces relatively, so they point into the copy).
 */
function copyCheckout(checkout: string, into: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: checkout, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${checkout}: ${listed.stderr}`);
  const files = listed.stdout.split('\0').filter((file) => file !== '' && existsSync(path.join(checkout, file)));
  const copied = spawnSync('cp', ['--parents', '-P', '-t', into, ...files], { cwd: checkout, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (copied.status !== 0) throw new Error(`copying ${checkout} failed: ${copied.stderr}`);
  const workspaces = ['.', 'shared', 'gateway', ...readdirSync(path.join(checkout, 'subgraphs')).map((name) => `subgraphs/${name}`)];
  for (const workspace of workspaces) {
    const modules = path.join(checkout, workspace, 'node_modules');
    if (!existsSync(modules)) continue;
    const linked = spawnSync('cp', ['-al', modules, path.join(into, workspace, 'node_modules')], { encoding: 'utf8' });
    if (linked.status !== 0) throw new Error(`linking ${modules} failed: ${linked.stderr}`);
  }
}

/** The environment of a newcomer's shell: no database, no port of the caller's, temporary files in `tmp`. */
function startEnv(tmp: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    TMPDIR: tmp,
    // Free ports, so the measurement never meets another graph on 4000 or 9400.
    PORT: '0',
    METRICS_PORT: '0',
  };
}

/** Sends `signal` to the process group the start runs in (it was spawned detached, as its leader). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group is gone.
  }
}

/** Runs `npm start` in `cwd` until its sample query answers, then stops it. */
async function runStart(cwd: string, env: NodeJS.ProcessEnv): Promise<StartRun> {
  const started = performance.now();
  const child = spawn('npm', ['start'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let peakKb = 0;
  // The last CPU figure seen for each process of the tree: one that ended keeps what it had used by then.
  const cpu = new Map<number, number>();
  const sample = () => {
    if (child.pid === undefined) return;
    const tree = processTree(child.pid);
    peakKb = Math.max(peakKb, residentKb(tree));
    for (const pid of tree) {
      const used = cpuSeconds(pid);
      if (used !== null) cpu.set(pid, used);
    }
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not print its banner within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Try:') && output.includes("-d '")) {
          clearTimeout(timer);
          resolve(output);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code} before answering:\n${errors.slice(-2000)}`));
      });
    });
    const url = /GraphQL:\s+(\S+)/.exec(banner)?.[1];
    const token = /authorization: Bearer (\S+)'/.exec(banner)?.[1];
    const body = /-d '(.+)'\n/.exec(banner)?.[1];
    if (!url || !token || !body) throw new Error(`the banner lacks the URL, token or sample query:\n${banner}`);
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    const answer = (await response.json()) as { data?: { me?: { person?: { name?: string } } | null }; errors?: unknown[] };
    const answerSeconds = (performance.now() - started) / 1000;
    sample();
    const cpuUsed = [...cpu.values()].reduce((sum, seconds) => sum + seconds, 0);
    if (!response.ok || answer.errors || !answer.data?.me?.person?.name) throw new Error(`the sample query failed: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { answerSeconds, cpuSeconds: cpuUsed, rssMb: peakKb / 1024 };
  } finally {
    clearInterval(sampler);
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Copies the checkout, runs what an install prepares, then `npm start`
 * fresh and warm (see the top of this file). The copy is removed after.
 */
export async function measureStart(): Promise<StartFigures> {
  const checkout = path.resolve(process.env['BENCH_START_CHECKOUT'] ?? ROOT);
  const copy = mkdtempSync(path.join(tmpdir(), 'lianxin-bench-start-'));
  try {
    const tree = path.join(copy, 'checkout');
    const tmp = path.join(copy, 'tmp');
    spawnSync('mkdir', ['-p', tree, tmp]);
    copyCheckout(checkout, tree);
    // What an earlier install or start left in the packages' cache (the embedded demo snapshot) is not a fresh clone's.
    rmSync(path.join(tree, 'node_modules', '.cache'), { recursive: true, force: true });
    const scripts = (JSON.parse(readFileSync(path.join(tree, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    let prepareSeconds = 0;
    if (scripts['prepare']) {
      const preparing = performance.now();
      const prepared = spawnSync('npm', ['run', 'prepare'], { cwd: tree, env: startEnv(tmp), encoding: 'utf8' });
      if (prepared.status !== 0) throw new Error(`npm run prepare failed:\n${prepared.stderr}`);
      prepareSeconds = (performance.now() - preparing) / 1000;
    }
    const first = await runStart(tree, startEnv(tmp));
    const warm = await runStart(tree, startEnv(tmp));
    return {
      firstAnswerSeconds: first.answerSeconds,
      firstRssMb: first.rssMb,
      warmAnswerSeconds: warm.answerSeconds,
      warmRssMb: warm.rssMb,
      prepareSeconds,
      firstCpuSeconds: first.cpuSeconds,
      warmCpuSeconds: warm.cpuSeconds,
    };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const figures = await measureStart();
  process.stdout.write(
    [
      '| npm start | first answer, s | CPU until then, s | peak RSS, MB |',
      '|---|---:|---:|---:|',
      `| first (fresh checkout) | ${figures.firstAnswerSeconds.toFixed(1)} | ${figures.firstCpuSeconds.toFixed(1)} | ${figures.firstRssMb.toFixed(0)} |`,
      `| warm (data and caches kept) | ${figures.warmAnswerSeconds.toFixed(1)} | ${figures.warmCpuSeconds.toFixed(1)} | ${figures.warmRssMb.toFixed(0)} |`,
      '',
      `The install's prepare script took ${figures.prepareSeconds.toFixed(1)} s before the first start (part of npm ci).`,
      '',
    ].join('\n'),
  );
}
