/**
 * The mutation toolkit people's services use, all shared with the other
 * subgraphs: `inTransaction` (one transaction, user errors for refusals,
 * fresh loaders after the commit), `parseInput`, `refuse` and the input
 * forms.
 */
export { Refusal, inTransaction, refuse, idInput, textInput, parseInput, type ConstraintRefusal } from '@lianxin/shared';
