/**
 * The lint holds the repository's boundaries: each planted violation, put
 * into a real file of the layer it breaks, fails it, and the file as it
 * stands passes. Without this, a resolver that stopped resolving imports
 * would pass every boundary silently.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const root = new URL('..', import.meta.url);
const eslint = new ESLint({ cwd: root.pathname });

/** The rule ids a file's text, with `planted` added on top, breaks. */
async function broken(file: string, planted: string): Promise<string[]> {
  const text = `${planted}\n${readFileSync(new URL(file, root), 'utf8')}`;
  const [result] = await eslint.lintText(text, { filePath: new URL(file, root).pathname });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

const violations: [string, string, string, string][] = [
  [
    'a subgraph imports another subgraph by its package',
    'subgraphs/people/src/index.ts',
    "import { requestsSubgraph } from '@lianxin/requests';\nvoid requestsSubgraph;",
    'import-x/no-restricted-paths',
  ],
  [
    'a subgraph imports another subgraph by a relative path',
    'subgraphs/points/src/index.ts',
    "import { peopleSubgraph } from '../../people/src/index.js';\nvoid peopleSubgraph;",
    'import-x/no-restricted-paths',
  ],
  ['a subgraph imports the gateway', 'subgraphs/recognition/src/index.ts', "import { startGateway } from '@lianxin/gateway';\nvoid startGateway;", 'import-x/no-restricted-paths'],
  ['shared imports a subgraph', 'shared/src/errors.ts', "import { pointsSubgraph } from '@lianxin/points';\nvoid pointsSubgraph;", 'import-x/no-restricted-paths'],
  ['shared imports the gateway', 'shared/src/http.ts', "import { startGateway } from '../../gateway/src/index.js';\nvoid startGateway;", 'import-x/no-restricted-paths'],
  ['the gateway imports a subgraph', 'gateway/src/gateway.ts', "import { peopleSubgraph } from '@lianxin/people';\nvoid peopleSubgraph;", 'import-x/no-restricted-paths'],
  ['a resolver imports a store', 'subgraphs/people/src/persons/resolvers.ts', "import { insertPerson } from './store.js';\nvoid insertPerson;", 'import-x/no-restricted-paths'],
  [
    'a resolver imports another module’s store',
    'subgraphs/requests/src/wishes/resolvers.ts',
    "import { findRequestPage } from '../requests/store.js';\nvoid findRequestPage;",
    'import-x/no-restricted-paths',
  ],
  ['a resolver imports drizzle', 'subgraphs/points/src/accounts/resolvers.ts', "import { sql } from 'drizzle-orm';\nvoid sql;", 'no-restricted-imports'],
  ['a store imports a service', 'subgraphs/people/src/persons/store.ts', "import { getPerson } from './service.js';\nvoid getPerson;", 'import-x/no-restricted-paths'],
  [
    'a store imports a split service',
    'subgraphs/requests/src/requests/store.ts',
    "import { getServiceRequest } from './reads.js';\nvoid getServiceRequest;",
    'import-x/no-restricted-paths',
  ],
  [
    'a service imports the demo cast',
    'subgraphs/people/src/persons/service.ts',
    "import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';\nvoid DEMO_SAMPLE_PERSON_ID;",
    'import-x/no-restricted-paths',
  ],
  [
    'a resolver imports the demo cast by a relative path',
    'subgraphs/recognition/src/badges/resolvers.ts',
    "import { DEMO_TEAM } from '../../../../shared/src/demo.js';\nvoid DEMO_TEAM;",
    'import-x/no-restricted-paths',
  ],
  ['the production barrel of shared re-exports the demo cast', 'shared/src/index.ts', "export * from './demo.js';", 'import-x/no-restricted-paths'],
  ['a promise left floating', 'shared/src/http.ts', 'Promise.resolve(1);', '@typescript-eslint/no-floating-promises'],
  [
    'a promise where a callback is expected',
    'shared/src/http.ts',
    'setTimeout(async () => { await Promise.resolve(); }, 1);\n[1].forEach(async () => Promise.resolve());\nif (Promise.resolve(true)) void 0;',
    '@typescript-eslint/no-misused-promises',
  ],
  ['any', 'shared/src/http.ts', 'export const loose: any = 1;', '@typescript-eslint/no-explicit-any'],
  [
    'a type imported as a value',
    'shared/src/http.ts',
    "import { Request as ExpressRequest } from 'express';\nexport type Incoming = ExpressRequest;",
    '@typescript-eslint/consistent-type-imports',
  ],
  [
    'a function over 80 lines',
    'subgraphs/recognition/src/badges/service.ts',
    `export function tooLong(): number {\n  let total = 0;\n${'  total += 1;\n'.repeat(80)}  return total;\n}`,
    'max-lines-per-function',
  ],
];

/** Files that import the demo cast and may: a demo seed, test support, the start script. */
const demoUsers = ['subgraphs/people/src/db/demo/teams.ts', 'subgraphs/points/test/support.ts', 'scripts/start.ts'];

describe('the lint', () => {
  it.each(violations)('fails when %s', async (_name, file, planted, rule) => {
    expect(await broken(file, planted)).toContain(rule);
  });

  it.each([...new Set(violations.map(([, file]) => file))])('passes %s as it stands', async (file) => {
    expect(await broken(file, '')).toEqual([]);
  });

  it.each(demoUsers)('lets %s import the demo cast', async (file) => {
    expect(readFileSync(new URL(file, root), 'utf8')).toContain("from '@lianxin/shared/demo'");
    expect(await broken(file, '')).toEqual([]);
  });
});
