/**
 * Dead letters: events a consumer gave up on, kept with their error for
 * platform admins to see and replay. Replaying puts the event back in the
 * inbox as new (attempts from zero); the letter stays, stamped with who
 * replayed it and when. A replayed event is applied after the events of its
 * aggregate that passed it meanwhile.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db.js';
import { ok, refused, userError, type Result } from '../errors.js';
import type { CursorPart, PageRequest } from '../paging.js';
import { envelopeOf, type EventColumns, type EventEnvelope } from './outbox.js';
import { rowsOf } from '../sql.js';
import { isoTime, table } from './tables.js';

export interface DeadLetter {
  id: string;
  event: EventEnvelope;
  /** The last failure: the innermost error's name and message. */
  error: string;
  attempts: number;
  deadAt: Date;
  replayedAt: Date | null;
  /** Who replayed it (e.g. the platform admin's subject). */
  replayedBy: string | null;
}

/** The sort key of the dead-letter list, oldest first: `[deadAt, id]`. */
export const DEAD_LETTER_CURSOR: readonly CursorPart[] = ['timestamp', 'uuid'];
export const deadLetterCursor = (letter: DeadLetter): string[] => [letter.deadAt.toISOString(), letter.id];

interface DeadLetterRow extends EventColumns {
  id: string;
  error: string;
  attempts: number;
  dead_at: string;
  replayed_at: string | null;
  replayed_by: string | null;
  event_id: string;
  source: string;
}

function selectDeadLetters(schema: string, where: SQL, tail: SQL = sql``): SQL {
  return sql`select d.id::text as id, d.error, d.attempts, ${isoTime(sql`d.dead_at`)} as dead_at,
      ${isoTime(sql`d.replayed_at`)} as replayed_at, d.replayed_by,
      i.event_id::text as event_id, i.source, i.type, i.aggregate_type, i.aggregate_id, i.sequence::text as sequence,
      i.payload::text as payload, ${isoTime(sql`i.occurred_at`)} as occurred_at
    from ${table(schema, 'dead_letters')} d
    join ${table(schema, 'inbox')} i on i.event_id = d.event_id
    where ${where} ${tail}`;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    event: envelopeOf(row.event_id, row.source, row),
    error: row.error,
    attempts: row.attempts,
    deadAt: new Date(row.dead_at),
    replayedAt: row.replayed_at ? new Date(row.replayed_at) : null,
    replayedBy: row.replayed_by,
  };
}

export interface DeadLetterFilter {
  /** Also list letters already replayed. */
  includeReplayed?: boolean;
}

const filterCondition = (filter: DeadLetterFilter): SQL => (filter.includeReplayed ? sql`true` : sql`d.replayed_at is null`);

/**
 * A page of the dead letters in `schema`, oldest first, as `readPage` asks
 * with `DEAD_LETTER_CURSOR`: up to `page.limit + 1` rows, for `toConnection`.
 */
export async function listDeadLetters(db: Executor, schema: string, page: PageRequest, filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
  const after = page.after ? sql`(d.dead_at, d.id) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : sql`true`;
  const rows = await rowsOf<DeadLetterRow>(db, selectDeadLetters(schema, sql`${filterCondition(filter)} and ${after}`, sql`order by d.dead_at, d.id limit ${page.limit + 1}`));
  return rows.map(toDeadLetter);
}

export async function countDeadLetters(db: Executor, schema: string, filter: DeadLetterFilter = {}): Promise<number> {
  const [row] = await rowsOf<{ total: number }>(db, sql`select count(*)::int as total from ${table(schema, 'dead_letters')} d where ${filterCondition(filter)}`);
  return row?.total ?? 0;
}

/** The dead letters with these ids, in no particular order (for a DataLoader). */
export async function findDeadLettersByIds(db: Executor, schema: string, ids: readonly string[]): Promise<DeadLetter[]> {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await rowsOf<DeadLetterRow>(db, selectDeadLetters(schema, sql`d.id in (${list})`));
  return rows.map(toDeadLetter);
}

/**
 * Puts the event of dead letter `id` back in the inbox, to be applied by the
 * next pass, and stamps the letter. One statement: of two admins replaying
 * the same letter at once, one succeeds and the other is told it is done.
 * `id` must be a UUID (check it where it enters).
 */
export async function replayDeadLetter(db: Executor, schema: string, { id, replayedBy }: { id: string; replayedBy: string }): Promise<Result<DeadLetter>> {
  const [outcome] = await rowsOf<{ replayed: boolean }>(
    db,
    sql`with replayed as (
          update ${table(schema, 'dead_letters')} set replayed_at = now(), replayed_by = ${replayedBy}
          where id = ${id}::uuid and replayed_at is null
          returning event_id
        ), requeued as (
          update ${table(schema, 'inbox')} set status = 'pending', attempts = 0, next_attempt_at = now(), last_error = null
          where event_id in (select event_id from replayed) and status = 'dead'
          returning event_id
        )
        select exists (select 1 from requeued) as replayed`,
  );
  const [letter] = await findDeadLettersByIds(db, schema, [id]);
  if (!letter) return refused(userError(['input', 'id'], 'NOT_FOUND', 'There is no such dead letter.'));
  if (!outcome?.replayed) return refused(userError(['input', 'id'], 'INVALID_STATE', 'This dead letter has already been replayed.'));
  return ok(letter);
}
