/**
 * The graph from a real browser: Debian's Chromium, driven by playwright-core,
 * against the whole graph. The explorer loads from the gateway's own origin
 * alone, with every other host unresolvable as on a machine with no internet,
 * runs a query and shows its data (a screenshot is saved in test-output/);
 * pages on other origins call /graphql with fetch, and only those CORS allows
 * get to read the answer. A certificate's printable page shows in Chinese,
 * drawn with the machine's CJK fonts (a screenshot in test-output/).
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EXPLORER_CONTENT_SECURITY_POLICY, prepareExplorer } from '@lianxin/gateway';
import { createLogger } from '@lianxin/shared';
import { DEMO_JIMO_REGIONS, DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID, DEMO_YANJIANG_REGIONS } from '@lianxin/shared/demo';
import { startTestGraph, type TestGraph } from './support/graph.js';

/** Debian's package `chromium`; .ci/run installs it when missing. */
const CHROMIUM = '/usr/bin/chromium';
const OUTPUT_DIR = new URL('../test-output/', import.meta.url);
const SCREENSHOT = new URL('explorer.png', OUTPUT_DIR);
const CERTIFICATE_SCREENSHOT = new URL('certificate.png', OUTPUT_DIR);

/** A page with nothing on it, for scripts to run on its origin. */
async function startBlankPage(address: string, host = address): Promise<{ origin: string; server: http.Server }> {
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>another origin</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return { server, origin: `http://${host}:${(server.address() as AddressInfo).port}` };
}

let graph: TestGraph;
let gatewayOrigin: string;
let browser: Browser;
/** A localhost page on another port: allowed outside production. */
let localPage: { origin: string; server: http.Server };
/** An origin listed in CORS_ORIGINS. */
let listedPage: { origin: string; server: http.Server };
/** An origin neither listed nor localhost. */
let strangerPage: { origin: string; server: http.Server };

