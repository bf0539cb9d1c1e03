/**
 * Background loops: a consumer runner (receive, then apply) and a relay
 * runner, each polling on a short interval while idle and going again at
 * once while there is work. `stop()` waits for the pass in flight, so a
 * service shuts down between transactions, never inside one.
 */
import type { Logger } from '../logger.js';
import { INVALID_SCHEMA_NAME, UNDEFINED_TABLE, postgresErrorOf } from '../pg-errors.js';
import { consumeOnce, type ConsumeOptions } from './consumer.js';
import { relayHasHeldBack, relayOnce, type RelayOptions } from './relay.js';

export interface Runner {
  /** Starts the next pass now instead of after the interval (e.g. after a commit that appended events). */
  wake(): void;
  /** Stops polling and resolves once the pass in flight has finished. */
  stop(): Promise<void>;
}

export interface PollingOptions {
  /** Pause between passes while there is nothing to do. */
  pollIntervalMs?: number;
  /** Longest pause after passes that failed (e.g. the database is unreachable); the pause doubles up to it. */
  maxErrorDelayMs?: number;
  logger?: Logger;
}

export const DEFAULT_POLL_INTERVAL_MS = 250;

/** Runs `pass` over and over: at once while it reports work, after the interval while idle, backing off while it throws. */
export function startPolling(name: string, pass: () => Promise<boolean>, options: PollingOptions = {}): Runner {
  const { pollIntervalMs = DEFAULT_POLL_INTERVAL_MS, maxErrorDelayMs = 30_000, logger } = options;
  let stopping = false;
  let woken = false;
  let interrupt: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        interrupt = undefined;
        resolve();
      }, ms);
      interrupt = () => {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      };
    });

  const loop = (async () => {
    let failures = 0;
    /** What the runner is waiting for while another service's tables do not exist yet; null when it is not waiting. */
    let waitingFor: string | null = null;
    while (!stopping) {
      woken = false;
      let busy = false;
      try {
        busy = await pass();
        failures = 0;
        if (waitingFor !== null) logger?.info({ runner: name }, 'event runner found the tables it was waiting for');
        waitingFor = null;
      } catch (error) {
        failures += 1;
        const missing = missingTable(error);
        if (missing !== null) {
          // A producer's migrations run at its own start, which may come after ours: a wait, said once, not a failure.
          if (waitingFor === null) logger?.warn({ runner: name, waitingFor: missing }, 'event runner waits for another service to create its tables');
          waitingFor = missing;
        } else {
          logger?.error({ err: error, runner: name, failures }, 'event runner pass failed');
        }
      }
      if (stopping) break;
      if (busy) continue;
      await pause(failures > 0 ? Math.min(maxErrorDelayMs, pollIntervalMs * 2 ** failures) : pollIntervalMs);
    }
  })();

  return {
    wake() {
      woken = true;
      interrupt?.();
    },
    async stop() {
      stopping = true;
      interrupt?.();
      await loop;
    },
  };
}

/** The driver's "relation … does not exist" (or missing schema) inside `error`; null for any other failure. */
function missingTable(error: unknown): string | null {
  const postgres = postgresErrorOf(error);
  if (postgres === null || (postgres.code !== UNDEFINED_TABLE && postgres.code !== INVALID_SCHEMA_NAME)) return null;
  return postgres.message;
}

export type EventRunnerOptions = ConsumeOptions & PollingOptions;

/** Runs a consumer in the background until `stop()`. */
export function startEventRunner(options: EventRunnerOptions): Runner {
  return startPolling(
    `consumer:${options.consumer.schema}`,
    async () => {
      const report = await consumeOnce(options);
      return report.received + report.applied + report.skipped + report.failed + report.deadLettered > 0;
    },
    options,
  );
}

/** Runs a producer's relay to a broker in the background until `stop()`. */
export function startOutboxRelay(options: RelayOptions & PollingOptions): Runner {
  return startPolling(`relay:${options.schema}:${options.name ?? 'default'}`, async () => (await relayOnce(options)) > 0, options);
}

/** What `drainEvents` needs: the consumers, each with the database handle its subgraph uses. */
export interface DrainOptions {
  consumers: readonly ConsumeOptions[];
  /** Rounds before giving up on a chain of events that keeps causing more (a guard; a finite history ends long before). */
  maxRounds?: number;
  /** How long to wait for events held back behind older transactions elsewhere in the cluster before giving up. */
  heldBackTimeoutMs?: number;
}

