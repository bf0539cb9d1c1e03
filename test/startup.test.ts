/**
 * The real entry points as processes: `npm start` on a fresh data folder
 * answers through the gateway; a bad configuration or an unreachable
 * database stops start-up with one line naming the problem.
 *
 * `npm start` runs as package.json has it (node on scripts/launch.js, which
 * transpiles what changed and runs the built script), in a copy of the
 * checkout: the launcher writes the packages' dist/, which this checkout's
 * built-output tests (test/built.test.ts) run as tsc made it. The copy also
 * shows that an edited source is what runs next, and that a source that
 * does not parse stops the start with esbuild's message.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';
import { embeddedDemoStamp } from '../scripts/embedded-demo.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

/** What `npm start` runs: `exec node <arguments>`, from package.json. */
const startCommand = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start']!;
const [startProgram, ...startArgs] = startCommand.replace(/^exec /, '').split(' ');

/**
 * Copies what `npm start` reads (sources, schemas, migrations, manifests,
 * compiler settings) to `into`, with no dist/. Its node_modules links each
 * installed package to this checkout's, but the workspace packages to the
 * copy's own folders, as npm links them.
 */
function copyCheckout(into: string): void {
  const skipped = new Set(['node_modules', 'dist', 'test', '.turbo', '.data']);
  const copied = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.base.json', 'scripts', 'schema', 'shared', 'gateway', 'subgraphs'];
  for (const entry of copied) cpSync(path.join(root, entry), path.join(into, entry), { recursive: true, filter: (source) => !skipped.has(path.basename(source)) });
  mkdirSync(path.join(into, 'node_modules', '@lianxin'), { recursive: true });
  for (const entry of readdirSync(path.join(root, 'node_modules'))) {
    if (entry !== '@lianxin') symlinkSync(path.join(root, 'node_modules', entry), path.join(into, 'node_modules', entry));
  }
  for (const entry of readdirSync(path.join(root, 'node_modules', '@lianxin'))) {
    symlinkSync(readlinkSync(path.join(root, 'node_modules', '@lianxin', entry)), path.join(into, 'node_modules', '@lianxin', entry));
  }
  if (existsSync(path.join(root, 'shared', 'node_modules'))) symlinkSync(path.join(root, 'shared', 'node_modules'), path.join(into, 'shared', 'node_modules'));
}

let checkout: string;
beforeAll(() => {
  checkout = mkdtempSync(path.join(tmpdir(), 'lianxin-startup-'));
  copyCheckout(checkout);
});
afterAll(() => {
  rmSync(checkout, { recursive: true, force: true });
});

/** Environment without anything that would point the process at a database or port of the caller's. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_ENV: 'development', LOG_LEVEL: 'warn' };
  return { ...env, ...extra };
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Writes a module that, given to node with --import, appends every URL an
 * import resolves to (the loader's resolve hook) to the file named by
 * LIANXIN_RESOLVED_LOG; returns its path.
 */
