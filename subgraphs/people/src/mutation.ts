/**
 * What people mutations share beyond the shared toolkit (parseInput, refuse,
 * transact): the role gates, and transactions that forget cached rows.
 */
import { transact, type ConstraintRefusal, type Result, type Transaction } from '@lianxin/shared';
import { forgetLoadedRows, type PeopleContext } from './context.js';

export { Refusal, refuse, idInput, textInput, parseInput, type ConstraintRefusal } from '@lianxin/shared';

/** Runs `work` in one transaction (see `transact`); afterwards the request forgets rows its loaders cached. */
export function inTransaction<T>(ctx: PeopleContext, work: (tx: Transaction) => Promise<T>, constraints: readonly ConstraintRefusal[] = []): Promise<Result<T>> {
  return transact(ctx.db, work, constraints, () => forgetLoadedRows(ctx));
}
