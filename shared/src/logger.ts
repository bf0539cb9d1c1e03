/** Structured logging (pino), one root logger per process, a child per service and request. */
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * A pino logger named after the service. `destination` defaults to standard
 * output; tests pass a stream to read the lines back.
 */
export function createLogger(name: string, level: LevelWithSilent = 'info', destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    // Never write personal data or credentials into logs, whatever a caller passes.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'authorization', '*.phone', '*.idNumber', 'token', '*.token'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A destination that keeps every line in memory, parsed: tests read back what was logged. */
export function memoryLog(): { stream: DestinationStream; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    stream: {
      write(chunk: string) {
        for (const line of chunk.split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  };
}
