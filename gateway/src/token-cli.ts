/**
 * `npm run token -- --role <role> [--role <role>…] [--person <id>] [--region <id>…] [--merchant <id>] [--ttl <seconds>]`
 * prints a development token the gateway accepts (only with its dev secret, never in production). Without
 * `--ttl` it lives 8 hours, or AUTH_MAX_TOKEN_LIFETIME_SECONDS if that is shorter; a longer `--ttl` is refused.
 */
import { parseArgs } from 'node:util';
import { ROLES, isUuid, runMain, ConfigError, type Role } from '@lianxin/shared';
import { loadGatewayConfig } from './config.js';
import { mintDevToken } from './dev-token.js';

runMain(async () => {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      person: { type: 'string' },
      region: { type: 'string', multiple: true },
      merchant: { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  const roles = values.role ?? [];
  const unknown = roles.find((role) => !(ROLES as readonly string[]).includes(role));
  if (roles.length === 0 || unknown !== undefined) {
    throw new ConfigError(`--role: give one or more of ${ROLES.join(', ')}${unknown ? ` (not "${unknown}")` : ''}`);
  }
  for (const [flag, value] of [['--person', values.person], ['--merchant', values.merchant], ...(values.region ?? []).map((r) => ['--region', r])] as const) {
    if (value !== undefined && !isUuid(value)) throw new ConfigError(`${flag}: "${value}" is not a UUID`);
  }
  const ttlSeconds = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)) throw new ConfigError('--ttl: give a whole number of seconds');
  const config = loadGatewayConfig();
  if (config.auth.kind !== 'dev-secret') throw new ConfigError('dev tokens need the dev secret; this gateway verifies tokens against AUTH_JWKS_URL');
  // A token the gateway would refuse is no use to anyone.
  const { maxLifetimeSeconds } = config.auth;
  if (ttlSeconds !== undefined && ttlSeconds > maxLifetimeSeconds) {
    throw new ConfigError(`--ttl: at most ${maxLifetimeSeconds} seconds, the longest lifetime the gateway accepts (AUTH_MAX_TOKEN_LIFETIME_SECONDS)`);
  }
  const token = await mintDevToken({ roles: roles as Role[], personId: values.person, regionIds: values.region, merchantId: values.merchant, ttlSeconds }, config.auth);
  process.stdout.write(`${token}\n`);
});
