/**
 * Refusals only the requests subgraph gives. They are this subgraph's values
 * of `UserErrorCode` (`extend enum UserErrorCode` at the end of
 * schema.graphql; a test keeps the two equal); the common codes are shared's.
 * `userError` here accepts both, shared's only the common ones.
 */
import { userError as userErrorWith, type UserError, type UserErrorCode } from '@lianxin/shared';

export const REQUESTS_ERROR_CODES = ['EXPIRED'] as const;
export type RequestsErrorCode = (typeof REQUESTS_ERROR_CODES)[number];

/** A user error with a common code or one of requests' own. */
export function userError(field: string[] | null, code: UserErrorCode | RequestsErrorCode, message: string): UserError<UserErrorCode | RequestsErrorCode> {
  return userErrorWith<RequestsErrorCode>(field, code, message);
}
