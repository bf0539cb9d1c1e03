/**
 * `npm run migrate [-- <subgraph>…]`: applies the migrations of every
 * subgraph (or of those named) on its configured database,
 * `<NAME>_DATABASE_URL` or DATABASE_URL, else the embedded PGlite under
 * DATA_DIR; no demo data. It takes the same lock a starting instance takes,
 * so it is safe while instances start; production runs it before a rollout
 * and starts instances with MIGRATE_ON_START=false.
 */
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { ConfigError, SUBGRAPH_NAMES, loadMigrationTarget, migrateExclusively, migrationStatus, openDatabase, runMain, waitingMessage, type SubgraphName } from '@lianxin/shared';

const SUBGRAPHS = { people: peopleSubgraph, requests: requestsSubgraph, points: pointsSubgraph, recognition: recognitionSubgraph };

/** The subgraphs named on the command line, in start order; all of them when none is named. */
function chosen(args: readonly string[]): SubgraphName[] {
  const unknown = args.find((name) => !(SUBGRAPH_NAMES as readonly string[]).includes(name));
  if (unknown !== undefined) throw new ConfigError(`unknown subgraph "${unknown}": name any of ${SUBGRAPH_NAMES.join(', ')}`);
  return SUBGRAPH_NAMES.filter((name) => args.length === 0 || args.includes(name));
}

runMain(async () => {
  const names = chosen(process.argv.slice(2));
  // Every target is read before any database is touched: a bad variable stops the step before it changes anything.
  const targets = names.map((name) => loadMigrationTarget(name));
  for (const target of targets) {
    const module = SUBGRAPHS[target.name];
    const database = await openDatabase({ url: target.databaseUrl, dataDir: target.dataDir, applicationName: `lianxin-migrate-${target.name}`, poolSize: 3 });
    try {
      const applied = await migrateExclusively(database, module, { onWait: () => process.stdout.write(`${waitingMessage(module)}\n`) });
      const { applied: total, newer } = await migrationStatus(database, module);
      const ahead = newer > 0 ? ` (${newer} newer than this code)` : '';
      process.stdout.write(`${target.name}: ${applied === 0 ? 'up to date' : `applied ${applied}`}, ${total} migrations in schema "${module.dbSchema}"${ahead}\n`);
    } finally {
      await database.close();
    }
  }
});
