/**
 * `npm run client:generate` writes client/apollo-cache.ts from the supergraph;
 * `npm run client:check` fails when the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CLIENT_CACHE_FILE, formattedClientCache } from '../schema/client-cache.js';

const source = await formattedClientCache();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(CLIENT_CACHE_FILE, 'utf8');
  } catch {
    // A missing file is as stale as an old one.
  }
  if (current !== source) {
    process.stderr.write('client/apollo-cache.ts is stale: run `npm run client:generate` and commit it\n');
    process.exit(1);
  }
  process.stdout.write('client/apollo-cache.ts is current\n');
} else {
  writeFileSync(CLIENT_CACHE_FILE, source);
  process.stdout.write('wrote client/apollo-cache.ts\n');
}
