/**
 * Cross-origin requests to `/graphql` from browsers: which origins may read
 * the graph's answers, and what their preflights are told (docs/gateway.md,
 * "Browsers and CORS").
 *
 * Only exact origins from `CORS_ORIGINS` are allowed, plus, outside
 * production, any port of localhost, 127.0.0.1 and [::1] (a front end's dev
 * server). Credentials are never allowed: the graph authenticates by the
 * bearer token in the `Authorization` header, which a page sends itself, not
 * by cookies, so there is no ambient credential a cross-origin page could
 * ride on, and a browser refuses `credentials: 'include'` answers, so nobody
 * comes to depend on cookies by accident.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import { z } from 'zod';

/** What the gateway answers to browsers calling it from another origin. */
export interface CorsPolicy {
  /** Exact origins allowed (`scheme://host[:port]`), from CORS_ORIGINS. */
  origins: readonly string[];
  /** Whether any port of localhost, 127.0.0.1 and [::1] is allowed as well (outside production). */
  allowLocalhost: boolean;
  /** How long a browser may cache a preflight's answer (Access-Control-Max-Age). */
  maxAgeSeconds: number;
}

/**
 * Ten minutes: Chromium caps the cache at two hours and Firefox at a day;
 * ten minutes spares a busy page most preflights while a changed allowlist
 * still reaches browsers soon.
 */
export const DEFAULT_CORS_MAX_AGE_SECONDS = 600;

/** Methods a page may use: queries over GET or POST, mutations over POST. */
export const CORS_METHODS = ['GET', 'POST'] as const;

/**
 * Request headers a page may send beyond the CORS-safelisted ones: the JSON
 * content type and the bearer token; the two headers Apollo's CSRF prevention
 * accepts instead of a preflighted content type; and the client name and
 * version Apollo Client sends when given them; and where a notification stream
 * resumes. Nothing else is read: persisted queries travel in the body, and a
 * client's `x-trace-id` is dropped.
 */
export const CORS_REQUEST_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  // A notification stream resumed after the last notification received (docs/front-end.md, Live updates).
  'last-event-id',
] as const;

/**
 * Response headers a page may read beyond the safelisted ones: the trace id
 * to quote with an error, how long to wait after a 429 or 503, why a token
 * was refused, and the name a CSV download suggests for its file.
 */
export const CORS_EXPOSED_HEADERS = ['x-trace-id', 'retry-after', 'www-authenticate', 'content-disposition'] as const;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * One exact origin, written as browsers send it in the `Origin` header:
 * http or https, a host in lower case, a port only when not the scheme's
 * default, no path, no trailing slash. Anything else could never match and
 * would leave the page it was meant for refused without a word.
 */
function originProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${value}" is not an http or https origin`;
  if (url.origin !== value) return `"${value}" is not an origin as browsers send it: write ${url.origin} (scheme://host[:port], no path or trailing slash)`;
  return null;
}

/** `CORS_ORIGINS`: comma-separated exact origins; a wildcard or a malformed origin stops start-up naming it. */
export const corsOrigins = z.string().transform((value, context): string[] => {
  const origins = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const origin of origins) {
    const problem = origin === '*' ? 'a wildcard is not accepted: list each origin' : originProblem(origin);
    if (problem) {
      context.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
  }
  return [...new Set(origins)];
});

/** Whether a page on `origin` may read the gateway's answers. */
export function isAllowedOrigin(policy: CorsPolicy, origin: string | undefined): boolean {
  if (!origin) return false;
  if (policy.origins.includes(origin)) return true;
  if (!policy.allowLocalhost) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOCAL_HOSTS.has(url.hostname) && url.origin === origin;
}

/**
 * The CORS step of `/graphql`, first in line: a preflight from an allowed
 * origin is answered here (204) before authentication or rate limits, which
 * it could not pass without the headers it asks about; an actual request from
 * an allowed origin gets its CORS headers and goes on. A request from any
 * other origin gets no CORS headers and is otherwise served exactly as one
 * without an `Origin` (its browser then withholds the answer from the page).
 * Every answer varies by `Origin`, so no cache hands one origin's answer to
 * another.
 */
export function corsPolicy(policy: CorsPolicy): RequestHandler {
  const handle = cors({
    origin: (origin, callback) => callback(null, isAllowedOrigin(policy, origin)),
    methods: [...CORS_METHODS],
    allowedHeaders: [...CORS_REQUEST_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    credentials: false,
    maxAge: policy.maxAgeSeconds,
    preflightContinue: false,
    optionsSuccessStatus: 204,
  });
  return (req, res, next) => {
    res.vary('Origin');
    // The cors package does nothing more for an origin it may not serve (or none): most requests come from no browser at all.
    if (!isAllowedOrigin(policy, req.headers.origin)) {
      next();
      return;
    }
    handle(req, res, next);
  };
}
