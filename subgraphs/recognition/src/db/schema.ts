/**
 * Tables of the recognition subgraph, all in the Postgres schema `recognition`.
 *
 * One file per module under `schema/`, the Postgres schema object in
 * `schema/base.ts`. This barrel re-exports them all, for the modules that
 * import tables and for drizzle-kit (drizzle.config.ts), which sees only the
 * tables exported here.
 */
export { recognition } from './schema/base.js';
export * from './schema/badges.js';
export * from './schema/tallies.js';
export * from './schema/offices.js';
export * from './schema/facts.js';
export * from './schema/periods.js';
export * from './schema/leaderboards.js';
export * from './schema/stars.js';
export * from './schema/reviews.js';
export * from './schema/certificates.js';
export * from './schema/campaigns.js';
export * from './schema/competitions.js';
