/**
 * Refusals only the people subgraph gives. They are this subgraph's values
 * of `UserErrorCode` (`extend enum UserErrorCode` at the end of
 * schema.graphql; a test keeps the two equal); the common codes are shared's.
 * `userError` here accepts both, shared's only the common ones.
 */
import { userError as userErrorWith, type UserError, type UserErrorCode } from '@lianxin/shared';

export const PEOPLE_ERROR_CODES = ['CASELOAD_FULL'] as const;
export type PeopleErrorCode = (typeof PEOPLE_ERROR_CODES)[number];

/** A user error with a common code or one of people's own. */
export function userError(field: string[] | null, code: UserErrorCode | PeopleErrorCode, message: string): UserError<UserErrorCode | PeopleErrorCode> {
  return userErrorWith<PeopleErrorCode>(field, code, message);
}
