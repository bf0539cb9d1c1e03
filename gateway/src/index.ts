/** @lianxin/gateway: the one entrance to the graph. */
export {
  loadGatewayConfig,
  gatewayEnvironment,
  DEV_AUTH_SECRET,
  DEV_ISSUER,
  DEFAULT_AUDIENCE,
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMITS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  type GatewayConfig,
  type QueryLimits,
  type RateLimits,
  type TokenVerification,
} from './config.js';
export {
  createAuthenticator,
  AuthenticationError,
  IdentityProviderUnavailableError,
  CLOCK_TOLERANCE_SECONDS,
  JWKS_FETCH,
  MAX_AUTHORIZATION_LENGTH,
  VERIFIED_TOKEN_MAX_AGE_MS,
  type Admission,
  type Authenticator,
  type AuthenticatorOptions,
} from './auth.js';
export { mintDevToken, devTokenTtlSeconds, DEV_TOKEN_TTL_SECONDS, type DevTokenRequest, type DevTokenSigner } from './dev-token.js';
export { startGateway, BODY_LIMIT, type GatewayContext } from './gateway.js';
export { CERTIFICATE_PAGE_PATH, CERTIFICATE_PAGE_CONTENT_SECURITY_POLICY, certificateHtml, type VerifiedCertificate } from './certificate-page.js';
export { operationCost, PLAIN_LIST_SIZE, STATISTIC_COST } from './limits.js';
export { TokenBuckets, RateLimiter, RateLimitedError, clientKeyOf } from './rate-limit.js';
export { INTROSPECTION_ROLES } from './plugins.js';
export { loadTrustedDocuments, trustedDocuments, writesOwnDocuments, type TrustedDocuments, type TrustedDocumentsConfig, type TrustedDocumentsMode } from './trusted-documents.js';
export { isAllowedOrigin, DEFAULT_CORS_MAX_AGE_SECONDS, CORS_METHODS, CORS_REQUEST_HEADERS, CORS_EXPOSED_HEADERS, type CorsPolicy } from './cors.js';
export { prepareExplorer, explorerRoutes, EXPLORER_PATH, EXPLORER_CONTENT_SECURITY_POLICY, type ExplorerPreparation } from './explorer.js';
export { buildExplorer, builtStamp, explorerStamp, EXPLORER_DIST_DIR, type ExplorerBuild } from './explorer-build.js';
export {
  statisticTable,
  csvRecords,
  csvWriter,
  cellAt,
  failureStatus,
  STATS_CSV_PATH,
  LIST_SEPARATOR,
  type StatisticTable,
  type CsvColumn,
  type CsvDownload,
} from './stats-csv.js';
