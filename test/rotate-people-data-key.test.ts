/**
 * Re-sealing ID numbers under a new PEOPLE_DATA_KEY on real Postgres
 * (docs/people.md, Rotating PEOPLE_DATA_KEY): the people subgraph's demo
 * persons sealed under key A, a run interrupted after two batches, the
 * subgraph reading both halves meanwhile (PEOPLE_DATA_KEY=B with
 * PEOPLE_DATA_KEY_OLD=A), `npm run people:rotate-data-key` finishing it,
 * and a run after that changing nothing.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { peopleSubgraph, rotateDataKey, ROTATION_VIEWER_SUBJECT } from '@lianxin/people';
import { rowsOf } from '@lianxin/shared';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../subgraphs/people/src/context.js';
import { openIdNumber, sealIdNumber } from '../subgraphs/people/src/privacy/crypto.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);
const keys = { oldKey: KEY_A, newKey: KEY_B };

let people: SubgraphHarness<PeopleContext>;
/** The clear numbers by person id, as the seed sealed them: what must come out of every key's values. */
const clear = new Map<string, string>();

interface Sealed {
  id: string;
  sealed: string;
  lookup: string;
}

const sealedRows = () =>
  rowsOf<Sealed>(
    people.database.db,
    sql`select id::text as id, id_number_sealed as sealed, id_number_lookup as lookup from people.persons where id_number_sealed is not null order by id`,
  );

/** Which key opens each row's value: 'A', 'B', or null for neither. */
async function opensWith(): Promise<Map<string, 'A' | 'B' | null>> {
  const result = new Map<string, 'A' | 'B' | null>();
  for (const row of await sealedRows()) {
    const open = (key: Buffer) => {
      try {
        return openIdNumber(key, row.id, row.sealed);
      } catch {
        return null;
      }
    };
    const [a, b] = [open(KEY_A), open(KEY_B)];
    if (a !== null) expect(a).toBe(clear.get(row.id));
    if (b !== null) expect(b).toBe(clear.get(row.id));
    result.set(row.id, a !== null ? 'A' : b !== null ? 'B' : null);
  }
  return result;
}

const count = (opens: Map<string, unknown>, value: unknown) => [...opens.values()].filter((each) => each === value).length;

const rotationLog = async () =>
  rowsOf<{ subject: string; trace: string }>(
    people.database.db,
    sql`select subject_person_id::text as subject, trace_id as trace from people.personal_data_accesses where viewer_subject = ${ROTATION_VIEWER_SUBJECT}`,
  );

/** Runs the npm script's file under Node with tsx, as `npm run people:rotate-data-key` does, and collects its output. */
function runScript(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=@lianxin/source', '--import', 'tsx', 'scripts/rotate-people-data-key.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], DATABASE_URL: people.testDatabase.url, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  // The subgraph as it runs during a rotation: sealing under B, opening what is still under A.
  people = await startSubgraphHarness(peopleSubgraph, { env: { PEOPLE_DATA_KEY: KEY_B.toString('base64'), PEOPLE_DATA_KEY_OLD: KEY_A.toString('base64') } });
  // Its seed sealed under B; before the rotation everything is under A.
  await people.database.db.transaction(async (tx) => {
    for (const row of await sealedRows()) {
      const number = openIdNumber(KEY_B, row.id, row.sealed);
      clear.set(row.id, number);
      await tx.execute(sql`update people.persons set id_number_sealed = ${sealIdNumber(KEY_A, row.id, number)} where id = ${row.id}::uuid`);
    }
  });
});
afterAll(async () => {
  await people?.stop();
});

