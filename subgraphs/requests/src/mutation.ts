/**
 * What requests mutations share beyond the shared toolkit (parseInput, refuse,
 * transact): evidence URLs, and transactions that forget cached rows.
 */
import { z } from 'zod';
import { transact, type ConstraintRefusal, type Result, type Transaction } from '@lianxin/shared';
import { forgetLoadedRows, type RequestsContext } from './context.js';

export { Refusal, refuse, idInput, textInput, characterCount, parseInput, type ConstraintRefusal } from '@lianxin/shared';

/** A refusal of one field of the input. */
export const inputField = (name: string): string[] => ['input', name];

/** Runs `work` in one transaction (see `transact`); afterwards the request forgets rows its loaders cached. */
export function inTransaction<T>(ctx: RequestsContext, work: (tx: Transaction) => Promise<T>, constraints: readonly ConstraintRefusal[] = []): Promise<Result<T>> {
  return transact(ctx.db, work, constraints, () => forgetLoadedRows(ctx));
}

/** An http(s) URL of evidence, at most 2000 characters. */
export const urlInput = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters.')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL.');
