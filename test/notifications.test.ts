/** The notification stream through the gateway: refused without a valid token; `me` is null when anonymous. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({ EVENT_RUNNERS: 'false' });
});

afterAll(async () => {
  await graph?.stop();
});

describe('GET /notifications/stream', () => {
  it('is refused with 401 without a token and with a bad one', async () => {
    const url = new URL('/notifications/stream', graph.url);
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    const forged = await fetch(url, { headers: { authorization: 'Bearer not-a-token' } });
    expect(forged.status).toBe(401);
  });
});

describe('me', () => {
  it('is null for an anonymous viewer', async () => {
    const response = await graph.query<{ me: unknown }>('{ me { id } }', {});
    expect(response.data?.me ?? null).toBeNull();
  });
});
