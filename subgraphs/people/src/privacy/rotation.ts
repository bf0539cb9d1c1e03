/**
 * Re-sealing every ID number under a new PEOPLE_DATA_KEY
 * (`npm run people:rotate-data-key`, docs/people.md). Persons are taken in
 * id order, a batch per transaction with its rows locked; a value that opens
 * with the new key is already done and left alone, one that opens with the
 * old key is sealed again under the new one, and one that opens with
 * neither is left as it is and reported by person id. So a run can stop
 * anywhere (only the batch in flight is lost, rolled back) and the next
 * picks up what is left; a run after a complete one changes nothing. The
 * lookup column is an HMAC of the number under PEOPLE_LOOKUP_KEY, which
 * this does not change: it stays as it is.
 */
import { sql } from 'drizzle-orm';
import { newId, rowsOf, type Database, type Executor } from '@lianxin/shared';
import type { DataKeyRotation } from '../settings.js';
import { openIdNumberWithAny, sealIdNumber } from './crypto.js';
import { insertAccesses } from './store.js';

/**
 * Whom the access log names as the reader of the numbers a rotation opens:
 * no person reads them, but each was decrypted, so each re-sealing is
 * logged like a read, with the run's id as its trace id.
 */
export const ROTATION_VIEWER_SUBJECT = 'lianxin:people-data-key-rotation';

export interface RotationProgress {
  /** Values sealed again under the new key. */
  resealed: number;
  /** Values that already opened with the new key. */
  alreadyNew: number;
  /** Persons whose value opens with neither key: left untouched. */
  unopenable: string[];
  batches: number;
}

export interface RotateOptions {
  batchSize?: number;
  /** Names the run in the access log (its trace id); a fresh id by default. */
  runId?: string;
  /** Called after each committed batch with the totals so far (the script prints them). */
  onBatch?: (progress: RotationProgress) => void;
}

interface SealedRow {
  id: string;
  sealed: string;
}

/** One batch: the next `size` persons with an ID number after `after`, locked until the transaction ends. */
async function nextBatch(tx: Executor, after: string | null, size: number): Promise<SealedRow[]> {
  return rowsOf<SealedRow>(
    tx,
    sql`select id::text as id, id_number_sealed as sealed from people.persons
        where id_number_sealed is not null and (${after}::uuid is null or id > ${after}::uuid)
        order by id limit ${size} for update`,
  );
}

/**
 * Re-seals one batch's values that opened with the old key (one statement,
 * the batch as one JSON parameter), and logs each as read by the rotation.
 */
async function reseal(tx: Executor, resealed: readonly SealedRow[], runId: string): Promise<void> {
  if (resealed.length === 0) return;
  await tx.execute(sql`
    update people.persons p set id_number_sealed = v.sealed
    from jsonb_to_recordset(${JSON.stringify(resealed)}::jsonb) as v(id uuid, sealed text)
    where p.id = v.id`);
  await insertAccesses(
    tx,
    resealed.map((row) => ({
      viewerSubject: ROTATION_VIEWER_SUBJECT,
      viewerPersonId: null,
      subjectPersonId: row.id,
      subjectHouseholdId: null,
      fields: ['id_number'],
      traceId: runId,
    })),
  );
}

/** Re-seals every ID number sealed under `keys.oldKey` under `keys.newKey`; see the module's description. */
export async function rotateDataKey(db: Database, keys: DataKeyRotation, options: RotateOptions = {}): Promise<RotationProgress> {
  const size = options.batchSize ?? 500;
  const runId = options.runId ?? newId();
  const progress: RotationProgress = { resealed: 0, alreadyNew: 0, unopenable: [], batches: 0 };
  let after: string | null = null;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await nextBatch(tx, after, size);
      const resealed: SealedRow[] = [];
      const tally = { alreadyNew: 0, unopenable: [] as string[] };
      for (const row of rows) {
        const opened = openIdNumberWithAny([keys.newKey, keys.oldKey], row.id, row.sealed);
        if (opened === null) tally.unopenable.push(row.id);
        else if (opened.keyIndex === 0) tally.alreadyNew += 1;
        else resealed.push({ id: row.id, sealed: sealIdNumber(keys.newKey, row.id, opened.idNumber) });
      }
      await reseal(tx, resealed, runId);
      return { last: rows.at(-1)?.id ?? null, resealed: resealed.length, ...tally };
    });
    if (batch.last === null) return progress;
    after = batch.last;
    progress.resealed += batch.resealed;
    progress.alreadyNew += batch.alreadyNew;
    progress.unopenable.push(...batch.unopenable);
    progress.batches += 1;
    options.onBatch?.(progress);
  }
}
