/**
 * Trusted documents through the gateway: the apps' listed operations by id or
 * by text, everything else refused to first-party clients when the gateway
 * requires trusted documents, and still run for merchants' tills, analysts and
 * platform admins; and with the default (`accept`), ids work and nothing else
 * changes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadTrustedDocuments } from '@lianxin/gateway';
import { ConfigError } from '@lianxin/shared';
import { DEMO_STAFF, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { DEMO_MERCHANTS } from '../subgraphs/points/src/db/demo.js';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';

const wangJianguo = DEMO_VOLUNTEERS[0]!;
const manifest = JSON.parse(readFileSync(new URL('../examples/__generated__/persisted-documents.json', import.meta.url), 'utf8')) as Record<string, string>;
/** The catalogue's MyTeams: the signed-in volunteer and their teams. */
const [myTeamsId, myTeams] = Object.entries(manifest).find(([, text]) => text.startsWith('query MyTeams'))!;
const UNLISTED = '{ regions(first: 1) { edges { node { name } } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function send(graph: TestGraph, body: Record<string, unknown>, token?: string): Promise<GraphQLResponse<{ me?: { id: string } | null; regions?: unknown }>> {
  const response = await fetch(graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

describe('TRUSTED_DOCUMENTS=require', () => {
  let graph: TestGraph;
  let volunteer: string;
  beforeAll(async () => {
    graph = await startTestGraph({ TRUSTED_DOCUMENTS: 'require' });
    volunteer = await graph.token({ roles: ['volunteer', 'team_captain'], personId: wangJianguo.id });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('runs a listed document sent by its id, by its text, or by its Apollo persisted-query hash', async () => {
    for (const body of [{ documentId: myTeamsId }, { query: myTeams }, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(myTeams) } } }]) {
      const answer = await send(graph, body, volunteer);
      expect(answer.errors).toBeUndefined();
      expect(answer).toMatchObject({ status: 200, data: { me: { id: wangJianguo.id } } });
    }
  });

  it('refuses a first-party client any other document, signed in or not', async () => {
    const staff = await graph.token({ roles: ['station_admin'], personId: DEMO_STAFF[0]!.id });
    for (const token of [volunteer, staff, undefined]) {
      const answer = await send(graph, { query: UNLISTED }, token);
      expect(answer).toMatchObject({ status: 400, errors: [{ extensions: { code: 'DOCUMENT_NOT_TRUSTED' } }] });
      expect(answer.data).toBeUndefined();
    }
    // A listed document with one character changed is another document.
    expect(await send(graph, { query: `${myTeams} ` }, volunteer)).toMatchObject({ status: 400, errors: [{ extensions: { code: 'DOCUMENT_NOT_TRUSTED' } }] });
    // A hash of an unlisted document, as if registered earlier by someone allowed to.
    const hashOnly = { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNLISTED) } } };
    expect(await send(graph, hashOnly, volunteer)).toMatchObject({ status: 400, errors: [{ extensions: { code: 'DOCUMENT_NOT_TRUSTED' } }] });
  });

  it('leaves a merchant’s till, an analyst and a platform admin their own documents', async () => {
    const tokens = [
      await graph.token({ roles: ['merchant'], merchantId: DEMO_MERCHANTS.yonghui.id }),
      await graph.token({ roles: ['analyst'], personId: DEMO_STAFF[0]!.id }),
      await graph.token({ roles: ['platform_admin'], personId: DEMO_STAFF[0]!.id }),
    ];
    for (const token of tokens) {
      const answer = await send(graph, { query: UNLISTED }, token);
      expect(answer.errors).toBeUndefined();
      expect(answer).toMatchObject({ status: 200, data: { regions: { edges: [{ node: { name: expect.any(String) } }] } } });
    }
  });

  it('answers a bad or unknown id with a code, never a 500', async () => {
    const cases: [unknown, string][] = [
      [`sha256:${'0'.repeat(64)}`, 'PERSISTED_DOCUMENT_NOT_FOUND'],
      ['sha256:xyz', 'BAD_REQUEST'],
      [myTeamsId.slice('sha256:'.length), 'BAD_REQUEST'],
      [42, 'BAD_REQUEST'],
      [null, 'BAD_REQUEST'],
      [{ id: myTeamsId }, 'BAD_REQUEST'],
    ];
    for (const [documentId, code] of cases) {
      expect(await send(graph, { documentId }, volunteer)).toMatchObject({ status: 400, errors: [{ extensions: { code } }] });
    }
    expect(await send(graph, { documentId: myTeamsId, query: UNLISTED }, volunteer)).toMatchObject({ status: 400, errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    const get = await fetch(`${graph.url}?documentId=${encodeURIComponent(myTeamsId)}`, { headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${volunteer}` } });
    expect(get.status).toBe(400);
  });
});

describe('TRUSTED_DOCUMENTS=accept (the default)', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph();
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('runs listed documents by id and any other document as before', async () => {
    const volunteer = await graph.token({ roles: ['volunteer'], personId: wangJianguo.id });
    expect(await send(graph, { documentId: myTeamsId }, volunteer)).toMatchObject({ status: 200, data: { me: { id: wangJianguo.id } } });
    const anyDocument = await send(graph, { query: UNLISTED }, volunteer);
    expect(anyDocument.errors).toBeUndefined();
    expect(anyDocument.status).toBe(200);
    expect(await send(graph, { documentId: `sha256:${'1'.repeat(64)}` })).toMatchObject({ status: 400, errors: [{ extensions: { code: 'PERSISTED_DOCUMENT_NOT_FOUND' } }] });
  });
});

describe('the manifest', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lianxin-documents-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('is the catalogue’s, every id the hash of its document', () => {
    const documents = loadTrustedDocuments({ mode: 'require', manifestPath: 'examples/__generated__/persisted-documents.json' });
    expect(documents.size).toBe(Object.keys(manifest).length);
    expect(documents.get(myTeamsId.slice('sha256:'.length))).toBe(myTeams);
  });

  it('stops the start when required and missing, or when an entry is not what its id says', async () => {
    const missing = join(directory, 'missing.json');
    expect(() => loadTrustedDocuments({ mode: 'require', manifestPath: missing })).toThrow(ConfigError);
    expect(loadTrustedDocuments({ mode: 'accept', manifestPath: missing }).size).toBe(0);
    const tampered = join(directory, 'tampered.json');
    await writeFile(tampered, JSON.stringify({ [myTeamsId]: UNLISTED }));
    expect(() => loadTrustedDocuments({ mode: 'accept', manifestPath: tampered })).toThrow(ConfigError);
    const broken = join(directory, 'broken.json');
    await writeFile(broken, '{ not json');
    expect(() => loadTrustedDocuments({ mode: 'accept', manifestPath: broken })).toThrow(ConfigError);
  });
});
