/** `npm run token` as a process: its tokens stay within the lifetime the gateway accepts, and a longer --ttl is refused. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { createAuthenticator, loadGatewayConfig } from '../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function token(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['--conditions=@lianxin/source', 'gateway/src/token-cli.ts', ...args], {
      cwd: root,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const lifetimeOf = (jwt: string) => {
  const { exp, iat } = decodeJwt(jwt);
  return (exp ?? 0) - (iat ?? 0);
};

describe('npm run token', () => {
  it('mints an 8-hour token by default that the gateway accepts', async () => {
    const result = await token(['--role', 'volunteer', '--person', '00000000-0000-7000-8002-000000000001']);
    expect(result.code).toBe(0);
    const jwt = result.stdout.trim();
    expect(lifetimeOf(jwt)).toBe(8 * 3600);
    const authenticate = createAuthenticator(loadGatewayConfig({}).auth);
    await expect(authenticate(`Bearer ${jwt}`)).resolves.toMatchObject({ roles: ['volunteer'] });
  });

  it('keeps the default within a shorter AUTH_MAX_TOKEN_LIFETIME_SECONDS', async () => {
    const result = await token(['--role', 'platform_admin'], { AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' });
    expect(result.code).toBe(0);
    expect(lifetimeOf(result.stdout.trim())).toBe(3600);
  });

  it('refuses a --ttl beyond the longest lifetime with one line saying so', async () => {
    const result = await token(['--role', 'merchant', '--merchant', '00000000-0000-7000-8009-000000000001', '--ttl', '86401']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual(['lianxin: --ttl: at most 86400 seconds, the longest lifetime the gateway accepts (AUTH_MAX_TOKEN_LIFETIME_SECONDS)']);
    const accepted = await token(['--role', 'merchant', '--merchant', '00000000-0000-7000-8009-000000000001', '--ttl', '86400']);
    expect(accepted.code).toBe(0);
  });
});
