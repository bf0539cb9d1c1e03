/**
 * Who is asking. The gateway verifies the client's credentials and forwards
 * the viewer to subgraphs in a short-lived token it signs; a subgraph trusts
 * nothing else, so no one can reach it around the gateway.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { ExpiringCache } from './token-cache.js';

export const ROLES = ['resident', 'volunteer', 'team_captain', 'grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'merchant', 'analyst', 'platform_admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that act for the community rather than for themselves. */
export const STAFF_ROLES: readonly Role[] = ['grid_worker', 'station_admin', 'community_admin', 'bank_clerk', 'platform_admin'];

export interface Viewer {
  /** The person behind the request, when it is one. */
  personId: string | null;
  roles: Role[];
  /** Region subtrees an admin role is scoped to. */
  regionIds: string[];
  /** The partner merchant a client-credential token speaks for. */
  merchantId: string | null;
  /** Subject of the original token, for audit; null when anonymous. */
  subject: string | null;
}

export const ANONYMOUS: Viewer = Object.freeze({
  personId: null,
  roles: [],
  regionIds: [],
  merchantId: null,
  subject: null,
});

export const isAuthenticated = (viewer: Viewer): boolean => viewer.subject !== null;
export const hasRole = (viewer: Viewer, ...roles: Role[]): boolean => roles.some((role) => viewer.roles.includes(role));

/**
 * A merchant's till: the merchant role with the merchant it speaks for and no
 * person behind it (a client-credential token). Such a token reads nothing
 * of persons or of their requests, whatever other roles it carries, so a role
 * added to a till's token never opens the register.
 */
export const isMerchantClient = (viewer: Viewer): boolean => hasRole(viewer, 'merchant') && viewer.merchantId !== null && viewer.personId === null;

/** Header that carries the gateway-signed viewer token to subgraphs. */
export const VIEWER_TOKEN_HEADER = 'x-lianxin-viewer';
/** Header that carries the request's trace id from the gateway to subgraphs. */
export const TRACE_ID_HEADER = 'x-trace-id';

const ISSUER = 'lianxin-gateway';
const AUDIENCE = 'lianxin-subgraphs';
/** Long enough for one gateway request to fan out; short enough to be useless if leaked. */
export const VIEWER_TOKEN_TTL_SECONDS = 60;

const viewerClaims = z.object({
  sub: z.string().optional(),
  pid: z.string().nullable().optional(),
  roles: z.array(z.enum(ROLES)).default([]),
  rgn: z.array(z.string()).default([]),
  mid: z.string().nullable().optional(),
});

const encoder = new TextEncoder();
const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = encoder.encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export async function signViewerToken(viewer: Viewer, secret: string, ttlSeconds = VIEWER_TOKEN_TTL_SECONDS, issuedAt = Math.floor(Date.now() / 1000)): Promise<string> {
  const token = new SignJWT({ pid: viewer.personId, roles: viewer.roles, rgn: viewer.regionIds, mid: viewer.merchantId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds);
  if (viewer.subject) token.setSubject(viewer.subject);
  return token.sign(keyFor(secret));
}

/**
 * Signs viewer tokens for one gateway, reusing a viewer's token while more
 * than half its lifetime is left: a request fanning out to subgraphs (and
 * the subgraphs' token caches) then sees the same token for a while, and the
 * signature is made once per viewer per half-lifetime, not per request.
 */
export function viewerTokenSigner(secret: string, ttlSeconds = VIEWER_TOKEN_TTL_SECONDS, now: () => number = Date.now): (viewer: Viewer) => Promise<string> {
  const signed = new ExpiringCache<{ token: string }>({ maxAgeMs: (ttlSeconds * 1000) / 2, now });
  const sign = async (viewer: Viewer) => {
    const at = now();
    // Issued by the signer's clock, the same one that decides when a token is reused.
    return { value: { token: await signViewerToken(viewer, secret, ttlSeconds, Math.floor(at / 1000)) }, validUntil: at + ttlSeconds * 1000 };
  };
  return async (viewer) => {
    // Every field of the viewer goes into the token, so all of them make the key.
    const key = JSON.stringify([viewer.subject, viewer.personId, viewer.roles, viewer.regionIds, viewer.merchantId]);
    return (await signed.get(key, () => sign(viewer))).token;
  };
}

/** Raised when a viewer token is missing, forged or stale. */
export class ViewerTokenError extends Error {
  override readonly name = 'ViewerTokenError';
}

const VIEWER_CLOCK_TOLERANCE_SECONDS = 5;

/** Checks a viewer token's signature, issuer, audience, expiry and claims; also says until when it stays acceptable. */
async function checkViewerToken(token: string, secret: string): Promise<{ value: Viewer; validUntil: number }> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      clockTolerance: VIEWER_CLOCK_TOLERANCE_SECONDS,
      // Without an expiry a leaked token would be good forever.
      requiredClaims: ['exp'],
    });
    const claims = viewerClaims.parse(payload);
    return {
      value: {
        personId: claims.pid ?? null,
        roles: claims.roles,
        regionIds: claims.rgn,
        merchantId: claims.mid ?? null,
        subject: claims.sub ?? null,
      },
      validUntil: ((payload.exp ?? 0) + VIEWER_CLOCK_TOLERANCE_SECONDS) * 1000,
    };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new ViewerTokenError('viewer token expired');
    throw new ViewerTokenError('viewer token invalid');
  }
}

export async function verifyViewerToken(token: string, secret: string): Promise<Viewer> {
  return (await checkViewerToken(token, secret)).value;
}

/**
 * A subgraph's check of viewer tokens: each distinct token's signature is
 * verified once and remembered until it expires (see ExpiringCache).
 */
export function viewerTokenVerifier(secret: string, now: () => number = Date.now): (token: string) => Promise<Viewer> {
  const verified = new ExpiringCache<Viewer>({ maxAgeMs: VIEWER_TOKEN_TTL_SECONDS * 1000, now });
  return (token) => verified.get(token, (text) => checkViewerToken(text, secret));
}
