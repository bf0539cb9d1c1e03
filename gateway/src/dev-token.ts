/** Development tokens, shaped like the identity provider's, signed with the dev secret. */
import { SignJWT } from 'jose';
import type { Role } from '@lianxin/shared';

/** How long a dev token lives unless asked otherwise: a working day. */
export const DEV_TOKEN_TTL_SECONDS = 8 * 3600;

export interface DevTokenRequest {
  roles: Role[];
  personId?: string | undefined;
  regionIds?: string[] | undefined;
  merchantId?: string | undefined;
  /** Lifetime in seconds; by default a working day, or the gateway's longest lifetime if that is shorter. */
  ttlSeconds?: number | undefined;
  /**
   * The time claims themselves, in seconds since the epoch, for tests of the
   * tokens the gateway refuses: `null` leaves a claim out. By default `iat` is
   * now, `nbf` absent and `exp` now plus the lifetime.
   */
  issuedAt?: number | null | undefined;
  notBefore?: number | undefined;
  expiresAt?: number | null | undefined;
}

export interface DevTokenSigner {
  secret: string;
  issuer: string;
  audience: string;
  /** The gateway's longest accepted lifetime; the default lifetime stays within it. */
  maxLifetimeSeconds?: number | undefined;
}

/** The lifetime a dev token gets when none is asked for. */
export function devTokenTtlSeconds(maxLifetimeSeconds: number | undefined): number {
  return Math.min(DEV_TOKEN_TTL_SECONDS, maxLifetimeSeconds ?? DEV_TOKEN_TTL_SECONDS);
}

export async function mintDevToken(request: DevTokenRequest, options: DevTokenSigner): Promise<string> {
  const subject = request.personId ?? request.merchantId ?? `dev-${request.roles.join('+') || 'user'}`;
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    roles: request.roles,
    ...(request.personId ? { person_id: request.personId } : {}),
    ...(request.regionIds?.length ? { region_ids: request.regionIds } : {}),
    ...(request.merchantId ? { merchant_id: request.merchantId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(options.issuer)
    .setAudience(options.audience);
  const issuedAt = request.issuedAt === undefined ? now : request.issuedAt;
  if (issuedAt !== null) jwt.setIssuedAt(issuedAt);
  if (request.notBefore !== undefined) jwt.setNotBefore(request.notBefore);
  const expiresAt = request.expiresAt === undefined ? now + (request.ttlSeconds ?? devTokenTtlSeconds(options.maxLifetimeSeconds)) : request.expiresAt;
  if (expiresAt !== null) jwt.setExpirationTime(expiresAt);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
