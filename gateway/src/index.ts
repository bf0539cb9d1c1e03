/** @lianxin/gateway: the one entrance to the graph. */
export {
  loadGatewayConfig,
  DEV_AUTH_SECRET,
  DEV_ISSUER,
  DEFAULT_AUDIENCE,
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMITS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  type GatewayConfig,
  type QueryLimits,
  type RateLimits,
  type TokenVerification,
} from './config.js';
export { createAuthenticator, AuthenticationError, IdentityProviderUnavailableError } from './auth.js';
export { mintDevToken, type DevTokenRequest } from './dev-token.js';
export { startGateway, BODY_LIMIT, type GatewayContext } from './gateway.js';
export { operationCost, PLAIN_LIST_SIZE } from './limits.js';
export { TokenBuckets, clientKeyOf } from './rate-limit.js';
export { INTROSPECTION_ROLES } from './plugins.js';
