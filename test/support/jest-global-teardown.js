// jest's global teardown: drops the template databases this run built (see jest-global-setup.js).
import { tsImport } from 'tsx/esm/api';

// The sources, not the last build (see jest-global-setup.js).
const TESTING_SOURCE = '../../shared/src/testing/index.ts';

export default async function teardown() {
  const { endTemplateRun } = await tsImport(TESTING_SOURCE, import.meta.url);
  await endTemplateRun();
}
