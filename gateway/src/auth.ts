/**
 * Verifies the bearer token a client sends and maps its claims to a Viewer.
 * Tokens come from the OIDC identity provider (checked against its JWKS) or,
 * in development, from `npm run token` (checked with the dev secret).
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ANONYMOUS, CodedError, ROLES, isUuid, type Role, type Viewer } from '@lianxin/shared';
import type { TokenVerification } from './config.js';

/** Clocks of the identity provider and the gateway may differ by this much. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Claims Lianxin reads. Unknown roles are dropped rather than refused: an
 * identity provider may carry roles of other systems.
 */
const claims = z.object({
  sub: z.string().min(1),
  roles: z.array(z.string()).default([]),
  person_id: z.string().refine((value) => isUuid(value), 'must be a UUID').optional(),
  region_ids: z.array(z.string().refine((value) => isUuid(value), 'must be a UUID')).default([]),
  merchant_id: z.string().refine((value) => isUuid(value), 'must be a UUID').optional(),
});

/** A 401 with a reason a client can act on (sign in again, fix its clock, ask for another audience). */
export class AuthenticationError extends CodedError {
  constructor(reason: string, message: string) {
    super('UNAUTHENTICATED', message, { status: 401, extensions: { reason } });
  }
}

export type Authenticator = (authorization: string | undefined) => Promise<Viewer>;

export function createAuthenticator(verification: TokenVerification): Authenticator {
  const options = {
    issuer: verification.issuer,
    audience: verification.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    algorithms: verification.kind === 'jwks' ? ['RS256', 'ES256', 'EdDSA'] : ['HS256'],
  };
  let verify: (token: string) => Promise<{ payload: JWTPayload }>;
  if (verification.kind === 'jwks') {
    // jose caches the key set and refetches it when a token names an unknown key id.
    const keySet: JWTVerifyGetKey = createRemoteJWKSet(new URL(verification.jwksUrl));
    verify = (token) => jwtVerify(token, keySet, options);
  } else {
    const secret = new TextEncoder().encode(verification.secret);
    verify = (token) => jwtVerify(token, secret, options);
  }

  return async (authorization) => {
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new AuthenticationError('TOKEN_MALFORMED', 'The Authorization header must be "Bearer <token>".');
    let payload: JWTPayload;
    try {
      ({ payload } = await verify(match[1]));
    } catch (error) {
      throw toAuthenticationError(error);
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AuthenticationError('TOKEN_CLAIMS_INVALID', `The token's ${issue?.path.join('.') ?? 'claims'} claim is not valid.`);
    }
    const { sub, roles, person_id, region_ids, merchant_id } = parsed.data;
    return {
      subject: sub,
      personId: person_id ?? null,
      roles: roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role)),
      regionIds: region_ids,
      merchantId: merchant_id ?? null,
    };
  };
}

function toAuthenticationError(error: unknown): AuthenticationError {
  if (error instanceof joseErrors.JWTExpired) return new AuthenticationError('TOKEN_EXPIRED', 'The token has expired; sign in again.');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new AuthenticationError('TOKEN_CLAIMS_INVALID', `The token's ${error.claim} claim is not accepted here.`);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
    return new AuthenticationError('TOKEN_SIGNATURE_INVALID', 'The token was not signed by a trusted issuer.');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new AuthenticationError('TOKEN_SIGNATURE_INVALID', 'The token is signed with an algorithm not accepted here.');
  }
  return new AuthenticationError('TOKEN_MALFORMED', 'The token could not be read.');
}
