/** Development tokens, shaped like the identity provider's, signed with the dev secret. */
import { SignJWT } from 'jose';
import type { Role } from '@lianxin/shared';

export interface DevTokenRequest {
  roles: Role[];
  personId?: string | undefined;
  regionIds?: string[] | undefined;
  merchantId?: string | undefined;
  /** Lifetime in seconds. */
  ttlSeconds?: number | undefined;
}

export async function mintDevToken(request: DevTokenRequest, options: { secret: string; issuer: string; audience: string }): Promise<string> {
  const subject = request.personId ?? request.merchantId ?? `dev-${request.roles.join('+') || 'user'}`;
  return new SignJWT({
    roles: request.roles,
    ...(request.personId ? { person_id: request.personId } : {}),
    ...(request.regionIds?.length ? { region_ids: request.regionIds } : {}),
    ...(request.merchantId ? { merchant_id: request.merchantId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 8 * 3600}s`)
    .sign(new TextEncoder().encode(options.secret));
}
