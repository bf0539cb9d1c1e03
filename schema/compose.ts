/**
 * `npm run compose` writes schema/supergraph.graphql and its API schema,
 * schema/client.graphql; `npm run compose:check`
 * fails when it is stale, when composition fails, or on a hint nobody accepted
 * (accepted hints are listed, word for word, in schema/accepted-hints.json).
 */
import { writeFileSync } from 'node:fs';
import { CLIENT_SCHEMA_FILE, clientSchemaOf, composeSupergraph, readCheckedInClientSchema, readCheckedInSupergraph, SUPERGRAPH_FILE } from './composition.js';

const check = process.argv.includes('--check');
const report = composeSupergraph();
let failed = false;
for (const error of report.errors) {
  process.stderr.write(`composition error: ${error}\n`);
  failed = true;
}
for (const hint of report.newHints) {
  process.stderr.write(`composition hint not accepted [${hint.code}]: ${hint.message}\n`);
  failed = true;
}
if (!failed && report.supergraphSdl !== null) {
  const clientSchema = clientSchemaOf(report.supergraphSdl);
  if (check) {
    if (readCheckedInSupergraph() !== report.supergraphSdl) {
      process.stderr.write('schema/supergraph.graphql is stale: run `npm run compose` and commit it\n');
      failed = true;
    } else if (readCheckedInClientSchema() !== clientSchema) {
      process.stderr.write('schema/client.graphql is stale: run `npm run compose` and commit it\n');
      failed = true;
    } else {
      process.stdout.write('schema/supergraph.graphql and schema/client.graphql are current\n');
    }
  } else {
    writeFileSync(SUPERGRAPH_FILE, report.supergraphSdl);
    writeFileSync(CLIENT_SCHEMA_FILE, clientSchema);
    process.stdout.write('wrote schema/supergraph.graphql and schema/client.graphql\n');
  }
}
process.exit(failed ? 1 : 0);
