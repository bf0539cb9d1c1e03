/**
 * Verifies the bearer token a client sends and maps its claims to a Viewer.
 * Tokens come from the OIDC identity provider (checked against its JWKS) or,
 * in development, from `npm run token` (checked with the dev secret). A
 * person's token names the person; a partner merchant's client-credential
 * token names the merchant instead.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ANONYMOUS, CodedError, ExpiringCache, ROLES, acceptedUntil, isUuid, type Expiring, type Role, type Viewer } from '@lianxin/shared';
import type { TokenVerification } from './config.js';

/** Clocks of the identity provider and the gateway may differ by this much. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Claims Lianxin reads. Unknown roles are dropped rather than refused: an
 * identity provider may carry roles of other systems.
 */
const uuid = z.string().refine((value) => isUuid(value), 'must be a UUID');
const claims = z
  .object({
    /** The person, or for a client-credential token usually the client itself. */
    sub: z.string().min(1).optional(),
    /** The OAuth client of a client-credential token; stands in for a missing `sub`. */
    client_id: z.string().min(1).optional(),
    roles: z.array(z.string()).default([]),
    person_id: uuid.optional(),
    region_ids: z.array(uuid).default([]),
    merchant_id: uuid.optional(),
  })
  .refine((value) => value.sub !== undefined || value.client_id !== undefined, { path: ['sub'], message: 'required' })
  // A merchant role without the merchant it speaks for could act for none, or be taken for any.
  .refine((value) => !value.roles.includes('merchant') || value.merchant_id !== undefined, { path: ['merchant_id'], message: 'required with the merchant role' });

/** A 401 with a reason a client can act on (sign in again, fix its clock, ask for another audience). */
export class AuthenticationError extends CodedError {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super('UNAUTHENTICATED', message, { status: 401, extensions: { reason } });
  }
}

/** The identity provider's key set could not be fetched: the token may be fine, so this is a 503, not a 401. */
export class IdentityProviderUnavailableError extends CodedError {
  constructor() {
    super('IDENTITY_PROVIDER_UNAVAILABLE', 'Tokens cannot be checked right now; try again shortly.', { status: 503 });
  }
}

export type Authenticator = (authorization: string | undefined) => Promise<Viewer>;

/**
 * A verified token is trusted this long at most before its signature is
 * checked again, however late it expires: how long a token keeps passing
 * after the identity provider withdraws its key.
 */
export const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;

/**
 * Each distinct token is verified once and its viewer remembered until the
 * token expires (at most VERIFIED_TOKEN_MAX_AGE_MS): a till sends the same
 * token with every redemption. Failures are not remembered.
 */
export function createAuthenticator(verification: TokenVerification, now: () => number = Date.now): Authenticator {
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

  const check = async (token: string): Promise<Expiring<Viewer>> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await verify(token));
    } catch (error) {
      if (verification.kind === 'jwks' && isKeySetFailure(error)) throw new IdentityProviderUnavailableError();
      throw toAuthenticationError(error);
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AuthenticationError('TOKEN_CLAIMS_INVALID', `The token's ${issue?.path.join('.') ?? 'claims'} claim is not valid.`);
    }
    const { sub, client_id, roles, person_id, region_ids, merchant_id } = parsed.data;
    const known = roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role));
    const viewer: Viewer = {
      subject: sub ?? client_id ?? null,
      personId: person_id ?? null,
      roles: known,
      regionIds: region_ids,
      // The merchant id counts only with the role that lets a token speak for a merchant.
      merchantId: known.includes('merchant') ? (merchant_id ?? null) : null,
    };
    return { value: viewer, validUntil: acceptedUntil(payload.exp, CLOCK_TOLERANCE_SECONDS, now(), VERIFIED_TOKEN_MAX_AGE_MS) };
  };
  const verified = new ExpiringCache<Viewer>({ maxAgeMs: VERIFIED_TOKEN_MAX_AGE_MS, now });

  return async (authorization) => {
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new AuthenticationError('TOKEN_MALFORMED', 'The Authorization header must be "Bearer <token>".');
    return verified.get(match[1], check);
  };
}

/** Errors of fetching the key set, as opposed to errors of the token. */
function isKeySetFailure(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return true;
  // A failed fetch surfaces as a plain error; every fault of the token itself is a JOSEError.
  return !(error instanceof joseErrors.JOSEError);
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