/**
 * Applies what every consumer has waiting, round after round, until a round
 * finds nothing new: an event applied in one round may publish others (a
 * service record deposits points, the deposit is announced, the inbox shows
 * it) that the next round applies. Used when a whole history is loaded at once
 * (the demo data) so that what is derived from it is there before the first
 * answer. A round that finds nothing is not the end while committed events
 * are held back: the database transport reads an event only once every older
 * transaction of the cluster has ended, and another database's long
 * transaction on a shared server would otherwise end the drain with events
 * unread. An event that failed waits for its retry as usual: this does not
 * wait for it. Returns the events applied.
 */
export async function drainEvents({ consumers, maxRounds = 1000, heldBackTimeoutMs = 60_000 }: DrainOptions): Promise<number> {
  return drainRounds(
    () => consumeAll(consumers),
    () => anyHeldBack(consumers),
    { maxRounds, heldBackTimeoutMs },
  );
}

/** What `drainRelayedEvents` needs: each producer's relay to the broker and each consumer on the broker's transport. */
export interface RelayedDrainOptions {
  relays: readonly RelayOptions[];
  consumers: readonly ConsumeOptions[];
  /** Rounds before giving up on a chain of events that keeps causing more. */
  maxRounds?: number;
  /** How long to wait for outbox events held back behind older transactions elsewhere in the cluster. */
  heldBackTimeoutMs?: number;
}

/**
 * `drainEvents` for a broker between separate databases: each round relays
 * everything every producer's outbox has, then lets every consumer take and
 * apply what the broker holds for it; it ends on a round with nothing
 * relayed, received or applied while no outbox holds events back. Events
 * applied in one round may append others, relayed by the next. Returns the
 * events applied.
 */
export async function drainRelayedEvents({ relays, consumers, maxRounds = 1000, heldBackTimeoutMs = 60_000 }: RelayedDrainOptions): Promise<number> {
  return drainRounds(
    async () => {
      let relayed = 0;
      for (const relay of relays) {
        for (let sent = await relayOnce(relay); sent > 0; sent = await relayOnce(relay)) relayed += sent;
      }
      const consumed = await consumeAll(consumers);
      return { progress: relayed + consumed.progress, applied: consumed.applied };
    },
    async () => (await Promise.all(relays.map((relay) => relayHasHeldBack(relay)))).some(Boolean),
    { maxRounds, heldBackTimeoutMs },
  );
}

/** One round of every consumer: what moved (received, applied, skipped, dead-lettered) and what was applied. */
async function consumeAll(consumers: readonly ConsumeOptions[]): Promise<{ progress: number; applied: number }> {
  let progress = 0;
  let applied = 0;
  for (const options of consumers) {
    const report = await consumeOnce(options);
    progress += report.received + report.applied + report.skipped + report.deadLettered;
    applied += report.applied;
  }
  return { progress, applied };
}

/**
 * Runs `round` until one moves nothing while `heldBack` finds nothing
 * committed that a round cannot read yet; waiting for older transactions
 * elsewhere is not a round (it makes no progress of its own). Returns the
 * events applied.
 */
async function drainRounds(
  round: () => Promise<{ progress: number; applied: number }>,
  heldBack: () => Promise<boolean>,
  { maxRounds, heldBackTimeoutMs }: { maxRounds: number; heldBackTimeoutMs: number },
): Promise<number> {
  let total = 0;
  let heldBackSince: number | null = null;
  for (let rounds = 0; rounds < maxRounds;) {
    const { progress, applied } = await round();
    total += applied;
    if (progress > 0) {
      rounds += 1;
      heldBackSince = null;
      continue;
    }
    if (!(await heldBack())) return total;
    heldBackSince ??= Date.now();
    if (Date.now() - heldBackSince > heldBackTimeoutMs) {
      throw new Error(`events: committed events still held back after ${heldBackTimeoutMs} ms of draining (a transaction of the cluster that never ends?)`);
    }
    await new Promise((resolve) => setTimeout(resolve, HELD_BACK_PAUSE_MS));
  }
  throw new Error(`events: still applying after ${maxRounds} rounds of draining`);
}

/** How long a drain waits before looking again at events held back behind older transactions. */
const HELD_BACK_PAUSE_MS = 20;

/** Whether some consumer's feed has committed events it cannot read yet. */
async function anyHeldBack(consumers: readonly ConsumeOptions[]): Promise<boolean> {
  for (const { db, consumer, transport } of consumers) {
    for (const source of Object.keys(consumer.handlers)) {
      const feed = transport.feed(consumer.schema, source);
      if (await feed.hasHeldBack?.(db)) return true;
    }
  }
  return false;
}
