/**
 * Test helpers for the event mechanism and the scheduler: create their
 * tables in a scratch schema, and wait for a condition without timing
 * anything.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db.js';
import { checkSchemaName, inboxTableSql, migrationStatements, outboxTableSql } from '../events/tables.js';
import { scheduledJobsTableSql } from '../scheduler.js';

/** Creates schema `schema` with an outbox, an inbox, or both, as a subgraph's migration would. */
export async function createEventTables(db: Database, schema: string, parts: { outbox?: boolean; inbox?: boolean }): Promise<void> {
  await db.execute(sql.raw(`create schema if not exists "${checkSchemaName(schema)}"`));
  const text = `${parts.outbox ? outboxTableSql(schema) : ''}${parts.inbox ? inboxTableSql(schema) : ''}`;
  for (const statement of migrationStatements(text)) await db.execute(sql.raw(statement));
}

/** Creates schema `schema` with the scheduler's state table, as a subgraph's migration would. */
export async function createSchedulerTable(db: Database, schema: string): Promise<void> {
  await db.execute(sql.raw(`create schema if not exists "${checkSchemaName(schema)}"`));
  for (const statement of migrationStatements(scheduledJobsTableSql(schema))) await db.execute(sql.raw(statement));
}

/**
 * Polls `condition` until it holds, and fails naming `what` if it still does
 * not after `timeoutMs`. The bound only stops a broken test from hanging; no
 * test asserts how long anything took.
 */
export async function waitFor(what: string, condition: () => Promise<boolean>, { timeoutMs = 30_000, intervalMs = 10 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
