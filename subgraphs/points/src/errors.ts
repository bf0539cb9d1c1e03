/**
 * Refusals only the public welfare bank gives. They are this subgraph's
 * values of `UserErrorCode` (`extend enum UserErrorCode` at the end of
 * schema.graphql; a test keeps the two equal); the common codes are shared's.
 * `userError` and `refuse` here accept both, shared's only the common ones.
 */
import { refuse as refuseWith, userError as userErrorWith, type UserError, type UserErrorCode } from '@lianxin/shared';

export const POINTS_ERROR_CODES = [
  'IDEMPOTENCY_CONFLICT',
  'INSUFFICIENT_POINTS',
  'INSUFFICIENT_FUNDS',
  'OUT_OF_STOCK',
  'WINDOW_CLOSED',
  'HOLD_EXPIRED',
  'ALREADY_DECIDED',
  'REFUND_EXCEEDS',
  'REFUND_PERIOD_OVER',
  'PAYMENT_CODE_INVALID',
  'PAYMENT_CODE_REQUIRED',
  'LIMIT_EXCEEDED',
] as const;
export type PointsErrorCode = (typeof POINTS_ERROR_CODES)[number];

/** A user error with a common code or one of the bank's own. */
export function userError(field: string[] | null, code: UserErrorCode | PointsErrorCode, message: string): UserError<UserErrorCode | PointsErrorCode> {
  return userErrorWith<PointsErrorCode>(field, code, message);
}

/** Stops the mutation with one user error, with a common code or one of the bank's own. */
export function refuse(field: string[] | null, code: UserErrorCode | PointsErrorCode, message: string): never {
  return refuseWith<PointsErrorCode>(field, code, message);
}