beforeAll(async () => {
  try {
    await access(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: install Debian's package (apt-get install -y chromium), as .ci/run does. This test does not skip.`);
  }
  // Another address of the loopback network is another origin, and not a localhost one.
  localPage = await startBlankPage('127.0.0.1', 'localhost');
  listedPage = await startBlankPage('127.0.0.2');
  strangerPage = await startBlankPage('127.0.0.3');
  graph = await startTestGraph({ CORS_ORIGINS: listedPage.origin });
  gatewayOrigin = new URL(graph.url).origin;
  await prepareExplorer(graph.graph.gatewayConfig, createLogger('explorer', 'silent'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // No name but localhost resolves: a page that reached for a CDN would fail here as it would offline.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2, EXCLUDE 127.0.0.3',
    ],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
  for (const page of [localPage, listedPage, strangerPage]) await new Promise((resolve) => page?.server.close(resolve));
});

/**
 * Opens `url` in a fresh browser context (no storage from another test),
 * recording every request the page makes and every error or CSP violation it
 * reports.
 */
async function open(url: string): Promise<{ page: Page; requests: string[]; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  return { page, requests, problems, close: () => context.close() };
}

describe('the explorer', () => {
  it('loads from the gateway alone, runs a query and shows its data', async () => {
    const { page, requests, problems, close } = await open(`${gatewayOrigin}/explorer`);
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    // The saved examples are in their tabs once GraphiQL has set up its editors.
    await page.locator('.graphiql-query-editor', { hasText: 'query RegionTree' }).waitFor();
    for (const name of ['RegionTree', 'TeamWithMembers', 'MyPassbook', 'VolunteerDashboard']) await page.locator(`.graphiql-tab-button[title="${name}"]`).waitFor();

    // Replace the first tab's example with a query of our own, and run it.
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(`query Regions {\n  region(id: "${DEMO_REGIONS.xingle.id}") {\n    name\n    children {\n      name\n    }\n  }\n}\n`);
    // The tab takes the operation's name once GraphiQL has read the new text; running before that would send the old name.
    await page.locator('.graphiql-tab-active .graphiql-tab-button[title="Regions"]').waitFor();
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.graphiql-response', { hasText: DEMO_REGIONS.xingleCompoundEast.name });
    await result.waitFor();
    expect(await result.textContent()).toContain(DEMO_REGIONS.xingle.name);
    // The docs come from introspecting the graph through the gateway, limits and all.
    await page.locator('[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer', { hasText: 'Root Types' }).waitFor();

    await mkdir(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
    expect((await stat(SCREENSHOT)).size).toBeGreaterThan(10_000);

    const elsewhere = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== gatewayOrigin);
    expect(elsewhere).toEqual([]);
    expect(requests).toEqual(expect.arrayContaining([`${gatewayOrigin}/explorer/explorer.js`, `${gatewayOrigin}/explorer/explorer.css`, `${gatewayOrigin}/graphql`]));
    expect(problems).toEqual([]);
    await close();
  });

  it('runs its saved examples, signed out and with a bearer token pasted into the header editor', async () => {
    const { page, problems, close } = await open(`${gatewayOrigin}/explorer`);
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    /** Runs the example in `tab`, with `headers` typed into the header editor, and returns what the gateway answered. */
    const run = async (tab: string, headers: Record<string, string>) => {
      await page.locator(`.graphiql-tab-button[title="${tab}"]`).click();
      await page.locator('.graphiql-query-editor', { hasText: `query ${tab}` }).waitFor();
      await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
      await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.insertText(JSON.stringify(headers));
      const answered = page.waitForResponse((response) => response.url() === graph.url && (response.request().postData() ?? '').includes(`query ${tab}`));
      await page.locator('.graphiql-execute-button').click();
      const response = await answered;
      expect(response.request().headers()['authorization']).toBe(headers['authorization']);
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };
    const signedIn = { authorization: `Bearer ${token}` };

    const tree = await run('RegionTree', {});
    expect(tree.errors).toBeUndefined();
    // The demo's three trees, by name: Sichuan's (Yanjiang's bank), Shandong's (Jimo's caseload) and Shaanxi's.
    const root = (province: { name: string }, city: { name: string }) => ({ node: { name: province.name, children: [{ name: city.name }] } });
    expect(tree.data).toMatchObject({
      regions: {
        edges: [
          root(DEMO_YANJIANG_REGIONS['sichuan']!, DEMO_YANJIANG_REGIONS['ziyang']!),
          root(DEMO_JIMO_REGIONS.shandong, DEMO_JIMO_REGIONS.qingdao),
          root(DEMO_REGIONS.shaanxi, DEMO_REGIONS.xian),
        ],
      },
    });
    const teams = await run('TeamWithMembers', signedIn);
    expect(teams.errors).toBeUndefined();
    expect(teams.data).toMatchObject({ teams: { edges: expect.arrayContaining([{ node: expect.objectContaining({ members: { edges: expect.any(Array) } }) }]) } });
    const passbook = await run('MyPassbook', signedIn);
    expect(passbook.errors).toBeUndefined();
    expect(passbook.data).toMatchObject({ person: { name: '王建国', account: { passbookNumber: expect.stringMatching(/^\d{12}$/) } } });
    const dashboard = await run('VolunteerDashboard', signedIn);
    expect(dashboard.errors).toBeUndefined();
    expect(dashboard.data).toMatchObject({
      me: { id: DEMO_SAMPLE_PERSON_ID, roles: ['VOLUNTEER'], person: { account: { balance: expect.any(Number) }, openTasks: { totalCount: expect.any(Number) } } },
    });
    expect(problems).toEqual([]);
    await close();
  });

  it('is served with a Content-Security-Policy that forbids other origins', async () => {
    const response = await fetch(`${gatewayOrigin}/explorer`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(EXPLORER_CONTENT_SECURITY_POLICY);
    const html = await response.text();
    // Every URL in the page is a path on this origin (or the empty data: icon).
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url === 'data:,' || url?.startsWith('/explorer/')).toBe(true);
  });
});

describe("a certificate's printable page", () => {
  it('shows the certificate in Chinese, drawn with a CJK font, with its QR code, and loads nothing else', async () => {
    const admin = await graph.token({ roles: ['platform_admin'] });
    const found = await graph.query<{ person: { certificates: { number: string; code: string; title: string }[] } }>(
      'query ($id: ID!) { person(id: $id) { certificates { number code title } } }',
      { variables: { id: DEMO_SAMPLE_PERSON_ID }, token: admin },
    );
    // The sample person's honour certificate from the demo's campaign.
    const certificate = found.data!.person.certificates.find((candidate) => candidate.title === '最美志愿服务组织者')!;
    const url = `${gatewayOrigin}/certificates/${certificate.number}?code=${certificate.code}`;
    const { page, requests, problems, close } = await open(url);
    await page.locator('h1', { hasText: '最美志愿服务组织者' }).waitFor();
    expect(await page.locator('dd.status-VALID').textContent()).toBe('有效');
    expect(await page.locator('.verify svg').count()).toBe(1);
    // The heading's glyphs come from a CJK font installed on the machine (Debian's fonts-noto-cjk), not from a fallback box.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'h1' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(fonts.map((font) => font.familyName).join(', ')).toMatch(/CJK/);
    expect(fonts.reduce((glyphs, font) => glyphs + font.glyphCount, 0)).toBe('最美志愿服务组织者'.length);
    await mkdir(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: CERTIFICATE_SCREENSHOT.pathname, fullPage: true });
    expect((await stat(CERTIFICATE_SCREENSHOT)).size).toBeGreaterThan(10_000);
    // The page is one document: no script, style sheet, font or image fetched, and nothing the policy had to refuse.
    expect(requests).toEqual([url]);
    expect(problems).toEqual([]);
    await close();
  });
});

describe('pages on other origins', () => {
  /** From a page on `origin`, POSTs a query with a bearer token (a preflighted request) and reports what the page could read. */
  async function fetchFrom(origin: string): Promise<{ ok: true; status: number; body: unknown; traceId: string | null } | { ok: false; error: string }> {
    const { page, close } = await open(`${origin}/`);
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const outcome = await page.evaluate(
      async ({ url, token, personId }) => {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: `{ person(id: "${personId}") { name } }` }),
          });
          return { ok: true as const, status: response.status, body: (await response.json()) as unknown, traceId: response.headers.get('x-trace-id') };
        } catch (error) {
          return { ok: false as const, error: String(error) };
        }
      },
      { url: graph.url, token, personId: DEMO_SAMPLE_PERSON_ID },
    );
    await close();
    return outcome;
  }

  it('a localhost page on another port reads the graph with its bearer token (outside production)', async () => {
    const outcome = await fetchFrom(localPage.origin);
    expect(outcome).toEqual({ ok: true, status: 200, body: { data: { person: { name: '王建国' } } }, traceId: expect.any(String) });
  });

  it('a page on an origin listed in CORS_ORIGINS reads the graph', async () => {
    const outcome = await fetchFrom(listedPage.origin);
    expect(outcome).toMatchObject({ ok: true, status: 200, body: { data: { person: { name: '王建国' } } } });
  });

  it('a page on any other origin cannot', async () => {
    const outcome = await fetchFrom(strangerPage.origin);
    expect(outcome).toEqual({ ok: false, error: expect.stringContaining('Failed to fetch') });
  });
});
