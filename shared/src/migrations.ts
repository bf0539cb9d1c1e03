/**
 * Migrations as deployments see them: what a subgraph's code ships (its
 * drizzle folder's journal) against what its database has applied (the
 * `<schema>.__migrations` bookkeeping drizzle writes), applied under the
 * subgraph's migration lock so that instances starting together, and
 * `npm run migrate`, take turns.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from './db.js';
import { rowsOf } from './sql.js';
import { StartupError } from './startup.js';

/** Raised at start-up, with MIGRATE_ON_START=false, when the database lacks migrations the code ships. */
export class SchemaBehindError extends StartupError {
  override readonly name = 'SchemaBehindError';
}

/** Where a subgraph's migrations come from and are bookkept: its drizzle folder and its Postgres schema. */
export interface MigrationSource {
  name: string;
  migrationsFolder: string;
  dbSchema: string;
}

/** One migration of a drizzle folder's journal: `when` is what drizzle records as `created_at` once it is applied. */
export interface ShippedMigration {
  tag: string;
  when: number;
}

/** How a database's migrations compare with the code's. */
export interface MigrationStatus {
  /** Migrations the code ships. */
  shipped: number;
  /** Rows of `__migrations` (0 when the table does not exist). */
  applied: number;
  /** Shipped migrations the database has not applied: those `migrate` would apply now. */
  missing: number;
  /** Applied migrations later than any the code ships: a newer release migrated, this code is older. */
  newer: number;
}

/** The migrations in `folder`'s `meta/_journal.json`, in order. */
export function shippedMigrations(folder: string): ShippedMigration[] {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: ShippedMigration[] };
  return journal.entries.map(({ tag, when }) => ({ tag, when }));
}

/** The `created_at` of every migration applied in `schema`, oldest first; null when it has no `__migrations` table yet. */
export async function appliedMigrations(database: DatabaseHandle, schema: string): Promise<number[] | null> {
  const [table] = await rowsOf<{ present: boolean }>(database.db, sql`select to_regclass(format('%I.__migrations', ${schema}::text)) is not null as present`);
  if (!table?.present) return null;
  const rows = await rowsOf<{ created_at: string }>(database.db, sql`select created_at::text as created_at from ${sql.identifier(schema)}.__migrations order by created_at`);
  return rows.map((row) => Number(row.created_at));
}

/**
 * Compares as drizzle's migrator does: it applies every shipped migration
 * later than the latest applied one, so those are the missing ones (all of
 * them when nothing is applied or the table is absent).
 */
export async function migrationStatus(database: DatabaseHandle, source: MigrationSource): Promise<MigrationStatus> {
  const shipped = shippedMigrations(source.migrationsFolder);
  const applied = (await appliedMigrations(database, source.dbSchema)) ?? [];
  const latestApplied = applied.length > 0 ? Math.max(...applied) : -Infinity;
  const latestShipped = shipped.length > 0 ? Math.max(...shipped.map((migration) => migration.when)) : -Infinity;
  return {
    shipped: shipped.length,
    applied: applied.length,
    missing: shipped.filter((migration) => migration.when > latestApplied).length,
    newer: applied.filter((when) => when > latestShipped).length,
  };
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The line a waiting instance logs: another instance (or `npm run migrate`) holds the subgraph's migration lock. */
export function waitingMessage(source: MigrationSource): string {
  return `${source.name}: waiting for another instance's migrations of schema "${source.dbSchema}"`;
}

/**
 * Applies what `source` ships and the database lacks; the caller holds the
 * migration lock (`database.exclusively`). Returns how many were applied.
 */
export async function applyMigrations(database: DatabaseHandle, source: MigrationSource): Promise<number> {
  const before = await migrationStatus(database, source);
  if (before.missing > 0) await database.migrate({ folder: source.migrationsFolder, schema: source.dbSchema });
  return before.missing;
}

/** Applies `source`'s migrations under its migration lock (what `npm run migrate` does per subgraph). */
export function migrateExclusively(database: DatabaseHandle, source: MigrationSource, options: { onWait?: () => void } = {}): Promise<number> {
  return database.exclusively(source.dbSchema, () => applyMigrations(database, source), options);
}

/**
 * For an instance that does not migrate (MIGRATE_ON_START=false): refuses
 * to start on a schema older than its code, with the one line an operator
 * needs; a newer schema (a release rolled back after its migrations ran)
 * is what expand/contract changes are written for, so it only warns.
 */
export async function checkMigrations(database: DatabaseHandle, source: MigrationSource, warn: (message: string) => void): Promise<MigrationStatus> {
  const status = await migrationStatus(database, source);
  if (status.missing > 0) {
    throw new SchemaBehindError(
      `${source.name}: the database lacks ${plural(status.missing, 'migration')} of the ${status.shipped} this code ships (MIGRATE_ON_START=false): run npm run migrate`,
    );
  }
  if (status.newer > 0) {
    warn(
      `${source.name}: the database has ${plural(status.newer, 'migration')} newer than this code ships; starting on the assumption that they kept what this code uses (expand/contract)`,
    );
  }
  return status;
}
