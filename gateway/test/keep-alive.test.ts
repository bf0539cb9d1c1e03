/**
 * Client connections kept alive longer than the load balancers in front of
 * the gateway keep theirs, so a till that pauses between sales never sends
 * its next request on a connection the gateway has just closed.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS, loadGatewayConfig } from '../src/index.js';
import { startLoneGateway, type LoneGateway } from './support.js';

let gateway: LoneGateway;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  gateway = await startLoneGateway({ KEEP_ALIVE_TIMEOUT_MS: '3000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
});
afterAll(async () => {
  agent.destroy();
  await gateway?.server.close();
});

/** Sends `{ __typename }` on the agent's connection; resolves with the status, the Keep-Alive header and the socket used. */
function typename(url = gateway.server.url): Promise<{ status: number; keepAlive: string | undefined; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, keepAlive: response.headers['keep-alive']?.toString(), socket: request.socket! }));
    });
    request.on('error', reject);
    request.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keep-alive', () => {
  it('keeps an idle connection longer than the common load-balancer idle timeouts by default, and says so to clients', async () => {
    expect(DEFAULT_KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    expect(loadGatewayConfig({}).keepAliveTimeoutMs).toBe(DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
    expect(() => loadGatewayConfig({ KEEP_ALIVE_TIMEOUT_MS: '10' })).toThrow(/KEEP_ALIVE_TIMEOUT_MS/);
    const byDefault = await startLoneGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
    try {
      const answer = await typename(byDefault.server.url);
      expect(answer.keepAlive).toBe(`timeout=${DEFAULT_KEEP_ALIVE_TIMEOUT_MS / 1000}`);
    } finally {
      await byDefault.server.close();
    }
  });

  it('answers on the same connection after a pause, and closes it itself only once the timeout has passed', async () => {
    const first = await typename();
    const closed = new Promise<number>((resolve) => first.socket.once('close', () => resolve(Date.now())));
    const idleSince = Date.now();
    await pause(1_000);
    const second = await typename();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.socket).toBe(first.socket);
    const reusedAt = Date.now();
    // The gateway, not the client, closes the idle connection, and not before the configured time.
    expect((await closed) - reusedAt).toBeGreaterThanOrEqual(2_900);
    expect(reusedAt - idleSince).toBeGreaterThanOrEqual(1_000);
  });
});
