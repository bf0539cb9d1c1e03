/**
 * One jest run for every workspace. TypeScript is compiled by SWC (types are
 * checked separately by `npm run typecheck`), as native ESM: tests run under
 * `node --experimental-vm-modules` (see the `test:jest` script).
 */
export default {
  testEnvironment: 'node',
  // Workspace packages resolve to their TypeScript sources (their exports' `@lianxin/source` condition), never to a
  // build in dist/ that may be older than them.
  testEnvironmentOptions: { customExportConditions: ['@lianxin/source', 'node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  // Sources import siblings as `./x.js` (NodeNext); jest resolves the `.ts` file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Database-backed suites create their database in beforeAll: a copy of a template the run builds once per shape
  // (migrations and demo data, shared/src/testing/database.ts); these name the run's templates and drop them.
  globalSetup: '<rootDir>/test/support/jest-global-setup.js',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.js',
  testTimeout: 60_000,
  // A worker keeps every ESM module graph it loaded (jest's vm-modules registry is per test file and is not freed), so a
  // worker that ran many suites grew past Node's heap limit and took the run down: restart a worker once it holds more
  // than this after a file.
  workerIdleMemoryLimit: '1GB',
};
