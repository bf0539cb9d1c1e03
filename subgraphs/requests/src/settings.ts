/**
 * The requests subgraph's own configuration: the key that signs door QR
 * codes and price quotes, the secrets of the device platforms that post
 * alerts, how long a door code lasts. Development values outside
 * production; the signing key is required in production.
 */
import { z } from 'zod';
import { ConfigError, parseEnvironment } from '@lianxin/shared';

export interface RequestsSettings {
  /** HMAC-SHA256 key that signs door QR codes and price quotes (a subkey per purpose is derived from it). */
  signingKey: Buffer;
  /** Per device platform, the HMAC-SHA256 secret its webhook events are signed with. */
  deviceSecrets: ReadonlyMap<string, Buffer>;
  /** How long a door QR code is accepted after it is shown. */
  qrCodeTtlSeconds: number;
  /** The time; tests replace it to run activities and age alerts. */
  now: () => Date;
}

/** Public, so anything signed with them is not protected: development only. */
const DEV_SIGNING_KEY = 'lianxin-dev-requests-signing-key-not-for-production';
export const DEV_DEVICE_PLATFORM = 'demo-devices';
const DEV_DEVICE_SECRET = 'lianxin-dev-device-secret-not-for-production';

const PLATFORM = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * `platform:secret` pairs separated by commas, or a JSON object of them.
 * Each secret is at least 32 characters.
 */
const deviceSecrets = z.string().transform((value, context) => {
  let pairs: [string, unknown][];
  try {
    pairs = value.trim().startsWith('{')
      ? Object.entries(JSON.parse(value) as Record<string, unknown>)
      : value.split(',').map((pair) => {
          const colon = pair.indexOf(':');
          return colon < 0 ? [pair.trim(), ''] : [pair.slice(0, colon).trim(), pair.slice(colon + 1).trim()];
        });
  } catch {
    context.addIssue({ code: 'custom', message: 'must be platform:secret pairs or a JSON object' });
    return z.NEVER;
  }
  const secrets = new Map<string, Buffer>();
  for (const [platform, secret] of pairs) {
    if (!PLATFORM.test(platform)) {
      context.addIssue({ code: 'custom', message: `platform "${platform}" must be lower-case letters, digits, - or _` });
      return z.NEVER;
    }
    if (typeof secret !== 'string' || secret.length < 32) {
      context.addIssue({ code: 'custom', message: `the secret of ${platform} must be at least 32 characters` });
      return z.NEVER;
    }
    secrets.set(platform, Buffer.from(secret, 'utf8'));
  }
  return secrets;
});

/** The variables only this subgraph reads (exported so the deployment manifests' check can list them). */
export const requestsEnvironment = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  REQUESTS_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  REQUESTS_DEVICE_SECRETS: deviceSecrets.optional(),
  REQUESTS_QR_TTL_SECONDS: z.coerce.number().int().min(15).max(3600).default(120),
});

export function readRequestsSettings(env: NodeJS.ProcessEnv): RequestsSettings {
  const parsed = parseEnvironment(requestsEnvironment, env);
  const production = parsed.NODE_ENV === 'production';
  if (production && parsed.REQUESTS_SIGNING_KEY === undefined) {
    throw new ConfigError('invalid configuration: REQUESTS_SIGNING_KEY: required when NODE_ENV=production');
  }
  return {
    signingKey: Buffer.from(parsed.REQUESTS_SIGNING_KEY ?? DEV_SIGNING_KEY, 'utf8'),
    // Without configured platforms production accepts no device events; development knows the demo platform.
    deviceSecrets: parsed.REQUESTS_DEVICE_SECRETS ?? (production ? new Map() : new Map([[DEV_DEVICE_PLATFORM, Buffer.from(DEV_DEVICE_SECRET, 'utf8')]])),
    qrCodeTtlSeconds: parsed.REQUESTS_QR_TTL_SECONDS,
    now: () => new Date(),
  };
}
