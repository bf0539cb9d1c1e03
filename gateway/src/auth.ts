/**
 * Verifies the bearer token a client sends and maps its claims to a Viewer.
 * Tokens come from the OIDC identity provider (checked against its JWKS) or,
 * in development, from `npm run token` (checked with the dev secret). A
 * person's token names the person; a partner merchant's client-credential
 * token names the merchant instead.
 */
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { z } from 'zod';
import { ANONYMOUS, CodedError, ExpiringCache, ROLES, acceptedUntil, isUuid, type Role, type Viewer } from '@lianxin/shared';
import type { TokenVerification } from './config.js';

/** Clocks of the identity provider and the gateway may differ by this much. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * The longest Authorization header read at all. Identity providers' tokens
 * are a few kilobytes at most; anything longer is refused as malformed
 * without being parsed, so a client cannot make the gateway decode megabytes
 * of base64 and JSON per request.
 */
export const MAX_AUTHORIZATION_LENGTH = 8_192;

/**
 * How the identity provider's key set is fetched (jose's createRemoteJWKSet).
 * A token naming a key id the set does not hold makes jose fetch the set
 * again, but not within `cooldownMs` of the last fetch, and concurrent
 * refetches share one request: a flood of tokens naming unknown key ids costs
 * the identity provider at most one request per cooldown. A rotated key is
 * therefore picked up at most `cooldownMs` after the first token naming it,
 * and the set is refreshed every `cacheMaxAgeMs` in any case.
 */
export const JWKS_FETCH = { timeoutMs: 5_000, cooldownMs: 30_000, cacheMaxAgeMs: 10 * 60_000 };

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

/**
 * Called before the gateway spends any work on an Authorization header other
 * than finding an already verified token: throws (a RateLimitedError) to
 * refuse the request before the token is parsed or its signature checked.
 */
export type Admission = () => Promise<void>;

/** The viewer of an Authorization header: anonymous without one, or its token's. */
export type Authenticator = (authorization: string | undefined, admit?: Admission) => Promise<Viewer>;

/**
 * A verified token is trusted this long at most before its signature is
 * checked again, however late it expires: how long a token keeps passing
 * after the identity provider withdraws its key.
 */
export const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;

/** Distinct tokens each of the authenticator's memories holds at most. */
export const REMEMBERED_TOKENS = 10_000;

export interface AuthenticatorOptions {
  /** The clock (ms), for tests. */
  now?: () => number;
  /** Distinct tokens remembered; REMEMBERED_TOKENS by default. */
  maxTokens?: number;
  /** jose's cooldown between fetches of the key set caused by unknown key ids; JWKS_FETCH.cooldownMs by default. */
  jwksCooldownMs?: number;
}

const PASSED = Object.freeze({});

/**
 * Each distinct token is verified once and its viewer remembered until the
 * token expires (at most VERIFIED_TOKEN_MAX_AGE_MS): a till sends the same
 * token with every redemption. Failures are not remembered.
 *
 * Anything else an Authorization header holds (a token not verified yet, one
 * that fails, a header that is not a bearer token at all) is first put to
 * `admit`, which the gateway charges to the client address's anonymous
 * allowance. The exception is a token that has passed before and is not yet
 * expired (remembered in `passed`, up to its `exp`): when its minute is up
 * its signature is checked again without asking, so a signed-in client keeps
 * working from an address someone else is flooding.
 */
