/**
 * docs/merchants.md's examples, run as written against the whole graph on
 * the demo data, in the order the page gives them, as the till of 永辉超市新城店
 * (or of the sandbox merchant, for the sandbox's example). What a page can
 * only name by a placeholder — `<your id>`, `<redemption id>` — is filled in
 * from the demo or from an earlier example's answer, and the example's
 * payment code by a fresh one from the demo customer (a code lives a
 * minute). A placeholder the test does not know fails it, so a new example
 * cannot go untried.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import { paymentCodeFor } from './support/points.js';

const YONGHUI = '00000000-0000-7000-8017-000000000001';
const SANDBOX_MERCHANT = '00000000-0000-7000-8017-000000000014';

interface Example {
  line: number;
  document: string;
  variables: Record<string, unknown> | null;
}

/** Every ```graphql block of the page, with the ```json block right after it as its variables. */
function examplesOf(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    lang: match[1] ?? '',
    text: match[2] ?? '',
    line: markdown.slice(0, match.index).split('\n').length,
  }));
  return blocks.flatMap((block, index) => {
    if (block.lang !== 'graphql') return [];
    const next = blocks[index + 1];
    return [{ line: block.line, document: block.text, variables: next?.lang === 'json' ? (JSON.parse(next.text) as Record<string, unknown>) : null }];
  });
}

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.stop();
});

/** Collects every `userErrors` list in an answer. */
function userErrorsIn(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(userErrorsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === 'userErrors' && Array.isArray(inner) ? (inner as unknown[]) : userErrorsIn(inner)));
}

describe('docs/merchants.md', () => {
  it('runs every GraphQL example on the demo data and each answers without an error', async () => {
    const examples = examplesOf(readFileSync(new URL('../docs/merchants.md', import.meta.url), 'utf8'));
    expect(examples.length).toBeGreaterThanOrEqual(6);
    const known: Record<string, string> = { '<your id>': YONGHUI, '<your sandbox merchant id>': SANDBOX_MERCHANT };
    const ran: string[] = [];
    for (const example of examples) {
      const sandbox = example.document.includes('<your sandbox merchant id>');
      const placeholders = [...new Set(example.document.match(/<[a-z ]+>/g) ?? [])];
      for (const placeholder of placeholders) expect({ line: example.line, placeholder, known: placeholder in known }).toEqual({ line: example.line, placeholder, known: true });
      const document = placeholders.reduce((text, placeholder) => text.replaceAll(placeholder, known[placeholder]!), example.document);
      const variables: Record<string, unknown> = { ...(example.variables ?? {}) };
      const input = variables['input'] as Record<string, unknown> | undefined;
      if (input && 'paymentCode' in input) variables['input'] = { ...input, paymentCode: await paymentCodeFor(graph, DEMO_SAMPLE_PERSON_ID) };
      if (/\$merchant\b/.test(document) && !('merchant' in variables)) variables['merchant'] = YONGHUI;
      // Closing a statement is the head bank's step, not the till's: a platform admin takes it here.
      const token = document.includes('settlementStatementClose')
        ? await graph.token({ roles: ['platform_admin'] })
        : await graph.token({ roles: ['merchant'], merchantId: sandbox ? SANDBOX_MERCHANT : YONGHUI });
      const answer: GraphQLResponse = await graph.query(document, { variables, token });
      expect({ line: example.line, errors: answer.errors ?? [], userErrors: userErrorsIn(answer.data) }).toEqual({ line: example.line, errors: [], userErrors: [] });
      // What a later example names: the redemption just made and its first line's item.
      const sandboxAccount = (answer.data as { sandboxAccountCreate?: { passbookNumber: string } } | null)?.sandboxAccountCreate;
      if (sandboxAccount) known['<sandbox passbook number>'] = sandboxAccount.passbookNumber;
      const redemption = (answer.data as { redemptionCreate?: { redemption: { id: string; lines: { item?: { id: string } }[] } } } | null)?.redemptionCreate?.redemption;
      if (redemption) {
        known['<redemption id>'] = redemption.id;
        known['<item id>'] = (example.variables?.['input'] as { items: { item: string }[] }).items[0]!.item;
      }
      ran.push(document.trim().split('\n')[0]!);
    }
    expect(ran).toHaveLength(examples.length);
  });
});
