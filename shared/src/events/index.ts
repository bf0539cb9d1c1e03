/** Events between subgraphs: outbox, transports, inbox, retries, dead letters and runners (docs/events.md). */
import type { NatsEvents, NatsEventsOptions } from './nats.js';

export { outboxTableSql, inboxTableSql, migrationStatements, STATEMENT_BREAKPOINT } from './tables.js';
export * from './outbox.js';
export * from './transport.js';
export * from './retry.js';
export * from './consumer.js';
export * from './dead-letters.js';
export * from './relay.js';
export * from './memory-broker.js';
export * from './runner.js';
export * from './admin.js';
export * from './nats-names.js';
export type { NatsEvents, NatsEventsOptions } from './nats.js';

/**
 * Connects to NATS JetStream (see ./nats.js), loading the NATS client on the
 * first call: only EVENT_TRANSPORT=nats needs it, and the database transport
 * (npm start's) starts without it.
 */
export async function connectNatsEvents(options: NatsEventsOptions): Promise<NatsEvents> {
  return (await import('./nats.js')).connectNatsEvents(options);
}
