/**
 * The points subgraph's own configuration: how long a redemption hold lasts,
 * how long a captured redemption may be refunded, how long a customer's payment code lives, how long idempotency keys are kept, the key that turns an account into
 * a merchant's pseudonymous member id, merchants' webhooks (plain http to
 * loopback, the notice before a hold lapses), and how many points a customer may
 * give away. Development defaults outside
 * production; the member-id key is required in production.
 */
import { z } from 'zod';
import { ConfigError, parseEnvironment } from '@lianxin/shared';

export interface PointsSettings {
  /** How long a redemption hold keeps its points before it lapses. */
  holdTtlSeconds: number;
  /** How many days after its capture a redemption may still be refunded. */
  refundPeriodDays: number;
  /** How long a payment code (付款码) can be presented after it is issued. */
  paymentCodeTtlSeconds: number;
  /** Idempotency keys younger than this are never purged (at least 24 hours). */
  idempotencyRetentionHours: number;
  /** HMAC-SHA256 key of merchants' pseudonymous member ids. */
  memberIdKey: Buffer;
  /** Whether webhook endpoints may be plain http to a loopback address (development and tests). */
  webhookAllowInsecure: boolean;
  /** How long before a hold lapses its merchant is told it is about to (HOLD_EXPIRING). */
  webhookHoldExpiringSeconds: number;
  /** Donations (pointsDonate): the most points one donation gives, and a donor gives in a Beijing day and in a Beijing month. */
  donationLimits: DonationLimits;
  /** The time; tests replace it to open and close redemption windows and to age holds. */
  now: () => Date;
}

export interface DonationLimits {
  perDonation: number;
  perDay: number;
  perMonth: number;
}

/** Public, so member ids made with it hide nothing: development only. */
const DEV_MEMBER_ID_KEY = 'lianxin-dev-points-member-id-key-not-for-production';

/** The variables only this subgraph reads (exported so the deployment manifests' check can list them). */
export const pointsEnvironment = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  POINTS_HOLD_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 3600)
    .default(900),
  POINTS_REFUND_PERIOD_DAYS: z.coerce.number().int().min(1).max(366).default(30),
  // Long enough to show the code at the till, short enough that a photographed code is soon worthless.
  POINTS_PAYMENT_CODE_TTL_SECONDS: z.coerce.number().int().min(30).max(300).default(60),
  POINTS_IDEMPOTENCY_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(24, 'must be at least 24')
    .max(24 * 366)
    .default(72),
  POINTS_WEBHOOK_ALLOW_INSECURE: z.enum(['true', 'false']).optional(),
  POINTS_WEBHOOK_HOLD_EXPIRING_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(24 * 3600)
    .default(120),
  POINTS_MEMBER_ID_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  POINTS_DONATION_MAX_POINTS: z.coerce.number().int().min(1).max(1_000_000).default(500),
  POINTS_DONATION_MAX_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  POINTS_DONATION_MAX_PER_MONTH: z.coerce.number().int().min(1).max(10_000_000).default(5_000),
});

export function readPointsSettings(env: NodeJS.ProcessEnv): PointsSettings {
  const parsed = parseEnvironment(pointsEnvironment, env);
  if (parsed.NODE_ENV === 'production' && parsed.POINTS_MEMBER_ID_KEY === undefined) {
    throw new ConfigError('invalid configuration: POINTS_MEMBER_ID_KEY: required when NODE_ENV=production');
  }
  return {
    holdTtlSeconds: parsed.POINTS_HOLD_TTL_SECONDS,
    refundPeriodDays: parsed.POINTS_REFUND_PERIOD_DAYS,
    paymentCodeTtlSeconds: parsed.POINTS_PAYMENT_CODE_TTL_SECONDS,
    idempotencyRetentionHours: parsed.POINTS_IDEMPOTENCY_RETENTION_HOURS,
    // Plain http to loopback lets a developer's own receiver take deliveries; production only ever posts over TLS unless told.
    webhookAllowInsecure: (parsed.POINTS_WEBHOOK_ALLOW_INSECURE ?? (parsed.NODE_ENV === 'production' ? 'false' : 'true')) === 'true',
    webhookHoldExpiringSeconds: parsed.POINTS_WEBHOOK_HOLD_EXPIRING_SECONDS,
    memberIdKey: Buffer.from(parsed.POINTS_MEMBER_ID_KEY ?? DEV_MEMBER_ID_KEY, 'utf8'),
    donationLimits: {
      perDonation: parsed.POINTS_DONATION_MAX_POINTS,
      perDay: parsed.POINTS_DONATION_MAX_PER_DAY,
      perMonth: parsed.POINTS_DONATION_MAX_PER_MONTH,
    },
    now: () => new Date(),
  };
}