export function createAuthenticator(verification: TokenVerification, options: AuthenticatorOptions = {}): Authenticator {
  const { now = Date.now, maxTokens = REMEMBERED_TOKENS, jwksCooldownMs = JWKS_FETCH.cooldownMs } = options;
  const { maxLifetimeSeconds } = verification;
  const baseOptions: JWTVerifyOptions = {
    issuer: verification.issuer,
    audience: verification.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    algorithms: verification.kind === 'jwks' ? ['RS256', 'ES256', 'EdDSA'] : ['HS256'],
    // A token that never expires is refused (jose: claim "exp", reason "missing").
    requiredClaims: ['exp'],
  };
  let verify: (token: string, options: JWTVerifyOptions) => Promise<{ payload: JWTPayload }>;
  if (verification.kind === 'jwks') {
    const keySet: JWTVerifyGetKey = createRemoteJWKSet(new URL(verification.jwksUrl), {
      timeoutDuration: JWKS_FETCH.timeoutMs,
      cooldownDuration: jwksCooldownMs,
      cacheMaxAge: JWKS_FETCH.cacheMaxAgeMs,
    });
    verify = (token, verifyOptions) => jwtVerify(token, keySet, verifyOptions);
  } else {
    const secret = new TextEncoder().encode(verification.secret);
    verify = (token, verifyOptions) => jwtVerify(token, secret, verifyOptions);
  }

  /** The viewer of a token and until when (ms) jose accepts it; throws AuthenticationError or IdentityProviderUnavailableError. */
  const check = async (token: string): Promise<{ viewer: Viewer; acceptedUntil: number }> => {
    const verifyOptions = optionsFor(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await verify(token, verifyOptions));
    } catch (error) {
      if (verification.kind === 'jwks' && isKeySetFailure(error)) throw new IdentityProviderUnavailableError();
      throw toAuthenticationError(error);
    }
    // jose has no bound on exp − iat: its maxTokenAge bounds now − iat only.
    const { exp, iat } = payload;
    // Never true after requiredClaims; it tells the type so.
    if (exp === undefined) throw new AuthenticationError('TOKEN_CLAIMS_INVALID', missingClaim('exp'));
    const checkedAt = now();
    const lifetime = iat === undefined ? exp - Math.floor(checkedAt / 1000) - CLOCK_TOLERANCE_SECONDS : exp - iat;
    if (lifetime > maxLifetimeSeconds) throw new AuthenticationError('TOKEN_CLAIMS_INVALID', tooLong(maxLifetimeSeconds));
    return { viewer: viewerOf(payload), acceptedUntil: acceptedUntil(exp, CLOCK_TOLERANCE_SECONDS, checkedAt, VERIFIED_TOKEN_MAX_AGE_MS) };
  };

  /**
   * jose checks that `iat` is not in the future only together with
   * `maxTokenAge`, which also makes `iat` required. Identity providers
   * normally send it, but it is optional in a JWT: a token with `iat` gets
   * jose's check (its age bounded by the longest lifetime as well), one
   * without is bounded by `exp` alone. Reading the claims before the
   * signature only chooses the stricter options; the token is then verified
   * as a whole.
   */
  const optionsFor = (token: string): JWTVerifyOptions => {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new AuthenticationError('TOKEN_MALFORMED', 'The token could not be read.');
    }
    const currentDate = new Date(now());
    return Object.hasOwn(unverified, 'iat') ? { ...baseOptions, currentDate, maxTokenAge: maxLifetimeSeconds } : { ...baseOptions, currentDate };
  };

  const verified = new ExpiringCache<Viewer>({ max: maxTokens, maxAgeMs: VERIFIED_TOKEN_MAX_AGE_MS, now });
  const passed = new ExpiringCache<object>({ max: maxTokens, maxAgeMs: (maxLifetimeSeconds + 2 * CLOCK_TOLERANCE_SECONDS) * 1000, now });

  return async (authorization, admit) => {
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    const token = bearerToken(authorization);
    const remembered = token === undefined ? undefined : verified.peek(token);
    if (remembered !== undefined) return remembered;
    if (token === undefined || passed.peek(token) === undefined) await admit?.();
    if (token === undefined) throw malformedHeader(authorization);
    try {
      const { viewer, acceptedUntil: until } = await check(token);
      verified.set(token, { value: viewer, validUntil: until });
      passed.set(token, { value: PASSED, validUntil: until });
      return viewer;
    } catch (error) {
      // A token that passed before and fails now (its key withdrawn) is a stranger again.
      if (error instanceof AuthenticationError) passed.delete(token);
      throw error;
    }
  };
}

/** The viewer a verified token's claims describe; throws AuthenticationError when they are not valid. */
function viewerOf(payload: JWTPayload): Viewer {
  const parsed = claims.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AuthenticationError('TOKEN_CLAIMS_INVALID', `The token's ${issue?.path.join('.') ?? 'claims'} claim is not valid.`);
  }
  const { sub, client_id, roles, person_id, region_ids, merchant_id } = parsed.data;
  const known = roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role));
  return {
    subject: sub ?? client_id ?? null,
    personId: person_id ?? null,
    roles: known,
    regionIds: region_ids,
    // The merchant id counts only with the role that lets a token speak for a merchant.
    merchantId: known.includes('merchant') ? (merchant_id ?? null) : null,
  };
}

/** The token of a `Bearer <token>` header within the length cap, or undefined. */
function bearerToken(authorization: string): string | undefined {
  if (authorization.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
}

function malformedHeader(authorization: string): AuthenticationError {
  return authorization.length > MAX_AUTHORIZATION_LENGTH
    ? new AuthenticationError('TOKEN_MALFORMED', `The Authorization header is longer than ${MAX_AUTHORIZATION_LENGTH} characters.`)
    : new AuthenticationError('TOKEN_MALFORMED', 'The Authorization header must be "Bearer <token>".');
}

function missingClaim(claim: string): string {
  return `The token has no ${claim} claim, which is required here.`;
}

function tooLong(maxLifetimeSeconds: number): string {
  return `The token lives longer than the ${maxLifetimeSeconds} seconds accepted here; ask for a shorter-lived token.`;
}

/** Errors of fetching the key set, as opposed to errors of the token. */
function isKeySetFailure(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return true;
  // A failed fetch surfaces as a plain error; every fault of the token itself is a JOSEError.
  return !(error instanceof joseErrors.JOSEError);
}

function toAuthenticationError(error: unknown): AuthenticationError {
  if (error instanceof joseErrors.JWTExpired) {
    // maxTokenAge: issued longer ago than the longest lifetime while exp is still ahead, so it lives too long.
    if (error.claim === 'iat')
      return new AuthenticationError('TOKEN_CLAIMS_INVALID', 'The token was issued too long ago for the lifetime accepted here; ask for a shorter-lived token.');
    return new AuthenticationError('TOKEN_EXPIRED', 'The token has expired; sign in again.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new AuthenticationError('TOKEN_CLAIMS_INVALID', claimMessage(error));
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
    return new AuthenticationError('TOKEN_SIGNATURE_INVALID', 'The token was not signed by a trusted issuer.');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new AuthenticationError('TOKEN_SIGNATURE_INVALID', 'The token is signed with an algorithm not accepted here.');
  }
  return new AuthenticationError('TOKEN_MALFORMED', 'The token could not be read.');
}

/** What a client can do about a claim jose refused. */
function claimMessage({ claim, reason }: joseErrors.JWTClaimValidationFailed): string {
  if (reason === 'missing') return missingClaim(claim);
  if (reason === 'check_failed' && claim === 'nbf') return 'The token is not valid yet (nbf is in the future); check the clock of its issuer.';
  if (reason === 'check_failed' && claim === 'iat') return 'The token was issued in the future (iat); check the clock of its issuer.';
  return `The token's ${claim} claim is not accepted here.`;
}
