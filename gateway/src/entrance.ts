/**
 * The HTTP steps every `/graphql` request passes before GraphQL sees it:
 * client identity headers dropped, the bearer token verified (after the
 * address's rate limit for any token not verified before), JSON only, one
 * operation per request.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { TRACE_ID_HEADER, VIEWER_TOKEN_HEADER, sendError } from '@lianxin/shared';
import { AuthenticationError, IdentityProviderUnavailableError, type Authenticator } from './auth.js';
import { RateLimitedError, sendRateLimited, type RateLimiter } from './rate-limit.js';

/**
 * Drops the headers that carry identity and tracing between services, so no
 * step after this one (nor any subgraph) can mistake a client's copy for the
 * gateway's.
 */
export const stripClientIdentity: RequestHandler = (req, _res, next) => {
  delete req.headers[VIEWER_TOKEN_HEADER];
  delete req.headers[TRACE_ID_HEADER];
  next();
};

/**
 * Verifies the bearer token into `res.locals.viewer` (anonymous without
 * one). A bad token is a 401 with a reason, before the body is even read.
 * Unless the token is one already verified, the request is first counted
 * against its address's anonymous allowance, and refused with 429 when that
 * is spent, before the token is parsed or its signature checked: a junk token
 * costs its sender what no token would, and costs the gateway almost nothing.
 */
export function authentication(authenticate: Authenticator, limiter: RateLimiter): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals['viewer'] = await authenticate(req.get('authorization'), () => limiter.admitAddress(req.ip));
      next();
    } catch (error) {
      if (error instanceof RateLimitedError) {
        sendRateLimited(res, error);
      } else if (error instanceof AuthenticationError) {
        // RFC 6750: tell the client which scheme to use and that this token will not do.
        res.setHeader('www-authenticate', `Bearer error="invalid_token"`);
        sendError(res, 401, 'UNAUTHENTICATED', error.message, { reason: error.reason });
      } else if (error instanceof IdentityProviderUnavailableError) {
        res.setHeader('retry-after', '5');
        sendError(res, 503, 'IDENTITY_PROVIDER_UNAVAILABLE', error.message);
      } else {
        next(error);
      }
    }
  };
}

/**
 * POST bodies must be JSON. Anything else would reach Apollo Server without
 * a parsed body; plain-text and form posts are also how cross-site forgeries
 * arrive.
 */
export const requireJson: RequestHandler = (req, res, next) => {
  if (req.method === 'POST' && !req.is('application/json')) {
    sendError(res, 415, 'BAD_REQUEST', 'Send the operation as JSON (Content-Type: application/json).');
    return;
  }
  next();
};

/**
 * One operation per request. Batches would multiply every per-request limit
 * (rate, cost) by their length, and HTTP keep-alive already makes separate
 * requests cheap.
 */
export const refuseBatches: RequestHandler = (req, res, next) => {
  if (Array.isArray(req.body)) {
    sendError(res, 400, 'BAD_REQUEST', 'Send one operation per request; batches are not accepted.');
    return;
  }
  next();
};

/** A NUL character written as a GraphQL escape in the query text (a raw one is found with `includes`). */
const NUL_ESCAPE = /\\u0000|\\u\{0+\}/i;

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  // Variables nest as deep as the input types do; JSON bodies are at most 1 MB, so this ends.
  if (typeof value !== 'object' || value === null || depth > 64) return false;
  return Object.values(value).some((item) => holdsNul(item, depth + 1));
}

/**
 * No text the graph stores can hold U+0000: PostgreSQL refuses it, which a
 * subgraph would report as a failure of its own. Refused here, once for every
 * subgraph, as the client's mistake it is.
 */
export const refuseNulCharacters: RequestHandler = (req, res, next) => {
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null) {
    const { query, variables } = body as { query?: unknown; variables?: unknown };
    if ((typeof query === 'string' && (query.includes('\u0000') || NUL_ESCAPE.test(query))) || holdsNul(variables)) {
      sendError(res, 400, 'BAD_USER_INPUT', 'Text may not contain the NUL character (U+0000).');
      return;
    }
  }
  next();
};

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Automatic persisted queries (the `persistedQuery` extension): what Apollo
 * Server would refuse without a code, and so as a failure of ours, is
 * refused here as the client's mistake — an extension of the wrong shape or
 * version, and a hash that is not the SHA-256 of the query sent with it
 * (which would otherwise let a client register its document under another
 * document's hash).
 */
/** The query and extensions of a request: the JSON body of a POST, or the query string of a GET. */
function operationOf(req: Parameters<RequestHandler>[0]): { query?: unknown; extensions?: unknown } {
  if (req.method !== 'GET') {
    const body: unknown = req.body;
    return typeof body === 'object' && body !== null ? body : {};
  }
  const { query, extensions } = req.query as Record<string, unknown>;
  if (typeof extensions !== 'string') return { query };
  try {
    return { query, extensions: JSON.parse(extensions) as unknown };
  } catch {
    // Apollo Server answers a GET whose extensions are not JSON itself, with a code.
    return { query };
  }
}

export const checkPersistedQuery: RequestHandler = (req, res, next) => {
  const { query, extensions } = operationOf(req);
  const persisted = typeof extensions === 'object' && extensions !== null ? (extensions as { persistedQuery?: unknown }).persistedQuery : undefined;
  if (persisted === undefined) {
    next();
    return;
  }
  const { version, sha256Hash } = (typeof persisted === 'object' && persisted !== null ? persisted : {}) as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1 || typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) {
    sendError(res, 400, 'BAD_REQUEST', 'The persistedQuery extension must be { "version": 1, "sha256Hash": "<64 lowercase hex digits>" }.');
    return;
  }
  if (typeof query === 'string' && createHash('sha256').update(query).digest('hex') !== sha256Hash) {
    sendError(res, 400, 'PERSISTED_QUERY_HASH_MISMATCH', 'The sha256Hash is not the SHA-256 of the query sent with it.');
    return;
  }
  next();
};
