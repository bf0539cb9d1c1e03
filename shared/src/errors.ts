/**
 * Errors in two kinds. Business refusals are data: `UserError`s returned in a
 * mutation payload. Bad requests, missing authority and failures are
 * `CodedError`s: GraphQL errors with a fixed `extensions.code`.
 */
import { GraphQLError } from 'graphql';
import { isUuid } from './ids.js';

/**
 * The common values of the `UserErrorCode` enum, declared in
 * schema/common.graphql (a test keeps them equal): refusals any domain gives.
 * A refusal only one domain gives is that subgraph's own: its schema extends
 * the enum (`extend enum UserErrorCode { OUT_OF_STOCK … }`) and its
 * `errors.ts` lists the codes, so the graph's enum is the union of the four.
 */
export const USER_ERROR_CODES = ['REQUIRED', 'INVALID', 'NOT_FOUND', 'ALREADY_EXISTS', 'NOT_ALLOWED', 'INVALID_STATE'] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/** A business refusal, returned in a mutation payload's `userErrors`. */
export interface UserError<Code extends string = string> {
  /** Path to the input field at fault, e.g. `['input', 'category']`. */
  field: string[] | null;
  /** Stable machine-readable reason: a common `UserErrorCode`, or one the subgraph's schema adds. */
  code: Code;
  /** Human-readable explanation. */
  message: string;
}

/**
 * A user error with a common code. A subgraph with codes of its own passes
 * them as `DomainCode` (its `errors.ts` wraps this once), so a code no schema
 * declares does not compile.
 */
export function userError<DomainCode extends string = never>(
  field: string[] | null,
  code: UserErrorCode | NoInfer<DomainCode>,
  message: string,
): UserError<UserErrorCode | NoInfer<DomainCode>> {
  return { field, code, message };
}

/** What services return instead of throwing for business outcomes. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refused = <T = never>(...errors: UserError[]): Result<T> => ({ ok: false, errors });

/** A GraphQL error with a fixed code and, where it matters, an HTTP status. */
export class CodedError extends GraphQLError {
  constructor(code: string, message: string, options: { status?: number; extensions?: Record<string, unknown> } = {}) {
    super(message, {
      extensions: {
        code,
        ...options.extensions,
        ...(options.status ? { http: { status: options.status } } : {}),
      },
    });
  }
}

/** The caller is not known (no, or no valid, credentials). */
export class UnauthenticatedError extends CodedError {
  constructor(message = 'Sign in to see this.', reason?: string) {
    super('UNAUTHENTICATED', message, { extensions: reason ? { reason } : {} });
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends CodedError {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message);
  }
}

/** An argument outside a query's contract (a malformed cursor, a bad id). */
export class BadInputError extends CodedError {
  constructor(message: string, argument?: string) {
    super('BAD_USER_INPUT', message, { extensions: argument ? { argument } : {} });
  }
}

/**
 * A fault of ours, never the caller's: a row the code relies on is missing.
 * Its code is not public, so clients get INTERNAL_SERVER_ERROR with a trace
 * id, and the message (naming what was missing) goes to the log.
 */
export class InternalError extends CodedError {
  constructor(message: string) {
    super('INTERNAL_SERVER_ERROR', message);
  }
}

/**
 * The row, or an InternalError naming `what` is missing: for rows the
 * database vouches for (what an INSERT … RETURNING wrote, a row locked a
 * moment ago in the same transaction, a row another row's foreign key
 * names), whose absence is a bug, not a refusal.
 */
export function required<T>(row: T | null | undefined, what: string): T {
  if (row === null || row === undefined) throw new InternalError(`missing ${what}`);
  return row;
}

/**
 * An optional id argument of a query (`filter.region`): absent stays absent,
 * and anything given must be a UUID. The empty string too: it would read as
 * "no filter" to one check and reach SQL past another.
 */
export function optionalId(value: string | null | undefined, argument: string, what: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isUuid(value)) throw new BadInputError(`${argument} is not ${what}.`, argument);
  return value.toLowerCase();
}

/**
 * The row an entity reference from another subgraph names, or, when there is
 * none (the reference dangles), a NOT_FOUND error for that reference alone.
 * The gateway reports it at the referring field, which is nullable, so one bad
 * row nulls its own reference and not the list around it; a quiet null would
 * leave the client an empty object and no error.
 */
export async function referencedRow<T>(typename: string, row: Promise<T | null>): Promise<T> {
  const found = await row;
  if (found === null) throw new CodedError('NOT_FOUND', `The ${typename} this refers to does not exist.`);
  return found;
}

/** Codes a client may see as they are; anything else is masked. */
const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_HASH_MISMATCH',
  'SUBGRAPH_UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'STATISTICS_TIMEOUT',
  'STATISTICS_TOO_LARGE',
]);

/** Whether an error with this `extensions.code` reaches a client as it is (anything else is masked). */
export function isPublicCode(code: unknown): boolean {
  return typeof code === 'string' && PUBLIC_CODES.has(code);
}

/**
 * Extensions that may carry internals even on a public error: a stack trace,
 * the wrapped exception, or a subgraph's HTTP response (its URL and body).
 */
const PRIVATE_EXTENSIONS = ['stacktrace', 'exception', 'response'];

export interface FormattedError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * Keeps errors whose code is public and replaces every other error (a bug, a
 * database failure) with a bare INTERNAL_SERVER_ERROR, so no stack trace, SQL
 * text or file path reaches a client. Returns whether it masked.
 */
/** What a client reads in place of an error it may not see. */
export const MASKED_MESSAGE = 'Something went wrong on our side. Quote the trace id when you report it.';

export function maskError(formatted: FormattedError): { error: FormattedError; masked: boolean } {
  if (isPublicCode(formatted.extensions?.['code'])) {
    const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([key]) => !PRIVATE_EXTENSIONS.includes(key)));
    return { error: { ...formatted, extensions }, masked: false };
  }
  return {
    error: {
      message: MASKED_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    },
    masked: true,
  };
}

/**
 * graphql-js's "Did you mean …?" hints, in every form it writes them: field,
 * argument, type and enum value names, in validation and in variable
 * coercion alike.
 */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** A message without schema hints: in production they would map the schema for someone who may not introspect it. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/**
 * Shapes a service result as a mutation payload: the object under `key` and
 * no user errors, or null and the refusals.
 */
export function toPayload<K extends string, T>(key: K, result: Result<T>): Record<K, T | null> & { userErrors: UserError[] } {
  const value = result.ok ? result.value : null;
  return { [key]: value, userErrors: result.ok ? [] : result.errors } as Record<K, T | null> & { userErrors: UserError[] };
}
