/** Events between subgraphs: outbox, transports, inbox, retries, dead letters and runners (docs/events.md). */
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
export * from './nats.js';
