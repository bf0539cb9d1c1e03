/** @lianxin/gateway: the one entrance to the graph. */
export { loadGatewayConfig, DEV_AUTH_SECRET, DEV_ISSUER, DEFAULT_AUDIENCE, type GatewayConfig, type TokenVerification } from './config.js';
export { createAuthenticator, AuthenticationError } from './auth.js';
export { mintDevToken, type DevTokenRequest } from './dev-token.js';
export { startGateway, type GatewayContext } from './gateway.js';
