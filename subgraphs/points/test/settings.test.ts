/** The points subgraph's configuration, and the calendar its windows and settlements use. */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@lianxin/shared';
import { memberIdOf } from '../src/redemptions/member-id.js';
import { daysBetween, firstSaturday, isWindowOpen, parseDay, startOfBeijingDay } from '../src/redemptions/window.js';
import { readPointsSettings } from '../src/settings.js';

describe('points settings', () => {
  it('have development defaults: 15-minute holds, refunds for 30 days, one-minute payment codes, keys kept 72 hours', () => {
    const settings = readPointsSettings({});
    expect(settings).toMatchObject({ holdTtlSeconds: 900, refundPeriodDays: 30, paymentCodeTtlSeconds: 60, idempotencyRetentionHours: 72 });
    expect(readPointsSettings({ POINTS_REFUND_PERIOD_DAYS: '7' }).refundPeriodDays).toBe(7);
    expect(readPointsSettings({ POINTS_PAYMENT_CODE_TTL_SECONDS: '120' }).paymentCodeTtlSeconds).toBe(120);
    expect(settings.memberIdKey.length).toBeGreaterThanOrEqual(32);
  });

  it.each([
    [{ POINTS_HOLD_TTL_SECONDS: 'soon' }, 'POINTS_HOLD_TTL_SECONDS'],
    [{ POINTS_HOLD_TTL_SECONDS: '5' }, 'POINTS_HOLD_TTL_SECONDS'],
    [{ POINTS_PAYMENT_CODE_TTL_SECONDS: '10' }, 'POINTS_PAYMENT_CODE_TTL_SECONDS'],
    [{ POINTS_PAYMENT_CODE_TTL_SECONDS: '3600' }, 'POINTS_PAYMENT_CODE_TTL_SECONDS'],
    [{ POINTS_IDEMPOTENCY_RETENTION_HOURS: '12' }, 'POINTS_IDEMPOTENCY_RETENTION_HOURS'],
    [{ POINTS_REFUND_PERIOD_DAYS: '0' }, 'POINTS_REFUND_PERIOD_DAYS'],
    [{ POINTS_REFUND_PERIOD_DAYS: '367' }, 'POINTS_REFUND_PERIOD_DAYS'],
    [{ POINTS_REFUND_PERIOD_DAYS: '1.5' }, 'POINTS_REFUND_PERIOD_DAYS'],
    [{ POINTS_MEMBER_ID_KEY: 'too-short' }, 'POINTS_MEMBER_ID_KEY'],
    [{ NODE_ENV: 'production' }, 'POINTS_MEMBER_ID_KEY'],
  ])('refuse %j, naming %s', (env, variable) => {
    expect(() => readPointsSettings(env)).toThrow(ConfigError);
    expect(() => readPointsSettings(env)).toThrow(new RegExp(variable));
  });

  it('take a production member-id key', () => {
    const key = 'a-production-member-id-key-of-enough-length';
    expect(readPointsSettings({ NODE_ENV: 'production', POINTS_MEMBER_ID_KEY: key }).memberIdKey.toString()).toBe(key);
  });
});

describe('webhook settings', () => {
  it('allow plain http to loopback outside production only, unless told; the hold notice is 2 minutes', () => {
    expect(readPointsSettings({})).toMatchObject({ webhookAllowInsecure: true, webhookHoldExpiringSeconds: 120 });
    const key = 'a-production-member-id-key-of-enough-length';
    expect(readPointsSettings({ NODE_ENV: 'production', POINTS_MEMBER_ID_KEY: key }).webhookAllowInsecure).toBe(false);
    expect(readPointsSettings({ NODE_ENV: 'production', POINTS_MEMBER_ID_KEY: key, POINTS_WEBHOOK_ALLOW_INSECURE: 'true' }).webhookAllowInsecure).toBe(true);
    expect(readPointsSettings({ POINTS_WEBHOOK_ALLOW_INSECURE: 'false', POINTS_WEBHOOK_HOLD_EXPIRING_SECONDS: '300' })).toMatchObject({
      webhookAllowInsecure: false,
      webhookHoldExpiringSeconds: 300,
    });
    expect(() => readPointsSettings({ POINTS_WEBHOOK_ALLOW_INSECURE: 'yes' })).toThrow(/POINTS_WEBHOOK_ALLOW_INSECURE/);
    expect(() => readPointsSettings({ POINTS_WEBHOOK_HOLD_EXPIRING_SECONDS: '5' })).toThrow(/POINTS_WEBHOOK_HOLD_EXPIRING_SECONDS/);
  });
});

describe('the redemption window', () => {
  it('opens on the first Saturday of the month and the Sunday after, Beijing time', () => {
    expect(firstSaturday(2026, 11)).toBe(7);
    expect(firstSaturday(2026, 8)).toBe(1);
    // 1 November 2026 is a Sunday, but the first weekend is the 7th and 8th.
    expect(isWindowOpen('first_weekend_of_month', new Date('2026-11-01T04:00:00Z'))).toBe(false);
    expect(isWindowOpen('first_weekend_of_month', new Date('2026-11-07T04:00:00Z'))).toBe(true);
    expect(isWindowOpen('first_weekend_of_month', new Date('2026-11-08T15:59:59Z'))).toBe(true);
    expect(isWindowOpen('first_weekend_of_month', new Date('2026-11-08T16:00:00Z'))).toBe(false);
    // 31 July 2026, 16:00 UTC is already 1 August (a Saturday) in Beijing.
    expect(isWindowOpen('first_weekend_of_month', new Date('2026-07-31T16:00:00Z'))).toBe(true);
    expect(isWindowOpen('always_open', new Date('2026-11-04T04:00:00Z'))).toBe(true);
  });

  it('counts settlement days in Beijing time', () => {
    expect(parseDay('2027-02-29')).toBeNull();
    expect(parseDay('2027-3-1')).toBeNull();
    expect(startOfBeijingDay(parseDay('2027-03-01')!).toISOString()).toBe('2027-02-28T16:00:00.000Z');
    expect(daysBetween(parseDay('2027-03-01')!, parseDay('2027-03-31')!)).toBe(31);
    expect(daysBetween(parseDay('2027-03-02')!, parseDay('2027-03-01')!)).toBe(0);
  });
});

describe('member ids', () => {
  it('are stable for one merchant and account, and differ by merchant and by key', () => {
    const key = Buffer.from('k'.repeat(40));
    const [merchantA, merchantB, account] = ['00000000-0000-7000-8017-000000000001', '00000000-0000-7000-8017-000000000002', '00000000-0000-7000-8015-000000000001'];
    expect(memberIdOf(key, merchantA, account)).toBe(memberIdOf(key, merchantA, account));
    expect(memberIdOf(key, merchantA, account)).not.toBe(memberIdOf(key, merchantB, account));
    expect(memberIdOf(Buffer.from('j'.repeat(40)), merchantA, account)).not.toBe(memberIdOf(key, merchantA, account));
  });
});
