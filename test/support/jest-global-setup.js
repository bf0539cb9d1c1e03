// jest's global setup: names this run's template databases (shared/src/testing/database.ts).
// jest loads this file with Node's own resolver, which does not map the sources' `.js` imports
// to `.ts` files, so the TypeScript helper is loaded through tsx.
import { tsImport } from 'tsx/esm/api';

export default async function setup() {
  const { beginTemplateRun } = await tsImport('@lianxin/shared/testing', import.meta.url);
  await beginTemplateRun();
}
