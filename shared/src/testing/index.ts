/** Test helpers for every workspace. */
export * from './database.js';
export * from './subgraph.js';
export * from './events.js';
export * from './clock.js';
export * from './replica.js';
export * from './nats.js';
export * from './ports.js';
export * from './spans.js';
