/**
 * The real entry points as processes: `npm start` on a fresh data folder
 * answers through the gateway; a bad configuration or an unreachable
 * database stops start-up with one line naming the problem.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

/** Environment without anything that would point the process at a database or port of the caller's. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_ENV: 'development', LOG_LEVEL: 'warn' };
  return { ...env, ...extra };
}

function run(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['--conditions=@lianxin/source', script], { cwd: root, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('start-up', () => {
  it('stops with one line naming a malformed variable', async () => {
    const result = await run('scripts/start.ts', { PORT: 'forty', DATA_DIR: 'memory://' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('PORT')]);
  });

  it('stops with one line naming a minimum cell that would not protect anyone', async () => {
    const result = await run('scripts/start.ts', { ANALYTICS_MIN_CELL: '1', DATA_DIR: 'memory://' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('ANALYTICS_MIN_CELL')]);
  });

  it('stops with one line when DATABASE_URL does not answer', async () => {
    const result = await run('scripts/start.ts', { DATABASE_URL: 'postgres://127.0.0.1:1/lianxin' });
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
      const result = await run('scripts/start.ts', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: 'memory://' });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([`lianxin: cannot listen on 127.0.0.1:${port}: the port is in use (set PORT to change it)`]);
    } finally {
      squatter.close();
    }
  });

  it('refuses to run a subgraph alone without a Postgres', async () => {
    const result = await run('subgraphs/people/src/main.ts', {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lianxin: invalid configuration: DATABASE_URL: required/);
  });

  it('serves the whole graph from npm start on a fresh data folder, then drains on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lianxin-start-'));
    // Node itself with tsx as its loader, so SIGTERM reaches the graph's own handler: the tsx command relays a signal
    // and, when its child does not acknowledge it within 30 ms (an event loop busy with the embedded database on a
    // loaded machine), kills it outright, which would test tsx rather than the drain.
    const child = spawn(process.execPath, ['--conditions=@lianxin/source', '--import', 'tsx', 'scripts/start.ts'], { cwd: root, env: cleanEnv({ PORT: '0', DATA_DIR: dataDir }) });
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
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
