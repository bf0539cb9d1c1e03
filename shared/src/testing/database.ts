/**
 * Test helpers: an isolated database per test file on a real Postgres, and a
 * counter of the SQL statements an operation costs.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { DatabaseHandle } from '../db.js';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || 'postgres://127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates a fresh, empty database beside TEST_DATABASE_URL's; `drop` removes it. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  const name = `lianxin_${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${randomBytes(5).toString('hex')}`;
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const dropper = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** Runs `work` and returns its result with the statements it sent through `database`. */
export async function countStatements<T>(database: DatabaseHandle, work: () => Promise<T>): Promise<{ result: T; count: number; statements: string[] }> {
  const statements: string[] = [];
  const stop = database.onStatement((statement) => statements.push(statement));
  try {
    const result = await work();
    return { result, count: statements.length, statements };
  } finally {
    stop();
  }
}
