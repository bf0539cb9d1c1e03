/**
 * What points mutations share beyond the shared toolkit (parseInput, refuse,
 * transact): the category code form.
 */
import { z } from 'zod';
import { transact, type ConstraintRefusal, type Result, type Transaction } from '@lianxin/shared';
import type { PointsContext } from './context.js';

export { Refusal, refuse, idInput, textInput, parseInput, type ConstraintRefusal } from '@lianxin/shared';

/** Runs `work` in one transaction (see `transact`). */
export function inTransaction<T>(ctx: PointsContext, work: (tx: Transaction) => Promise<T>, constraints: readonly ConstraintRefusal[] = []): Promise<Result<T>> {
  return transact(ctx.db, work, constraints);
}

/** A service category code as the requests subgraph writes them, e.g. `home_repair`. */
export const categoryInput = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'is not a category code (lower case letters, digits and _).');
