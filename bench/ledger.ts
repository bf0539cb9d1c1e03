/**
 * What the benchmark reads and writes in the points subgraph's tables
 * directly: the persons and service records the bank would learn of from the
 * people and requests subgraphs' events (written here so that accounts can be
 * opened and funded without waiting for events), the redemptions a load
 * made, and the books' audit after it. The same functions serve a database
 * the benchmark opens itself and, through bench/one-process.ts, the embedded
 * one inside the graph's process.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { auditLedger, insertKnownPersons, insertServiceRecords } from '@lianxin/points';
import { rowsOf, type Database } from '@lianxin/shared';

/** A request to the points tables, as plain data so that it can cross to another process. */
export type LedgerRequest =
  { kind: 'fund'; persons: string[]; category: string; minutes: number } | { kind: 'redemptions'; merchantIds: string[] } | { kind: 'audit' } | { kind: 'head bank' };

/** The answer: records written (fund), redemptions counted, the audit's findings, or the first head bank (the demo's, or the seeded district's). */
export type LedgerAnswer = { serviceRecords: string[] } | { redemptions: number } | { findings: string[] } | { bankId: string };

/** Carries out `request` on `db`, the points subgraph's database. */
export async function onLedger(db: Database, request: LedgerRequest): Promise<LedgerAnswer> {
  switch (request.kind) {
    case 'fund': {
      // Known persons first: the bank opens accounts only for persons people told it of.
      await insertKnownPersons(
        db,
        request.persons.map((personId) => ({ personId, registeredAt: new Date() })),
      );
      const records = request.persons.map((volunteerId) => ({ id: randomUUID(), volunteerId, categoryCode: request.category, minutes: request.minutes, place: [] }));
      await insertServiceRecords(db, records);
      return { serviceRecords: records.map((record) => record.id) };
    }
    case 'redemptions': {
      const ids = sql.join(
        request.merchantIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
      const [row] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from points.redemptions where merchant_id in (${ids})`);
      return { redemptions: row?.n ?? 0 };
    }
    case 'audit':
      return { findings: await auditLedger(db) };
    case 'head bank': {
      const [row] = await rowsOf<{ id: string }>(db, sql`select id from points.bank_units where kind = 'head_bank' order by created_at, id limit 1`);
      if (!row) throw new Error('no head bank');
      return { bankId: row.id };
    }
  }
}

/** The points tables of one graph, however the benchmark reaches them. */
export type Ledger = (request: LedgerRequest) => Promise<LedgerAnswer>;
