/**
 * Refusals only recognition gives, for all its modules (campaigns'
 * NOT_ELIGIBLE, competitions' CONFLICT_OF_INTEREST). They are this subgraph's
 * values of `UserErrorCode` (the one `extend enum UserErrorCode` at the end of
 * schema.graphql, in the same order; a test keeps the two equal); the common
 * codes are shared's. `userError` and `refuse` here accept both, shared's
 * only the common ones.
 */
import { refuse as refuseWith, userError as userErrorWith, type UserError, type UserErrorCode } from '@lianxin/shared';

export const RECOGNITION_ERROR_CODES = ['CONFLICT_OF_INTEREST', 'NOT_ELIGIBLE'] as const;
export type RecognitionErrorCode = (typeof RECOGNITION_ERROR_CODES)[number];

/** A user error with a common code or one of recognition's own. */
export function userError(field: string[] | null, code: UserErrorCode | RecognitionErrorCode, message: string): UserError<UserErrorCode | RecognitionErrorCode> {
  return userErrorWith<RecognitionErrorCode>(field, code, message);
}

/** Stops the mutation with one user error, with a common code or one of recognition's own. */
export function refuse(field: string[] | null, code: UserErrorCode | RecognitionErrorCode, message: string): never {
  return refuseWith<RecognitionErrorCode>(field, code, message);
}
