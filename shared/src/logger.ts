/** Structured logging (pino), one root logger per process, a child per service and request. */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export function createLogger(name: string, level: LevelWithSilent = 'info'): Logger {
  return pino({
    name,
    level,
    // Never write personal data or credentials into logs, whatever a caller passes.
    redact: {
      paths: ['req.headers.authorization', 'authorization', '*.phone', '*.idNumber', 'token'],
      censor: '[redacted]',
    },
  });
}
