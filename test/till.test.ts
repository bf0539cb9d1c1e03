/**
 * The sample till (examples/till/till.ts) against the whole graph on the
 * demo data, as a partner integrates it from docs/merchants.md: it signs in
 * through a client-credentials token endpoint, takes a customer's payment
 * code through a connection that loses the bank's first answer, captures,
 * refunds a line and reads its catalogue; and its command line runs.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { auditLedger } from '@lianxin/points';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';
import { Till, TillRefusal } from '../examples/till/till.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { paymentCodeFor } from './support/points.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const YONGHUI = '00000000-0000-7000-8017-000000000001';
const CLIENT = { id: 'yonghui-till-01', secret: 's3cret-for-the-till' };

let graph: TestGraph;
let idp: IdentityProvider;
let proxy: LossyProxy;

/**
 * A client-credentials token endpoint, as the identity provider runs one: it
 * checks the client's id and secret and hands out the merchant's token. The
 * first token it issues is one the gateway refuses, as a withdrawn key would
 * make it, so the till must fetch another.
 */
interface IdentityProvider {
  url: string;
  requests: number;
  close(): Promise<void>;
}

async function startIdentityProvider(): Promise<IdentityProvider> {
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      void (async () => {
        state.requests += 1;
        const form = new URLSearchParams(body);
        const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
          .toString()
          .split(':')
          .map(decodeURIComponent);
        res.setHeader('content-type', 'application/json');
        if (req.method !== 'POST' || form.get('grant_type') !== 'client_credentials' || id !== CLIENT.id || secret !== CLIENT.secret) {
          res.statusCode = 401;
          res.end(JSON.stringify({ error: 'invalid_client' }));
          return;
        }
        const token = await graph.token({ roles: ['merchant'], merchantId: YONGHUI, ttlSeconds: 3600 });
        // The first token carries a signature the gateway does not trust.
        const accessToken = state.requests === 1 ? `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}` : token;
        res.end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`,
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A connection between the till and the gateway that, once armed, passes the
 * next request matching `lose` to the gateway, lets the bank act on it, and
 * then drops the answer: the case idempotency keys exist for.
 */
interface LossyProxy {
  url: string;
  lose: RegExp | null;
  lost: number;
  forwarded: number;
  close(): Promise<void>;
}

async function startLossyProxy(target: string): Promise<LossyProxy> {
  const state: { lose: RegExp | null; lost: number; forwarded: number } = { lose: null, lost: 0, forwarded: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        state.forwarded += 1;
        const answer = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' }, body });
        const text = await answer.text();
        if (state.lose?.test(body.toString())) {
          state.lose = null;
          state.lost += 1;
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

beforeAll(async () => {
  graph = await startTestGraph();
  idp = await startIdentityProvider();
  proxy = await startLossyProxy(graph.url);
});
afterEach(async () => {
  if (graph) expect(await auditLedger(graph.graph.subgraphs.points.database.db)).toEqual([]);
});
afterAll(async () => {
  await proxy?.close();
  await idp?.close();
  await graph?.stop();
});

const till = () =>
  new Till({
    endpoint: proxy.url,
    merchant: YONGHUI,
    credentials: { tokenUrl: idp.url, clientId: CLIENT.id, clientSecret: CLIENT.secret, scope: 'lianxin.merchant' },
    baseDelayMs: 50,
  });

async function balanceOf(personId: string): Promise<{ balance: number; heldPoints: number }> {
  const answer = await graph.query<{ me: { person: { account: { balance: number; heldPoints: number } } } }>(`{ me { person { account { balance heldPoints } } } }`, {
    token: await graph.token({ roles: ['volunteer'], personId }),
  });
  return answer.data!.me.person.account;
}

/** Last calendar month in Beijing, `YYYY-MM`: the latest a statement can be closed for. */
function lastMonth(): string {
  const beijing = new Date(Date.now() + 8 * 3_600_000);
  const month = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - 1, 1));
  return month.toISOString().slice(0, 7);
}

describe('the sample till', () => {
  it('signs in with client credentials, sells from a payment code through a lost answer once, captures, refunds a line and settles', async () => {
    const shop = till();
    const { totalCount, items } = await shop.catalogue();
    // The first token was refused; the till fetched another and went on.
    expect(idp.requests).toBe(2);
    expect(totalCount).toBeGreaterThanOrEqual(items.length);
    const item = items.find((candidate) => candidate.active && candidate.stock >= 2 && candidate.pricePoints <= 20)!;
    expect(item).toBeDefined();

    const before = await balanceOf(DEMO_SAMPLE_PERSON_ID);
    const code = await paymentCodeFor(graph, DEMO_SAMPLE_PERSON_ID);
    proxy.lose = /redemptionHold/;
    const held = await shop.hold(code, [{ item: item.id, quantity: 2 }]);
    expect(proxy.lost).toBe(1);
    expect(held).toMatchObject({ status: 'HELD', totalPoints: item.pricePoints * 2 });
    // One hold, not two: the retry carried the same key and got the first answer.
    expect(await balanceOf(DEMO_SAMPLE_PERSON_ID)).toEqual({ balance: before.balance, heldPoints: before.heldPoints + item.pricePoints * 2 });

    const captured = await shop.capture(held.id);
    expect(captured.status).toBe('CAPTURED');
    expect(await shop.capture(held.id)).toMatchObject({ id: held.id, status: 'CAPTURED' });

    const refund = await shop.refund(held.id, [{ item: item.id, quantity: 1 }]);
    expect(refund).toMatchObject({ points: item.pricePoints, lines: [{ item: { id: item.id }, quantity: 1, points: item.pricePoints }] });
    expect(await balanceOf(DEMO_SAMPLE_PERSON_ID)).toEqual({ balance: before.balance - item.pricePoints, heldPoints: before.heldPoints });

    // The head bank closes last month's statement; the till reads it, downloads its lines and confirms it.
    const closed = await graph.query<{ settlementStatementClose: { statement: { id: string } | null; userErrors: unknown[] } }>(
      `mutation { settlementStatementClose(input: { merchant: "${YONGHUI}", month: "${lastMonth()}" }) { statement { id } userErrors { field code message } } }`,
      { token: await graph.token({ roles: ['platform_admin'] }) },
    );
    expect(closed.data?.settlementStatementClose.userErrors).toEqual([]);
    const statements = await shop.statements();
    expect(statements[0]).toMatchObject({ id: closed.data!.settlementStatementClose.statement!.id, status: 'CLOSED' });
    const csv = await shop.statementCsv(statements[0]!.id);
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('kind,source,time,member,items,points,disputed');
    expect(await shop.confirmStatement(statements[0]!.id)).toMatchObject({ status: 'CONFIRMED', netPoints: statements[0]!.netPoints });

    // The code paid once: a second sale with it is refused, and a refusal is not retried.
    const sent = proxy.forwarded;
    await expect(shop.redeem(code, [{ item: item.id, quantity: 1 }])).rejects.toMatchObject({ name: 'TillRefusal', code: 'PAYMENT_CODE_INVALID' });
    expect(proxy.forwarded).toBe(sent + 1);
  });

  it('gives a refusal as a TillRefusal naming the field, and never retries it', async () => {
    const shop = till();
    const refusal = await shop.hold('281234567890123456', [{ item: '00000000-0000-7000-8018-000000000001', quantity: 1 }]).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TillRefusal);
    expect(refusal).toMatchObject({ code: 'PAYMENT_CODE_INVALID', field: ['input', 'paymentCode'] });
  });

  it('runs as a command, configured from the environment', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--conditions=@lianxin/source', '--import', 'tsx', 'examples/till/till.ts', 'catalogue'], {
      cwd: root,
      env: {
        PATH: process.env['PATH'] ?? '',
        LIANXIN_GRAPHQL_URL: graph.url,
        LIANXIN_MERCHANT_ID: YONGHUI,
        LIANXIN_TOKEN: await graph.token({ roles: ['merchant'], merchantId: YONGHUI }),
      },
    });
    const listed = JSON.parse(stdout) as { totalCount: number; items: { id: string; name: string }[] };
    expect(listed.totalCount).toBeGreaterThan(0);
    expect(listed.items[0]).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String) }));
  });
});
