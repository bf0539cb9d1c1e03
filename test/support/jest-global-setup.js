// jest's global setup: names this run's template databases (shared/src/testing/database.ts).
// jest loads this file with Node's own resolver, which does not map the sources' `.js` imports
// to `.ts` files, so the TypeScript helper is loaded through tsx.
import { tsImport } from 'tsx/esm/api';

// The helpers' TypeScript source by its path: the package name would resolve, under Node's conditions, to the last
// build in shared/dist/ (or to nothing before one), not to the sources the tests run.
const TESTING_SOURCE = '../../shared/src/testing/index.ts';

export default async function setup() {
  // One day for the demo's dates in every worker, even when the run crosses midnight in Beijing (shared/src/demo.ts).
  process.env.DEMO_TODAY ??= new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const { beginTemplateRun } = await tsImport(TESTING_SOURCE, import.meta.url);
  await beginTemplateRun();
}
