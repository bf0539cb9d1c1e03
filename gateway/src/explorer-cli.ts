/** `npm run build:explorer`: bundles the explorer page into gateway/explorer/dist/ (see explorer-build.ts). */
import { relative } from 'node:path';
import { runMain } from '@lianxin/shared';
import { EXPLORER_DIST_DIR, buildExplorer } from './explorer-build.js';

runMain(async () => {
  const { durationMs, files } = await buildExplorer();
  const listing = Object.entries(files).map(([file, bytes]) => `  ${file.padEnd(28)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB`);
  process.stdout.write(`explorer built in ${(durationMs / 1000).toFixed(1)} s into ${relative(process.cwd(), EXPLORER_DIST_DIR)}/\n${listing.join('\n')}\n`);
});
