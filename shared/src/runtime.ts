/** Process entry points: one-line start-up failures and graceful shutdown. */
import { StartupError } from './startup.js';

/** Runs `main`; a start-up failure prints one line naming the problem and exits 1. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof StartupError) {
      process.stderr.write(`lianxin: ${error.message}\n`);
    } else {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`lianxin: start-up failed: ${message}\n`);
    }
    process.exit(1);
  });
}

/** How long draining may take before the process gives up and exits anyway. */
export const SHUTDOWN_DEADLINE_MS = 30_000;

/**
 * On SIGINT/SIGTERM runs `stop` once (drain in-flight requests, close pools)
 * and exits; a second signal, or a drain still running after `deadlineMs`,
 * exits at once.
 */
export function onShutdown(stop: () => Promise<void>, { deadlineMs = SHUTDOWN_DEADLINE_MS }: { deadlineMs?: number } = {}): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`lianxin: ${signal} received, draining\n`);
    setTimeout(() => {
      process.stderr.write(`lianxin: still draining after ${deadlineMs} ms, exiting\n`);
      process.exit(1);
    }, deadlineMs).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`lianxin: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
