// jest's global teardown: drops the template databases this run built (see jest-global-setup.js).
import { tsImport } from 'tsx/esm/api';

export default async function teardown() {
  const { endTemplateRun } = await tsImport('@lianxin/shared/testing', import.meta.url);
  await endTemplateRun();
}