function recordResolutions(into: string): string {
  const hooks = path.join(into, 'resolve-hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.LIANXIN_RESOLVED_LOG, result.url + '\\n');
  return result;
}
`,
  );
  const register = path.join(into, 'record-resolutions.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return register;
}

/** `npm start` in the copy, as node itself (what npm execs), for the failures that need no npm around them. */
const start = (env: NodeJS.ProcessEnv) => run(process.execPath, startArgs, checkout, env);

describe('start-up', () => {
  it('is node on the launcher, with no tsx and no source condition', () => {
    // exec'd: node replaces npm's shell, so npm hands a SIGTERM to the graph rather than to a shell that leaves it running.
    expect(startCommand).toMatch(/^exec node /);
    expect(startProgram).toBe('node');
    expect(startCommand).not.toMatch(/tsx|@lianxin\/source/);
  });

  it('stops with one line naming a malformed variable', async () => {
    const result = await start({ PORT: 'forty', DATA_DIR: 'memory://' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('PORT')]);
  });

  it('stops with one line naming a minimum cell that would not protect anyone', async () => {
    const result = await start({ ANALYTICS_MIN_CELL: '1', DATA_DIR: 'memory://' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('ANALYTICS_MIN_CELL')]);
  });

  it('stops with one line when DATABASE_URL does not answer', async () => {
    const result = await start({ DATABASE_URL: 'postgres://127.0.0.1:1/lianxin' });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^lianxin: database unreachable at 127\.0\.0\.1:1\/lianxin: /);
  });

  it('stops with one line when the port is taken', async () => {
    const squatter = http.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    try {
      const result = await start({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: 'memory://' });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([`lianxin: cannot listen on 127.0.0.1:${port}: the port is in use (set PORT to change it)`]);
    } finally {
      squatter.close();
    }
  });

  it('refuses to run a subgraph alone without a Postgres', async () => {
    const result = await run(tsx, ['--conditions=@lianxin/source', 'subgraphs/people/src/main.ts'], root, {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lianxin: invalid configuration: DATABASE_URL: required/);
  });

  it('serves the whole graph from npm start on a fresh data folder, loading no client of what it does not use, then drains on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lianxin-start-'));
    const hooks = mkdtempSync(path.join(tmpdir(), 'lianxin-start-hooks-'));
    const resolved = path.join(hooks, 'resolved.log');
    const env = cleanEnv({ PORT: '0', DATA_DIR: dataDir, NODE_OPTIONS: `--import=${recordResolutions(hooks)}`, LIANXIN_RESOLVED_LOG: resolved });
    // npm itself: its script execs node, so the SIGTERM npm passes on reaches the graph's own handler. In a process group
    // of its own, so that a failed test takes node down with npm.
    const child = spawn('npm', ['start'], { cwd: checkout, env, detached: true });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    try {
      let output = '';
      const banner = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Try:')) resolve(output);
        });
        child.on('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
      });
      const url = /GraphQL:\s+(\S+)/.exec(banner)?.[1];
      const token = /\n {2}(eyJ\S+)\n/.exec(banner)?.[1];
      expect(url).toBeDefined();
      expect(token).toBeDefined();
      const response = await fetch(url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `{ person(id: "${DEMO_SAMPLE_PERSON_ID}") { name account { balance } } }` }),
      });
      const body = (await response.json()) as { data: { person: { name: string } } };
      expect(body.data.person.name).toBe('王建国');
      // The built start computes the demo's stamp as the sources do, so the snapshot npm ci made is the one it takes.
      const mark = JSON.parse(readFileSync(path.join(dataDir, 'demo-loaded.json'), 'utf8')) as { source: string };
      expect(mark.source).toBe((await embeddedDemoStamp(env)).source);
      // Nothing configures Redis, NATS, a trace collector or a certificate page here: their clients stay unloaded
      // (each costs a start tens to hundreds of milliseconds and megabytes). The graph's own packages show the log is read.
      const packages = new Set([...readFileSync(resolved, 'utf8').matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((match) => match[1]));
      expect(packages).toContain('@apollo/gateway');
      expect(packages).toContain('@electric-sql/pglite');
      for (const unused of [
        'ioredis',
        'rate-limiter-flexible',
        '@nats-io/transport-node',
        '@nats-io/jetstream',
        '@opentelemetry/sdk-trace-node',
        '@opentelemetry/exporter-trace-otlp-proto',
        'qrcode',
      ]) {
        expect(packages).not.toContain(unused);
      }
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(errors).toContain('lianxin: SIGTERM received, draining');
    } finally {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(hooks, { recursive: true, force: true });
    }
  });

  it('runs what the sources say now: an edited package or script, or a dist/ rewritten since, is transpiled again', async () => {
    const file = (relative: string) => path.join(checkout, relative);
    // The copy was launched above: everything is current.
    const gatewayStamp = statSync(file('gateway/dist/.source-stamp')).mtimeMs;
    const peopleIndex = readFileSync(file('subgraphs/people/dist/index.js'), 'utf8');
    const runtime = readFileSync(file('shared/src/runtime.ts'), 'utf8');
    writeFileSync(file('shared/src/runtime.ts'), runtime.replace('`lianxin: ${error.message}\\n`', '`lianxin (edited): ${error.message}\\n`'));
    const script = readFileSync(file('scripts/graph.ts'), 'utf8');
    writeFileSync(file('scripts/graph.ts'), `${script}\nprocess.stderr.write('graph.ts edited\\n');\n`);
    // As `npm run build` or turbo's cache would leave it: other JavaScript in dist/, the stamp as it was.
    writeFileSync(file('subgraphs/people/dist/index.js'), 'export {};\n');

    const result = await start({ PORT: 'forty', DATA_DIR: 'memory://' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['graph.ts edited', expect.stringMatching(/^lianxin \(edited\): invalid configuration: PORT/)]);
    expect(readFileSync(file('subgraphs/people/dist/index.js'), 'utf8')).toBe(peopleIndex);
    // Only what changed: the gateway's sources did not.
    expect(statSync(file('gateway/dist/.source-stamp')).mtimeMs).toBe(gatewayStamp);
  });

  it('stops with the file and line when a source does not parse', async () => {
    writeFileSync(path.join(checkout, 'gateway/src/broken.ts'), 'export const broken = ;\n');
    const result = await start({ PORT: 'forty', DATA_DIR: 'memory://' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lianxin: cannot transpile gateway to run it \(scripts\/launch\.js\):\n[\s\S]*gateway\/src\/broken\.ts:1:22/);
  });
});