describe('rotating PEOPLE_DATA_KEY', () => {
  it('starts with every ID number under key A', async () => {
    const opens = await opensWith();
    expect(opens.size).toBeGreaterThan(120);
    expect(count(opens, 'A')).toBe(opens.size);
  });

  it('keeps the batches an interrupted run committed, and the subgraph opens values under either key meanwhile', async () => {
    const lookups = new Map((await sealedRows()).map((row) => [row.id, row.lookup]));
    const interrupted = rotateDataKey(people.database.db, keys, {
      batchSize: 50,
      runId: 'first-run',
      onBatch: (progress) => {
        if (progress.batches === 2) throw new Error('interrupted');
      },
    });
    await expect(interrupted).rejects.toThrow('interrupted');
    const opens = await opensWith();
    const ids = [...opens.keys()];
    expect(ids.slice(0, 100).every((id) => opens.get(id) === 'B')).toBe(true);
    expect(ids.slice(100).every((id) => opens.get(id) === 'A')).toBe(true);
    // The lookup column (PEOPLE_LOOKUP_KEY's HMAC of the number) is not touched.
    expect(new Map((await sealedRows()).map((row) => [row.id, row.lookup]))).toEqual(lookups);
    expect((await rotationLog()).filter((entry) => entry.trace === 'first-run')).toHaveLength(100);

    // A platform admin reads one of each in full.
    const admin = viewerOf({ roles: ['platform_admin'], subject: 'platform-admin' });
    for (const id of [ids[0]!, ids.at(-1)!]) {
      const { data, errors } = await people.execute(`query ($id: ID!) { person(id: $id) { idNumber } }`, { variables: { id }, viewer: admin });
      expect(errors).toBeUndefined();
      expect(data).toEqual({ person: { idNumber: clear.get(id) } });
    }
  });

  it('finishes with npm run people:rotate-data-key, printing counts and never a number', async () => {
    const run = await runScript({ PEOPLE_DATA_KEY: KEY_B.toString('base64'), PEOPLE_DATA_KEY_OLD: KEY_A.toString('base64'), PEOPLE_ROTATE_BATCH_SIZE: '40' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const total = clear.size;
    expect(run.stdout).toContain(`people: done: ${total - 100} re-sealed, 100 already under the new key, 0 opening with neither key`);
    for (const number of clear.values()) expect(run.stdout).not.toContain(number);
    const opens = await opensWith();
    expect(count(opens, 'B')).toBe(total);
    expect(count(opens, 'A')).toBe(0);
    // Every value was decrypted once for its re-sealing, and logged once.
    const logged = await rotationLog();
    expect(logged).toHaveLength(total);
    expect(new Set(logged.map((entry) => entry.subject)).size).toBe(total);
  });

  it('changes nothing when run again', async () => {
    const before = await sealedRows();
    const again = await rotateDataKey(people.database.db, keys, { batchSize: 1000 });
    expect(again).toEqual({ resealed: 0, alreadyNew: before.length, unopenable: [], batches: 1 });
    expect(await sealedRows()).toEqual(before);
    expect(await rotationLog()).toHaveLength(before.length);
  });

  it('leaves a value neither key opens as it is, names its person, and exits 1', async () => {
    const [row] = await sealedRows();
    const foreign = sealIdNumber(randomBytes(32), row!.id, clear.get(row!.id)!);
    await people.database.db.execute(sql`update people.persons set id_number_sealed = ${foreign} where id = ${row!.id}::uuid`);
    const run = await runScript({ PEOPLE_DATA_KEY: KEY_B.toString('base64'), PEOPLE_DATA_KEY_OLD: KEY_A.toString('base64') });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`0 re-sealed, ${clear.size - 1} already under the new key, 1 opening with neither key`);
    expect(run.stdout).toContain(`left as they were (neither key opens their ID number): ${row!.id}`);
    expect((await sealedRows())[0]!.sealed).toBe(foreign);
  });

  it('refuses the same key twice, or a missing one, in one line naming the variable', async () => {
    const same = await runScript({ PEOPLE_DATA_KEY: KEY_B.toString('base64'), PEOPLE_DATA_KEY_OLD: KEY_B.toString('base64') });
    expect(same.code).toBe(1);
    expect(same.stderr).toBe('lianxin: invalid configuration: PEOPLE_DATA_KEY_OLD: is the same key as PEOPLE_DATA_KEY; set PEOPLE_DATA_KEY to the new key\n');
    const missing = await runScript({ PEOPLE_DATA_KEY: KEY_B.toString('base64') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^lianxin: invalid configuration: PEOPLE_DATA_KEY_OLD: [^\n]*\n$/);
  });
});
