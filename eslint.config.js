// The conventions of the repository, checked by `npm run lint` (part of `npm test`):
// type-aware TypeScript rules, and the import boundaries between the packages and the layers
// of a subgraph (CONTRIBUTING.md explains each).
import js from '@eslint/js';
import { createTypeScriptImportResolver, defaultConditionNames } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const SUBGRAPHS = ['people', 'requests', 'points', 'recognition'];

/** Import boundaries, by resolved file path: a relative import and a workspace package import are caught alike. */
const boundaries = [
  // A subgraph never imports another subgraph, nor the gateway: data crosses through entity references and events.
  ...SUBGRAPHS.map((name) => ({
    target: `./subgraphs/${name}`,
    from: [...SUBGRAPHS.filter((other) => other !== name).map((other) => `./subgraphs/${other}`), './gateway'],
    message: 'A subgraph never imports another subgraph or the gateway: use entity references and events.',
  })),
  { target: './shared', from: ['./subgraphs', './gateway'], message: 'shared is what every service is built from: it imports no subgraph and no gateway.' },
  { target: './gateway', from: './subgraphs', message: 'The gateway knows the subgraphs only by their URLs and the supergraph.' },
  // The three layers of a subgraph: resolvers → services → stores.
  { target: './subgraphs/*/src/**/resolvers.ts', from: './subgraphs/*/src/**/store.ts', message: 'Resolvers are thin: they call services, never stores.' },
  // The service layer is service.ts, or reads.ts and lifecycle.ts where a module's service is split in two.
  {
    target: './subgraphs/*/src/**/store.ts',
    from: ['./subgraphs/*/src/**/service.ts', './subgraphs/*/src/**/reads.ts', './subgraphs/*/src/**/lifecycle.ts'],
    message: 'Stores are SQL only: they import no service.',
  },
];

/**
 * The demo cast (`@lianxin/shared/demo`) is data for development and tests. Production source may not
 * import it: only the demo cast itself, the demo seeds, test support and the development explorer's build
 * (its saved example operations name the demo volunteer), which are carved out below.
 * Tests, scripts (npm start) and benchmarks lie outside this source and may.
 */
const PRODUCTION_SOURCE = ['shared/src/**/*.ts', 'gateway/src/**/*.ts', 'subgraphs/*/src/**/*.ts'];
const DEMO_USERS = ['shared/src/demo.ts', 'shared/src/testing/**', 'subgraphs/*/src/db/demo.ts', 'subgraphs/*/src/db/demo/**', 'gateway/src/explorer-build.ts'];
const demoBoundary = { target: '.', from: './shared/src/demo.ts', message: 'The demo cast is for demo seeds, tests and scripts, never production modules.' };

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/__generated__/**', '**/dist/**', '**/.data/**', '**/drizzle/**', 'coverage/**', 'subgraphs/*/drizzle.config.ts'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        // Workspace packages resolve to their sources (the `@lianxin/source` condition), as in tsconfig.base.json.
        createTypeScriptImportResolver({
          noWarnOnMultipleProjects: true,
          conditionNames: ['@lianxin/source', ...defaultConditionNames],
          project: ['tsconfig.json', 'shared', 'gateway', ...SUBGRAPHS.map((name) => `subgraphs/${name}`)],
        }),
      ],
    },
    rules: {
      // Apollo Server's plugin hooks and express handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
    },
  },
  {
    // Resolvers reach SQL only through services.
    files: ['subgraphs/*/src/**/resolvers.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*'], message: 'Resolvers are thin: SQL lives in stores.' }] },
      ],
    },
  },
  {
    files: PRODUCTION_SOURCE,
    ignores: DEMO_USERS,
    rules: { 'import-x/no-restricted-paths': ['error', { zones: [...boundaries, demoBoundary] }] },
  },
  {
    // A function a reader cannot hold in their head is split; tests' set-up and tables may run longer.
    files: PRODUCTION_SOURCE,
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
