/**
 * `npm run people:rotate-data-key`: re-seals every ID number of the people
 * subgraph under a new PEOPLE_DATA_KEY, reading the key it was sealed under
 * from PEOPLE_DATA_KEY_OLD (docs/people.md, Rotating PEOPLE_DATA_KEY). It
 * connects as `npm run migrate` does (PEOPLE_DATABASE_DIRECT_URL,
 * DATABASE_DIRECT_URL, PEOPLE_DATABASE_URL or DATABASE_URL, else the
 * embedded database under DATA_DIR), prints counts and person ids, never an
 * ID number, and exits 1 when some value opened with neither key.
 */
import { rotateDataKey, readDataKeyRotation } from '@lianxin/people';
import { ConfigError, loadMigrationTarget, newId, openDatabase, runMain } from '@lianxin/shared';

/** Persons per transaction: PEOPLE_ROTATE_BATCH_SIZE, 500 by default. */
function batchSize(env: NodeJS.ProcessEnv): number {
  const value = env['PEOPLE_ROTATE_BATCH_SIZE'];
  if (value === undefined || value === '') return 500;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new ConfigError('invalid configuration: PEOPLE_ROTATE_BATCH_SIZE: must be a whole number from 1 to 10000');
  return size;
}

runMain(async () => {
  const keys = readDataKeyRotation(process.env);
  const size = batchSize(process.env);
  const target = loadMigrationTarget('people');
  const runId = newId();
  const out = (line: string) => process.stdout.write(`people: ${line}\n`);
  const database = await openDatabase({ url: target.databaseUrl, dataDir: target.dataDir, applicationName: 'lianxin-rotate-data-key', poolSize: 2 });
  try {
    out(`re-sealing ID numbers under the new PEOPLE_DATA_KEY, ${size} persons a transaction (run ${runId} in the access log)`);
    const done = await rotateDataKey(database.db, keys, {
      batchSize: size,
      runId,
      onBatch: (progress) => out(`batch ${progress.batches}: ${progress.resealed} re-sealed, ${progress.alreadyNew} already under the new key so far`),
    });
    out(`done: ${done.resealed} re-sealed, ${done.alreadyNew} already under the new key, ${done.unopenable.length} opening with neither key`);
    if (done.unopenable.length > 0) {
      out(`left as they were (neither key opens their ID number): ${done.unopenable.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
});
