/**
 * The people subgraph's own configuration: the keys that protect ID numbers
 * (fixed development keys outside production; both required in production).
 * The smallest count a sensitive statistic publishes is every subgraph's
 * (ANALYTICS_MIN_CELL, shared `AnalyticsConfig`).
 */
import { z } from 'zod';
import { ConfigError, analyticsMinCell, parseEnvironment } from '@lianxin/shared';

export interface PeopleSettings {
  /** AES-256-GCM key that seals ID numbers at rest (32 bytes). */
  dataKey: Buffer;
  /**
   * The key being rotated away from (PEOPLE_DATA_KEY_OLD), while `npm run people:rotate-data-key` re-seals under
   * `dataKey`: values it has not reached yet open with it. Null outside a rotation.
   */
  previousDataKey: Buffer | null;
  /** HMAC-SHA256 key of the ID-number lookup column (at least 32 bytes). */
  lookupKey: Buffer;
  /**
   * ANALYTICS_MIN_CELL, as the shared configuration reads it (ctx.analyticsMinCell in a request): the household
   * cells for BI tools are written outside requests too, when the subgraph starts and in the demo's seed.
   */
  analyticsMinCell: number;
}

/** Development keys: public, so anything sealed with them is not protected. */
const DEV_DATA_KEY = Buffer.from('lianxin-dev-people-data-key-32b!', 'utf8').toString('base64');
const DEV_LOOKUP_KEY = Buffer.from('lianxin-dev-people-lookup-key-not-for-production', 'utf8').toString('base64');

const base64Key = (bytes: { exactly?: number; atLeast?: number }) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
    .transform((value) => Buffer.from(value, 'base64'))
    .refine(
      (key) => (bytes.exactly === undefined || key.length === bytes.exactly) && (bytes.atLeast === undefined || key.length >= bytes.atLeast),
      bytes.exactly !== undefined ? `must be ${bytes.exactly} bytes, base64-encoded` : `must be at least ${bytes.atLeast} bytes, base64-encoded`,
    );

/** The variables only this subgraph reads (exported so the deployment manifests' check can list them). */
export const peopleEnvironment = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PEOPLE_DATA_KEY: base64Key({ exactly: 32 }).optional(),
  PEOPLE_DATA_KEY_OLD: base64Key({ exactly: 32 }).optional(),
  PEOPLE_LOOKUP_KEY: base64Key({ atLeast: 32 }).optional(),
  ANALYTICS_MIN_CELL: analyticsMinCell,
});

export function readPeopleSettings(env: NodeJS.ProcessEnv): PeopleSettings {
  const parsed = parseEnvironment(peopleEnvironment, env);
  const production = parsed.NODE_ENV === 'production';
  for (const [name, value] of [
    ['PEOPLE_DATA_KEY', parsed.PEOPLE_DATA_KEY],
    ['PEOPLE_LOOKUP_KEY', parsed.PEOPLE_LOOKUP_KEY],
  ] as const) {
    if (production && value === undefined) throw new ConfigError(`invalid configuration: ${name}: required when NODE_ENV=production`);
  }
  return {
    dataKey: parsed.PEOPLE_DATA_KEY ?? Buffer.from(DEV_DATA_KEY, 'base64'),
    previousDataKey: parsed.PEOPLE_DATA_KEY_OLD ?? null,
    lookupKey: parsed.PEOPLE_LOOKUP_KEY ?? Buffer.from(DEV_LOOKUP_KEY, 'base64'),
    analyticsMinCell: parsed.ANALYTICS_MIN_CELL,
  };
}

/** The two keys of a re-sealing (`npm run people:rotate-data-key`). */
export interface DataKeyRotation {
  /** PEOPLE_DATA_KEY_OLD: what the values are sealed under now. */
  oldKey: Buffer;
  /** PEOPLE_DATA_KEY: what they are re-sealed under. */
  newKey: Buffer;
}

const rotationEnvironment = z.object({ PEOPLE_DATA_KEY: base64Key({ exactly: 32 }), PEOPLE_DATA_KEY_OLD: base64Key({ exactly: 32 }) });

/**
 * Reads both keys of a rotation: named explicitly, with no development
 * default (re-sealing under a public key would protect nothing), and not the
 * same key twice.
 */
export function readDataKeyRotation(env: NodeJS.ProcessEnv): DataKeyRotation {
  const parsed = parseEnvironment(rotationEnvironment, env);
  if (parsed.PEOPLE_DATA_KEY_OLD.equals(parsed.PEOPLE_DATA_KEY)) {
    throw new ConfigError('invalid configuration: PEOPLE_DATA_KEY_OLD: is the same key as PEOPLE_DATA_KEY; set PEOPLE_DATA_KEY to the new key');
  }
  return { oldKey: parsed.PEOPLE_DATA_KEY_OLD, newKey: parsed.PEOPLE_DATA_KEY };
}
