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

/**
 * On SIGINT/SIGTERM runs `stop` once (drain in-flight requests, close pools)
 * and exits; a second signal exits at once.
 */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`lianxin: ${signal} received, draining\n`);
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
