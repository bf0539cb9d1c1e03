/**
 * `POST /webhooks/devices`: where device platforms deliver call-button and
 * motion events. Each platform signs `<timestamp>.<raw body>` with
 * HMAC-SHA256 and its own secret (REQUESTS_DEVICE_SECRETS) and sends
 *
 *   x-lianxin-platform:  its name, e.g. ziming-iot
 *   x-lianxin-timestamp: Unix seconds when it signed
 *   x-lianxin-signature: sha256=<hex digest>
 *
 * An unknown platform, a bad signature, a timestamp more than five minutes
 * off, or an event id delivered before answers 401 and writes nothing. See
 * docs/requests.md for the body and an example.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { sendError, type SubgraphServices } from '@lianxin/shared';
import type { RequestsSettings } from '../settings.js';
import { applyDeviceEvent, raiseInactivityAlerts } from './service.js';

export const WEBHOOK_PATH = '/webhooks/devices';
export const PLATFORM_HEADER = 'x-lianxin-platform';
export const TIMESTAMP_HEADER = 'x-lianxin-timestamp';
export const SIGNATURE_HEADER = 'x-lianxin-signature';
/** How far a signature's timestamp may be from our clock, either way. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** The signature a platform sends for `body` signed at `timestamp`: what integrators compute. */
export function signDeviceEvent(secret: Buffer | string, timestamp: number, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

const eventBody = z.object({
  id: z.string().trim().min(1).max(128),
  type: z.enum(['button_pressed', 'motion']),
  device: z.string().trim().min(1).max(128),
  occurredAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
});

type Verdict = { ok: true; platform: string } | { ok: false; reason: 'UNKNOWN_PLATFORM' | 'BAD_SIGNATURE' | 'STALE_TIMESTAMP' };

/** Checks who signed the body and when, before anything in it is believed. */
export function verifyDelivery(
  settings: RequestsSettings,
  headers: { platform?: string | undefined; timestamp?: string | undefined; signature?: string | undefined },
  body: Buffer,
  now: Date,
): Verdict {
  const platform = headers.platform ?? '';
  const secret = settings.deviceSecrets.get(platform);
  if (!secret) return { ok: false, reason: 'UNKNOWN_PLATFORM' };
  const timestamp = /^\d{1,12}$/.test(headers.timestamp ?? '') ? Number(headers.timestamp) : NaN;
  const given = Buffer.from(headers.signature ?? '', 'utf8');
  const expected = Buffer.from(signDeviceEvent(secret, timestamp, body), 'utf8');
  if (Number.isNaN(timestamp) || given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'BAD_SIGNATURE' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > TIMESTAMP_TOLERANCE_SECONDS) return { ok: false, reason: 'STALE_TIMESTAMP' };
  return { ok: true, platform };
}

const refusals: Record<string, string> = {
  UNKNOWN_PLATFORM: 'This platform is not configured to deliver device events.',
  BAD_SIGNATURE: 'The signature does not match the body.',
  STALE_TIMESTAMP: 'The timestamp is more than five minutes from now.',
  REPLAYED: 'This event id has been delivered before.',
};

/** Mounts the webhook; the raw body is kept, since the signature is over its exact bytes. */
export function deviceWebhookRoutes(app: express.Express, { db, settings, logger }: SubgraphServices<RequestsSettings>): void {
  app.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: '16kb' }), async (req, res, next) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const now = settings.now();
      const verdict = verifyDelivery(settings, { platform: req.get(PLATFORM_HEADER), timestamp: req.get(TIMESTAMP_HEADER), signature: req.get(SIGNATURE_HEADER) }, body, now);
      if (!verdict.ok) {
        logger.warn({ reason: verdict.reason, platform: req.get(PLATFORM_HEADER) }, 'device event refused');
        sendError(res, 401, 'UNAUTHENTICATED', refusals[verdict.reason]!, { reason: verdict.reason });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        sendError(res, 400, 'BAD_REQUEST', 'The body is not JSON.');
        return;
      }
      const parsed = eventBody.safeParse(json);
      if (!parsed.success) {
        sendError(res, 400, 'BAD_REQUEST', 'The body is not a device event: it needs id, type (button_pressed or motion), device and occurredAt.');
        return;
      }
      const outcome = await applyDeviceEvent(db, { platform: verdict.platform, ...parsed.data }, now);
      if (outcome.kind === 'replayed') {
        logger.warn({ platform: verdict.platform, eventId: parsed.data.id }, 'device event replayed');
        sendError(res, 401, 'UNAUTHENTICATED', refusals['REPLAYED']!, { reason: 'REPLAYED' });
        return;
      }
      if (outcome.kind === 'unknown_device') {
        sendError(res, 404, 'NOT_FOUND', 'No device with this id is registered for the platform.');
        return;
      }
      await raiseInactivityAlerts(db, now);
      res.status(202).json({ accepted: true, alert: outcome.alertId, serviceRequest: outcome.requestId });
    } catch (error) {
      next(error);
    }
  });
}
